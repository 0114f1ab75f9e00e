// URLs printed in logs and errors: on the registry's own origin only values under secret-looking
// keys go; on any other origin (blob storage, a CDN, a token service) every query value goes.
// The pure rule first, then the registry client over undici's MockAgent (a CDN that answers
// 500 or a redirect loop is a fault a local registry cannot be made to produce), so every
// place a URL reaches a log line or an error is seen to use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { MockAgent } from 'undici';
import { redactUrl } from '../../src/core/redact';
import { LensError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import { RegistryClient } from '../../src/registry/client';
import type { Exchange } from '../../src/registry/transport';

const HUB = { registryOrigin: 'https://registry-1.docker.io' };
const HMAC = 'abcdefHMAC0123456789deadbeef';
const BLOB = `sha256:${'ab'.repeat(32)}`;
const CDN_PATH = `/registry-v2/docker/registry/v2/blobs/sha256/ab/${'ab'.repeat(32)}/data`;

test("Docker Hub's CDN blob URL: the verify token goes, the path stays", () => {
  const url = `https://production.cloudflare.docker.com${CDN_PATH}?verify=1700000000-${HMAC}`;
  assert.equal(redactUrl(url, HUB), `https://production.cloudflare.docker.com${CDN_PATH}?verify=REDACTED`);
  // verify is a secret key on the registry's own origin too.
  assert.equal(
    redactUrl(`https://registry-1.docker.io/v2/x/blobs/${BLOB}?verify=1700000000-${HMAC}`, HUB),
    `https://registry-1.docker.io/v2/x/blobs/${BLOB}?verify=REDACTED`,
  );
});

test('S3 and Azure pre-signed URLs: every value goes, keys stay', () => {
  const s3 =
    'https://bucket.s3.us-east-1.amazonaws.com/docker/registry/v2/blobs/data?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=1200&X-Amz-SignedHeaders=host&X-Amz-Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f0';
  assert.equal(
    redactUrl(s3, HUB),
    'https://bucket.s3.us-east-1.amazonaws.com/docker/registry/v2/blobs/data?X-Amz-Algorithm=REDACTED&X-Amz-Credential=REDACTED&X-Amz-Date=REDACTED&X-Amz-Expires=REDACTED&X-Amz-SignedHeaders=REDACTED&X-Amz-Signature=REDACTED',
  );
  const azure = 'https://acct.blob.core.windows.net/registry/blob?sv=2021-08-06&se=2030-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=Zm9vYmFyc2lnbmF0dXJl%3D';
  assert.equal(redactUrl(azure, HUB), 'https://acct.blob.core.windows.net/registry/blob?sv=REDACTED&se=REDACTED&sr=REDACTED&sp=REDACTED&sig=REDACTED');
});

test('an unknown key on another origin is redacted; the same key on the registry origin is kept', () => {
  assert.equal(redactUrl('https://cdn.example/blob?foo=secretvalue', HUB), 'https://cdn.example/blob?foo=REDACTED');
  assert.equal(redactUrl('https://registry-1.docker.io/v2/x/tags/list?foo=plain', HUB), 'https://registry-1.docker.io/v2/x/tags/list?foo=plain');
  // A bare segment may be the capability itself.
  assert.equal(redactUrl('https://cdn.example/blob?secretvalue', HUB), 'https://cdn.example/blob?REDACTED');
  // Another port, or another scheme, is another origin.
  assert.equal(redactUrl('https://registry-1.docker.io:8443/v2/?n=1', HUB), 'https://registry-1.docker.io:8443/v2/?n=REDACTED');
  assert.equal(redactUrl('http://registry-1.docker.io/v2/?n=1', HUB), 'http://registry-1.docker.io/v2/?n=REDACTED');
});

test("the registry's own pagination and digest stay readable, its secret-looking keys do not", () => {
  assert.equal(
    redactUrl('https://registry-1.docker.io/v2/library/nginx/tags/list?n=100&last=x', HUB),
    'https://registry-1.docker.io/v2/library/nginx/tags/list?n=100&last=x',
  );
  assert.equal(
    redactUrl(`https://registry-1.docker.io/v2/x/blobs/uploads/1?digest=${BLOB}&_state=s&token=t0ps3cret`, HUB),
    `https://registry-1.docker.io/v2/x/blobs/uploads/1?digest=${BLOB}&_state=s&token=REDACTED`,
  );
  // An escaped secret key is still a secret key.
  assert.equal(redactUrl('https://registry-1.docker.io/v2/?ver%69fy=1-x&n=1', HUB), 'https://registry-1.docker.io/v2/?ver%69fy=REDACTED&n=1');
});

test('without a scope the origin is unknown: every value goes; userinfo and fragments always', () => {
  assert.equal(redactUrl('https://user:pw@reg.io/v2/x/tags/list?n=100#frag'), 'https://reg.io/v2/x/tags/list?n=REDACTED');
  assert.equal(redactUrl('not a url'), '<invalid url>');
});

test('a token realm on another origin keeps the service and scope this client wrote, nothing else', () => {
  const shown = { ...HUB, keep: ['service', 'scope'] };
  assert.equal(
    redactUrl(
      'https://auth.docker.io/token?service=registry.docker.io&scope=repository:library/nginx:pull&scope=repository:x:pull&client_id=provenance-lens&access_token=abc',
      shown,
    ),
    'https://auth.docker.io/token?service=registry.docker.io&scope=repository:library/nginx:pull&scope=repository:x:pull&client_id=REDACTED&access_token=REDACTED',
  );
  // A kept key still loses a secret-looking name's value.
  assert.equal(redactUrl('https://auth.example/token?token=abc', { ...HUB, keep: ['token'] }), 'https://auth.example/token?token=REDACTED');
});

// The client end to end: a blob redirected to a CDN carrying the HMAC, and the log lines,
// the exchanges (what `-v` and the extension's log print) and the errors that follow.
const REG = 'registry.test';
const ORIGIN = `https://${REG}`;
const CDN = 'https://cdn.test';

function client() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const lines: string[] = [];
  const exchanges: Exchange[] = [];
  const log = (m: string): void => void lines.push(m);
  const logger: Logger = { trace: log, debug: log, info: log, warn: log, error: log };
  const c = new RegistryClient({ dispatcher: agent, logger, onExchange: (e) => exchanges.push(e), limits: { retries: 1, backoffBaseMs: 1, backoffMaxMs: 2 } });
  return { agent, client: c, lines, exchanges, registry: agent.get(ORIGIN), cdn: agent.get(CDN) };
}

const cdnUrl = (n: number) => `${CDN}${CDN_PATH}?verify=${1700000000 + n}-${HMAC}&foo=secretvalue`;

test('a blob redirected (307) to a CDN: the log names its path, never the HMAC', async () => {
  const c = client();
  const body = Buffer.from('{"hello":"world"}');
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  c.registry.intercept({ path: `/v2/team/app/blobs/${digest}`, method: 'GET' }).reply(307, '', { headers: { location: cdnUrl(0) } });
  c.cdn.intercept({ path: (p) => p.startsWith(CDN_PATH), method: 'GET' }).reply(200, body);
  // The registry's own pagination, on its origin, stays readable.
  c.registry
    .intercept({ path: '/v2/team/app/tags/list?n=1000', method: 'GET' })
    .reply(200, JSON.stringify({ name: 'team/app', tags: ['a'] }), { headers: { link: '</v2/team/app/tags/list?n=100&last=a>; rel="next"' } });
  c.registry.intercept({ path: '/v2/team/app/tags/list?n=100&last=a', method: 'GET' }).reply(200, JSON.stringify({ name: 'team/app', tags: ['b'] }));
  assert.deepEqual(Buffer.from(await c.client.source(REG).getBlob('team/app', digest)), body);
  assert.deepEqual([...(await c.client.source(REG).listTags('team/app'))], ['a', 'b']);
  const printed = [...c.lines, ...c.exchanges.map((e) => e.url)].join('\n');
  assert.ok(!printed.includes(HMAC) && !printed.includes('secretvalue') && !printed.includes('1700000000'), printed);
  assert.ok(
    c.exchanges.some((e) => e.url === `${CDN}${CDN_PATH}?verify=REDACTED&foo=REDACTED` && e.status === 200),
    printed,
  );
  assert.ok(
    c.exchanges.some((e) => e.url === `${ORIGIN}/v2/team/app/blobs/${digest}` && e.status === 307),
    printed,
  );
  assert.ok(
    c.exchanges.some((e) => e.url === `${ORIGIN}/v2/team/app/tags/list?n=100&last=a` && e.status === 200),
    printed,
  );
  await c.client.close();
});

test('a CDN that fails or loops: the errors name the URL redacted', async () => {
  const c = client();
  const digest = `sha256:${'cd'.repeat(32)}`;
  c.registry
    .intercept({ path: `/v2/team/app/blobs/${digest}`, method: 'GET' })
    .reply(307, '', { headers: { location: cdnUrl(1) } })
    .times(2);
  c.cdn
    .intercept({ path: (p) => p.startsWith(CDN_PATH), method: 'GET' })
    .reply(500, 'storage down')
    .times(2);
  const failed = await c.client
    .source(REG)
    .getBlob('team/app', digest)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(failed instanceof LensError, String(failed));
  assert.equal(failed.code, 'REGISTRY_ERROR');
  assert.equal(failed.details.url, `${CDN}${CDN_PATH}?verify=REDACTED&foo=REDACTED`);
  // A redirect loop between two CDN URLs: both named, neither with its token.
  const looping = `sha256:${'ef'.repeat(32)}`;
  c.registry.intercept({ path: `/v2/team/app/blobs/${looping}`, method: 'GET' }).reply(307, '', { headers: { location: cdnUrl(2) } });
  c.cdn.intercept({ path: (p) => p.startsWith(CDN_PATH), method: 'GET' }).reply(302, '', { headers: { location: cdnUrl(3) } });
  c.cdn.intercept({ path: (p) => p.startsWith(CDN_PATH), method: 'GET' }).reply(302, '', { headers: { location: cdnUrl(2) } });
  const loop = await c.client
    .source(REG)
    .getBlob('team/app', looping)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(loop instanceof LensError, String(loop));
  assert.equal(loop.code, 'REDIRECT');
  assert.match(loop.message, new RegExp(`last target ${CDN.replace(/\./g, '\\.')}${CDN_PATH}\\?verify=REDACTED&foo=REDACTED`));
  const printed = [
    failed.message,
    JSON.stringify(failed.details),
    loop.message,
    JSON.stringify(loop.details),
    ...c.lines,
    ...c.exchanges.map((e) => e.url),
  ].join('\n');
  assert.ok(!printed.includes(HMAC) && !printed.includes('secretvalue'), printed);
  assert.ok(printed.includes(CDN_PATH));
  await c.client.close();
});
