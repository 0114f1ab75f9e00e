// A hostile registry, the transport half: its redirects, token realms, bodies and
// headers that never end, and rate limits that never lift, each with the exact outcome (error
// code, message, the requests the proxy saw and how long it took). Already covered elsewhere and
// not repeated here (test/integration/faults.test.ts): a blob redirect to another host without
// Basic credentials, a token realm on another host, 429 with Retry-After 0 on every attempt, a
// Retry-After beyond maxRetryAfterMs (429 and 503), resets mid-body, oversize manifests.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Credential } from '../../src/registry/credentials-types';
import { startFaultProxy } from '../support/fault-proxy';
import type { FaultProxy } from '../support/fault-proxy';
import { pushReleaseFixture, TWO_PLATFORM_RELEASE } from '../support/fixtures';
import type { ReleaseFixture } from '../support/fixtures';
import { attack, endlessHeaders, hugeHeader, redirect, serveBytes, trickleBody } from '../support/hostile-answers';
import { runCli } from '../../src/cli/run';
import { startHostileRegistry, timed, walk } from '../support/hostile-registry';
import { rejectsWith } from '../support/rejects-with';
import type { HostileRegistry } from '../support/hostile-registry';

const TAG = TWO_PLATFORM_RELEASE.tag;

describe('hostile transport: an anonymous registry over HTTP', () => {
  let h: HostileRegistry;
  const repo = 'hostile/transport';
  const indexPath = `/v2/${repo}/manifests/${TAG}`;
  const ref = (): string => `${h.proxy.host}/${repo}:${TAG}`;
  before(async () => {
    h = await startHostileRegistry();
    await pushReleaseFixture(h.reg, repo, TWO_PLATFORM_RELEASE);
  });
  beforeEach(() => h.proxy.reset());
  after(() => h?.stop());

  test('a tag list that links back to its own first page: `tags` prints what it read, says the list is partial, exits 0', async () => {
    const tagsPath = `/v2/${repo}/tags/list`;
    const page = Buffer.from(JSON.stringify({ name: repo, tags: ['v1.0.0', 'v0.9.0', 'sha256-abc.sig'] }));
    h.proxy.inject({
      path: tagsPath,
      fault: attack('tag list linking to itself', serveBytes(page, { 'content-type': 'application/json', link: `<${tagsPath}?n=1000>; rel="next"` })),
    });
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { PATH: process.env.PATH, DOCKER_CONFIG: '/nonexistent' },
    };
    const code = await runCli(['tags', `${h.proxy.host}/${repo}`, '--json', '--insecure-registry', h.proxy.host], io);
    assert.equal(code, 0, stderr);
    const out = JSON.parse(stdout) as { tags: string[]; unfinished?: string };
    assert.deepEqual(out.tags, ['v1.0.0', 'v0.9.0']);
    assert.equal(out.unfinished, `the registry's tag listing links back to a page already read (tags/list?n=1000); the rest was not read`);
    assert.equal(stderr, `warning: ${h.proxy.host}/${repo}: ${out.unfinished}; the list is partial.\n`);
    assert.equal(h.proxy.requestsTo(tagsPath).length, 1, 'the page already read is not asked for again');
  });

  test('redirect loop (tag -> a -> b -> a): REDIRECT naming the loop after 3 requests, never retried', async () => {
    const a = `/v2/${repo}/manifests/loop-a`;
    const b = `/v2/${repo}/manifests/loop-b`;
    h.proxy.inject({ path: indexPath, fault: attack('redirect into a loop', redirect(a)) });
    h.proxy.inject({ path: a, fault: attack('loop a -> b', redirect(b)) });
    h.proxy.inject({ path: b, fault: attack('loop b -> a', redirect(a)) });
    const e = await rejectsWith(walk(h, h.client(), ref()), 'REDIRECT');
    assert.match(
      e.message,
      /^Too many redirects \(or a redirect loop\) fetching http:\/\/127\.0\.0\.1:\d+\/v2\/hostile\/transport\/manifests\/v1\.0\.0; last target .*\/loop-a\.$/,
    );
    assert.deepEqual(
      [indexPath, a, b].map((p) => h.proxy.statuses(p)),
      [[307], [307], [307]],
    );
  });

  test('endless redirect chain (/hop/0 -> /hop/1 -> ...): REDIRECT once maxRedirects (5) are followed: 6 requests', async () => {
    const hop = (n: number): string => `/v2/${repo}/manifests/hop-${n}`;
    h.proxy.inject({ path: indexPath, fault: attack('redirect to hop 0', redirect(hop(0))) });
    h.proxy.inject({
      path: /\/manifests\/hop-\d+$/,
      fault: attack('redirect to the next hop', (ctx) => redirect(hop(Number(/hop-(\d+)/.exec(ctx.req.url ?? '')![1]) + 1))(ctx)),
    });
    const e = await rejectsWith(walk(h, h.client(), ref()), 'REDIRECT');
    assert.match(e.message, /last target .*\/manifests\/hop-5\.$/);
    assert.deepEqual(
      h.proxy.requestsTo(/\/manifests\/(v1\.0\.0|hop-\d+)$/).map((r) => r.path.split('/').pop()),
      [TAG, 'hop-0', 'hop-1', 'hop-2', 'hop-3', 'hop-4'],
    );
  });

  test('slow-loris body (a byte every 20 ms, for ever, under a 300 ms bodyTimeout): TIMEOUT at requestTimeoutMs (500 ms) per attempt, 2 attempts, < 2.5 s', async () => {
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('slow-loris body', trickleBody(20)) });
    const { ms, error } = await timed(walk(h, h.client({ bodyTimeoutMs: 300, requestTimeoutMs: 500 }), ref()));
    const e = await rejectsWith(Promise.reject(error), 'TIMEOUT');
    assert.equal(
      e.message,
      `GET ${h.proxy.url}${indexPath} did not finish within 500 ms (headers and body together); the registry sent its answer too slowly, so it was abandoned.`,
    );
    assert.deepEqual([e.details.cause, e.details.limit], ['REQUEST_DEADLINE', 500]);
    const seen = h.proxy.requestsTo(indexPath);
    assert.deepEqual(
      seen.map((r) => [r.status, r.aborted]),
      [
        [200, true],
        [200, true],
      ],
      'retried once (retries: 1), each answer abandoned by the client',
    );
    // The deadline starts before the request reaches the proxy, so the proxy sees a little less.
    for (const r of seen) assert.ok(r.end - r.start >= 250 && r.end - r.start < 1_500, `attempt held ${Math.round(r.end - r.start)} ms`);
    assert.ok(
      seen.every((r) => r.bytesSent < 100),
      `trickled bytes: ${seen.map((r) => r.bytesSent).join(', ')}`,
    );
    assert.ok(ms >= 1_000 && ms < 2_500, `${Math.round(ms)} ms`);
  });

  test('endless header (a header line every 20 ms, never the blank line): TIMEOUT UND_ERR_HEADERS_TIMEOUT at headersTimeoutMs (300 ms), 2 attempts, < 3 s', async () => {
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('endless header', endlessHeaders(20)) });
    const { ms, error } = await timed(walk(h, h.client({ headersTimeoutMs: 300 }), ref()));
    const e = await rejectsWith(Promise.reject(error), 'TIMEOUT');
    assert.equal(e.message, `GET ${h.proxy.url}${indexPath} timed out (UND_ERR_HEADERS_TIMEOUT); the registry did not answer in time.`);
    const seen = h.proxy.requestsTo(indexPath);
    assert.deepEqual(
      seen.map((r) => [r.status, r.aborted]),
      [
        [0, true],
        [0, true],
      ],
      'no status ever completed; retried once',
    );
    // undici checks its timers every ~500 ms, so a 300 ms timeout fires within about a second.
    assert.ok(ms >= 600 && ms < 3_000, `${Math.round(ms)} ms`);
  });

  test('enormous header (1 MiB in one header line): NETWORK UND_ERR_HEADERS_OVERFLOW, refused at the 16 KiB header limit, not retried', async () => {
    h.proxy.inject({ path: indexPath, method: 'GET', fault: attack('enormous header', hugeHeader(1024 * 1024)) });
    const { ms, error } = await timed(walk(h, h.client(), ref()));
    const e = await rejectsWith(Promise.reject(error), 'NETWORK');
    assert.equal(
      e.message,
      `GET ${h.proxy.url}${indexPath}: the registry sent response headers larger than the HTTP client accepts (16384 bytes); the answer was refused unread.`,
    );
    assert.deepEqual([e.details.cause, e.details.limit], ['UND_ERR_HEADERS_OVERFLOW', 16384]);
    assert.equal(h.proxy.requestsTo(indexPath).length, 1);
    assert.ok(ms < 1_500, `${Math.round(ms)} ms`);
  });

  test('429 for ever without Retry-After: backs off with jitter (3 waits, each within [base/4, cap]), then RATE_LIMITED "retry later"', async () => {
    h.proxy.inject({ path: indexPath, fault: { kind: 'status', status: 429 } });
    const e = await rejectsWith(walk(h, h.client({ retries: 3, backoffBaseMs: 40, backoffMaxMs: 100 }), ref()), 'RATE_LIMITED');
    assert.match(
      e.message,
      new RegExp(
        `^${h.proxy.host.replace(/\./g, '\\.')} is rate limiting requests \\(refused [^)]+\\); retry later \\(registry said: TOOMANYREQUESTS: injected HTTP 429\\)\\. Signing in usually raises the limit\\.$`,
      ),
    );
    assert.equal(e.details.retryAt, undefined);
    const seen = h.proxy.requestsTo(indexPath);
    assert.deepEqual(
      seen.map((r) => r.status),
      [429, 429, 429, 429],
    );
    const waits = seen.slice(1).map((r, i) => r.start - seen[i]!.end);
    const caps = [40, 80, 100];
    waits.forEach((w, i) => assert.ok(w >= 10 - 2 && w < caps[i]! + 150, `wait ${i + 1}: ${Math.round(w)} ms, cap ${caps[i]} ms`));
  });

  test('429 with an HTTP-date Retry-After a day ahead: RATE_LIMITED at once with that retry time, one request', async () => {
    const at = new Date(Date.now() + 86_400_000);
    at.setMilliseconds(0);
    h.proxy.inject({ path: indexPath, fault: { kind: 'status', status: 429, retryAfter: at.toUTCString() } });
    const { ms, error } = await timed(walk(h, h.client({ retries: 3 }), ref()));
    const e = await rejectsWith(Promise.reject(error), 'RATE_LIMITED');
    assert.ok(Math.abs(Date.parse(String(e.details.retryAt)) - at.getTime()) < 2_000, `retry at ${String(e.details.retryAt)}, expected ${at.toISOString()}`);
    assert.ok(e.message.includes(`retry at ${String(e.details.retryAt)}`), e.message);
    assert.deepEqual(h.proxy.statuses(indexPath), [429]);
    assert.ok(ms < 1_000, `${Math.round(ms)} ms`);
  });
});

describe('hostile transport: a token-auth registry over HTTPS', () => {
  let h: HostileRegistry;
  let fx: ReleaseFixture;
  /** Plain HTTP on 127.0.0.2: where a hostile registry points redirects and realms. It must see nothing. */
  let plain: FaultProxy;
  const repo = 'hostile/tls';
  const credentials = (): { get(registry: string): Promise<Credential | undefined> } => ({
    get: async () => (h.reg.auth.mode === 'token' ? { kind: 'basic', username: h.reg.auth.username, password: h.reg.auth.password } : undefined),
  });
  before(async () => {
    h = await startHostileRegistry({ registry: { auth: 'token', tls: true }, tls: true });
    fx = await pushReleaseFixture(h.reg, repo, TWO_PLATFORM_RELEASE);
    plain = await startFaultProxy({ upstream: { url: 'http://127.0.0.1:9' }, listenHost: '127.0.0.2', otherHost: null });
  });
  beforeEach(() => {
    h.proxy.reset();
    plain.reset();
  });
  after(async () => {
    await plain?.close();
    await h?.stop();
  });

  test('token realm over http from an https registry: PROTOCOL, refused before any request reaches the realm', async () => {
    const realm = `${plain.url}/token`;
    // Every request of the walk is challenged the same way, so no request can fetch a token elsewhere first.
    h.proxy.inject({
      path: new RegExp(`^/v2/${repo}/`),
      fault: attack('401 naming an http realm', (ctx) => {
        ctx.res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="hostile",scope="repository:${repo}:pull"`, 'content-length': '0' });
        ctx.record.status = 401;
        ctx.res.end();
      }),
    });
    const e = await rejectsWith(walk(h, h.client({}, { credentials: credentials() }), `${h.proxy.host}/${repo}:${TAG}`), 'PROTOCOL');
    assert.equal(e.message, `${h.proxy.host} names a token service over http: (${realm}); refused, since credentials would travel unprotected.`);
    assert.deepEqual(plain.requests, [], 'the http realm never heard from the client');
    assert.deepEqual(
      h.proxy.requests.map((r) => [r.status, r.authorization]),
      h.proxy.requests.map(() => [401, false]),
      'each request challenged once, none retried with anything',
    );
    assert.deepEqual(h.proxy.requestsTo(`/v2/${repo}/manifests/${TAG}`).length, 1);
  });

  test('blob redirect from https to http (another host): REDIRECT problem for the platform; the Bearer token went to the registry only, nothing to the http host', async () => {
    const amd64 = fx.index.platforms[0]!;
    const blobPath = `/v2/${repo}/blobs/${amd64.configDigest}`;
    h.proxy.inject({ path: blobPath, method: 'GET', fault: attack('redirect to http', redirect(`${plain.url}/storage/${amd64.configDigest}`)) });
    const g = await walk(h, h.client({}, { credentials: credentials() }), `${h.proxy.host}/${repo}@${amd64.digest}`);
    assert.deepEqual(
      g.problems.map((p) => [p.at, p.code]),
      [[amd64.digest, 'REDIRECT']],
    );
    assert.equal(
      g.problems[0]!.message,
      `${h.proxy.url}${blobPath} redirected to a non-HTTPS location (${plain.url}/storage/${amd64.configDigest}); refused, since content and credentials would travel unprotected.`,
    );
    assert.deepEqual(
      h.proxy.requestsTo(blobPath).map((r) => [r.status, r.authScheme]),
      [[307, 'Bearer']],
    );
    assert.deepEqual(plain.requests, []);
  });

  test('blob redirect to another https host: followed without the Bearer token, content still digest-checked', async () => {
    const arm64 = fx.index.platforms[1]!;
    const blobPath = `/v2/${repo}/blobs/${arm64.configDigest}`;
    h.proxy.inject({ path: blobPath, method: 'GET', fault: { kind: 'redirect-other-host' } });
    const g = await walk(h, h.client({}, { credentials: credentials() }), `${h.proxy.host}/${repo}@${arm64.digest}`);
    assert.deepEqual(g.problems, []);
    assert.deepEqual(
      g.platforms.map((p) => p.platform),
      ['linux/arm64'],
    );
    assert.deepEqual(
      h.proxy.requestsTo(blobPath).map((r) => [r.status, r.authScheme]),
      [[307, 'Bearer']],
    );
    assert.deepEqual(
      h.proxy.requests.filter((r) => r.server === 'other').map((r) => [r.status, r.authorization]),
      [[200, false]],
    );
  });
});
