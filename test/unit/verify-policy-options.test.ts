import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { formatDiagnostic, parsePolicyFile } from '../../src/verify/policy/policy-file';
import { policyForImage } from '../../src/verify/policy/policy-resolve';
import { POLICY_KEYS } from '../../src/verify/policy/policy-shape';
import { schemaValidator } from '../support/json-schema';

/**
 * The policy file's `coverage` and `certificateChain` (docs/policy.md): the validator reads
 * them, the resolver applies them per image, and the JSON schema editors use agrees with the
 * validator on every file below (accept or refuse alike).
 */
const repoRoot = resolve(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(resolve(repoRoot, 'schemas', 'provenance-lens.schema.json'), 'utf8')) as {
  definitions: Record<string, { properties?: Record<string, unknown>; enum?: string[] }>;
};

const schemaValidate = schemaValidator(schema);

const ACCEPT = [
  'defaults: { coverage: signatures }',
  'defaults: { coverage: signatures-or-attestations }',
  'images: [{ image: ghcr.io/org/app, coverage: signatures-or-attestations, identity: x, issuer: y }]',
  'defaults: { certificateChain: pki/chain.pem, requireTlog: false }',
  'images: [{ image: registry.example.com/**, certificateChain: /etc/pki/chain.pem, identity: team@example.com }]',
];
const REFUSE = [
  'defaults: { coverage: attestations }',
  'defaults: { coverage: true }',
  'defaults: { coverage: [signatures] }',
  'images: [{ image: a/b, coverage: "" }]',
  'defaults: { certificateChain: 3 }',
  'defaults: { certificateChain: [a.pem] }',
  'defaults: { certificateChain: "" }',
];

describe('policy file: coverage and certificateChain', () => {
  test('the validator and the schema know both keys in defaults and image entries', () => {
    for (const object of ['defaults', 'image'] as const) {
      assert.ok((POLICY_KEYS[object] as readonly string[]).includes('coverage'), object);
      assert.ok((POLICY_KEYS[object] as readonly string[]).includes('certificateChain'), object);
      assert.ok('coverage' in (schema.definitions[object]!.properties ?? {}), object);
      assert.ok('certificateChain' in (schema.definitions[object]!.properties ?? {}), object);
    }
    assert.deepEqual(schema.definitions.coverage!.enum, ['signatures', 'signatures-or-attestations']);
  });

  test('the validator accepts and refuses the corpus', () => {
    for (const text of ACCEPT) assert.deepEqual(parsePolicyFile(text, 'p.yaml').diagnostics.map(formatDiagnostic), [], text);
    for (const text of REFUSE) assert.equal(parsePolicyFile(text, 'p.yaml').policy, undefined, text);
  });

  test('the schema gives the same verdicts', () => {
    for (const text of ACCEPT) assert.equal(schemaValidate(parse(text)), true, text);
    for (const text of REFUSE) assert.equal(schemaValidate(parse(text)), false, text);
  });

  test('an unknown rule is an error at its value, with a suggestion', () => {
    const r = parsePolicyFile('defaults:\n  coverage: signature-or-attestations\n', '/w/.provenance-lens.yaml');
    assert.equal(r.policy, undefined);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), [
      '/w/.provenance-lens.yaml:2:13: error: "signature-or-attestations" is not a coverage rule: write "signatures" (only signatures cover a digest, as cosign verify) or "signatures-or-attestations" (a verified attestation covers it too, as slsa-verifier). Did you mean "signatures-or-attestations"? (INVALID_VALUE)',
    ]);
  });

  test("resolved per image: the entry over the defaults; absent means cosign's rule and no source", () => {
    const text = [
      'defaults:',
      '  coverage: signatures-or-attestations',
      '  certificateChain: pki/chain.pem',
      'images:',
      '  - image: ghcr.io/org/strict',
      '    coverage: signatures',
      '  - image: ghcr.io/org/slsa',
      '',
    ].join('\n');
    const file = parsePolicyFile(text, '/work/repo/.provenance-lens.yaml').policy!;
    const strict = policyForImage(file, 'ghcr.io/org/strict:v1');
    assert.deepEqual(
      [strict.coverage, strict.sources.coverage, strict.certificateChain, strict.sources.certificateChain],
      ['signatures', 'policy-file', '/work/repo/pki/chain.pem', 'policy-file'],
    );
    const slsa = policyForImage(file, 'ghcr.io/org/slsa:v1');
    assert.deepEqual([slsa.coverage, slsa.sources.coverage], ['signatures-or-attestations', 'policy-file']);
    const none = policyForImage(parsePolicyFile('version: 1', 'p.yaml').policy!, 'ghcr.io/org/app:v1');
    assert.deepEqual([none.coverage, none.sources.coverage, none.certificateChain], [undefined, undefined, undefined]);
  });
});
