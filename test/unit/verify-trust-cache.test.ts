// The cached refreshed root, read with no network: which root an offline load picks
// (cache, embedded), what it says when it ignores a cache, and that offline loads open no
// connection and load no TUF client code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LensError } from '../../src/core/errors';
import { defaultTrustCacheDir, repositoryKey, writeCachedRoot } from '../../src/verify/trust/trust-cache';
import { describeTrustRoot } from '../../src/verify/trust/trust-describe';
import { loadTrustRoot } from '../../src/verify/trust/trust-root';
import { embeddedTrustRoot, embeddedTufRoot, PUBLIC_GOOD_TUF_URL } from '../../src/verify/trust/trust-seeds';
import { createTestLog } from '../support/sigstore/log';
import { trustedRootBytes } from '../support/sigstore/trusted-root';
import { realFixture } from '../support/real-fixtures';
import { createTufRepository } from '../support/tuf/repository';
import { startTufServer } from '../support/tuf/server';
import type { TestTufServer } from '../support/tuf/server';
import { refuseNetwork } from '../support/no-network';

const NOW = new Date('2025-10-03T12:00:00Z');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/** A root whose only key (a log) starts on `start`: older or newer than the embedded one's 2025-09-23. */
const rootStarting = (start: string): Buffer => trustedRootBytes({ certificateAuthorities: [], tlogs: [createTestLog({ validFrom: new Date(start) })] });
const publicGoodCache = (cacheDir: string): string => join(cacheDir, 'trusted-root', `${repositoryKey(PUBLIC_GOOD_TUF_URL)}.json`);

let dir: string;
let server: TestTufServer;
const attempts: string[] = [];
let openNetwork: () => void = () => undefined;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pl-trust-cache-'));
  server = await startTufServer(createTufRepository());
  // Every way out is recorded and refused: raw sockets (http, make-fetch-happen, undici) and DNS.
  openNetwork = refuseNetwork(attempts);
});
after(async () => {
  openNetwork();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('offline loads read the cache and never the network', () => {
  test('offline (explicit or by default) with a cached refresh: the cached root, no connection, no TUF code loaded', async () => {
    const cacheDir = join(dir, 'offline');
    const bytes = rootStarting('2025-10-01T00:00:00Z');
    await writeCachedRoot(cacheDir, server.url, bytes, new Date('2025-10-02T00:00:00Z'));
    await writeCachedRoot(cacheDir, PUBLIC_GOOD_TUF_URL, bytes, new Date('2025-10-02T00:00:00Z'));
    for (const offline of [true, undefined]) {
      const local = await loadTrustRoot({ offline, cacheDir, mirrorURL: server.url, now: NOW });
      assert.equal(local.info.sha256, sha(bytes));
      assert.deepEqual(local.info.source, { kind: 'tuf', tufRepository: server.url, refreshedAt: '2025-10-02T00:00:00.000Z', refreshAgeDays: 1 });
      const publicGood = await loadTrustRoot({ offline, cacheDir, now: NOW });
      assert.equal(publicGood.info.sha256, sha(bytes), 'a cached public-good refresh newer than the embedded root is used');
      assert.equal(publicGood.refreshing, undefined);
    }
    assert.deepEqual(attempts, []);
    assert.equal(server.connections, 0);
    const tufCode = Object.keys(require.cache).filter((p) => /[\\/]node_modules[\\/](?:@sigstore[\\/]tuf[\\/]dist|tuf-js|make-fetch-happen)[\\/]/.test(p));
    assert.deepEqual(tufCode, []);
  });

  test('offline with an empty cache directory: the embedded root, nothing written', async () => {
    const cacheDir = join(dir, 'empty');
    const root = await loadTrustRoot({ offline: true, cacheDir, now: NOW });
    assert.equal(root.info.sha256, embeddedTrustRoot().info.sha256);
    assert.equal(root.info.notes, undefined);
    assert.equal(existsSync(cacheDir), false);
    assert.deepEqual(attempts, []);
  });

  test('online needs a cache directory to keep what TUF verified', async () => {
    await assert.rejects(loadTrustRoot({ offline: false }), (e: unknown) => e instanceof LensError && e.code === 'USAGE' && /needs a cacheDir/.test(e.message));
    assert.deepEqual(attempts, []);
  });
});

describe('which cached root is trusted', () => {
  test('a cached public-good refresh older than the embedded root (Provenance Lens updated since) gives way to it, and says so', async () => {
    const cacheDir = join(dir, 'older');
    await writeCachedRoot(cacheDir, PUBLIC_GOOD_TUF_URL, rootStarting('2025-03-01T00:00:00Z'), new Date('2025-04-01T00:00:00Z'));
    const root = await loadTrustRoot({ cacheDir, now: NOW });
    assert.equal(root.info.source.kind, 'embedded');
    assert.deepEqual(root.info.notes, [
      'The cached refresh of 2025-04-01 is older than the embedded root (newest key 2025-03-01 against 2025-09-23), so the embedded root is used.',
    ]);
    assert.match(describeTrustRoot(root.info), /\(10 days old\)\. The cached refresh of 2025-04-01 is older than the embedded root/);
  });

  test('a cache file whose bytes do not match its recorded sha256 is ignored, with the reason', async () => {
    const cacheDir = join(dir, 'tampered');
    await writeCachedRoot(cacheDir, PUBLIC_GOOD_TUF_URL, rootStarting('2025-10-01T00:00:00Z'), NOW);
    const file = JSON.parse(readFileSync(publicGoodCache(cacheDir), 'utf8')) as { trustedRoot: string };
    file.trustedRoot = rootStarting('2025-10-01T00:00:00Z').toString('base64');
    await writeFile(publicGoodCache(cacheDir), JSON.stringify(file));
    const root = await loadTrustRoot({ cacheDir, now: NOW });
    assert.equal(root.info.source.kind, 'embedded');
    assert.match(
      root.info.notes?.[0] ?? '',
      /^The cached trusted root was ignored: .*tuf-repo-cdn\.sigstore\.dev\.json holds bytes with sha256 [0-9a-f]{12}, not the recorded [0-9a-f]{12}\.$/,
    );
  });

  test('a cache file that is not JSON, or is for another repository, is ignored', async () => {
    const cacheDir = join(dir, 'garbage');
    await writeCachedRoot(cacheDir, PUBLIC_GOOD_TUF_URL, rootStarting('2025-10-01T00:00:00Z'), NOW);
    await writeFile(publicGoodCache(cacheDir), '{"tufRepository":');
    assert.match((await loadTrustRoot({ cacheDir, now: NOW })).info.notes?.[0] ?? '', /is unusable: .*JSON/);
    const file = JSON.parse(readFileSync(join(dir, 'offline', 'trusted-root', `${repositoryKey(server.url)}.json`), 'utf8')) as Record<string, unknown>;
    await writeFile(publicGoodCache(cacheDir), JSON.stringify(file));
    assert.match(
      (await loadTrustRoot({ cacheDir, now: NOW })).info.notes?.[0] ?? '',
      /is for http:\/\/127\.0\.0\.1:\d+, not https:\/\/tuf-repo-cdn\.sigstore\.dev/,
    );
  });

  test('a cached root that is no Sigstore trusted root is rejected like any other', async () => {
    const cacheDir = join(dir, 'not-a-root');
    await writeCachedRoot(cacheDir, server.url, Buffer.from('{"mediaType":"application/vnd.example"}'), NOW);
    await assert.rejects(
      loadTrustRoot({ cacheDir, mirrorURL: server.url, now: NOW }),
      (e: unknown) =>
        e instanceof LensError &&
        e.code === 'USAGE' &&
        /nothing usable is cached .* The cached trusted root was ignored: .* is not a Sigstore trusted root/.test(e.message),
    );
  });
});

describe('where things live', () => {
  test("the default cache directory follows each platform's convention", () => {
    assert.equal(defaultTrustCacheDir({ HOME: '/home/u' }, 'linux'), '/home/u/.cache/provenance-lens');
    assert.equal(defaultTrustCacheDir({ HOME: '/home/u', XDG_CACHE_HOME: '/xdg' }, 'linux'), '/xdg/provenance-lens');
    assert.equal(defaultTrustCacheDir({ HOME: '/Users/u' }, 'darwin'), '/Users/u/Library/Caches/provenance-lens');
    assert.equal(
      defaultTrustCacheDir({ USERPROFILE: 'C:\\Users\\u', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32'),
      join('C:\\Users\\u\\AppData\\Local', 'provenance-lens', 'Cache'),
    );
  });

  test('a public-good refresh starts from the TUF root.json @sigstore/tuf ships (v14)', () => {
    const seedFixture = realFixture('trusted-root', 'npm-sigstore-tuf-4.0.2.seed.tuf-root.v14.json');
    const root = JSON.parse(embeddedTufRoot().toString('utf8')) as { signed: { _type: string; version: number } };
    assert.equal(root.signed._type, 'root');
    assert.equal(root.signed.version, 14);
    assert.deepEqual(root, JSON.parse(readFileSync(seedFixture, 'utf8')));
  });
});
