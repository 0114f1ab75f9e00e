import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { MockAgent } from 'undici';
import { RegistryClient } from '../../src/registry/client';
import { LensError } from '../../src/core/errors';
import { MANIFEST_ACCEPT, MediaType } from '../../src/registry/media-types';
import type { Exchange } from '../../src/registry/transport';
import type { CredentialProvider } from '../../src/registry/credentials-types';

// Fault cases a real registry cannot be made to produce on demand, through undici's MockAgent.
const REG = 'reg.test';
const ORIGIN = `https://${REG}`;
const sha = (b: string | Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: MediaType.ociManifest,
  config: { mediaType: MediaType.ociConfig, digest: sha('{}'), size: 2 },
  layers: [],
});
const DIGEST = sha(manifest);

function setup(limits: Record<string, number> = {}, credentials?: CredentialProvider) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const exchanges: Exchange[] = [];
  const client = new RegistryClient({
    dispatcher: agent,
    limits: { backoffBaseMs: 5, backoffMaxMs: 20, ...limits },
    onExchange: (e) => exchanges.push(e),
    credentials,
  });
  return { agent, client, exchanges, pool: agent.get(ORIGIN) };
}

const json = { 'content-type': MediaType.ociManifest };

test('sends the full Accept list and checks the digest of a manifest fetched by tag', async () => {
  const { client, pool } = setup();
  let accept: unknown;
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply((o) => {
    accept = (o.headers as Record<string, string>).accept;
    return { statusCode: 200, data: manifest, responseOptions: { headers: { ...json, 'docker-content-digest': DIGEST } } };
  });
  const m = await client.source(REG).getManifest('app', 'v1');
  assert.equal(accept, MANIFEST_ACCEPT);
  assert.equal(m.digest, DIGEST);
  assert.equal(m.kind, 'manifest');
  assert.equal(m.mediaType, MediaType.ociManifest);
});

test('a byte flipped in transit is refused, naming the digest', async () => {
  const { client, pool } = setup();
  const tampered = manifest.replace('"layers":[]', '"layers":[ ]');
  pool.intercept({ path: `/v2/app/manifests/${DIGEST}`, method: 'GET' }).reply(200, tampered, { headers: json });
  await assert.rejects(client.source(REG).getManifest('app', DIGEST), (e: unknown) => {
    assert.ok(e instanceof LensError);
    assert.equal(e.code, 'DIGEST_MISMATCH');
    assert.ok(e.message.includes(DIGEST), e.message);
    assert.ok(e.message.includes(sha(tampered)), e.message);
    return true;
  });
});

test('a Docker-Content-Digest that disagrees with the bytes is a lie, refused', async () => {
  const { client, pool } = setup();
  const claimed = sha('something else');
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(200, manifest, { headers: { ...json, 'docker-content-digest': claimed } });
  await assert.rejects(client.source(REG).getManifest('app', 'v1'), /says its digest is sha256:[0-9a-f]{64}, but the bytes it sent hash to/);
});

test('401 Bearer challenge: anonymous token fetched once per scope, then cached', async () => {
  const { client, pool, exchanges } = setup();
  const challenge = `Bearer realm="${ORIGIN}/token",service="reg.test",scope="repository:app:pull"`;
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(401, '', { headers: { 'www-authenticate': challenge } });
  let tokenQuery = '';
  pool.intercept({ path: (p) => p.startsWith('/token?'), method: 'GET' }).reply((o) => {
    tokenQuery = o.path;
    return { statusCode: 200, data: JSON.stringify({ token: 'tok-abcdef-123', expires_in: 300 }) };
  });
  const seen: string[] = [];
  pool
    .intercept({ path: '/v2/app/manifests/v1', method: 'GET' })
    .reply((o) => {
      seen.push(String((o.headers as Record<string, string>).authorization));
      return { statusCode: 200, data: manifest, responseOptions: { headers: json } };
    })
    .times(2);
  await client.source(REG).getManifest('app', 'v1');
  await client.source(REG).getManifest('app', 'v1');
  assert.deepEqual(seen, ['Bearer tok-abcdef-123', 'Bearer tok-abcdef-123']);
  const url = new URL(tokenQuery, ORIGIN);
  assert.equal(url.searchParams.get('service'), 'reg.test');
  assert.deepEqual(url.searchParams.getAll('scope'), ['repository:app:pull']);
  assert.equal(exchanges.filter((e) => e.url.includes('/token')).length, 1);
});

test('429 with Retry-After is honoured, then succeeds', async () => {
  const { client, pool, exchanges } = setup();
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(429, '', { headers: { 'retry-after': '1' } });
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(200, manifest, { headers: json });
  const started = Date.now();
  const m = await client.source(REG).getManifest('app', 'v1');
  const waited = Date.now() - started;
  assert.equal(m.digest, DIGEST);
  assert.ok(waited >= 950, `waited ${waited} ms`);
  assert.deepEqual(
    exchanges.map((e) => e.status),
    [429, 200],
  );
});

test('429 with a Retry-After beyond our patience stops at once and says when to retry', async () => {
  const { client, pool, exchanges } = setup({ maxRetryAfterMs: 10_000 });
  pool
    .intercept({ path: '/v2/app/manifests/v1', method: 'GET' })
    .reply(429, JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'pull rate limit' }] }), { headers: { 'retry-after': '3600' } });
  await assert.rejects(client.source(REG).getManifest('app', 'v1'), (e: unknown) => {
    assert.ok(e instanceof LensError);
    assert.equal(e.code, 'RATE_LIMITED');
    assert.match(e.message, /retry at \d{4}-\d\d-\d\dT/);
    assert.match(e.message, /TOOMANYREQUESTS: pull rate limit/);
    return true;
  });
  assert.equal(exchanges.length, 1);
});

test('a token service that rate limits (429) or fails (5xx) after the retries: RATE_LIMITED with the time to retry, REGISTRY_ERROR', async () => {
  const challenge = `Bearer realm="${ORIGIN}/token",service="reg.test",scope="repository:app:pull"`;
  for (const [status, headers, code, text] of [
    [
      429,
      { 'retry-after': '3600' },
      'RATE_LIMITED',
      /^reg\.test is rate limiting requests \(refused a token from its token service \(https:\/\/reg\.test\/token\)\); retry at \d{4}-\d\d-\d\dT/,
    ],
    [503, {}, 'REGISTRY_ERROR', /reg\.test failed with HTTP 503 while serving a token from its token service \(https:\/\/reg\.test\/token\).*after retries/],
  ] as const) {
    const { client, pool, exchanges } = setup({ maxRetryAfterMs: 10_000, retries: 1 });
    pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(401, '', { headers: { 'www-authenticate': challenge } });
    pool
      .intercept({ path: (p) => p.startsWith('/token?'), method: 'GET' })
      .reply(status, '', { headers })
      .times(2);
    await assert.rejects(client.source(REG).getManifest('app', 'v1'), (e: unknown) => {
      assert.ok(e instanceof LensError);
      assert.equal(e.code, code);
      assert.match(e.message, text);
      if (status === 429) assert.match(String(e.details?.retryAt), /^\d{4}-/);
      return true;
    });
    assert.equal(exchanges.filter((e) => e.url.includes('/token')).length, status === 429 ? 1 : 2, 'a long Retry-After stops at once; a 5xx is retried');
  }
});

test('500 then success is retried with backoff; 500 forever gives up after the retries', async () => {
  const { client, pool, exchanges } = setup({ retries: 2 });
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(500, 'boom');
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(200, manifest, { headers: json });
  assert.equal((await client.source(REG).getManifest('app', 'v1')).digest, DIGEST);
  pool.intercept({ path: '/v2/app/manifests/v2', method: 'GET' }).reply(503, 'down').times(3);
  await assert.rejects(
    client.source(REG).getManifest('app', 'v2'),
    (e: unknown) => e instanceof LensError && e.code === 'REGISTRY_ERROR' && /HTTP 503/.test(e.message),
  );
  assert.deepEqual(
    exchanges.map((e) => e.status),
    [500, 200, 503, 503, 503],
  );
});

test('a network error is retried', async () => {
  const { client, pool } = setup();
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(200, manifest, { headers: json });
  assert.equal((await client.source(REG).getManifest('app', 'v1')).digest, DIGEST);
});

test('a blob redirect to another host is followed without the Authorization header', async () => {
  const { client, agent, pool } = setup({}, { get: async () => ({ kind: 'basic' as const, username: 'u', password: 'secret-password' }) });
  const blob = Buffer.from('{"hello":"world"}');
  const digest = sha(blob);
  pool.intercept({ path: `/v2/app/blobs/${digest}`, method: 'GET' }).reply(401, '', { headers: { 'www-authenticate': 'Basic realm="reg"' } });
  const registryAuth: string[] = [];
  pool.intercept({ path: `/v2/app/blobs/${digest}`, method: 'GET' }).reply((o) => {
    registryAuth.push(String((o.headers as Record<string, string>).authorization));
    return { statusCode: 307, data: '', responseOptions: { headers: { location: `https://storage.test/b/${digest.slice(7)}?X-Amz-Signature=abc` } } };
  });
  let storageAuth: unknown = 'not called';
  agent
    .get('https://storage.test')
    .intercept({ path: (p) => p.startsWith('/b/'), method: 'GET' })
    .reply((o) => {
      storageAuth = (o.headers as Record<string, string>).authorization;
      return { statusCode: 200, data: blob };
    });
  const got = await client.source(REG).getBlob('app', digest);
  assert.equal(Buffer.from(got).toString(), '{"hello":"world"}');
  assert.match(registryAuth[0]!, /^Basic /);
  assert.equal(storageAuth, undefined);
});

test('a redirect from https to http is refused', async () => {
  const { client, pool } = setup();
  const digest = sha('x');
  pool.intercept({ path: `/v2/app/blobs/${digest}`, method: 'GET' }).reply(302, '', { headers: { location: 'http://storage.test/x' } });
  await assert.rejects(client.source(REG).getBlob('app', digest), (e: unknown) => e instanceof LensError && e.code === 'REDIRECT');
});

test('an oversize manifest is refused without reading it all', async () => {
  const { client, pool } = setup();
  const big = 'x'.repeat(5 * 1024 * 1024);
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(200, big, { headers: json });
  await assert.rejects(
    client.source(REG).getManifest('app', 'v1'),
    (e: unknown) => e instanceof LensError && e.code === 'TOO_LARGE' && /4194304 bytes/.test(e.message),
  );
});

test('tag listing follows Link pagination within the repository', async () => {
  const { client, pool } = setup();
  pool
    .intercept({ path: '/v2/app/tags/list?n=1000', method: 'GET' })
    .reply(200, JSON.stringify({ name: 'app', tags: ['v1', 'v2'] }), { headers: { link: '</v2/app/tags/list?n=1000&last=v2>; rel="next"' } });
  pool.intercept({ path: '/v2/app/tags/list?n=1000&last=v2', method: 'GET' }).reply(200, JSON.stringify({ name: 'app', tags: ['v3'] }));
  assert.deepEqual(await client.source(REG).listTags('app'), ['v1', 'v2', 'v3']);
});

test('tag listing that pages for ever: stops after 1000 pages, keeps what it read, says why (unfinished)', async () => {
  const { client, pool, exchanges } = setup();
  pool
    .intercept({ path: (p) => p.startsWith('/v2/app/tags/list'), method: 'GET' })
    .reply((o) => {
      const n = Number(new URL(o.path, ORIGIN).searchParams.get('last') ?? 0);
      return {
        statusCode: 200,
        data: JSON.stringify({ name: 'app', tags: [`t${n}`] }),
        responseOptions: { headers: { link: `</v2/app/tags/list?n=1000&last=${n + 1}>; rel="next"` } },
      };
    })
    .persist();
  const tags = await client.source(REG).listTags('app');
  assert.equal(tags.length, 1000);
  assert.deepEqual(tags.slice(0, 2), ['t0', 't1']);
  assert.equal(tags.unfinished, "the registry's tag listing went on past 1000 pages; the rest was not read");
  assert.equal(exchanges.length, 1000);
});

test('referrers API: used when present; undefined (tag schema) when the registry answers 404', async () => {
  const { client, pool } = setup();
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{ mediaType: MediaType.ociManifest, digest: sha('r'), size: 1, artifactType: MediaType.sigstoreBundleV03 }],
  });
  pool.intercept({ path: `/v2/app/referrers/${DIGEST}`, method: 'GET' }).reply(200, index, { headers: { 'content-type': MediaType.ociIndex } });
  const found = await client.source(REG).referrers('app', DIGEST);
  assert.equal(found?.[0]?.artifactType, MediaType.sigstoreBundleV03);

  const other = setup();
  other.pool.intercept({ path: `/v2/app/referrers/${DIGEST}`, method: 'GET' }).reply(404, '404 page not found');
  assert.equal(await other.client.source(REG).referrers('app', DIGEST), undefined);
  // Known unsupported: no second request.
  assert.equal(await other.client.source(REG).referrers('app', DIGEST), undefined);
});

test('referrers API that pages for ever, or in a circle: stops, and says why (unfinished)', async () => {
  const empty = JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] });
  const first = JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{ mediaType: MediaType.ociManifest, digest: sha('r'), size: 1, artifactType: MediaType.sigstoreBundleV03 }],
  });
  {
    const { client, pool, exchanges } = setup();
    pool
      .intercept({ path: (p) => p.startsWith(`/v2/app/referrers/${DIGEST}`), method: 'GET' })
      .reply((o) => {
        const n = Number(new URL(o.path, ORIGIN).searchParams.get('page') ?? 0);
        return {
          statusCode: 200,
          data: n === 0 ? first : empty,
          responseOptions: { headers: { 'content-type': MediaType.ociIndex, link: `</v2/app/referrers/${DIGEST}?page=${n + 1}>; rel="next"` } },
        };
      })
      .persist();
    const found = await client.source(REG).referrers('app', DIGEST);
    assert.equal(found?.length, 1, 'what was read is kept');
    assert.equal(found?.unfinished, "the registry's referrers listing went on past 100 pages; the rest was not read");
    assert.equal(exchanges.length, 100);
  }
  {
    const { client, pool, exchanges } = setup();
    pool
      .intercept({ path: (p) => p.startsWith(`/v2/app/referrers/${DIGEST}`), method: 'GET' })
      .reply(() => ({
        statusCode: 200,
        data: first,
        responseOptions: { headers: { 'content-type': MediaType.ociIndex, link: `</v2/app/referrers/${DIGEST}?page=1>; rel="next"` } },
      }))
      .persist();
    const found = await client.source(REG).referrers('app', DIGEST, { artifactType: MediaType.sigstoreBundleV03 });
    assert.equal(found?.length, 2);
    assert.equal(found?.unfinished, `the registry's referrers listing links back to a page already read (referrers/${DIGEST}?page=1); the rest was not read`);
    assert.equal(exchanges.length, 2);
  }
});

test('cancellation stops a request with ABORTED', async () => {
  const { client, pool } = setup();
  pool.intercept({ path: '/v2/app/manifests/v1', method: 'GET' }).reply(200, manifest, { headers: json }).delay(2000);
  const c = new AbortController();
  setTimeout(() => c.abort(), 50);
  await assert.rejects(client.source(REG).getManifest('app', 'v1', { signal: c.signal }), (e: unknown) => e instanceof LensError && e.code === 'ABORTED');
});

test('no secret reaches an error message', async () => {
  const { client, pool } = setup({}, { get: async () => ({ kind: 'basic' as const, username: 'robot', password: 'hunter2-very-secret' }) });
  pool
    .intercept({ path: '/v2/app/manifests/v1', method: 'GET' })
    .reply(401, '', { headers: { 'www-authenticate': `Bearer realm="${ORIGIN}/token?access_token=leaky-token-value",service="reg.test"` } });
  pool
    .intercept({ path: (p) => p.startsWith('/token'), method: 'GET' })
    .reply(500, 'oops')
    .times(4);
  await assert.rejects(client.source(REG).getManifest('app', 'v1'), (e: unknown) => {
    const text = `${(e as Error).message} ${JSON.stringify((e as LensError).details)}`;
    assert.ok(!text.includes('hunter2-very-secret'), text);
    assert.ok(!text.includes('leaky-token-value'), text);
    assert.ok(!text.includes(Buffer.from('robot:hunter2-very-secret').toString('base64')), text);
    return true;
  });
});
