// Registry faults, each asserted end to end: the real RegistryClient and
// buildGraph (or the CLI's runCli) against a real registry (Debian's docker-registry) with a
// scriptable fault proxy in front. Assertions are on what the proxy recorded (status sequences,
// Authorization schemes, bytes sent), on error codes, and on the digests errors name.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client';
import type { Credential } from '../../src/registry/credentials-types';
import { buildGraph } from '../../src/registry/graph';
import type { ImageGraph } from '../../src/model/image-graph';
import type { RegistryLimits } from '../../src/registry/limits';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import { runCli } from '../../src/cli/run';
import { startFaultProxy } from '../support/fault-proxy';
import type { FaultProxy } from '../support/fault-proxy';
import { pushReleaseFixture, TWO_PLATFORM_RELEASE } from '../support/fixtures';
import type { ReleaseFixture } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { rejectsWith } from '../support/rejects-with';

const TAG = TWO_PLATFORM_RELEASE.tag;
// Small backoff so retry tests take milliseconds, not seconds.
const FAST: Partial<RegistryLimits> = { retries: 3, backoffBaseMs: 5, backoffMaxMs: 20 };

interface Setup {
  reg: TestRegistry;
  proxy: FaultProxy;
  fixture: ReleaseFixture;
}

async function setUp(repo: string, reg: TestRegistry, proxyOptions: { rewriteRealm?: string } = {}): Promise<Setup> {
  const fixture = await pushReleaseFixture(reg, repo, TWO_PLATFORM_RELEASE);
  const proxy = await startFaultProxy({ upstream: reg, ...proxyOptions });
  return { reg, proxy, fixture };
}

function basicFor(reg: TestRegistry, host: string): { get(registry: string): Promise<Credential | undefined> } {
  const auth = reg.auth;
  if (auth.mode === 'anonymous') throw new Error('registry has no credentials');
  return { get: async (registry) => (registry === host ? { kind: 'basic', username: auth.username, password: auth.password } : undefined) };
}

/** buildGraph through a fresh client (fresh cache, fresh pool) against the proxy. */
async function inspect(
  proxy: FaultProxy,
  ref: string,
  options: { limits?: Partial<RegistryLimits>; credentials?: ReturnType<typeof basicFor> } = {},
): Promise<ImageGraph> {
  const client = new RegistryClient({
    insecureRegistries: [proxy.host],
    limits: { ...FAST, ...options.limits },
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  try {
    const { source, target } = openReference(parseReference(ref), client);
    return await buildGraph(source, target);
  } finally {
    await client.close();
    // Answers the client abandoned (oversize, resets) finish on the proxy a moment later.
    await proxy.settled();
  }
}

const digestsOf = (g: ImageGraph): string[] => g.platforms.map((p) => p.digest);

describe('faults on an anonymous registry', () => {
  let s: Setup;
  const repo = 'acme/agent';
  const ref = (): string => `${s.proxy.host}/${repo}:${TAG}`;
  const indexPath = `/v2/${repo}/manifests/${TAG}`;
  before(async () => {
    s = await setUp(repo, await startRegistry());
  });
  beforeEach(() => s.proxy.reset());
  after(async () => {
    await s?.proxy.close();
    await s?.reg.stop();
  });

  test('500 twice on a platform manifest, then 200: retried with backoff, graph complete', async () => {
    const amd64 = s.fixture.index.platforms[0]!;
    const path = `/v2/${repo}/manifests/${amd64.digest}`;
    s.proxy.inject({ path, times: 2, fault: { kind: 'status', status: 500 } });
    const g = await inspect(s.proxy, ref());
    assert.deepEqual(s.proxy.statuses(path), [500, 500, 200]);
    assert.deepEqual(g.problems, []);
    assert.deepEqual(
      digestsOf(g),
      s.fixture.index.platforms.map((p) => p.digest),
    );
    assert.equal(typeof g.platforms[0]!.imageSize, 'number', 'the retried manifest was read');
  });

  test('500 on every attempt: gives up after `retries`, REGISTRY_ERROR for that platform only', async () => {
    const arm64 = s.fixture.index.platforms[1]!;
    const path = `/v2/${repo}/manifests/${arm64.digest}`;
    s.proxy.inject({ path, fault: { kind: 'status', status: 500 } });
    const g = await inspect(s.proxy, ref(), { limits: { retries: 2 } });
    assert.deepEqual(s.proxy.statuses(path), [500, 500, 500]);
    assert.deepEqual(
      g.problems.map((p) => [p.at, p.code]),
      [[arm64.digest, 'REGISTRY_ERROR']],
    );
    assert.match(g.problems[0]!.message, /HTTP 500/);
    assert.equal(g.platforms.length, 2, 'the index still lists both platforms');
  });

  test('429 with Retry-After: 1 on the index: waits a second, then succeeds', async () => {
    s.proxy.inject({ path: indexPath, times: 1, fault: { kind: 'status', status: 429, retryAfter: '1' } });
    const g = await inspect(s.proxy, ref());
    const [limited, retried] = s.proxy.requestsTo(indexPath);
    assert.deepEqual(s.proxy.statuses(indexPath), [429, 200]);
    const waited = retried!.start - limited!.end;
    assert.ok(waited >= 950 && waited < 3000, `waited ${Math.round(waited)} ms after Retry-After: 1`);
    assert.equal(g.digest, s.fixture.index.digest);
    assert.deepEqual(g.problems, []);
  });

  test('429 with a Retry-After beyond maxRetryAfterMs: gives up at once with RATE_LIMITED and the retry time', async () => {
    s.proxy.inject({ path: indexPath, fault: { kind: 'status', status: 429, retryAfter: '120' } });
    const started = Date.now();
    const e = await rejectsWith(inspect(s.proxy, ref(), { limits: { maxRetryAfterMs: 2_000 } }), 'RATE_LIMITED');
    assert.ok(Date.now() - started < 2_000, 'did not sleep on a Retry-After it will not honour');
    assert.deepEqual(s.proxy.statuses(indexPath), [429]);
    const retryAt = String(e.details.retryAt);
    const ahead = Date.parse(retryAt) - started;
    assert.ok(ahead > 115_000 && ahead < 125_000, `retry at ${retryAt} is ${ahead} ms ahead, expected ~120 s`);
    assert.ok(e.message.includes(`retry at ${retryAt}`), e.message);
    assert.equal(e.details.status, 429);
  });

  test('503 with a Retry-After beyond maxRetryAfterMs: gives up at once instead of sleeping', async () => {
    s.proxy.inject({ path: indexPath, fault: { kind: 'status', status: 503, retryAfter: '30' } });
    const client = new RegistryClient({ insecureRegistries: [s.proxy.host], limits: { ...FAST, maxRetryAfterMs: 500 } });
    const started = Date.now();
    try {
      const { source, target } = openReference(parseReference(ref()), client);
      // The signal only bounds the test should the client ever sleep again.
      await rejectsWith(buildGraph(source, target, { signal: AbortSignal.timeout(1_500) }), 'REGISTRY_ERROR');
    } finally {
      await client.close();
      await s.proxy.settled();
    }
    assert.ok(Date.now() - started < 1_000);
    assert.deepEqual(s.proxy.statuses(indexPath), [503]);
  });

  test('429 on every attempt (Retry-After: 0): RATE_LIMITED once `retries` are spent', async () => {
    s.proxy.inject({ path: indexPath, fault: { kind: 'status', status: 429, retryAfter: '0' } });
    const e = await rejectsWith(inspect(s.proxy, ref(), { limits: { retries: 2 } }), 'RATE_LIMITED');
    assert.deepEqual(s.proxy.statuses(indexPath), [429, 429, 429]);
    assert.match(e.message, /retry at \d{4}-\d\d-\d\dT/);
  });

  test('connection reset mid-body, twice, on the index: retried, then read whole', async () => {
    s.proxy.inject({ path: indexPath, method: 'GET', times: 2, fault: { kind: 'reset-mid-body' } });
    const g = await inspect(s.proxy, ref());
    const seen = s.proxy.requestsTo(indexPath);
    const size = s.fixture.index.bytes.length;
    assert.deepEqual(
      seen.map((r) => [r.status, r.fault ?? 'none', r.aborted]),
      [
        [200, 'reset-mid-body', true],
        [200, 'reset-mid-body', true],
        [200, 'none', false],
      ],
    );
    assert.ok(seen[0]!.bytesSent > 0 && seen[0]!.bytesSent < size, `the reset came mid-body (${seen[0]!.bytesSent} of ${size} bytes)`);
    assert.equal(seen[2]!.bytesSent, size);
    assert.equal(g.digest, s.fixture.index.digest);
    assert.deepEqual(
      digestsOf(g),
      s.fixture.index.platforms.map((p) => p.digest),
    );
    assert.deepEqual(g.problems, []);
  });

  test('one flipped byte in a platform manifest: DIGEST_MISMATCH naming the digest; the rest of the graph stands', async () => {
    const amd64 = s.fixture.index.platforms[0]!;
    const path = `/v2/${repo}/manifests/${amd64.digest}`;
    s.proxy.inject({ path, fault: { kind: 'flip-byte' } });
    const g = await inspect(s.proxy, ref());
    assert.deepEqual(s.proxy.statuses(path), [200], 'a digest mismatch is not retried');
    assert.deepEqual(
      g.problems.map((p) => [p.at, p.code]),
      [[amd64.digest, 'DIGEST_MISMATCH']],
    );
    assert.ok(g.problems[0]!.message.includes(amd64.digest), g.problems[0]!.message);
    assert.equal(g.platforms[0]!.imageSize, undefined, 'nothing from the corrupted manifest was used');
    assert.equal(typeof g.platforms[1]!.imageSize, 'number');
  });

  test('CLI: exits 0 with the JSON graph through the proxy, and 2 with a one-line cause naming the digest when a byte flips', async () => {
    const dockerConfig = await mkdtemp(join(tmpdir(), 'pl-faults-docker-'));
    const cli = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      // The bytes on the wire are the subject: no run answers from what an earlier one cached.
      const code = await runCli([...args, '--no-cache'], {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        env: { DOCKER_CONFIG: dockerConfig, PATH: process.env.PATH },
      });
      return { code, stdout, stderr };
    };
    try {
      const ok = await cli(['inspect', ref(), '--json', '--insecure-registry', s.proxy.host]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal((JSON.parse(ok.stdout) as ImageGraph).digest, s.fixture.index.digest);

      s.proxy.inject({ path: indexPath, method: 'GET', fault: { kind: 'flip-byte' } });
      const byTag = await cli(['inspect', ref(), '--json', '--insecure-registry', s.proxy.host]);
      assert.equal(byTag.code, 2);
      assert.equal(byTag.stdout, '');
      const tagLines = byTag.stderr.split('\n').filter(Boolean);
      assert.equal(tagLines.length, 1, byTag.stderr);
      assert.match(tagLines[0]!, /^provenance-lens inspect: .*\[DIGEST_MISMATCH\]$/);
      // By tag, the registry's Docker-Content-Digest is the digest the bytes should have had.
      assert.ok(tagLines[0]!.includes(s.fixture.index.digest), tagLines[0]);

      const digestPath = `/v2/${repo}/manifests/${s.fixture.index.digest}`;
      s.proxy.inject({ path: digestPath, method: 'GET', fault: { kind: 'flip-byte' } });
      const byDigest = await cli(['inspect', `${s.proxy.host}/${repo}@${s.fixture.index.digest}`, '--insecure-registry', s.proxy.host]);
      assert.equal(byDigest.code, 2);
      const digestLines = byDigest.stderr.split('\n').filter(Boolean);
      assert.equal(digestLines.length, 1, byDigest.stderr);
      assert.match(digestLines[0]!, /\[DIGEST_MISMATCH\]$/);
      assert.ok(digestLines[0]!.includes(`does not match its digest ${s.fixture.index.digest}`), digestLines[0]);
      assert.deepEqual(s.proxy.statuses(digestPath), [200]);
    } finally {
      await rm(dockerConfig, { recursive: true, force: true });
    }
  });

  test('oversize manifest, streamed without Content-Length: TOO_LARGE, the transfer aborted early', async () => {
    const bytes = 64 * 1024 * 1024;
    s.proxy.inject({ path: indexPath, method: 'GET', fault: { kind: 'oversize', bytes } });
    const e = await rejectsWith(inspect(s.proxy, ref()), 'TOO_LARGE');
    assert.equal(e.details.limit, 4 * 1024 * 1024, 'the default manifest limit');
    const [r] = s.proxy.requestsTo(indexPath);
    assert.deepEqual(s.proxy.statuses(indexPath), [200], 'not retried');
    assert.equal(r!.aborted, true);
    assert.ok(r!.bytesSent < bytes / 2, `the client hung up after ${r!.bytesSent} of ${bytes} bytes`);
  });

  test('oversize manifest with a declared Content-Length: refused before reading, TOO_LARGE', async () => {
    const bytes = 64 * 1024 * 1024;
    s.proxy.inject({ path: indexPath, method: 'GET', fault: { kind: 'oversize', bytes, declareLength: true } });
    const e = await rejectsWith(inspect(s.proxy, ref(), { limits: { manifestBytes: 64 * 1024 } }), 'TOO_LARGE');
    assert.equal(e.details.limit, 64 * 1024);
    assert.equal(e.details.seen, bytes);
    const [r] = s.proxy.requestsTo(indexPath);
    assert.equal(r!.aborted, true);
    assert.ok(r!.bytesSent < bytes / 2, `${r!.bytesSent} of ${bytes} bytes went out`);
  });
});

describe('blob redirect to another loopback host (htpasswd registry)', () => {
  let s: Setup;
  const repo = 'acme/private';
  before(async () => {
    s = await setUp(repo, await startRegistry({ auth: 'htpasswd' }));
  });
  beforeEach(() => s.proxy.reset());
  after(async () => {
    await s?.proxy.close();
    await s?.reg.stop();
  });

  test('the config blob is fetched from 127.0.0.2 without Authorization, and still verified', async () => {
    const amd64 = s.fixture.index.platforms[0]!;
    const blobPath = `/v2/${repo}/blobs/${amd64.configDigest}`;
    s.proxy.inject({ path: blobPath, method: 'GET', fault: { kind: 'redirect-other-host' } });
    // A single-platform root: its platform comes from the config blob.
    const g = await inspect(s.proxy, `${s.proxy.host}/${repo}@${amd64.digest}`, { credentials: basicFor(s.reg, s.proxy.host) });
    assert.deepEqual(g.problems, []);
    assert.deepEqual(
      g.platforms.map((p) => [p.platform, p.digest]),
      [['linux/amd64', amd64.digest]],
    );
    const [atRegistry] = s.proxy.requestsTo(blobPath);
    assert.deepEqual([atRegistry?.status, atRegistry?.authScheme], [307, 'Basic'], 'the registry itself got the credentials');
    const atOther = s.proxy.requests.filter((r) => r.server === 'other');
    assert.deepEqual(
      atOther.map((r) => [r.method, r.path.split('?')[0], r.status, r.authorization]),
      [['GET', `/storage/${encodeURIComponent(amd64.configDigest)}`, 200, false]],
    );
  });

  test('a byte flipped by the other host: DIGEST_MISMATCH naming the config blob digest', async () => {
    const arm64 = s.fixture.index.platforms[1]!;
    s.proxy.inject({ path: `/v2/${repo}/blobs/${arm64.configDigest}`, method: 'GET', fault: { kind: 'redirect-other-host' } });
    s.proxy.inject({ on: 'other', path: /^\/storage\//, fault: { kind: 'flip-byte' } });
    const g = await inspect(s.proxy, `${s.proxy.host}/${repo}@${arm64.digest}`, { credentials: basicFor(s.reg, s.proxy.host) });
    assert.deepEqual(
      g.problems.map((p) => [p.at, p.code]),
      [[arm64.digest, 'DIGEST_MISMATCH']],
    );
    assert.ok(g.problems[0]!.message.includes(arm64.configDigest), g.problems[0]!.message);
    assert.deepEqual(
      s.proxy.requests.filter((r) => r.server === 'other').map((r) => [r.status, r.authorization, r.fault]),
      [[200, false, 'flip-byte']],
    );
  });
});

describe('401 -> token flow (token registry, realm on 127.0.0.1)', () => {
  let s: Setup;
  const repo = 'acme/tokened';
  before(async () => {
    s = await setUp(repo, await startRegistry({ auth: 'token' }));
  });
  after(async () => {
    await s?.proxy.close();
    await s?.reg.stop();
  });

  test('401 with a Bearer challenge, one token request with Basic, then everything with the Bearer token', async () => {
    assert.equal(s.reg.auth.mode, 'token');
    if (s.reg.auth.mode !== 'token') return;
    const ts = s.reg.auth.tokenServer;
    ts.clearRequests();
    s.proxy.reset();
    const indexPath = `/v2/${repo}/manifests/${TAG}`;
    const g = await inspect(s.proxy, `${s.proxy.host}/${repo}:${TAG}`, { credentials: basicFor(s.reg, s.proxy.host) });
    assert.equal(g.digest, s.fixture.index.digest);
    assert.deepEqual(g.problems, []);
    assert.deepEqual(
      s.proxy.requestsTo(indexPath).map((r) => [r.status, r.authScheme ?? 'none']),
      [
        [401, 'none'],
        [200, 'Bearer'],
      ],
    );
    assert.deepEqual(
      ts.requests.map((r) => [r.method, r.path, r.hasAuthorization, r.status, r.scopes]),
      [['GET', '/token', true, 200, [`repository:${repo}:pull`]]],
      'one token for all concurrent requests',
    );
    // Only the first wave went out before the token: the index and the tag list (401), and the
    // referrers probe, which this registry answers 404 before any auth check (no referrers API).
    const anonymous = s.proxy.requests.filter((r) => !r.authorization);
    assert.deepEqual(anonymous.map((r) => [r.path.slice(`/v2/${repo}/`.length).split('/')[0], r.status]).sort(), [
      ['manifests', 401],
      ['referrers', 404],
      ['tags', 401],
    ]);
    // After it: every request carries the one Bearer token, none is refused.
    const later = s.proxy.requests.filter((r) => r.authorization);
    assert.ok(later.length >= 5, `${later.length} requests`);
    assert.deepEqual([...new Set(later.map((r) => r.authScheme))], ['Bearer']);
    assert.equal(new Set(later.map((r) => r.authFingerprint)).size, 1);
    assert.ok(
      later.every((r) => r.status !== 401),
      'no 401 for a request that had the token',
    );
  });
});

describe('token realm on another host (127.0.0.2)', () => {
  let s: Setup;
  let realm: FaultProxy;
  const repo = 'acme/elsewhere';
  before(async () => {
    const reg = await startRegistry({ auth: 'token', tokenServerHost: '127.0.0.2' });
    if (reg.auth.mode !== 'token') throw new Error('expected token mode');
    // A recording proxy on 127.0.0.2 in front of the token server, so the test sees exactly
    // which Authorization reaches the realm; the registry's challenges are pointed at it.
    realm = await startFaultProxy({ upstream: { url: `http://${reg.auth.tokenServer.host}` }, listenHost: '127.0.0.2', otherHost: null });
    s = await setUp(repo, reg, { rewriteRealm: `${realm.url}/token` });
  });
  after(async () => {
    await realm?.close();
    await s?.proxy.close();
    await s?.reg.stop();
  });

  test("works; the realm only ever sees the token request's own Basic credentials, the registry only the Bearer token", async () => {
    assert.equal(s.reg.auth.mode, 'token');
    if (s.reg.auth.mode !== 'token') return;
    assert.match(s.reg.auth.realm, /^http:\/\/127\.0\.0\.2:\d+\/token$/);
    s.reg.auth.tokenServer.clearRequests();
    s.proxy.reset();
    realm.reset();
    const g = await inspect(s.proxy, `${s.proxy.host}/${repo}:${TAG}`, { credentials: basicFor(s.reg, s.proxy.host) });
    assert.equal(g.digest, s.fixture.index.digest);
    assert.deepEqual(g.problems, []);
    assert.deepEqual(
      realm.requests.map((r) => [r.method, r.path.split('?')[0], r.status, r.authScheme]),
      [['GET', '/token', 200, 'Basic']],
    );
    assert.deepEqual(
      s.reg.auth.tokenServer.requests.map((r) => [r.hasAuthorization, r.status]),
      [[true, 200]],
    );
    const registrySchemes = new Set(s.proxy.requests.map((r) => r.authScheme ?? 'none'));
    assert.deepEqual([...registrySchemes].sort(), ['Bearer', 'none'], 'the password never goes to the registry');
    const atRegistry = new Set(s.proxy.requests.map((r) => r.authFingerprint).filter(Boolean));
    const atRealm = new Set(realm.requests.map((r) => r.authFingerprint).filter(Boolean));
    assert.deepEqual(
      [...atRealm].filter((f) => atRegistry.has(f)),
      [],
      "the registry's Authorization never reaches the realm",
    );
  });
});
