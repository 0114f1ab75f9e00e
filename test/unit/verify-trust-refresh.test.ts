// TUF refresh of the trusted root against a repository made, signed and served here on
// loopback (test/support/tuf): the served root is used and cached, a hanging or lying
// repository never blocks or fails a verification, and the reasons are reported.
import { after, before, beforeEach, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LensError } from '../../src/core/errors';
import { describeTrustRoot } from '../../src/verify/trust/trust-describe';
import { refreshTrustRoot } from '../../src/verify/trust/trust-refresh';
import { loadTrustRoot } from '../../src/verify/trust/trust-root';
import type { LoadTrustRootOptions } from '../../src/verify/trust/trust-root';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import { messageSignatureBundle } from '../support/sigstore/bundle';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import { createTestLog } from '../support/sigstore/log';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { trustedRootBytes } from '../support/sigstore/trusted-root';
import { createTufRepository } from '../support/tuf/repository';
import type { TestTufRepository } from '../support/tuf/repository';
import { startTufServer } from '../support/tuf/server';
import type { TestTufServer } from '../support/tuf/server';

const T0 = new Date('2025-07-01T00:00:00Z');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let sigstore: MiniSigstore;
/** The mini Sigstore's root (newest key 2024-01-01) and the same with a log shard added on 2025-06-01. */
let rootV1: Buffer;
let rootV2: Buffer;

before(async () => {
  sigstore = await createMiniSigstore();
  rootV1 = sigstore.trustedRootBytes;
  const shard = createTestLog({ name: 'log2025.rekor.provenance-lens.test', validFrom: new Date('2025-06-01T00:00:00Z') });
  rootV2 = trustedRootBytes({ certificateAuthorities: [sigstore.ca], tlogs: [sigstore.log, shard] });
});
after(() => sigstore.dispose());

let dir: string;
let repo: TestTufRepository;
let server: TestTufServer;
let options: LoadTrustRootOptions;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pl-tuf-'));
  repo = createTufRepository();
  repo.publish(rootV1);
  server = await startTufServer(repo);
  const tufRootPath = join(dir, 'root.json');
  await writeFile(tufRootPath, repo.rootJson);
  options = { offline: false, cacheDir: join(dir, 'cache'), mirrorURL: server.url, tufRootPath, now: T0 };
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function timed(p: Promise<TrustRoot>): Promise<{ root: TrustRoot; ms: number }> {
  const start = performance.now();
  const root = await p;
  return { root, ms: performance.now() - start };
}

describe('refreshing through TUF', () => {
  test('a first refresh: the served root is verified, used in this run, cached and reported with its age', async () => {
    const root = await loadTrustRoot(options);
    assert.equal(root.info.sha256, sha(rootV1));
    assert.deepEqual(root.info.source, { kind: 'tuf', tufRepository: server.url, refreshedAt: T0.toISOString(), refreshAgeDays: 0 });
    assert.equal(root.info.refreshed, true);
    assert.equal(root.info.instance, 'custom');
    assert.equal(root.info.newestKeyStart, '2024-01-01T00:00:00.000Z');
    assert.equal(root.info.ageDays, 547);
    assert.equal(root.info.refresh?.status, 'refreshed');
    assert.equal(root.info.refresh?.changed, true, 'nothing was cached before');
    // The TUF client workflow: look for root v2, then timestamp -> snapshot -> targets -> the target by hash.
    assert.deepEqual(server.requests, ['/2.root.json', '/timestamp.json', '/1.snapshot.json', '/1.targets.json', `/targets/${sha(rootV1)}.trusted_root.json`]);
    assert.deepEqual(await readdir(join(dir, 'cache', 'trusted-root')), [`${encodeURIComponent(new URL(server.url).host)}.json`]);
    assert.match(
      describeTrustRoot(root.info),
      /^custom trusted root from TUF repository http:\/\/127\.0\.0\.1:\d+, refreshed in this run, sha256 [0-9a-f]{12}, newest key from 2024-01-01 \(547 days old\); the refresh brought a new root$/,
    );
    const outcome = await root.refreshing;
    assert.equal(outcome?.ok, true);
  });

  test('a second run offline uses the cached refresh and opens no connection', async () => {
    await loadTrustRoot(options);
    const before = server.connections;
    const root = await loadTrustRoot({ ...options, offline: true, now: new Date('2025-07-04T12:00:00Z') });
    assert.equal(server.connections, before);
    assert.equal(root.info.sha256, sha(rootV1));
    assert.deepEqual(root.info.source, { kind: 'tuf', tufRepository: server.url, refreshedAt: T0.toISOString(), refreshAgeDays: 3 });
    assert.equal(root.info.refreshed, false);
    assert.equal(root.info.refresh, undefined);
    assert.equal(root.refreshing, undefined);
    assert.match(
      describeTrustRoot(root.info),
      /from TUF repository http:\/\/127\.0\.0\.1:\d+, cached refresh of 2025-07-01 \(3 days ago\), sha256 [0-9a-f]{12}, newest key from 2024-01-01 \(550 days old\)$/,
    );
  });

  test('a new root published: the next online run uses it at once; a run with nothing new downloads no target', async () => {
    await loadTrustRoot(options);
    repo.publish(rootV2);
    const updated = await loadTrustRoot({ ...options, now: new Date('2025-07-02T00:00:00Z') });
    assert.equal(updated.info.sha256, sha(rootV2));
    assert.equal(updated.info.refresh?.changed, true);
    assert.equal(updated.info.newestKeyStart, '2025-06-01T00:00:00.000Z');
    assert.equal(updated.info.ageDays, 31);
    assert.match(describeTrustRoot(updated.info), /; the refresh brought a new root$/);

    server.requests.length = 0;
    const again = await loadTrustRoot(options);
    assert.equal(again.info.sha256, sha(rootV2));
    assert.equal(again.info.refresh?.changed, false);
    assert.match(describeTrustRoot(again.info), /; the refresh found no change$/);
    assert.deepEqual(server.requests, ['/2.root.json', '/timestamp.json'], 'same timestamp version: cached snapshot, targets and target are reused');
  });

  test('a server that hangs: the verification completes within the bound with the previous root, and says why', async () => {
    await loadTrustRoot(options);
    repo.publish(rootV2);
    server.mode = 'hang';
    // The refresh's own requests give up after 1.5 s; the load must not wait for that.
    const { root, ms } = await timed(loadTrustRoot({ ...options, refreshWaitMs: 300, requestTimeoutMs: 1500 }));
    assert.ok(ms >= 290 && ms < 1000, `waited ${ms.toFixed(0)} ms for a 300 ms bound`);
    assert.equal(root.info.sha256, sha(rootV1));
    assert.deepEqual({ ...root.info.refresh, waitedMs: 0 }, { tufRepository: server.url, status: 'pending', reason: 'no answer within 0.3 s', waitedMs: 0 });

    const identity = await sigstore.githubIdentity({ repository: 'org/repo' });
    const bundle = messageSignatureBundle(identity, Buffer.from('hello'), { log: sigstore.log });
    const result = verifyBlob({
      bundle: bundle.bytes,
      artifact: { kind: 'bytes', bytes: Buffer.from('hello') },
      trustRoot: root,
      policy: { identity: { exact: 'https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0' }, issuer: { exact: GITHUB_ISSUER } },
    });
    assert.equal(result.state, 'verified', JSON.stringify(result.checks.filter((c) => c.status === 'fail')));
    const trustCheck = result.checks.find((c) => c.code === 'TRUST_ROOT');
    assert.equal(trustCheck?.status, 'info');
    assert.match(
      trustCheck?.message ?? '',
      /the TUF refresh from http:\/\/127\.0\.0\.1:\d+ gave no answer within 0\.3 s, so this root was used; the refresh goes on/,
    );

    // The refresh itself ends with its own request timeout, and the cache keeps the previous root.
    const outcome = await root.refreshing;
    assert.equal(outcome?.ok, false);
    assert.equal(outcome?.ok === false && outcome.code, 'TIMEOUT', outcome?.ok === false ? outcome.reason : '');
    assert.equal((await loadTrustRoot({ ...options, offline: true })).info.sha256, sha(rootV1));
  });

  test('a bad signature on timestamp.json: refused, the previous root kept, the reason reported', async () => {
    await loadTrustRoot(options);
    repo.publish(rootV2, { badTimestampSignature: true });
    const root = await loadTrustRoot(options);
    assert.equal(root.info.sha256, sha(rootV1));
    assert.equal(root.info.source.kind, 'tuf');
    assert.equal(root.info.refreshed, false);
    assert.equal(root.info.refresh?.status, 'failed');
    assert.equal(root.info.refresh?.code, 'PROTOCOL');
    assert.match(root.info.refresh?.reason ?? '', /timestamp was signed by 0\/1 keys/);
    assert.match(
      describeTrustRoot(root.info),
      /; the TUF refresh from http:\/\/127\.0\.0\.1:\d+ failed \(PROTOCOL: .*timestamp was signed by 0\/1 keys.*\), so this root was kept$/,
    );
    assert.ok(!server.requests.some((p) => p.includes(sha(rootV2))), 'the new target was never fetched');
    assert.equal((await loadTrustRoot({ ...options, offline: true })).info.sha256, sha(rootV1), 'the cache still holds the previous root');
  });

  test('cancelling the load (its AbortSignal) while it waits: ABORTED at once', async () => {
    await loadTrustRoot(options);
    server.mode = 'hang';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { ms } = await timed(
      loadTrustRoot({ ...options, requestTimeoutMs: 300, signal: controller.signal }).catch((e: unknown) => {
        assert.ok(e instanceof LensError && e.code === 'ABORTED', String(e));
        return {} as TrustRoot;
      }),
    );
    assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
    // The refresh it started is still in flight; joining it shows how it ended.
    await assert.rejects(
      refreshTrustRoot({ cacheDir: options.cacheDir!, mirrorURL: server.url }),
      (e: unknown) => e instanceof LensError && e.code === 'TIMEOUT',
    );
  });

  test('a repository that refuses connections: reported as NETWORK at once, the previous root kept', async () => {
    await loadTrustRoot(options);
    await server.close();
    const { root, ms } = await timed(loadTrustRoot(options));
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
    assert.equal(root.info.sha256, sha(rootV1));
    assert.equal(root.info.refresh?.code, 'NETWORK');
    assert.match(root.info.refresh?.reason ?? '', /ECONNREFUSED/);
  });

  test('a repository other than public-good with nothing cached: no root to fall back on is an error, online or offline', async () => {
    await server.close();
    const online = await loadTrustRoot(options).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(online instanceof LensError && online.code === 'NETWORK', String(online));
    assert.match(online.message, /nothing usable is cached and the TUF refresh failed: .*ECONNREFUSED/);
    const offline = await loadTrustRoot({ ...options, offline: true }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(offline instanceof LensError && offline.code === 'USAGE', String(offline));
  });
});

describe('refreshTrustRoot, the explicit refresh', () => {
  test('returns the verified root and whether it changed; simultaneous calls share one refresh', async () => {
    const cacheDir = options.cacheDir!;
    const [a, b] = await Promise.all([
      refreshTrustRoot({ cacheDir, mirrorURL: server.url, tufRootPath: options.tufRootPath!, now: T0 }),
      refreshTrustRoot({ cacheDir, mirrorURL: `${server.url}/`, tufRootPath: options.tufRootPath!, now: T0 }),
    ]);
    assert.equal(a, b);
    assert.equal(a.changed, true);
    assert.equal(a.root.info.refreshed, true);
    assert.equal(server.requests.filter((p) => p === '/timestamp.json').length, 1);
    const again = await refreshTrustRoot({ cacheDir, mirrorURL: server.url, now: T0 });
    assert.equal(again.changed, false, 'TUF metadata is cached: no root.json needed any more');
  });

  test('an abort stops the wait at once with ABORTED; the refresh under way ends by its own timeout, the next one works', async () => {
    server.mode = 'hang';
    const controller = new AbortController();
    const cacheDir = options.cacheDir!;
    const pending = refreshTrustRoot({ cacheDir, mirrorURL: server.url, tufRootPath: options.tufRootPath!, requestTimeoutMs: 400, signal: controller.signal });
    for (let i = 0; server.requests.length === 0 && i < 200; i++) await new Promise((r) => setTimeout(r, 5));
    assert.notEqual(server.requests.length, 0, 'the refresh reached the server');
    const start = performance.now();
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof LensError && e.code === 'ABORTED');
    assert.ok(performance.now() - start < 100);
    server.mode = 'serve';
    // A caller arriving while the hung refresh is still in flight shares its outcome.
    await assert.rejects(refreshTrustRoot({ cacheDir, mirrorURL: server.url }), (e: unknown) => e instanceof LensError && e.code === 'TIMEOUT');
    const root = await loadTrustRoot(options);
    assert.equal(root.info.sha256, sha(rootV1));
  });

  test('any repository other than public-good needs a TUF root to start from', async () => {
    await assert.rejects(
      refreshTrustRoot({ cacheDir: options.cacheDir!, mirrorURL: server.url }),
      (e: unknown) => e instanceof LensError && e.code === 'USAGE' && /needs the TUF root\.json/.test(e.message),
    );
    await assert.rejects(
      refreshTrustRoot({ cacheDir: options.cacheDir!, mirrorURL: 'file:///etc' }),
      (e: unknown) => e instanceof LensError && e.code === 'USAGE',
    );
    assert.equal(server.connections, 0);
  });
});
