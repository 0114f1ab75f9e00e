// Attestations from outside the registry: bundle files and `gh attestation download` `.jsonl`
// files (real ones), what each bundle covers in an image's graph, and GitHub's attestations API
// against a local server that answers as the API's documentation shows (pages, 404, 401, the
// rate limit's 403), bounded, cached, the token never shown.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LensError } from '../../src/core/errors';
import { bundlesFromFile } from '../../src/attestations/bundle-lines';
import { externalArtifacts } from '../../src/attestations/external-artifacts';
import { githubAttestations } from '../../src/attestations/github-api';
import type { GithubApiOptions } from '../../src/attestations/github-api';
import { DiskAttestationCache, MemoryAttestationCache } from '../../src/attestations/github-api-cache';
import type { ImageGraph } from '../../src/model/image-graph';
import { RegistryClient } from '../../src/registry/client';
import { startGithubApiServer } from '../support/github-api-server';
import type { GithubApiServer } from '../support/github-api-server';
import { realFixture } from '../support/real-fixtures';

const ghLine = readFileSync(realFixture('sigstore-bundles', 'gh-cli', 'github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl'));
const reusable = readFileSync(realFixture('sigstore-bundles', 'gh-cli', 'reusable-workflow-attestation.sigstore.json'));
const message = readFileSync(realFixture('sigstore-bundles', 'conformance', 'happy-path-v0.3', 'bundle.sigstore.json'));
const WHEEL = 'sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b';
const OTHER_WHEEL = 'sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25';
const TOKEN = 'ghp_provenanceLensTestToken0123456789';
const jsonl = (...lines: Buffer[]): Buffer => Buffer.from(lines.map((l) => JSON.stringify(JSON.parse(l.toString('utf8')))).join('\n') + '\n');
const usage = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof LensError && e.code === 'USAGE' && re.test(e.message));

function graph(digest: string, platforms: string[] = []): ImageGraph {
  return {
    reference: 'ghcr.io/org/app:v1',
    source: 'registry',
    repository: 'org/app',
    digest,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 1,
    kind: 'index',
    platforms: platforms.map((d, i) => ({
      platform: `linux/p${i}`,
      os: 'linux',
      architecture: `p${i}`,
      digest: d,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 1,
    })),
    artifacts: [],
    others: [],
    problems: [],
  };
}

describe('bundle files', () => {
  test("gh attestation download's .jsonl of one bundle is one bundle, named by the file", () => {
    const b = bundlesFromFile(ghLine, 'sha256-ae57.jsonl');
    assert.deepEqual(
      b.map((x) => x.origin),
      ['sha256-ae57.jsonl'],
    );
    assert.equal(Buffer.from(b[0]!.bytes).toString(), ghLine.toString());
  });

  test('a .jsonl of several bundles: one per line, blank lines and CRLF tolerated, each named by its line', () => {
    const text = Buffer.from(`${JSON.stringify(JSON.parse(ghLine.toString()))}\r\n\n${JSON.stringify(JSON.parse(reusable.toString()))}\n`);
    const b = bundlesFromFile(text, 'two.jsonl');
    assert.deepEqual(
      b.map((x) => x.origin),
      ['two.jsonl:1', 'two.jsonl:3'],
    );
    assert.deepEqual(JSON.parse(Buffer.from(b[1]!.bytes).toString()), JSON.parse(reusable.toString()));
  });

  test('a line that is not JSON, or not a bundle, is a usage error naming the file and line', () => {
    usage(() => bundlesFromFile(Buffer.from(`${JSON.stringify(JSON.parse(ghLine.toString()))}\n{oops\n`), 'bad.jsonl'), /^bad\.jsonl:2 is not JSON/);
    usage(() => bundlesFromFile(Buffer.from('{"a":1}\n{"b":2}\n'), 'x.jsonl'), /^x\.jsonl:1 is not a Sigstore bundle/);
    usage(() => bundlesFromFile(Buffer.from('\n\n'), 'empty.jsonl'), /holds no bundle/);
  });
});

describe('what an outside bundle covers', () => {
  test('each bundle covers the image digest its own subject names, with its predicate type and origin', () => {
    const g = graph(`sha256:${'1'.repeat(64)}`, [WHEEL, OTHER_WHEEL]);
    const out = externalArtifacts(g, bundlesFromFile(jsonl(ghLine, reusable), 'two.jsonl'), 'bundle-file');
    assert.deepEqual(
      out.artifacts.map((a) => [a.coversDigest, a.format, a.kind, a.predicateType, a.origin]),
      [
        [WHEEL, 'bundle-file', 'attestation', 'https://slsa.dev/provenance/v1', 'two.jsonl:1'],
        [OTHER_WHEEL, 'bundle-file', 'attestation', 'https://slsa.dev/provenance/v1', 'two.jsonl:2'],
      ],
    );
    assert.equal(out.bundles.size, 2);
    assert.match(out.artifacts[0]!.digest, /^sha256:[0-9a-f]{64}$/);
  });

  test("a bundle about none of the image's digests stays, on the image's digest, where verification fails it", () => {
    const g = graph(`sha256:${'2'.repeat(64)}`);
    const [a] = externalArtifacts(g, bundlesFromFile(ghLine, 'wheel.jsonl'), 'bundle-file').artifacts;
    assert.equal(a?.coversDigest, g.digest);
  });

  test('a message signature covers the digest it signs', () => {
    const digest = `sha256:${Buffer.from((JSON.parse(message.toString()) as { messageSignature: { messageDigest: { digest: string } } }).messageSignature.messageDigest.digest, 'base64').toString('hex')}`;
    const [a] = externalArtifacts(graph(digest), bundlesFromFile(message, 'sig.json'), 'bundle-file').artifacts;
    assert.deepEqual([a?.coversDigest, a?.kind, a?.predicateType], [digest, 'signature', undefined]);
  });
});

describe("GitHub's attestations API, against a local server answering as it does", () => {
  let api: GithubApiServer;
  let client: RegistryClient;
  const bundleJson = (b: Buffer): unknown => JSON.parse(b.toString('utf8'));
  const path = (digest: string) => `/repos/actions/attest-demo/attestations/${digest}`;
  const options = (over: Partial<GithubApiOptions> = {}): GithubApiOptions => ({
    transport: client.http,
    token: TOKEN,
    baseUrl: api.url,
    owner: 'actions',
    repository: 'actions/attest-demo',
    ...over,
  });

  before(() => {
    client = new RegistryClient({ limits: { retries: 0 } });
  });
  after(() => client.close());
  beforeEach(async () => {
    api = await startGithubApiServer();
  });
  afterEach(() => api.close());

  test('follows the Link pages to every bundle, sending the token and API version to the API only', async () => {
    api.perPage = 2;
    api.attestations.set(path(WHEEL), [bundleJson(ghLine), bundleJson(reusable), bundleJson(ghLine), bundleJson(reusable), bundleJson(ghLine)]);
    const r = await githubAttestations(WHEEL, options());
    assert.equal(r.bundles.length, 5);
    assert.deepEqual(
      api.requests.map((q) => q.path),
      [`${path(WHEEL)}?per_page=100`, `${path(WHEEL)}?per_page=2&after=2`, `${path(WHEEL)}?per_page=2&after=4`],
    );
    for (const q of api.requests) {
      assert.equal(q.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(q.headers['x-github-api-version'], '2022-11-28');
      assert.equal(q.headers.accept, 'application/vnd.github+json');
    }
    assert.deepEqual(JSON.parse(Buffer.from(r.bundles[0]!.bytes).toString()), bundleJson(ghLine));
    assert.match(r.bundles[4]!.origin, /after=4 #1$/);
    assert.doesNotMatch(JSON.stringify(r), new RegExp(TOKEN));
  });

  test('the organisation listing when only an owner is known', async () => {
    api.attestations.set(`/orgs/actions/attestations/${WHEEL}`, [bundleJson(ghLine)]);
    const r = await githubAttestations(WHEEL, options({ repository: undefined }));
    assert.equal(r.bundles.length, 1);
    assert.equal(api.requests[0]?.path, `/orgs/actions/attestations/${WHEEL}?per_page=100`);
  });

  test('404: none for this digest, said, not an error', async () => {
    const r = await githubAttestations(WHEEL, options());
    assert.deepEqual(r.bundles, []);
    assert.deepEqual(r.notes, [`GitHub has no attestation for ${WHEEL} in repos/actions/attest-demo (404).`]);
  });

  test("401: UNAUTHORIZED with GitHub's message and what to do, never the token", async () => {
    api.fail = { status: 401, message: 'Bad credentials' };
    await assert.rejects(githubAttestations(WHEEL, options()), (e: unknown) => {
      assert.ok(e instanceof LensError);
      assert.equal(e.code, 'UNAUTHORIZED');
      assert.match(
        e.message,
        /^GitHub's API refused the token from GH_TOKEN \/ GITHUB_TOKEN \(401: "Bad credentials"\) at http:\/\/127\.0\.0\.1:\d+\/repos\/actions\/attest-demo\/attestations\/sha256:ae57[0-9a-f]+\?per_page=100; give a token that can read repos\/actions\/attest-demo's attestations\.$/,
      );
      assert.doesNotMatch(`${e.message} ${JSON.stringify(e.details)}`, new RegExp(TOKEN));
      return true;
    });
  });

  test('403 with the rate limit used up: RATE_LIMITED, saying when it resets', async () => {
    const reset = 1_900_000_000;
    api.fail = {
      status: 403,
      message: 'API rate limit exceeded for user ID 1.',
      headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), 'x-ratelimit-resource': 'core' },
    };
    await assert.rejects(
      githubAttestations(WHEEL, options()),
      (e: unknown) =>
        e instanceof LensError &&
        e.code === 'RATE_LIMITED' &&
        e.details.retryAt === new Date(reset * 1000).toISOString() &&
        /rate limit is used up \(403: "API rate limit exceeded for user ID 1\."\).*it resets at 2030-03-17T17:46:40\.000Z/.test(e.message),
    );
  });

  test('403 without the rate limit: DENIED, naming the permission', async () => {
    api.fail = { status: 403, message: 'Resource not accessible by personal access token' };
    await assert.rejects(
      githubAttestations(WHEEL, options()),
      (e: unknown) => e instanceof LensError && e.code === 'DENIED' && /attestations:read/.test(e.message),
    );
  });

  test('bounded: pages and bundles beyond the limits are left, and said', async () => {
    api.perPage = 1;
    api.attestations.set(path(WHEEL), [bundleJson(ghLine), bundleJson(ghLine), bundleJson(ghLine)]);
    const r = await githubAttestations(WHEEL, options({ limits: { pages: 2 } }));
    assert.equal(r.bundles.length, 2);
    assert.equal(api.requests.length, 2);
    assert.match(r.notes.join(' '), /more attestations for sha256:ae57[0-9a-f]+ than 2 pages of 100; the rest were not read/);
    const few = await githubAttestations(WHEEL, options({ limits: { bundles: 1 }, cache: new MemoryAttestationCache() }));
    assert.equal(few.bundles.length, 1);
    assert.match(few.notes.join(' '), /more than 1 attestations/);
  });

  test('cached by digest: asked once; on disk for the next run, without the token', async () => {
    api.attestations.set(path(WHEEL), [bundleJson(ghLine)]);
    const dir = await mkdtemp(join(tmpdir(), 'pl-gh-cache-'));
    try {
      const first = await githubAttestations(WHEEL, options({ cache: new DiskAttestationCache(dir) }));
      const again = await githubAttestations(WHEEL, options({ cache: new DiskAttestationCache(dir) }));
      assert.deepEqual([first.cached, again.cached, api.requests.length], [false, true, 1]);
      assert.deepEqual(Buffer.from(again.bundles[0]!.bytes), Buffer.from(first.bundles[0]!.bytes));
      const files = await readdir(dir);
      assert.equal(files.length, 1);
      assert.doesNotMatch(await readFile(join(dir, files[0]!), 'utf8'), new RegExp(TOKEN));
      // Expired entries are asked for again.
      const later = await githubAttestations(WHEEL, options({ cache: new DiskAttestationCache(dir, 60_000, () => Date.now() + 120_000) }));
      assert.deepEqual([later.cached, api.requests.length], [false, 2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an attestation with only a bundle_url is left out and said', async () => {
    api.attestations.set(path(WHEEL), [null]);
    const r = await githubAttestations(WHEEL, options());
    assert.deepEqual(r.bundles, []);
    assert.match(r.notes.join(' '), /carries no bundle inline, only a bundle_url/);
  });
});
