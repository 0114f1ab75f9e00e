// GitHub's Sigstore instance beside the public-good one: its trusted root embedded (the vendored
// files, byte for byte), loaded and refreshed with the public-good root, and chosen per bundle by
// the CA that issued its certificate: real GitHub artifact attestations from both instances
// verify with no trusted root given, each naming the root used.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactFromDigest } from '../../src/verify/bundle/artifact';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import type { BlobVerification } from '../../src/verify/bundle/verify-blob';
import { loadTrustRoot } from '../../src/verify/trust/trust-root';
import { GITHUB_TUF_URL, PUBLIC_GOOD_TUF_URL, embeddedTufRoot, embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { messageSignatureBundle } from '../support/sigstore/bundle';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createTufRepository } from '../support/tuf/repository';
import type { TestTufRepository } from '../support/tuf/repository';
import { startTufServer } from '../support/tuf/server';
import type { TestTufServer } from '../support/tuf/server';
import { realFixture } from '../support/real-fixtures';

const ISSUER = 'https://token.actions.githubusercontent.com';
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const bundle = (name: string): Buffer => readFileSync(realFixture('sigstore-bundles', 'gh-cli', name));
const status = (r: BlobVerification, code: string) => r.checks.filter((c) => c.code === code).map((c) => c.status);

/** GitHub's instance: a private repository's wheel, attested by actions/attest-demo (RFC 3161 time, no log). */
const GH = {
  bundle: () => bundle('github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl'),
  digest: 'sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b',
  identity: 'https://github.com/actions/attest-demo/.github/workflows/build-python.yml@refs/heads/main',
};
/** Public good: a wheel attested through the reusable workflow github/artifact-attestations-workflows. */
const PUBLIC = {
  bundle: () => bundle('reusable-workflow-attestation.sigstore.json'),
  digest: 'sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25',
  identity: 'https://github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml@09b495c3f12c7881b3cc17209a327792065c1a1d',
};

function verify(b: Buffer, digest: string, identity: string, trustRoot: TrustRoot): BlobVerification {
  return verifyBlob({ bundle: b, artifact: artifactFromDigest(digest), trustRoot, policy: { identity: { exact: identity }, issuer: { exact: ISSUER } } });
}

describe("GitHub's trusted root, embedded", () => {
  test('the embedded bytes are the vendored trusted_root.json and TUF root.json of tuf-repo.github.com', () => {
    const root = embeddedTrustRoot(new Date('2026-01-01T00:00:00Z'), GITHUB_TUF_URL);
    assert.equal(root.info.sha256, sha(readFileSync(realFixture('trusted-root', 'github.trusted_root.json'))));
    assert.equal(root.info.instance, 'github');
    assert.deepEqual(root.info.counts, { certificateAuthorities: 5, tlogs: 0, ctlogs: 0, timestampAuthorities: 5 });
    assert.deepEqual(root.info.source, { kind: 'embedded', package: 'provenance-lens', version: 'github-seeds.json', tufRepository: GITHUB_TUF_URL });
    assert.equal(sha(embeddedTufRoot(GITHUB_TUF_URL)), sha(readFileSync(realFixture('trusted-root', 'github.tuf-root.json'))));
  });

  test("a default load gives the public-good root with GitHub's beside it; a file, or another repository, is loaded alone", async () => {
    const root = await loadTrustRoot();
    assert.equal(root.info.instance, 'sigstore-public-good');
    assert.deepEqual(
      root.siblings?.map((s) => [s.info.instance, s.info.source.kind === 'embedded' && s.info.source.tufRepository]),
      [['github', GITHUB_TUF_URL]],
    );
    const file = await loadTrustRoot({ trustedRootFile: realFixture('trusted-root', 'sigstore-public-good.trusted_root.json') });
    assert.equal(file.siblings, undefined);
    assert.equal((await loadTrustRoot({ github: false })).siblings, undefined);
  });
});

describe('the root chosen per bundle', () => {
  let roots: TrustRoot;
  before(async () => {
    roots = await loadTrustRoot();
  });

  test("a GitHub-instance attestation verifies with no trusted root given, against GitHub's root, and says so", () => {
    const r = verify(GH.bundle(), GH.digest, GH.identity, roots);
    assert.equal(r.verified, true, JSON.stringify(r.checks.filter((c) => c.status !== 'pass')));
    assert.equal(r.trustRoot.instance, 'github');
    assert.equal(r.trustRoot.sha256, roots.siblings![0]!.info.sha256);
    const used = r.checks.find((c) => c.code === 'TRUST_ROOT')!;
    assert.match(
      used.message,
      /^Using the github trusted root from embedded provenance-lens@github-seeds\.json \(https:\/\/tuf-repo\.github\.com\).*chosen because one of its certificate authorities issued the signing certificate\.$/,
    );
    assert.deepEqual(used.evidence, { trustRoot: 'github' });
    assert.deepEqual(status(r, 'TLOG'), ['info'], "GitHub's instance keeps no transparency log");
  });

  test('a public-good GitHub attestation (reusable workflow) verifies against the public-good root', () => {
    const r = verify(PUBLIC.bundle(), PUBLIC.digest, PUBLIC.identity, roots);
    assert.equal(r.verified, true, JSON.stringify(r.checks.filter((c) => c.status !== 'pass')));
    assert.equal(r.trustRoot.instance, 'sigstore-public-good');
    assert.equal(r.trustRoot.source.kind === 'embedded' && r.trustRoot.source.tufRepository, PUBLIC_GOOD_TUF_URL);
    assert.deepEqual(status(r, 'TLOG'), ['pass']);
  });

  test('a wrong digest fails ARTIFACT, a wrong workflow fails IDENTITY, each with the root still named', () => {
    const digest = verify(GH.bundle(), `sha256:${'0'.repeat(64)}`, GH.identity, roots);
    assert.equal(digest.verified, false);
    assert.deepEqual(status(digest, 'ARTIFACT'), ['fail']);
    assert.equal(digest.trustRoot.instance, 'github');
    const workflow = verify(GH.bundle(), GH.digest, GH.identity.replace('build-python.yml', 'release.yml'), roots);
    assert.equal(workflow.verified, false);
    assert.deepEqual(status(workflow, 'IDENTITY'), ['fail']);
    assert.match(workflow.checks.find((c) => c.code === 'IDENTITY')!.message, /build-python\.yml.*the policy expects .*release\.yml/);
  });

  test('a trusted root given wins: the GitHub attestation is not verified against the public-good file', async () => {
    const file = await loadTrustRoot({ trustedRootFile: realFixture('trusted-root', 'sigstore-public-good.trusted_root.json') });
    const r = verify(GH.bundle(), GH.digest, GH.identity, file);
    assert.equal(r.verified, false);
    assert.equal(r.trustRoot.instance, 'sigstore-public-good');
    assert.doesNotMatch(r.checks.find((c) => c.code === 'TRUST_ROOT')!.message, /chosen/);
  });

  describe('a certificate from a CA neither root knows', () => {
    let sigstore: MiniSigstore;
    before(async () => {
      sigstore = await createMiniSigstore();
    });
    after(() => sigstore.dispose());

    test('fails TRUST_ROOT naming every root tried, and what to do', async () => {
      const signer = await sigstore.githubIdentity({ repository: 'org/app' });
      const b = messageSignatureBundle(signer, Buffer.from('hello'));
      const r = verifyBlob({ bundle: b.bytes, artifact: { kind: 'bytes', bytes: Buffer.from('hello') }, trustRoot: roots });
      assert.equal(r.verified, false);
      const check = r.checks.find((c) => c.code === 'TRUST_ROOT')!;
      assert.equal(check.status, 'fail');
      assert.match(
        check.message,
        /none of the trusted roots tried knows: sigstore-public-good \(https:\/\/tuf-repo-cdn\.sigstore\.dev, sha256 [0-9a-f]{12}\); github \(https:\/\/tuf-repo\.github\.com, sha256 [0-9a-f]{12}\)\. If it comes from another Sigstore instance, give that instance's trusted_root\.json \(--trusted-root\)/,
      );
      assert.match(check.message, /provenance-lens-test/, "the certificate's issuer is named");
    });
  });
});

describe("GitHub's root refreshed beside the public-good one", () => {
  let dir: string;
  let repos: TestTufRepository[];
  let servers: TestTufServer[];
  let sigstore: MiniSigstore;
  const T0 = new Date('2025-07-01T00:00:00Z');

  before(async () => {
    sigstore = await createMiniSigstore();
  });
  after(() => sigstore.dispose());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pl-gh-tuf-'));
    repos = [createTufRepository(), createTufRepository()];
    repos[0]!.publish(sigstore.trustedRootBytes);
    repos[1]!.publish(readFileSync(realFixture('trusted-root', 'github.trusted_root.json')));
    servers = await Promise.all(repos.map((r) => startTufServer(r)));
    await Promise.all(repos.map((r, i) => writeFile(join(dir, `root${i}.json`), r.rootJson)));
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  test('one load refreshes both, keeps each in its own cache entry, and reports each refresh', async () => {
    const cacheDir = join(dir, 'cache');
    const root = await loadTrustRoot({
      offline: false,
      cacheDir,
      now: T0,
      mirrorURL: servers[0]!.url,
      tufRootPath: join(dir, 'root0.json'),
      github: { mirrorURL: servers[1]!.url, tufRootPath: join(dir, 'root1.json') },
    });
    assert.equal(root.info.refresh?.status, 'refreshed');
    const github = root.siblings?.[0];
    assert.equal(github?.info.instance, 'github');
    assert.deepEqual(github?.info.source, { kind: 'tuf', tufRepository: servers[1]!.url, refreshedAt: T0.toISOString(), refreshAgeDays: 0 });
    assert.equal(github?.info.refresh?.status, 'refreshed');
    assert.ok(
      servers[1]!.requests.some((p) => p.endsWith('trusted_root.json')),
      JSON.stringify(servers[1]!.requests),
    );
    assert.equal((await readdir(join(cacheDir, 'trusted-root'))).length, 2);
    // Offline next time: both from the cache, no connection.
    const before = servers.map((s) => s.connections);
    const offline = await loadTrustRoot({ cacheDir, now: T0, mirrorURL: servers[0]!.url, github: { mirrorURL: servers[1]!.url } });
    assert.equal(offline.siblings?.[0]?.info.sha256, github?.info.sha256);
    assert.deepEqual(
      servers.map((s) => s.connections),
      before,
    );
  });

  test("GitHub's repository hanging costs no more than the one bounded wait; the public-good refresh is still used", async () => {
    servers[1]!.mode = 'hang';
    const started = performance.now();
    const root = await loadTrustRoot({
      offline: false,
      cacheDir: join(dir, 'cache'),
      now: T0,
      refreshWaitMs: 300,
      requestTimeoutMs: 500,
      mirrorURL: servers[0]!.url,
      tufRootPath: join(dir, 'root0.json'),
      github: { mirrorURL: servers[1]!.url, tufRootPath: join(dir, 'root1.json') },
    });
    const ms = performance.now() - started;
    assert.equal(root.info.refresh?.status, 'refreshed');
    // A test mirror has no embedded root to fall back on: the load goes on without it, and says so.
    assert.equal(root.siblings, undefined);
    assert.match(
      root.info.notes?.join(' ') ?? '',
      /GitHub's trusted root could not be loaded, so bundles signed by GitHub's instance cannot be verified: No trusted root for http:\/\/127\.0\.0\.1:\d+/,
    );
    assert.ok(ms < 2_000, `took ${Math.round(ms)} ms`);
  });
});
