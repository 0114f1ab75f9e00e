// A real JSON-schema validator (Ajv 6, a dev dependency) for the tests that check that
// schemas/provenance-lens.schema.json, which editors validate .provenance-lens.yaml with, agrees
// with the policy reader.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv') as new (o: object) => { compile(s: unknown): (d: unknown) => boolean };

export function schemaValidator(schema: unknown): (data: unknown) => boolean {
  return new Ajv({ allErrors: true }).compile(schema);
}
