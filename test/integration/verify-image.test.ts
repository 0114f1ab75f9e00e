import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../support/registry';
import { EVERY_FORMAT_RELEASE, MEDIA, PREDICATE, createSigner, pushMultiArchIndex, pushReleaseFixture, type ReleaseFixture } from '../support/fixtures';
import { pushManifest, sha256Digest } from '../support/push';
import { seedBlob, seedLayout, seedManifest, tagManifest } from '../support/storage-seed';
import { realFixtureDir } from '../support/real-fixtures';
import { cli } from '../support/cli';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';

const GENERATOR = realFixtureDir('cosign-signatures', 'slsa-github-generator-container');

type VerifiedArtifact = ImageGraph['artifacts'][number] & ArtifactVerification;
type VerifyJson = Omit<ImageGraph, 'artifacts'> & { artifacts: VerifiedArtifact[]; verdict: ImageVerdict };
const parse = (stdout: string) => JSON.parse(stdout) as VerifyJson;
const GITHUB = 'https://token.actions.githubusercontent.com';
const generatorIdentity = (v: string) =>
  `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${v}`;

function policyPath(lines: readonly string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pl-policy-')), '.provenance-lens.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function keyFile(pem: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pl-key-')), 'cosign.pub');
  writeFileSync(path, pem);
  return path;
}

describe('verify: the real slsa-github-generator images through a real registry', () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry();
  });
  after(() => reg?.stop());

  for (const version of ['v1.4.0', 'v1.5.0', 'v1.6.0', 'v1.7.0', 'v1.8.0']) {
    test(`${version}: the .att (Rekor intoto 0.0.1) verifies for the generator's workflow; no signature, so the image is not verified`, async () => {
      const layout = `${GENERATOR}/${version}/container_workflow_dispatch`;
      seedLayout(reg.storageDir, `slsa/${version}`, layout, { tag: version });
      const digest = readFileSync(`${layout}.digest`, 'utf8').trim();
      const ref = `${reg.host}/slsa/${version}:${version}`;
      const r = await cli([
        'verify',
        ref,
        '--json',
        '--certificate-identity',
        generatorIdentity(version),
        '--certificate-oidc-issuer',
        GITHUB,
        '--require-attestation',
        'https://slsa.dev/provenance/v0.2',
      ]);
      assert.equal(r.code, 1, r.stderr);
      const out = parse(r.stdout);
      assert.equal(out.digest, digest);
      const att = out.artifacts.filter((a) => a.format === 'cosign-tag');
      assert.equal(att.length, 1);
      const a = att[0]!;
      assert.deepEqual(
        [a.state, a.verified, a.kind, a.coversDigest, a.predicateType],
        ['verified', true, 'attestation', digest, 'https://slsa.dev/provenance/v0.2'],
      );
      assert.deepEqual([a.identity, a.issuer], [generatorIdentity(version), GITHUB]);
      const tlog = a.checks.find((c) => c.code === 'TLOG');
      assert.deepEqual([tlog?.status, tlog?.evidence?.entryKind, tlog?.evidence?.logUrl], ['pass', 'intoto/0.0.1', 'https://rekor.sigstore.dev']);
      assert.match(tlog?.message ?? '', /SET verifies.*envelope and payload hashes/);
      assert.equal(a.checks.find((c) => c.code === 'ARTIFACT')?.status, 'pass');
      // No .sig: the image has no signature, which no attestation replaces (as `cosign verify`).
      assert.equal(out.verdict.state, 'unsigned');
      assert.equal(out.verdict.verified, false);
      assert.deepEqual(
        out.verdict.checks.filter((c) => c.code === 'REQUIRED_ATTESTATION').map((c) => c.status),
        ['pass'],
      );
      assert.match(out.verdict.coverage, /not covered \(no signature\); verified attestations: https:\/\/slsa\.dev\/provenance\/v0\.2 on /);
      const bk = out.artifacts.filter((x) => x.format === 'buildkit-index');
      if (version === 'v1.4.0') assert.equal(bk.length, 0);
      else {
        assert.deepEqual(
          bk.map((x) => [x.state, x.verified, x.coversDigest]),
          [['unsigned', false, out.platforms[0]!.digest]],
        );
        assert.deepEqual(
          bk[0]!.checks.map((c) => [c.code, c.status]),
          [
            ['UNSIGNED', 'info'],
            ['SUBJECT', 'info'],
          ],
        );
      }
    });
  }

  test('a wrong identity fails the attestation; an anchored pattern for any generator release verifies it', async () => {
    seedLayout(reg.storageDir, 'slsa/wrong', `${GENERATOR}/v1.6.0/container_workflow_dispatch`, { tag: 'v1.6.0' });
    const ref = `${reg.host}/slsa/wrong:v1.6.0`;
    const wrong = parse(
      (
        await cli([
          'verify',
          ref,
          '--json',
          '--certificate-identity',
          generatorIdentity('v1.5.0'),
          '--certificate-oidc-issuer',
          GITHUB,
          '--require-attestation',
          'https://slsa.dev/provenance/v0.2',
        ])
      ).stdout,
    );
    const att = wrong.artifacts.find((a) => a.format === 'cosign-tag')!;
    assert.deepEqual([att.state, att.identity], ['failed', generatorIdentity('v1.6.0')]);
    assert.equal(att.checks.find((c) => c.code === 'IDENTITY')?.status, 'fail');
    assert.equal(wrong.verdict.checks.find((c) => c.code === 'REQUIRED_ATTESTATION')?.status, 'fail');

    const prefixOnly = parse(
      (await cli(['verify', ref, '--json', '--certificate-identity-regexp', 'https://github.com/slsa-framework/', '--certificate-oidc-issuer', GITHUB])).stdout,
    );
    assert.equal(prefixOnly.artifacts.find((a) => a.format === 'cosign-tag')!.state, 'failed', 'a pattern matches the whole identity, never a part');
    const pattern =
      'https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/generator_container_slsa3\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+';
    const any = parse((await cli(['verify', ref, '--json', '--certificate-identity-regexp', pattern, '--certificate-oidc-issuer', GITHUB])).stdout);
    assert.equal(any.artifacts.find((a) => a.format === 'cosign-tag')!.state, 'verified');
    const unpinned = parse((await cli(['verify', ref, '--json'])).stdout);
    assert.equal(unpinned.artifacts.find((a) => a.format === 'cosign-tag')!.state, 'unpinned');
  });

  test('--policy: identity pattern, slsa-provenance and SLSA expectations from .provenance-lens.yaml; a wrong source fails the attestation', async () => {
    seedLayout(reg.storageDir, 'slsa/policy', `${GENERATOR}/v1.6.0/container_workflow_dispatch`, { tag: 'v1.6.0' });
    const generatorPattern =
      'https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/generator_container_slsa3\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+';
    const policyFile = (sourceRepository: string) =>
      policyPath([
        'version: 1',
        'images:',
        `  - image: ${reg.host}/slsa/**`,
        '    identity:',
        `      regexp: ${generatorPattern}`,
        `    issuer: ${GITHUB}`,
        '    attestations: [slsa-provenance]',
        '    slsa:',
        '      builders:',
        `        - regexp: ${generatorPattern}`,
        '      source:',
        `        repository: ${sourceRepository}`,
        '      requireKnownBuildType: true',
      ]);
    const ref = `${reg.host}/slsa/policy:v1.6.0`;
    const good = await cli(['verify', ref, '--json', '--policy', policyFile('slsa-framework/example-package')]);
    assert.equal(good.code, 1, good.stderr);
    const out = parse(good.stdout) as VerifyJson & { policy: { matchedPattern?: string; sources: Record<string, string> } };
    assert.equal(out.policy.matchedPattern, `${reg.host}/slsa/**`);
    assert.equal(out.policy.sources.identity, 'policy-file');
    const att = out.artifacts.find((a) => a.format === 'cosign-tag')!;
    assert.equal(att.state, 'verified');
    assert.deepEqual(
      att.checks.filter((c) => c.code.startsWith('SLSA_')).map((c) => [c.code, c.status]),
      [
        ['SLSA_FORMAT', 'pass'],
        ['SLSA_BUILDER', 'pass'],
        ['SLSA_BUILD_TYPE', 'pass'],
        ['SLSA_SOURCE_REPOSITORY', 'pass'],
        ['SLSA_SOURCE_REF', 'info'],
        ['SLSA_SOURCE_COMMIT', 'info'],
      ],
    );
    assert.deepEqual(
      out.verdict.checks.filter((c) => c.code === 'REQUIRED_ATTESTATION').map((c) => [c.status, c.message]),
      [['pass', 'A verified slsa-provenance attestation covers every platform.']],
    );

    const wrong = parse((await cli(['verify', ref, '--json', '--policy', policyFile('rancher/fleet')])).stdout);
    const bad = wrong.artifacts.find((a) => a.format === 'cosign-tag')!;
    assert.equal(bad.state, 'failed');
    assert.match(
      bad.checks.find((c) => c.code === 'SLSA_SOURCE_REPOSITORY')?.message ?? '',
      /is https:\/\/github\.com\/slsa-framework\/example-package .*expected https:\/\/github\.com\/rancher\/fleet/,
    );
    assert.equal(wrong.verdict.checks.find((c) => c.code === 'REQUIRED_ATTESTATION')?.status, 'fail');

    // A flag replaces the file's value for that requirement.
    const flagged = parse(
      (await cli(['verify', ref, '--json', '--policy', policyFile('slsa-framework/example-package'), '--certificate-identity', generatorIdentity('v1.5.0')]))
        .stdout,
    );
    assert.equal(flagged.artifacts.find((a) => a.format === 'cosign-tag')!.state, 'failed');
  });

  test('--policy: a file with an error is refused whole, with its line and column (exit 2)', async () => {
    const r = await cli(['verify', `${reg.host}/slsa/policy:v1.6.0`, '--policy', policyPath(['version: 1', 'images:', '  - image: x/y', '    identiy: a'])]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /The policy file has errors, so none of it is used:\n.*:4:5: error: .*identiy.*Did you mean "identity"\?.*\(UNKNOWN_KEY\)/);
  });

  test('the human output says what was checked, against which digest, and what was not', async () => {
    seedLayout(reg.storageDir, 'slsa/text', `${GENERATOR}/v1.8.0/container_workflow_dispatch`, { tag: 'v1.8.0' });
    const r = await cli(['verify', `${reg.host}/slsa/text:v1.8.0`, '--certificate-identity', generatorIdentity('v1.8.0'), '--certificate-oidc-issuer', GITHUB]);
    assert.equal(r.code, 1);
    const digest = readFileSync(`${GENERATOR}/v1.8.0/container_workflow_dispatch.digest`, 'utf8').trim();
    // The first cause, then the coverage with the state: the attestation verifies, but is no signature under cosign's rule.
    assert.deepEqual(r.stdout.split('\n').slice(2, 4), [
      `NOT VERIFIED: The image is not signed: no signature on its index or on linux/amd64; a verified attestation by ${generatorIdentity('v1.8.0')} covers it, but attestations count only under coverage: signatures-or-attestations`,
      `Coverage (unsigned): index not signed; linux/amd64 not covered (no signature); verified attestations: https://slsa.dev/provenance/v0.2 on the index; attestations do not count as signatures (coverage: signatures)`,
    ]);
    assert.match(r.stdout, /\[verified\] +attestation https:\/\/slsa\.dev\/provenance\/v0\.2 +cosign att/);
    assert.ok(
      r.stdout.includes(
        `checked against ${digest}; signed by ${generatorIdentity('v1.8.0')} (issuer ${GITHUB}); Rekor log index 30024022 at 2023-08-04T05:28:11.000Z`,
      ),
    );
    assert.match(r.stdout, /\[unsigned\] +attestation https:\/\/slsa\.dev\/provenance\/v0\.2 +BuildKit, in the index/);
    assert.match(r.stdout, /Not checked:\n {2}- BuildKit's in-index attestations are unsigned/);
    assert.match(r.stdout, /Trust: sigstore-public-good trusted root from embedded @sigstore\/tuf/);
  });
});

describe('verify: a generated release (key-signed, every format) through a real registry', () => {
  let reg: TestRegistry;
  let fx: ReleaseFixture;
  let key: string;
  before(async () => {
    reg = await startRegistry();
    fx = await pushReleaseFixture(reg, 'rancher/fleet-agent', { ...EVERY_FORMAT_RELEASE, sbom: true, dockerListTag: null, singleArchTag: null });
    key = keyFile(fx.publicKeyPem);
  });
  after(() => reg?.stop());
  const ref = () => `${reg.host}/rancher/fleet-agent:v0.13.0`;

  test('with the key: every signature and attestation verified, each against the digest it covers; exit 0', async () => {
    const r = await cli(['verify', ref(), '--json', '--key', key, '--insecure-ignore-tlog', '--require-attestation', PREDICATE.slsaV1]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const out = parse(r.stdout);
    assert.deepEqual([out.verdict.state, out.verdict.verified], ['verified', true]);
    const arm64 = fx.index.platforms.find((p) => p.key === 'linux/arm64')!.digest;
    const amd64 = fx.index.platforms.find((p) => p.key === 'linux/amd64')!.digest;
    const summary = out.artifacts
      .filter((a) => a.format !== 'buildkit-index')
      .map((a) => [a.format, a.kind, a.coversDigest, a.state])
      .sort();
    const expected = [
      ...[fx.index.digest, arm64].flatMap((d) => [
        ['cosign-tag', 'signature', d, 'verified'],
        ['cosign-tag', 'attestation', d, 'verified'],
      ]),
      ['cosign-tag', 'sbom', fx.index.digest, 'unsigned'],
      ...[fx.index.digest, amd64].flatMap((d) => [
        ['referrer', 'signature', d, 'verified'],
        ['referrer', 'attestation', d, 'verified'],
      ]),
    ].sort();
    assert.deepEqual(summary, expected);
    assert.ok(
      out.artifacts
        .filter((a) => a.format === 'buildkit-index')
        .every((a) => a.state === 'unsigned' && a.checks.some((c) => c.code === 'SUBJECT' && c.status === 'info')),
    );
    const sig = out.artifacts.find((a) => a.format === 'cosign-tag' && a.kind === 'signature')!;
    assert.equal(sig.dockerReference, `${reg.host}/rancher/fleet-agent`);
    const referrerSig = out.artifacts.find((a) => a.format === 'referrer' && a.kind === 'signature')!;
    assert.equal(referrerSig.predicateType, PREDICATE.cosignSign);
    assert.equal(referrerSig.checks.find((c) => c.code === 'SUBJECT')?.status, 'pass');
    const fp = referrerSig.keyFingerprint!;
    assert.match(fp, /^sha256:[0-9a-f]{64}$/);
    assert.equal(
      out.verdict.coverage,
      `index signed by key ${fp.slice(0, 19)}…; linux/arm64 and linux/amd64 signed by key ${fp.slice(0, 19)}…; linux/arm/v7 and linux/s390x covered through the index; verified attestations: ${PREDICATE.slsaV1} on the index, linux/amd64 and linux/arm64`.replace(
        'linux/arm64 and linux/amd64',
        out.verdict.digests
          .filter((d) => d.ownState === 'verified' && d.target !== 'index')
          .map((d) => d.target)
          .join(' and '),
      ),
    );
    assert.deepEqual(
      out.verdict.digests.map((d) => [d.target, d.ownState, d.state, d.throughIndex]),
      [
        ['index', 'verified', 'verified', false],
        ...fx.index.platforms.map((p) => [p.key, p.key === 'linux/arm64' || p.key === 'linux/amd64' ? 'verified' : 'unsigned', 'verified', true]),
      ],
    );
  });

  test('without the key, with another key, or with the log required: signatures present, none verifies; exit 1', async () => {
    for (const args of [['--insecure-ignore-tlog'], ['--key', keyFile(createSigner().publicKeyPem), '--insecure-ignore-tlog'], ['--key', key]]) {
      const r = await cli(['verify', ref(), '--json', ...args]);
      assert.equal(r.code, 1, args.join(' '));
      const out = parse(r.stdout);
      assert.equal(out.verdict.state, 'failed', args.join(' '));
      assert.ok(out.artifacts.filter((a) => a.kind === 'signature').every((a) => a.state === 'failed'));
    }
  });

  test("an SPDX requirement is not met by BuildKit's unsigned SBOMs", async () => {
    const r = await cli(['verify', ref(), '--json', '--key', key, '--insecure-ignore-tlog', '--require-attestation', PREDICATE.spdx]);
    assert.equal(r.code, 1);
    const req = parse(r.stdout).verdict.checks.find((c) => c.code === 'REQUIRED_ATTESTATION')!;
    assert.equal(req.status, 'fail');
    assert.match(req.message, /unsigned, by another signer or failing, which does not count/);
  });

  test('index-only signing: every platform covered through the index, no platform-level signature', async () => {
    const only = await pushReleaseFixture(reg, 'rancher/index-only', {
      tag: 'v1.0.0',
      cosignFor: ['index'],
      referrersFor: [],
      dockerListTag: null,
      singleArchTag: null,
    });
    const r = await cli(['verify', `${reg.host}/rancher/index-only:v1.0.0`, '--json', '--key', keyFile(only.publicKeyPem), '--insecure-ignore-tlog']);
    assert.equal(r.code, 0, r.stdout);
    const v = parse(r.stdout).verdict;
    assert.match(
      v.coverage,
      /^index signed by key sha256:[0-9a-f]{12}…; linux\/amd64, linux\/arm64, linux\/arm\/v7 and linux\/s390x covered through the index; no platform-level signature; verified attestations: https:\/\/slsa\.dev\/provenance\/v1 on the index$/,
    );
  });

  test('an unsigned image is "unsigned" (exit 1), its BuildKit statements shown as present and unsigned', async () => {
    await pushMultiArchIndex(reg, 'plain/app', { tag: 'v1' });
    const r = await cli(['verify', `${reg.host}/plain/app:v1`, '--json', '--key', key]);
    assert.equal(r.code, 1);
    const out = parse(r.stdout);
    assert.equal(out.verdict.state, 'unsigned');
    assert.ok(out.artifacts.length > 0 && out.artifacts.every((a) => a.format === 'buildkit-index' && a.state === 'unsigned'));
  });

  test('a policy exception makes an unsigned image "excepted" (exit 0, never "verified"), with the reason shown', async () => {
    await pushMultiArchIndex(reg, 'upstream/tool', { tag: 'v2', platforms: ['linux/amd64'] });
    const policy = policyPath([
      'version: 1',
      'images:',
      `  - image: ${reg.host}/upstream/*`,
      '    exception:',
      '      reason: built and published by the upstream project, which does not sign',
    ]);
    const json = await cli(['verify', `${reg.host}/upstream/tool:v2`, '--json', '--policy', policy]);
    assert.equal(json.code, 0, json.stderr);
    const v = parse(json.stdout).verdict;
    assert.deepEqual([v.state, v.verified, v.exception?.reason], ['excepted', false, 'built and published by the upstream project, which does not sign']);
    const text = await cli(['verify', `${reg.host}/upstream/tool:v2`, '--policy', policy]);
    assert.match(text.stdout, /^EXCEPTED \(not verified\): not signed, excepted by the policy: built and published by the upstream project/m);
  });

  test('a referrer listed for this digest whose manifest names another subject is refused', async () => {
    const other = await pushReleaseFixture(reg, 'rancher/liar', {
      tag: 'v1.0.0',
      cosignFor: [],
      referrersFor: ['linux/amd64'],
      dockerListTag: null,
      singleArchTag: null,
    });
    // Re-list linux/amd64's referrers under the index's tag-schema index: anyone with push can.
    const listed = other.referrers[0]!.referrers;
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociIndex,
        manifests: listed.map((x) => ({ mediaType: x.mediaType, digest: x.digest, size: x.size, artifactType: x.artifactType, annotations: x.annotations })),
      }),
    );
    await pushManifest(reg, 'rancher/liar', `sha256-${other.index.digest.slice(7)}`, index, MEDIA.ociIndex);
    const out = parse(
      (await cli(['verify', `${reg.host}/rancher/liar:v1.0.0`, '--json', '--key', keyFile(other.publicKeyPem), '--insecure-ignore-tlog'])).stdout,
    );
    const onIndex = out.artifacts.filter((a) => a.format === 'referrer' && a.coversDigest === other.index.digest);
    assert.equal(onIndex.length, 2);
    for (const a of onIndex) {
      assert.equal(a.state, 'failed');
      assert.match(a.checks.find((c) => c.code === 'SUBJECT' && c.status === 'fail')?.message ?? '', /is about another one/);
    }
    assert.equal(out.verdict.digests.find((d) => d.target === 'index')?.ownState, 'failed');
  });

  test('a signature whose layer cannot be read is "not checked" (exit 1: not verified), never "unsigned"', async () => {
    const platforms = await pushMultiArchIndex(reg, 'broken/app', { tag: 'v1', platforms: ['linux/amd64'], predicateTypes: [], buildCacheEntry: false });
    // A .sig manifest naming a layer that is not in the registry (seeded: a push would be refused).
    const config = seedBlob(reg.storageDir, 'broken/app', Buffer.from('{}'));
    const missing = sha256Digest('never uploaded');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { mediaType: MEDIA.ociConfig, digest: config, size: 2 },
        layers: [{ mediaType: MEDIA.simpleSigning, digest: missing, size: 14, annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQ==' } }],
      }),
    );
    const digest = seedManifest(reg.storageDir, 'broken/app', manifest);
    tagManifest(reg.storageDir, 'broken/app', `sha256-${platforms.digest.slice(7)}.sig`, digest);
    const r = await cli(['verify', `${reg.host}/broken/app:v1`, '--json', '--key', key]);
    assert.equal(r.code, 1, r.stdout);
    const out = parse(r.stdout);
    assert.equal(out.verdict.state, 'not-checked');
    const sig = out.artifacts.find((a) => a.kind === 'signature')!;
    assert.deepEqual([sig.state, sig.checks.map((c) => [c.code, c.status])], ['not-checked', [['READ', 'warn']]]);
  });

  test('usage errors: no reference, an unreadable policy file, both exact and pattern, a bad pattern, a bad predicate type', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['verify'], /exactly one reference/],
      [['verify', ref(), '--policy', '/nonexistent/.provenance-lens.yaml'], /Cannot read the policy file \/nonexistent\/\.provenance-lens\.yaml/],
      [['verify', ref(), '--certificate-identity', 'a', '--certificate-identity-regexp', 'b'], /not both/],
      [['verify', ref(), '--certificate-identity-regexp', '(unclosed'], /Invalid regular expression/],
      [['verify', ref(), '--require-attestation', 'slsa'], /predicate type URI/],
      [['verify', ref(), '--key', '/nonexistent.pub'], /Cannot read public key/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});
