import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { assertDigest, digestOf, parseDigest, digestTag } from '../../src/registry/digest';
import { MemoryCache } from '../../src/registry/cache';
import { Semaphore, sleep } from '../../src/core/abort';
import { backoffDelay, parseRetryAfter } from '../../src/registry/backoff';
import { nextLink } from '../../src/registry/link';
import { parseManifest } from '../../src/registry/manifest';
import { redactUrl } from '../../src/core/redact';
import { LensError } from '../../src/core/errors';

test('sha256 and sha512 digests are computed and checked; others refused', () => {
  const bytes = Buffer.from('hello');
  const s256 = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const s512 = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;
  assert.equal(digestOf(bytes), s256);
  assert.equal(digestOf(bytes, 'sha512'), s512);
  assertDigest(bytes, s512, 'blob');
  assert.throws(
    () => assertDigest(Buffer.from('hellO'), s512, 'blob'),
    (e: unknown) => e instanceof LensError && e.code === 'DIGEST_MISMATCH' && e.message.includes(s512),
  );
  assert.throws(
    () => parseDigest(`sha384:${'a'.repeat(96)}`),
    (e: unknown) => e instanceof LensError && e.code === 'DIGEST_UNSUPPORTED',
  );
  assert.throws(() => parseDigest(`sha256:${'A'.repeat(64)}`), /64 lowercase hex/);
  assert.equal(digestTag(s256), `sha256-${s256.slice(7)}`);
});

test('memory cache is an LRU bounded by bytes', async () => {
  const c = new MemoryCache(10);
  await c.put('a', new Uint8Array(4));
  await c.put('b', new Uint8Array(4));
  await c.get('a'); // a is now most recent
  await c.put('c', new Uint8Array(4)); // evicts b
  assert.ok(await c.get('a'));
  assert.equal(await c.get('b'), undefined);
  assert.ok(await c.get('c'));
  await c.put('huge', new Uint8Array(11));
  assert.equal(await c.get('huge'), undefined);
});

test('the semaphore never runs more than its limit at once', async () => {
  const s = new Semaphore(3);
  let active = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      s.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await sleep(i % 3);
        active--;
      }),
    ),
  );
  assert.equal(peak, 3);
});

test('a queued task can be moved to the front; one already running or at the front is left as it is', async () => {
  const s = new Semaphore(1);
  const order: string[] = [];
  const promotes = new Map<string, () => void>();
  let release!: () => void;
  const first = s.run(
    () =>
      new Promise<void>((r) => {
        order.push('a');
        release = r;
      }),
    () => assert.fail('a runs at once'),
  );
  const rest = ['b', 'c', 'd'].map((n) =>
    s.run(
      async () => {
        order.push(n);
      },
      (p) => promotes.set(n, p),
    ),
  );
  assert.deepEqual([...promotes.keys()], ['b', 'c', 'd']);
  promotes.get('d')!();
  promotes.get('d')!(); // twice: still once, at the front
  release();
  await Promise.all([first, ...rest]);
  assert.deepEqual(order, ['a', 'd', 'b', 'c']);
  promotes.get('b')!(); // after it ran: nothing happens
});

test('waiting tasks start by priority, lower first, and in arrival order within one; a promoted one still goes first', async () => {
  const s = new Semaphore(1);
  const order: string[] = [];
  let release!: () => void;
  const first = s.run(
    () =>
      new Promise<void>((r) => {
        release = r;
      }),
  );
  const promotes = new Map<string, () => void>();
  const queued = (
    [
      ['b', 2],
      ['c', 1],
      ['d', 2],
      ['e', 0],
      ['f', 1],
      ['g', 3],
    ] as const
  ).map(([n, p]) =>
    s.run(
      async () => {
        order.push(n);
      },
      (promote) => promotes.set(n, promote),
      p,
    ),
  );
  promotes.get('g')!();
  release();
  await Promise.all([first, ...queued]);
  assert.deepEqual(order, ['g', 'e', 'c', 'f', 'b', 'd']);
});

test('sleep is cancellable and leaves no timer', async () => {
  const c = new AbortController();
  const p = sleep(60_000, c.signal);
  c.abort();
  await assert.rejects(p, (e: unknown) => e instanceof LensError && e.code === 'ABORTED');
});

test('backoff grows with full jitter within its cap; Retry-After in seconds and as a date', () => {
  assert.equal(
    backoffDelay(0, 200, 5000, () => 1),
    200,
  );
  assert.equal(
    backoffDelay(3, 200, 5000, () => 1),
    1600,
  );
  assert.equal(
    backoffDelay(10, 200, 5000, () => 1),
    5000,
  );
  assert.equal(
    backoffDelay(3, 200, 5000, () => 0),
    50,
  );
  assert.equal(parseRetryAfter('7'), 7000);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

test('Link pagination stays inside the repository', () => {
  assert.equal(nextLink('</v2/app/tags/list?n=2&last=b>; rel="next"', 'app'), 'tags/list?n=2&last=b');
  assert.equal(nextLink('<https://other.example/v2/app/tags/list?last=b>; rel="next"', 'app'), 'tags/list?last=b');
  assert.equal(nextLink('</v2/other/tags/list?last=b>; rel="next"', 'app'), undefined);
  assert.equal(nextLink('</v2/app/tags/list?last=b>; rel="prev"', 'app'), undefined);
  assert.equal(nextLink(undefined, 'app'), undefined);
});

test('manifest parsing: lenient on unknown fields, strict on what it relies on', () => {
  const d = 'sha256:' + 'a'.repeat(64);
  const index = parseManifest(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: 'x/unknown', digest: d, size: 3, platform: { os: 'linux', architecture: 'amd64', 'os.version': '1' }, extra: true }],
      }),
    ),
    d,
    'application/vnd.oci.image.index.v1+json; charset=utf-8',
  );
  assert.ok(index.kind === 'index', index.kind);
  assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.equal(index.index.manifests[0]!.platform!['os.version'], '1');
  assert.throws(() => parseManifest(Buffer.from('{"schemaVersion":1,"fsLayers":[]}'), d, undefined), /schemaVersion 1/);
  assert.throws(() => parseManifest(Buffer.from('[1]'), d, undefined), /not a JSON object/);
  assert.throws(
    () => parseManifest(Buffer.from('{"schemaVersion":2,"manifests":[{"digest":"nope","size":1}]}'), d, undefined),
    /manifests\[0\] has no valid digest/,
  );
  assert.throws(() => parseManifest(Buffer.from('{"schemaVersion":2,"manifests":[{"digest":"' + d + '","size":-1}]}'), d, undefined), /no valid size/);
});

test('URLs are redacted of userinfo and token-like query values', () => {
  assert.equal(
    redactUrl('https://user:pw@reg.io/token?scope=x&access_token=abc&X-Amz-Signature=s', { registryOrigin: 'https://reg.io' }),
    'https://reg.io/token?scope=x&access_token=REDACTED&X-Amz-Signature=REDACTED',
  );
});
