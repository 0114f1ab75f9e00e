import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ATTESTATION_ALIASES } from '../../src/verify/policy/policy-attestations';
import { formatDiagnostic, parsePolicyFile } from '../../src/verify/policy/policy-file';
import { POLICY_KEYS } from '../../src/verify/policy/policy-shape';
import type { PolicyObject } from '../../src/verify/policy/policy-shape';
import { schemaValidator } from '../support/json-schema';

/**
 * The JSON schema (for editors) and the validator (for verification) must say the same:
 * same keys per object, every documented example valid for both, and the same verdict on
 * a corpus of valid and invalid files.
 */
const repoRoot = resolve(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(resolve(repoRoot, 'schemas', 'provenance-lens.schema.json'), 'utf8')) as SchemaNode;
const doc = readFileSync(resolve(repoRoot, 'docs', 'policy.md'), 'utf8');
const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

interface SchemaNode {
  properties?: Record<string, unknown>;
  additionalProperties?: boolean;
  oneOf?: SchemaNode[];
  definitions?: Record<string, SchemaNode>;
  items?: { anyOf?: { enum?: string[] }[] };
}

/** Where each validator object lives in the schema. */
const WHERE: Record<PolicyObject, SchemaNode> = {
  root: schema,
  defaults: schema.definitions!.defaults!,
  image: schema.definitions!.image!,
  github: schema.definitions!.github!,
  slsa: schema.definitions!.slsa!,
  source: schema.definitions!.source!,
  exception: schema.definitions!.exception!,
  matcher: schema.definitions!.matcher!.oneOf![1]!,
};

const schemaValidate = schemaValidator(schema);

describe('policy schema and validator agree', () => {
  test('the same property names, object by object, and no object the validator does not know', () => {
    for (const [object, node] of Object.entries(WHERE)) {
      assert.deepEqual(Object.keys(node.properties ?? {}).sort(), [...POLICY_KEYS[object as PolicyObject]].sort(), object);
      assert.equal(node.additionalProperties, false, `${object}: unknown keys are errors in the validator, so the schema refuses them too`);
    }
    const covered = new Set(Object.values(WHERE));
    for (const [name, def] of Object.entries(schema.definitions!)) {
      if (def.properties !== undefined) assert.ok(covered.has(def), `definitions.${name} has properties the validator does not walk`);
    }
  });

  test('the attestation names the schema lists are the aliases the validator knows', () => {
    const names = schema.definitions!.attestations!.items!.anyOf![0]!.enum!;
    assert.deepEqual([...names].sort(), Object.keys(ATTESTATION_ALIASES).sort());
  });

  test('docs/policy.md has examples, and every one validates with no diagnostic', () => {
    assert.ok(examples.length >= 8, `found ${examples.length} yaml examples`);
    for (const [i, text] of examples.entries()) {
      const r = parsePolicyFile(text, `docs/policy.md#example-${i + 1}`);
      assert.deepEqual(r.diagnostics.map(formatDiagnostic), [], `example ${i + 1}:\n${text}`);
      assert.ok(r.policy);
    }
  });

  test('every docs example also validates against the JSON schema', () => {
    for (const [i, text] of examples.entries()) assert.ok(schemaValidate(parse(text) ?? {}), `example ${i + 1}`);
  });

  // Files both must accept (first) or both must refuse (second). Semantic checks the schema
  // cannot express (regexp syntax, placeholders, key conflicts, duplicate patterns) are the
  // validator's alone and are tested in policy-file.test.ts.
  const ACCEPT = [
    'version: 1',
    'images: []',
    'defaults: { identity: a, issuer: { regexp: "b" } }',
    'defaults: { keys: k.pub, requireTlog: false }',
    'defaults: { attestations: [slsa-provenance, "https://example.com/p/v1"] }',
    'images: [{ image: "ghcr.io/org/**", github: { repository: org/app, workflow: .github/workflows/r.yaml, ref: "refs/heads/main", trigger: push, commit: "0123456789abcdef0123456789abcdef01234567" } }]',
    'images: [{ image: a/b, builtIn: rancher/fleet, exception: { reason: "x" } }]',
    'images: [{ image: a/b, slsa: { builders: [x, { exact: y }], source: { repository: org/app, ref: v1, commit: "0123456789abcdef0123456789abcdef01234567" }, requireKnownBuildType: true } }]',
  ];
  const REFUSE = [
    'version: 2',
    'colour: red',
    'defaults: { identiy: a }',
    'defaults: { builtIn: org/app }',
    'defaults: { derive: "yes" }',
    'defaults: { requireTlog: "no" }',
    'defaults: { issuer: { exact: a, regexp: b } }',
    'defaults: { issuer: { glob: a } }',
    'defaults: { attestations: [sbom] }',
    'defaults: { github: { repository: fleet } }',
    'defaults: { github: { workflow: "x" } }',
    'defaults: { github: { commit: abc123 } }',
    'images: [{ builtIn: org/app }]',
    'images: [{ image: a/b, exception: {} }]',
    'images: [{ image: a/b, exception: { reason: "" } }]',
    'images: [{ image: a/b, exception: because }]',
    'images: [{ image: "a b" }]',
    'images: { image: a/b }',
    'images: [{ image: a/b, exception: { reason: x, until: 2026 } }]',
  ];

  test('the validator accepts and refuses the corpus', () => {
    for (const text of ACCEPT) assert.deepEqual(parsePolicyFile(text, 'p').diagnostics.map(formatDiagnostic), [], text);
    for (const text of REFUSE) assert.equal(parsePolicyFile(text, 'p').policy, undefined, text);
  });

  test('the schema gives the same verdicts on the corpus', () => {
    for (const text of ACCEPT) assert.equal(schemaValidate(parse(text)), true, text);
    for (const text of REFUSE) assert.equal(schemaValidate(parse(text)), false, text);
  });
});
