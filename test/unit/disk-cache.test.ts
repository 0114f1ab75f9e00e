// The persistent content cache (src/registry/cache.ts DiskCache): keyed by digest only, bounded
// with least-recently-used eviction, written atomically, every read checked against its digest.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DiskCache } from '../../src/registry/cache';
import { digestOf } from '../../src/registry/digest';

const SHARDS = 256;
const fresh = (): string => mkdtempSync(join(tmpdir(), 'pl-disk-cache-'));

/** Random bytes of `size` whose sha256 starts with `prefix` (two hex digits: one shard). */
function entryIn(prefix: string, size: number): { digest: string; bytes: Buffer } {
  for (;;) {
    const bytes = randomBytes(size);
    const digest = digestOf(bytes);
    if (digest.startsWith(`sha256:${prefix}`)) return { digest, bytes };
  }
}
const fileOf = (dir: string, digest: string): string => join(dir, digest.slice(7, 9), `sha256-${digest.slice(7)}`);

/** Every file under `dir`, relative, with its size. */
function files(dir: string): Array<{ name: string; size: number }> {
  const out: Array<{ name: string; size: number }> = [];
  for (const shard of readdirSync(dir))
    for (const f of readdirSync(join(dir, shard))) out.push({ name: `${shard}/${f}`, size: statSync(join(dir, shard, f)).size });
  return out;
}

describe('DiskCache', () => {
  test('an entry outlives its instance: a new one reads it from disk, under its digest only', async () => {
    const dir = fresh();
    const bytes = Buffer.from('{"schemaVersion":2}');
    const d = digestOf(bytes);
    const writer = new DiskCache(dir);
    await writer.put(d, bytes);
    await writer.flush();
    assert.deepEqual(files(dir), [{ name: `${d.slice(7, 9)}/sha256-${d.slice(7)}`, size: bytes.length }]);
    assert.deepEqual(Buffer.from((await new DiskCache(dir).get(d))!), bytes);
  });

  test('a tag is never a key: put and get refuse anything but a digest, and nothing is written', async () => {
    const dir = fresh();
    const c = new DiskCache(dir);
    await assert.rejects(c.put('v1.0.0', Buffer.from('{}')), /digest/i);
    await assert.rejects(c.put('latest', Buffer.from('{}')), /digest/i);
    await assert.rejects(c.get('sha256-abc.sig'), /digest/i);
    await c.flush();
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a corrupted entry is refused and deleted, never used; the next put writes it again', async () => {
    const dir = fresh();
    const bytes = Buffer.from('{"a":1}');
    const d = digestOf(bytes);
    const c = new DiskCache(dir);
    await c.put(d, bytes);
    await c.flush();
    writeFileSync(fileOf(dir, d), '{"a":2}');
    const reader = new DiskCache(dir);
    assert.equal(await reader.get(d), undefined);
    await reader.flush();
    assert.equal(existsSync(fileOf(dir, d)), false, 'the corrupted file is deleted');
    await reader.put(d, bytes);
    await reader.flush();
    assert.deepEqual(readFileSync(fileOf(dir, d)), bytes);
  });

  test('a shard holds at most 1/256 of the limit, the least recently used entry goes first', async () => {
    const dir = fresh();
    const c = new DiskCache(dir, { maxBytes: SHARDS * 1000 });
    const [a, b, e] = [entryIn('ab', 400), entryIn('ab', 400), entryIn('ab', 400)];
    await c.put(a.digest, a.bytes);
    await c.flush();
    await delay(20);
    await c.put(b.digest, b.bytes);
    await c.flush();
    await delay(20);
    // Read a again from disk (a new instance has nothing in memory): now b is the least recently used.
    assert.ok(await new DiskCache(dir, { maxBytes: SHARDS * 1000 }).get(a.digest));
    await delay(20);
    await c.put(e.digest, e.bytes);
    await c.flush();
    assert.deepEqual(
      files(dir)
        .map((f) => f.name)
        .sort(),
      [a.digest, e.digest].map((d) => `ab/sha256-${d.slice(7)}`).sort(),
    );
    assert.ok(files(dir).reduce((n, f) => n + f.size, 0) <= 1000);
  });

  test('many writers later, the folder is within its limit, every shard within its share', async () => {
    const dir = fresh();
    const limit = SHARDS * 2000;
    const entries = Array.from({ length: 3000 }, () => {
      const bytes = randomBytes(300 + Math.floor(Math.random() * 600));
      return { digest: digestOf(bytes), bytes };
    });
    // One writer first: eviction removes what does not fit, and only that.
    const one = new DiskCache(dir, { maxBytes: limit });
    for (const x of entries.slice(0, 1500)) await one.put(x.digest, x.bytes);
    await one.flush();
    const single = files(dir).reduce((n, f) => n + f.size, 0);
    assert.ok(single <= limit && single > limit * 0.6, `${single} bytes on disk after one writer, limit ${limit}`);
    // Then four instances at once, as four processes would share the folder (racing trims may
    // delete more than needed, never leave more).
    const writers = Array.from({ length: 4 }, () => new DiskCache(dir, { maxBytes: limit }));
    await Promise.all(entries.slice(1500).map((x, i) => writers[i % 4]!.put(x.digest, x.bytes)));
    await Promise.all(writers.map((w) => w.flush()));
    const all = files(dir);
    const total = all.reduce((n, f) => n + f.size, 0);
    assert.ok(total <= limit, `${total} bytes on disk, limit ${limit}`);
    for (const shard of readdirSync(dir)) {
      const size = readdirSync(join(dir, shard)).reduce((n, f) => n + statSync(join(dir, shard, f)).size, 0);
      assert.ok(size <= limit / SHARDS, `shard ${shard} holds ${size} bytes`);
    }
    assert.equal(all.filter((f) => f.name.endsWith('.tmp')).length, 0, 'no temporary file left');
  });

  test('an entry already on disk is not written again, only marked as used', async () => {
    const dir = fresh();
    const x = entryIn('9a', 100);
    const first = new DiskCache(dir);
    await first.put(x.digest, x.bytes);
    await first.flush();
    const old = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(fileOf(dir, x.digest), old, old);
    const inode = statSync(fileOf(dir, x.digest)).ino;
    const again = new DiskCache(dir);
    await again.put(x.digest, x.bytes);
    await again.flush();
    const st = statSync(fileOf(dir, x.digest));
    assert.equal(st.ino, inode, 'the same file, not a new one renamed over it');
    assert.ok(Date.now() - st.mtimeMs < 60_000, 'its time says it was just used');
  });

  test("an entry larger than a shard's share stays in memory only", async () => {
    const dir = fresh();
    const big = entryIn('cd', 1500);
    const c = new DiskCache(dir, { maxBytes: SHARDS * 1000 });
    await c.put(big.digest, big.bytes);
    await c.flush();
    assert.deepEqual(Buffer.from((await c.get(big.digest))!), big.bytes);
    assert.deepEqual(readdirSync(dir), []);
  });

  test('written atomically: a reader of the file sees nothing or the whole entry, never part of it', async () => {
    const dir = fresh();
    const c = new DiskCache(dir, { maxBytes: SHARDS * 64 * 1024 * 1024 });
    const entries = Array.from({ length: 6 }, () => {
      const bytes = randomBytes(8 * 1024 * 1024);
      return { digest: digestOf(bytes), bytes };
    });
    const seen = { absent: 0, whole: 0, partial: 0 };
    let writing = true;
    const readers = entries.map(async ({ digest, bytes }) => {
      while (writing) {
        const got = await readFile(fileOf(dir, digest)).catch(() => undefined);
        if (!got) seen.absent++;
        else if (got.length === bytes.length && got.equals(bytes)) seen.whole++;
        else seen.partial++;
      }
    });
    for (const { digest, bytes } of entries) await c.put(digest, bytes);
    await c.flush();
    writing = false;
    await Promise.all(readers);
    assert.equal(seen.partial, 0, `${seen.partial} reads saw part of an entry`);
    assert.ok(seen.absent > 0 && seen.whole > 0, JSON.stringify(seen));
  });

  test('a temporary file left by a dead writer is deleted once stale, a fresh one is left alone', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'ef'));
    const stale = join(dir, 'ef', `sha256-ef${'0'.repeat(62)}.deadbeef0000.tmp`);
    const recent = join(dir, 'ef', `sha256-ef${'1'.repeat(62)}.deadbeef0001.tmp`);
    writeFileSync(stale, 'half');
    writeFileSync(recent, 'half');
    const old = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(stale, old, old);
    const c = new DiskCache(dir);
    const x = entryIn('ef', 50);
    await c.put(x.digest, x.bytes);
    await c.flush();
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(recent), true);
    assert.equal(await new DiskCache(dir).get(`sha256:ef${'0'.repeat(62)}`), undefined);
  });

  test('entries wait for a pause in puts before they are written (a release being read keeps its loop); flush writes them at once', async () => {
    const dir = fresh();
    const c = new DiskCache(dir, { quietMs: 60_000 });
    const [x, y] = [entryIn('12', 100), entryIn('34', 100)];
    await c.put(x.digest, x.bytes);
    await c.put(y.digest, y.bytes);
    await delay(150);
    assert.deepEqual(files(dir), [], 'nothing on disk while puts may still come');
    assert.deepEqual(Buffer.from((await c.get(x.digest))!), x.bytes, 'served from memory meanwhile');
    await c.flush();
    assert.deepEqual(
      files(dir)
        .map((f) => f.name)
        .sort(),
      [fileOf('', x.digest), fileOf('', y.digest)].sort(),
    );
    // After a pause of quietMs, without a flush.
    const quick = new DiskCache(dir, { quietMs: 20 });
    const z = entryIn('56', 100);
    await quick.put(z.digest, z.bytes);
    for (let i = 0; i < 100 && !existsSync(fileOf(dir, z.digest)); i++) await delay(50);
    assert.deepEqual(readFileSync(fileOf(dir, z.digest)), z.bytes);
  });

  test('more than 8 MB waiting is written without waiting for a pause: what waits stays bounded', async () => {
    const dir = fresh();
    const c = new DiskCache(dir, { quietMs: 60_000, maxBytes: SHARDS * 64 * 1024 * 1024 });
    const entries = Array.from({ length: 9 }, () => {
      const bytes = randomBytes(1024 * 1024);
      return { digest: digestOf(bytes), bytes };
    });
    for (const e of entries) await c.put(e.digest, e.bytes);
    for (let i = 0; i < 100 && files(dir).filter((f) => !f.name.endsWith('.tmp')).length < 8; i++) await delay(50);
    assert.ok(files(dir).filter((f) => !f.name.endsWith('.tmp')).length >= 8, `${files(dir).length} files written`);
    await c.flush();
  });

  test('a folder that cannot be written leaves a memory cache', async () => {
    // Below a file: no folder can be made there, not even by root.
    const file = join(fresh(), 'a-file');
    writeFileSync(file, '');
    const c = new DiskCache(join(file, 'cache'));
    const bytes = Buffer.from('{"b":2}');
    await c.put(digestOf(bytes), bytes);
    await c.flush();
    assert.deepEqual(Buffer.from((await c.get(digestOf(bytes)))!), bytes);
  });
});
