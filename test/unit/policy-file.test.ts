import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic, parsePolicyFile } from '../../src/verify/policy/policy-file';
import { loadPolicyFile } from '../../src/verify/policy/policy-read';
import { policyForImage } from '../../src/verify/policy/policy-resolve';
import type { PolicyDiagnostic, PolicyDiagnosticCode } from '../../src/verify/policy/policy-types';
import { keyFingerprint } from '../../src/verify/trust/public-key';

/** Parses, expecting no diagnostics at all. */
function valid(text: string): NonNullable<ReturnType<typeof parsePolicyFile>['policy']> {
  const r = parsePolicyFile(text, '/work/ws/.provenance-lens.yaml');
  assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  assert.ok(r.policy);
  return r.policy;
}

/** Parses, expecting exactly one error with this code; returns it. */
function oneError(text: string, code: PolicyDiagnosticCode): PolicyDiagnostic {
  const r = parsePolicyFile(text, 'p.yaml');
  assert.equal(r.policy, undefined, 'a file with an error yields no policy');
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    [code],
    r.diagnostics.map(formatDiagnostic).join('\n'),
  );
  return r.diagnostics[0]!;
}

const pos = (d: PolicyDiagnostic): string => `${d.line}:${d.column}`;

describe('policy file: valid files', () => {
  test('an empty file is an empty policy (derivation only)', () => {
    const p = valid('');
    assert.deepEqual(p.defaults, {});
    assert.deepEqual(p.images, []);
  });

  test('the Fleet policy reads back every field, normalised', () => {
    const p = valid(`version: 1
defaults:
  github:
    workflow: release.yml
  attestations: [slsa-provenance, https://example.com/custom/v1]
images:
  - image: rancher/fleet-agent
    builtIn: rancher/fleet
  - image: registry.suse.com/rancher/*
    exception:
      reason: "  signed by SUSE  "
`);
    assert.deepEqual(p.defaults.github, { workflow: 'release.yml' });
    assert.deepEqual(p.defaults.attestations, [
      { name: 'slsa-provenance', predicateTypes: ['https://slsa.dev/provenance/v0.2', 'https://slsa.dev/provenance/v1'] },
      { name: 'https://example.com/custom/v1', predicateTypes: ['https://example.com/custom/v1'] },
    ]);
    assert.equal(p.images[0]!.pattern, 'docker.io/rancher/fleet-agent');
    assert.equal(p.images[0]!.image, 'rancher/fleet-agent');
    assert.equal(p.images[0]!.builtIn, 'rancher/fleet');
    assert.equal(p.images[0]!.line, 7);
    assert.equal(p.images[1]!.pattern, 'registry.suse.com/rancher/*');
    assert.deepEqual(p.images[1]!.exception, { reason: 'signed by SUSE' });
  });

  test('matchers: string is exact, {exact}, {regexp}; keys and trustedRoot resolve against the file directory', () => {
    const p = valid(`defaults:
  identity: { regexp: "https://github\\\\.com/org/app/.+" }
  issuer: https://token.actions.githubusercontent.com
images:
  - image: quay.io/org/app
    keys: keys/cosign.pub
    trustedRoot: /abs/root.json
    requireTlog: false
  - image: quay.io/org/other
    identity: { exact: "someone@example.com" }
    slsa:
      builders: [https://builder.example/a, { regexp: "https://builder\\\\.example/.*" }]
      source: { repository: org/app, ref: "refs/tags/{{tag}}", commit: 63D4B1FF9C0E93006CF1768314CF1D0675A33B88 }
      requireKnownBuildType: true
`);
    assert.equal(p.defaults.identity?.kind, 'regexp');
    assert.equal(p.defaults.identity?.text, 'https://github\\.com/org/app/.+');
    assert.deepEqual(p.defaults.issuer, { exact: 'https://token.actions.githubusercontent.com' });
    const [a, b] = p.images;
    assert.equal(a!.keys?.[0]?.path, '/work/ws/keys/cosign.pub');
    assert.deepEqual([a!.keys?.[0]?.line, a!.keys?.[0]?.column], [6, 11]);
    assert.equal(a!.trustedRoot, '/abs/root.json');
    assert.equal(a!.requireTlog, false);
    assert.deepEqual(b!.identity, { kind: 'exact', text: 'someone@example.com', parts: [{ literal: 'someone@example.com' }] });
    assert.deepEqual(b!.slsa?.builders, [{ exact: 'https://builder.example/a' }, { regexp: 'https://builder\\.example/.*' }]);
    assert.equal(b!.slsa?.source?.repository, 'https://github.com/org/app');
    assert.deepEqual(b!.slsa?.source?.ref, [{ literal: 'refs/tags/' }, { variable: 'tag' }]);
    assert.equal(b!.slsa?.source?.commit, '63d4b1ff9c0e93006cf1768314cf1d0675a33b88', 'commits are lowered');
    assert.equal(b!.slsa?.requireKnownBuildType, true);
  });

  test('YAML anchors and aliases are followed', () => {
    const p = valid(`defaults:
  github: &gh { workflow: release.yml }
  issuer: &iss https://token.actions.githubusercontent.com
images:
  - image: ghcr.io/org/a
    github: *gh
    issuer: *iss
  - image: quay.io/org/c
    keys: &k [a.pub]
  - image: ghcr.io/org/b
    keys: *k
`);
    assert.deepEqual(p.images[0]!.github, { workflow: 'release.yml' });
    assert.deepEqual(p.images[0]!.issuer, { exact: 'https://token.actions.githubusercontent.com' });
    assert.equal(p.images[2]!.keys?.[0]?.written, 'a.pub');
  });
});

describe('policy file: diagnostics', () => {
  test('bad YAML is a diagnostic with a position, never a throw', () => {
    const d = oneError('defaults:\n  attestations: [spdx\nimages: []\n', 'YAML_SYNTAX');
    assert.equal(d.severity, 'error');
    assert.equal(d.line, 3);
    assert.match(d.message, /^YAML: /);
    for (const text of ['\t- :', '{{{', 'a: *nope', 'a: 1\na: 2', '--- a\n--- b', '\u0000']) {
      const r = parsePolicyFile(text, 'x.yaml');
      assert.equal(r.policy, undefined, JSON.stringify(text));
      assert.ok(r.diagnostics.length > 0 && r.diagnostics.every((x) => x.line >= 1 && x.column >= 1), JSON.stringify(text));
    }
  });

  test('a duplicate key is a YAML error', () => {
    assert.equal(pos(oneError('version: 1\nversion: 1\n', 'YAML_SYNTAX')), '2:1');
  });

  test('unknown keys, with a did-you-mean where one is close', () => {
    const d = oneError('defaults:\n  identiy: x\n', 'UNKNOWN_KEY');
    assert.equal(pos(d), '2:3');
    assert.equal(d.at, 'defaults.identiy');
    assert.match(d.message, /Did you mean "identity"\?/);
    const far = oneError('images:\n  - image: a/b\n    frobnicate: 1\n', 'UNKNOWN_KEY');
    assert.equal(pos(far), '3:5');
    assert.match(far.message, /Expected one of: image, identity/);
    assert.match(oneError('images:\n  - image: a/b\n    github: { workflw: r.yml }\n', 'UNKNOWN_KEY').message, /"workflow"/);
    assert.match(oneError('images:\n  - image: a/b\n    buildIn: org/repo\n', 'UNKNOWN_KEY').message, /"builtIn"/);
    assert.match(oneError('defaults:\n  slsa: { builder: [] }\n', 'UNKNOWN_KEY').message, /"builders"/);
  });

  test('wrong types name what was expected and what was found', () => {
    const d = oneError('defaults:\n  requireTlog: "yes"\n', 'WRONG_TYPE');
    assert.equal(pos(d), '2:16');
    assert.equal(d.message, '"defaults.requireTlog" must be true or false, not the string "yes".');
    assert.match(oneError('images: { image: a/b }\n', 'WRONG_TYPE').message, /"images" must be a list/);
    assert.match(oneError('defaults: [1]\n', 'WRONG_TYPE').message, /must be a mapping/);
    const num = oneError('images:\n  - image: a/b\n    github: { ref: 1.10 }\n', 'WRONG_TYPE');
    assert.match(num.message, /must be a string, not the number 1\.1\. Put it in quotes\./);
    assert.match(oneError('defaults:\n  issuer:\n', 'WRONG_TYPE').message, /not empty/);
    assert.match(oneError('- a\n', 'WRONG_TYPE').message, /"" must be a mapping|must be a mapping/);
  });

  test('an invalid regexp points at the offending character, through quoting and escapes', () => {
    // column of "(" in the source line, after the two-character "\\." escape
    const line = '  identity: { regexp: "https://github\\\\.com/(org" }';
    const d = oneError(`defaults:\n${line}\n`, 'INVALID_REGEXP');
    assert.equal(d.line, 2);
    assert.equal(d.column, line.indexOf('(org') + 1);
    assert.match(d.message, /character 21: missing closing \)/);
    const plain = oneError('defaults:\n  issuer: { regexp: a)b }\n', 'INVALID_REGEXP');
    assert.equal(plain.column, '  issuer: { regexp: a'.length + 1);
    assert.match(plain.message, /unexpected \)/);
    const single = oneError("defaults:\n  issuer: { regexp: 'it''s[a-' }\n", 'INVALID_REGEXP');
    assert.equal(single.column, "  issuer: { regexp: 'it''s".length + 1);
    assert.match(single.message, /missing closing \]: "\[a-"/);
    assert.match(oneError('defaults:\n  issuer: { regexp: "*x" }\n', 'INVALID_REGEXP').message, /missing argument to repetition operator/);
  });

  test('RE2 syntax: nested quantifiers are accepted (matched in linear time); a lookahead is refused at its place', () => {
    valid('images:\n  - image: a/b\n    slsa: { builders: [{ regexp: "https://x/(a+)+$" }] }\n');
    const d = oneError('images:\n  - image: a/b\n    slsa: { builders: [{ regexp: "https://x/(?!evil)" }] }\n', 'INVALID_REGEXP');
    assert.equal(d.column, '    slsa: { builders: [{ regexp: "https://x/'.length + 1);
    assert.equal(d.at, 'images[0].slsa.builders[0].regexp');
    assert.match(d.message, /no lookarounds or back references/);
  });

  test('an exception without a reason, or with an empty one', () => {
    const d = oneError('images:\n  - image: a/b\n    exception: {}\n', 'MISSING_KEY');
    assert.equal(pos(d), '3:16');
    assert.match(d.message, /needs a "reason:"/);
    assert.equal(oneError('images:\n  - image: a/b\n    exception: { reason: "  " }\n', 'INVALID_VALUE').at, 'images[0].exception.reason');
    assert.equal(oneError('images:\n  - image: a/b\n    exception: because\n', 'WRONG_TYPE').at, 'images[0].exception');
  });

  test('image entries: pattern required and checked', () => {
    assert.match(oneError('images:\n  - builtIn: org/repo\n', 'MISSING_KEY').message, /has no "image:" pattern/);
    const tag = oneError('images:\n  - image: ghcr.io/org/app:v1\n', 'INVALID_VALUE');
    assert.equal(pos(tag), '2:27');
    assert.match(tag.message, /looks like a tag/);
    assert.match(oneError('images:\n  - image: ghcr.io/org/app@sha256:abc\n', 'INVALID_VALUE').message, /digest is ignored/);
    assert.match(oneError('images:\n  - image: ghcr.io/Org/app\n', 'INVALID_VALUE').message, /uppercase/);
    assert.match(oneError('images:\n  - image: ghcr.io//app\n', 'INVALID_VALUE').message, /empty path component/);
    const dup = oneError('images:\n  - image: rancher/fleet\n  - image: docker.io/rancher/fleet\n', 'DUPLICATE_PATTERN');
    assert.equal(pos(dup), '3:5');
    assert.match(dup.message, /images\[0\] already has the pattern docker\.io\/rancher\/fleet/);
  });

  test('values: repositories, workflows, commits, attestations, placeholders, version', () => {
    assert.match(oneError('images:\n  - image: a/b\n    builtIn: fleet\n', 'INVALID_VALUE').message, /owner\/name/);
    assert.match(oneError('defaults:\n  github: { workflow: ../x.yml }\n', 'INVALID_VALUE').message, /not a workflow file/);
    assert.match(oneError('defaults:\n  github: { commit: abc1234 }\n', 'INVALID_VALUE').message, /short hashes are ambiguous/);
    assert.match(oneError('defaults:\n  slsa: { source: { repository: "not a repo" } }\n', 'INVALID_VALUE').message, /is not a repository/);
    const att = oneError('defaults:\n  attestations: [slsa-provenance, sbom-spdx]\n', 'UNKNOWN_ATTESTATION');
    assert.equal(pos(att), '2:35');
    assert.match(att.message, /"sbom-spdx" is neither/);
    assert.match(oneError('defaults:\n  attestations: [cyclonedxx]\n', 'UNKNOWN_ATTESTATION').message, /Did you mean "cyclonedx"\?/);
    const tpl = oneError('defaults:\n  github: { ref: "refs/tags/{{ .Tag }}" }\n', 'UNKNOWN_TEMPLATE_VARIABLE');
    assert.equal(tpl.column, '  github: { ref: "refs/tags/'.length + 1);
    assert.match(tpl.message, /Did you mean "\{\{tag\}\}"\?/);
    assert.match(oneError('version: 2\n', 'INVALID_VALUE').message, /Only "version: 1"/);
  });

  test('conflicts: keys with a keyless identity in one place; a matcher with both kinds', () => {
    assert.match(oneError('defaults:\n  keys: [k.pub]\n  github: { workflow: r.yml }\n', 'CONFLICT').message, /"keys" .* and "github" .* exclude each other/);
    assert.match(oneError('defaults:\n  identity: { exact: a, regexp: b }\n', 'CONFLICT').message, /exactly one of "exact" or "regexp"/);
  });

  test('every problem of a file is reported at once, in document order', () => {
    const r = parsePolicyFile('defaults:\n  identiy: x\n  requireTlog: 1\nimages:\n  - image: A/b\n  - {}\n', 'p.yaml');
    assert.deepEqual(
      r.diagnostics.map((d) => `${pos(d)} ${d.code}`),
      ['2:3 UNKNOWN_KEY', '3:16 WRONG_TYPE', '5:12 INVALID_VALUE', '6:5 MISSING_KEY'],
    );
    assert.equal(formatDiagnostic(r.diagnostics[0]!), 'p.yaml:2:3: error: Unknown key "identiy" in "defaults". Did you mean "identity"? (UNKNOWN_KEY)');
  });

  test('alias bombs are cut off', () => {
    const aliases = Array.from({ length: 1200 }, () => '*a').join(', ');
    const r = parsePolicyFile(`defaults:\n  attestations: [&a spdx, ${aliases}]\n`, 'p.yaml');
    assert.equal(r.policy, undefined);
    assert.equal(r.diagnostics.filter((d) => d.code === 'YAML_SYNTAX').length, 1);
    assert.match(r.diagnostics.find((d) => d.code === 'YAML_SYNTAX')!.message, /More than 1000 aliases/);
  });
});

describe('policy file: loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-file-'));
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  test('keys are read relative to the file and reach the image policy', async () => {
    writeFileSync(join(dir, 'cosign.pub'), PEM);
    writeFileSync(join(dir, 'ok.yaml'), 'images:\n  - image: quay.io/org/app\n    keys: [cosign.pub]\n');
    const r = await loadPolicyFile(join(dir, 'ok.yaml'));
    assert.deepEqual(r.diagnostics, []);
    const p = policyForImage(r.policy, 'quay.io/org/app:v1');
    assert.equal(p.keys?.length, 1);
    assert.equal(p.keys![0]!.fingerprint, keyFingerprint(publicKey));
    assert.equal(p.identity, undefined);
    assert.equal(p.sources.keys, 'policy-file');
  });

  test('a missing key file is a KEY_FILE error at its line; a missing policy file is FILE', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'images:\n  - image: quay.io/org/app\n    keys:\n      - nowhere.pub\n');
    const r = await loadPolicyFile(join(dir, 'bad.yaml'));
    assert.equal(r.policy, undefined);
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.code} ${pos(d)} ${d.at}`),
      ['KEY_FILE 4:9 images[0].keys[0]'],
    );
    const missing = await loadPolicyFile(join(dir, 'absent.yaml'));
    assert.equal(missing.diagnostics[0]?.code, 'FILE');
  });

  test('an unloaded key is refused rather than silently dropped', () => {
    const r = parsePolicyFile('defaults:\n  keys: k.pub\n', join(dir, 'p.yaml'));
    assert.throws(() => policyForImage(r.policy, 'quay.io/a/b'), /was not loaded/);
  });
});
