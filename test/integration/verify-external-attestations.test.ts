// `verify <ref> --bundle FILE` and `--github-attestations`, through a real registry and the CLI:
// bundles from a file (a `.jsonl` of several, as gh attestation download writes) and from a local
// server answering as GitHub's attestations API does are artifacts of the image like any other,
// each reported with its own format, origin and trusted root; a bundle about another digest and a
// wrong signer workflow fail naming the cause; the token never reaches the output.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import { cli } from '../support/cli';
import { pushMultiArchIndex } from '../support/fixtures';
import type { PushedIndex } from '../support/fixtures';
import { startGithubApiServer } from '../support/github-api-server';
import type { GithubApiServer } from '../support/github-api-server';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { attestationBundle, cosignSignBundle } from '../support/sigstore/bundle';
import type { SigningIdentity } from '../support/sigstore/ca';
import { SLSA_PROVENANCE_V1, githubProvenancePredicate } from '../support/sigstore/in-toto';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';

type VerifyJson = Omit<ImageGraph, 'artifacts'> & { artifacts: Array<ImageGraph['artifacts'][number] & ArtifactVerification>; verdict: ImageVerdict };
const TOKEN = 'ghs_externalAttestationsTestToken42';
const WORKFLOW = 'org/app/.github/workflows/release.yml';

describe('verify: attestations from outside the registry', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let api: GithubApiServer;
  let dir: string;
  let rootPath: string;
  let signer: SigningIdentity;
  let n = 0;
  before(async () => {
    [reg, mini, api] = await Promise.all([startRegistry(), createMiniSigstore(), startGithubApiServer()]);
    dir = mkdtempSync(join(tmpdir(), 'pl-external-'));
    rootPath = await mini.writeTrustedRoot(dir);
    signer = await mini.githubIdentity({ repository: 'org/app', ref: 'refs/tags/v1.0.0' });
  });
  after(async () => {
    await Promise.all([reg?.stop(), mini?.dispose(), api?.close()]);
  });

  const image = async (): Promise<{ ref: string; index: PushedIndex }> => {
    const repo = `external/app-${++n}`;
    const index = await pushMultiArchIndex(reg, repo, { tag: 'v1.0.0', platforms: ['linux/amd64', 'linux/arm64'], predicateTypes: [], buildCacheEntry: false });
    return { ref: `${reg.host}/${repo}:v1.0.0`, index };
  };
  const slsa = (digest: string) =>
    attestationBundle(signer, {
      log: mini.log,
      digest,
      subjectName: 'app',
      predicateType: SLSA_PROVENANCE_V1,
      predicate: githubProvenancePredicate({ repository: 'org/app' }),
    });
  const file = (name: string, lines: Buffer[]): string => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.map((l) => l.toString('utf8')).join('\n')}\n`);
    return path;
  };
  const verify = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await cli(['verify', ...args, '--json', '--trusted-root', rootPath], env);
    assert.ok(r.stdout.startsWith('{'), r.stderr);
    return { code: r.code, out: JSON.parse(r.stdout) as VerifyJson, stderr: r.stderr };
  };

  test('a .jsonl of several bundles: each is an artifact with its format, line and root; the image verified through them', async () => {
    const { ref, index } = await image();
    const jsonl = file('several.jsonl', [
      cosignSignBundle(signer, index.digest, { log: mini.log }).bytes,
      slsa(index.digest).bytes,
      slsa(index.platforms[0]!.digest).bytes,
    ]);
    const { code, out } = await verify([ref, '--bundle', jsonl, '--owner', 'org', '--signer-workflow', WORKFLOW, '--require-attestation', SLSA_PROVENANCE_V1]);
    assert.deepEqual([code, out.verdict.state], [0, 'verified'], JSON.stringify(out.verdict.causes));
    const external = out.artifacts.filter((a) => a.format === 'bundle-file');
    assert.deepEqual(
      external.map((a) => [a.origin, a.coversDigest, a.kind, a.predicateType, a.state, a.trustRoot?.instance]),
      [
        [`${jsonl}:1`, index.digest, 'signature', 'https://sigstore.dev/cosign/sign/v1', 'verified', 'custom'],
        [`${jsonl}:2`, index.digest, 'attestation', SLSA_PROVENANCE_V1, 'verified', 'custom'],
        [`${jsonl}:3`, index.platforms[0]!.digest, 'attestation', SLSA_PROVENANCE_V1, 'verified', 'custom'],
      ],
    );
    assert.ok(external.every((a) => a.checks.some((c) => c.code === 'GITHUB_CLAIMS' && c.status === 'pass' && /source repository owner/.test(c.message))));
  });

  test('a bundle about another digest fails the image, naming the subject (INVALID_SIGNATURE)', async () => {
    const { ref, index } = await image();
    const other = file('other.jsonl', [cosignSignBundle(signer, `sha256:${'e'.repeat(64)}`, { log: mini.log }).bytes]);
    const { code, out } = await verify([ref, '--bundle', other, '--owner', 'org']);
    assert.equal(code, 1);
    const [a] = out.artifacts.filter((x) => x.format === 'bundle-file');
    assert.equal(a?.coversDigest, index.digest);
    assert.equal(a?.state, 'failed');
    assert.ok(
      a?.checks.some((c) => c.code === 'ARTIFACT' && c.status === 'fail'),
      JSON.stringify(a?.checks),
    );
    assert.equal(out.verdict.causes[0]?.code, 'INVALID_SIGNATURE');
    assert.match(out.verdict.causes[0]!.message, /^The signature on the index does not verify: .*sha256:e{64}/);
  });

  test('a wrong signer workflow fails naming both workflows (IDENTITY_MISMATCH)', async () => {
    const { ref, index } = await image();
    const sig = file('sig.json', [cosignSignBundle(signer, index.digest, { log: mini.log }).bytes]);
    const { code, out } = await verify([ref, '--bundle', sig, '--owner', 'org', '--signer-workflow', 'org/app/.github/workflows/nightly.yml']);
    assert.equal(code, 1);
    const cause = out.verdict.causes[0]!;
    assert.equal(cause.code, 'IDENTITY_MISMATCH');
    assert.match(cause.message, /release\.yml@refs\/tags\/v1\.0\.0.*nightly\\\.yml/);
  });

  test("--github-attestations: fetched from GitHub's API by digest (pages, 404 for the platforms), the token never shown", async () => {
    const { ref, index } = await image();
    api.perPage = 1;
    api.attestations.set(`/repos/org/app/attestations/${index.digest}`, [
      JSON.parse(cosignSignBundle(signer, index.digest, { log: mini.log }).bytes.toString()),
      JSON.parse(slsa(index.digest).bytes.toString()),
    ]);
    const env = { GH_TOKEN: TOKEN, GITHUB_API_URL: api.url };
    const r = await cli(['verify', ref, '--json', '-v', '--trusted-root', rootPath, '--repo', 'org/app', '--github-attestations'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as VerifyJson;
    const fromApi = out.artifacts.filter((a) => a.format === 'github-api');
    assert.deepEqual(
      fromApi.map((a) => [a.kind, a.state, a.coversDigest]),
      [
        ['signature', 'verified', index.digest],
        ['attestation', 'verified', index.digest],
      ],
    );
    assert.match(fromApi[1]!.origin ?? '', new RegExp(`^${api.url}/repos/org/app/attestations/${index.digest}\\?per_page=1&after=1 #1$`));
    // The image's digest over two pages, then each platform's (404: none).
    const asked = api.requests.map((q) => q.path.split('?')[0]);
    assert.deepEqual(asked.filter((p) => p === `/repos/org/app/attestations/${index.digest}`).length, 2);
    for (const p of index.platforms) assert.ok(asked.includes(`/repos/org/app/attestations/${p.digest}`));
    assert.match(r.stderr, new RegExp(`note: GitHub has no attestation for ${index.platforms[0]!.digest} in repos/org/app \\(404\\)`));
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(TOKEN));
    assert.ok(api.requests.every((q) => q.headers.authorization === `Bearer ${TOKEN}`));
  });

  test("--github-attestations: a refused token is an error naming GitHub's answer (exit 2); usage errors first", async () => {
    const { ref } = await image();
    api.fail = { status: 401, message: 'Bad credentials' };
    try {
      const r = await cli(['verify', ref, '--trusted-root', rootPath, '--owner', 'org', '--github-attestations'], { GH_TOKEN: TOKEN, GITHUB_API_URL: api.url });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /GitHub's API refused the token from GH_TOKEN \/ GITHUB_TOKEN \(401: "Bad credentials"\)/);
      assert.doesNotMatch(r.stderr, new RegExp(TOKEN));
    } finally {
      delete api.fail;
    }
    const noRepo = await cli(['verify', ref, '--github-attestations'], { GH_TOKEN: TOKEN });
    assert.deepEqual([noRepo.code, /needs --owner or --repo/.test(noRepo.stderr)], [2, true]);
    const noToken = await cli(['verify', ref, '--owner', 'org', '--github-attestations']);
    assert.deepEqual([noToken.code, /GH_TOKEN or GITHUB_TOKEN/.test(noToken.stderr)], [2, true]);
  });
});
