import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matches } from '../../src/verify/policy/identity-policy';
import { parsePolicyFile } from '../../src/verify/policy/policy-file';
import { normaliseImagePattern } from '../../src/verify/policy/policy-match';
import { policyForImage } from '../../src/verify/policy/policy-resolve';
import type { PolicyFile } from '../../src/verify/policy/policy-types';

const GHA = 'https://token.actions.githubusercontent.com';

function policy(text: string): PolicyFile {
  const r = parsePolicyFile(text, '/ws/.provenance-lens.yaml');
  assert.deepEqual(r.diagnostics, []);
  return r.policy!;
}

const FLEET = policy(`version: 1
defaults:
  github:
    workflow: release.yml
  attestations: [slsa-provenance]
images:
  - image: docker.io/rancher/fleet
  - image: docker.io/rancher/fleet-agent
    builtIn: rancher/fleet
  - image: docker.io/rancher/*
    attestations: []
  - image: registry.suse.com/rancher/*
    exception:
      reason: SUSE's registry is signed by SUSE's own pipeline.
`);

describe('policy: the Rancher Fleet release', () => {
  const SAN = (repo: string, tag: string): string => `https://github.com/${repo}/.github/workflows/release.yml@refs/tags/${tag}`;

  test('fleet-agent is expected from the release workflow of rancher/fleet, not rancher/fleet-agent', () => {
    const p = policyForImage(FLEET, 'rancher/fleet-agent:v0.13.0');
    assert.equal(p.matchedPattern, 'docker.io/rancher/fleet-agent');
    assert.equal(p.builtIn, 'rancher/fleet');
    assert.deepEqual(p.identity, { regexp: '^https://github\\.com/rancher/fleet/\\.github/workflows/release\\.yml@refs/tags/v0\\.13\\.0$' });
    assert.ok(matches(p.identity!, SAN('rancher/fleet', 'v0.13.0')));
    assert.ok(!matches(p.identity!, SAN('rancher/fleet-agent', 'v0.13.0')), 'the name-derived repository is not accepted');
    assert.ok(!matches(p.identity!, SAN('rancher/fleet', 'v0.13.1')));
    assert.deepEqual(p.issuer, { exact: GHA });
    assert.deepEqual(p.github?.sourceRepositoryUri, { exact: 'https://github.com/rancher/fleet' });
    assert.deepEqual(p.github?.sourceRepositoryRef, { exact: 'refs/tags/v0.13.0' });
    assert.deepEqual(p.slsa, { sourceRepository: 'https://github.com/rancher/fleet', sourceRef: 'refs/tags/v0.13.0' });
    assert.deepEqual(p.requiredAttestations, [
      { name: 'slsa-provenance', predicateTypes: ['https://slsa.dev/provenance/v0.2', 'https://slsa.dev/provenance/v1'] },
    ]);
    assert.deepEqual(p.requiredPredicateTypes, [], 'the two-type requirement lives in requiredAttestations only');
    assert.deepEqual(p.sources, {
      builtIn: 'policy-file',
      requireTlog: 'default',
      requiredPredicateTypes: 'policy-file',
      github: 'policy-file',
      identity: 'policy-file',
      issuer: 'policy-file',
      slsa: 'policy-file',
    });
    assert.equal(p.requireTlog, true);
    assert.deepEqual(p.notes, ['Policy entry "docker.io/rancher/fleet-agent" applies; also matched, less specific: "docker.io/rancher/*".']);
  });

  test('without the file, fleet-agent would be derived from its own name, marked as a guess', () => {
    const p = policyForImage(undefined, 'rancher/fleet-agent:v0.13.0');
    assert.deepEqual(p.sources, {
      requireTlog: 'default',
      requiredPredicateTypes: 'default',
      identity: 'derived',
      issuer: 'derived',
      github: 'derived',
      slsa: 'derived',
    });
    assert.ok(matches(p.identity!, 'https://github.com/rancher/fleet-agent/.github/workflows/anything.yml@refs/tags/v0.13.0'));
    assert.ok(!matches(p.identity!, SAN('rancher/fleet', 'v0.13.0')));
    assert.match(p.notes![0]!, /derived from the image name docker\.io\/rancher\/fleet-agent.*This is a guess/);
  });

  test("the same image on SUSE's registry is an exception with its reason, and not a GitHub repository", () => {
    const p = policyForImage(FLEET, 'registry.suse.com/rancher/fleet-agent:v0.13.0');
    assert.deepEqual(p.exception, { reason: "SUSE's registry is signed by SUSE's own pipeline." });
    assert.equal(p.sources.exception, 'policy-file');
    assert.equal(p.identity, undefined, 'defaults.github alone does not make registry.suse.com a GitHub name');
    assert.ok(p.notes?.some((n) => n.startsWith('Exception for registry.suse.com/rancher/*:')));
  });

  test('a broad entry still gets the default workflow, and replaces the attestations list', () => {
    const p = policyForImage(FLEET, 'docker.io/rancher/gitjob:v0.13.0');
    assert.equal(p.matchedPattern, 'docker.io/rancher/*');
    assert.deepEqual(p.requiredAttestations, []);
    assert.ok(matches(p.identity!, SAN('rancher/gitjob', 'v0.13.0')));
    assert.equal(p.sources.identity, 'derived', 'the repository was taken from the image name');
  });
});

describe('policy: which entry applies', () => {
  const P = policy(`images:
  - image: "**"
    issuer: https://any
  - image: ghcr.io/org/*
    issuer: https://star
  - image: ghcr.io/org/app-*
    issuer: https://app-star
  - image: ghcr.io/org/app-?pi
    issuer: https://question
  - image: ghcr.io/org/app-api
    issuer: https://exact
  - image: ghcr.io/org/**
    issuer: https://double
`);
  const issuerOf = (ref: string): unknown => policyForImage(P, ref).issuer;

  test('no wildcard beats any glob, whatever the order', () => {
    assert.deepEqual(issuerOf('ghcr.io/org/app-api:v1'), { exact: 'https://exact' });
  });
  test('among globs, more literal characters win; ties go to the entry written first', () => {
    assert.deepEqual(issuerOf('ghcr.io/org/app-web:v1'), { exact: 'https://app-star' });
    assert.deepEqual(issuerOf('ghcr.io/org/app-xpi'), { exact: 'https://question' }, '"app-?pi" has more literal characters than "app-*"');
    assert.deepEqual(issuerOf('ghcr.io/org/other'), { exact: 'https://star' }, '"org/*" and "org/**" tie; the first wins');
  });
  test('* stays in one component, ** crosses them, tags and digests are ignored', () => {
    assert.deepEqual(issuerOf('ghcr.io/org/team/app'), { exact: 'https://double' });
    assert.deepEqual(issuerOf(`ghcr.io/org/app-api@sha256:${'a'.repeat(64)}`), { exact: 'https://exact' });
    assert.deepEqual(issuerOf('quay.io/x/y:latest'), { exact: 'https://any' });
  });
  test('a local layout matches no entry: only defaults apply, nothing is derived', () => {
    const p = policyForImage(P, 'oci-layout:/tmp/layout:v1');
    assert.equal(p.matchedPattern, undefined);
    assert.equal(p.identity, undefined);
  });
  test('patterns are normalised like references', () => {
    const n = (s: string): unknown => normaliseImagePattern(s);
    assert.deepEqual(n('nginx'), { pattern: 'docker.io/library/nginx' });
    assert.deepEqual(n('index.docker.io/rancher/*'), { pattern: 'docker.io/rancher/*' });
    assert.deepEqual(n('Registry.Example.com:5000/a/b'), { pattern: 'registry.example.com:5000/a/b' });
    assert.deepEqual(n('*/rancher/fleet'), { pattern: '*/rancher/fleet' });
    assert.deepEqual(n('localhost/app'), { pattern: 'localhost/app' });
  });
});

describe('policy: layering defaults, entries, keys and derivation', () => {
  test('an entry identity overrides default keys (and default keys apply elsewhere)', () => {
    const r = parsePolicyFile(
      'defaults:\n  keys: [k.pub]\nimages:\n  - image: ghcr.io/org/app\n    identity: https://github.com/org/app/.github/workflows/r.yml@refs/heads/main\n',
      '/ws/p.yaml',
    );
    const p = policyForImage(r.policy, 'ghcr.io/org/app:v1');
    assert.deepEqual(p.identity, { exact: 'https://github.com/org/app/.github/workflows/r.yml@refs/heads/main' });
    assert.equal(p.keys, undefined);
    assert.equal(p.issuer, undefined, 'an explicit identity does not invent an issuer');
    assert.throws(() => policyForImage(r.policy, 'ghcr.io/org/other:v1'), /not loaded/, 'other images use the default keys');
  });

  test('an explicit identity beside github: the SAN of a reusable workflow, the claims of the caller', () => {
    const p = policyForImage(
      policy(`images:
  - image: ghcr.io/org/app
    identity: { regexp: "https://github\\\\.com/slsa-framework/slsa-github-generator/\\\\.github/workflows/generator_container_slsa3\\\\.yml@refs/tags/v[0-9.]+" }
    github: { repository: org/app, workflow: release.yml, trigger: push }
`),
      'ghcr.io/org/app:v2.0.0',
    );
    assert.ok(matches(p.identity!, 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.4.0'));
    assert.deepEqual(p.issuer, { exact: GHA });
    assert.ok(matches(p.github!.buildConfigUri!, 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v2.0.0'));
    assert.deepEqual(p.github!.buildTrigger, { exact: 'push' });
  });

  test('github merges key by key; the tag option stands in for a digest-only reference', () => {
    const P = policy(
      'defaults:\n  github: { workflow: release.yml, ref: "refs/tags/v{{tag}}" }\nimages:\n  - image: ghcr.io/org/app\n    github: { repository: org/app }\n',
    );
    const digest = `ghcr.io/org/app@sha256:${'b'.repeat(64)}`;
    const unknown = policyForImage(P, digest);
    assert.deepEqual(unknown.identity, { regexp: '^https://github\\.com/org/app/\\.github/workflows/release\\.yml@(?:refs/tags/v[^/]+)$' });
    assert.ok(matches(unknown.identity!, 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v1.2.3'));
    assert.ok(!matches(unknown.identity!, 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v1/x'));
    assert.equal(unknown.slsa?.sourceRef, undefined);
    const known = policyForImage(P, digest, { tag: '1.2.3' });
    assert.deepEqual(known.github?.sourceRepositoryRef, { exact: 'refs/tags/v1.2.3' });
    assert.equal(known.slsa?.sourceRef, 'refs/tags/v1.2.3');
  });

  test('identity templates: exact values inserted as written, regexp values escaped, an unknown tag is one segment', () => {
    const P = policy(`defaults:
  identity: https://github.com/{{builtIn}}/.github/workflows/release.yml@refs/tags/{{tag}}
  issuer: ${GHA}
images:
  - image: quay.io/org/app
    identity: { regexp: "https://ci\\\\.example/{{repository}}@{{tag}}" }
  - image: quay.io/org/nowhere
`);
    assert.deepEqual(policyForImage(P, 'ghcr.io/org/app:v1.2').identity, { exact: 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v1.2' });
    const noTag = policyForImage(P, 'ghcr.io/org/app').identity!;
    assert.deepEqual(noTag, { regexp: '^https://github\\.com/org/app/\\.github/workflows/release\\.yml@refs/tags/[^/]+$' });
    assert.ok(!matches(noTag, 'https://githubXcom/org/app/.github/workflows/release.yml@refs/tags/v1'));
    const rx = policyForImage(P, 'quay.io/org/app:v1.2').identity!;
    assert.deepEqual(rx, { regexp: 'https://ci\\.example/(?:org/app)@(?:v1\\.2)' });
    assert.ok(matches(rx, 'https://ci.example/org/app@v1.2'));
    assert.ok(!matches(rx, 'https://ci.example/org/app@v1x2'));
    const none = policyForImage(P, 'quay.io/org/nowhere:v1');
    assert.equal(none.identity, undefined, 'no builtIn for quay.io: unpinned, never a wildcard');
    assert.match(none.notes!.join(' '), /placeholder with no value/);
  });

  test('derivation can be turned off in the file or by the caller, and does not fight a non-GitHub issuer', () => {
    assert.equal(policyForImage(policy('defaults:\n  derive: false\n'), 'ghcr.io/org/app:v1').identity, undefined);
    assert.equal(policyForImage(undefined, 'ghcr.io/org/app:v1', { derive: false }).identity, undefined);
    const gitlab = policyForImage(policy('defaults:\n  issuer: https://gitlab.com\n'), 'ghcr.io/org/app:v1');
    assert.equal(gitlab.identity, undefined);
    assert.deepEqual(gitlab.issuer, { exact: 'https://gitlab.com' });
  });

  test('slsa expectations merge, and a stated source wins over the one GitHub implies', () => {
    const p = policyForImage(
      policy(`defaults:
  slsa: { requireKnownBuildType: true, builders: [https://b/1] }
images:
  - image: ghcr.io/org/app
    github: { workflow: release.yml }
    slsa: { source: { repository: "https://gitlab.com/org/app", ref: "{{tag}}" } }
`),
      'ghcr.io/org/app:v3',
    );
    assert.deepEqual(p.slsa, {
      builderIds: [{ exact: 'https://b/1' }],
      requireKnownBuildType: true,
      sourceRepository: 'https://gitlab.com/org/app',
      sourceRef: 'v3',
    });
  });

  test('requireTlog and trustedRoot come from the entry, else defaults', () => {
    const P = policy('defaults:\n  requireTlog: false\n  trustedRoot: roots/gh.json\nimages:\n  - image: ghcr.io/org/app\n    requireTlog: true\n');
    const p = policyForImage(P, 'ghcr.io/org/app:v1');
    assert.equal(p.requireTlog, true);
    assert.equal(p.trustedRoot, '/ws/roots/gh.json');
    assert.equal(policyForImage(P, 'ghcr.io/org/other:v1').requireTlog, false);
  });
});
