import { mkdir, readFile, readdir, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseDigest, digestOf } from './digest';

/**
 * Content-addressed cache. Keys are digests, so entries are immutable and never stale:
 * a tag is never cached, only what it pointed to. Every read is re-checked against its
 * digest, so a corrupted cache file is a miss, not a lie.
 */
export interface ContentCache {
  get(digest: string): Promise<Uint8Array | undefined>;
  put(digest: string, bytes: Uint8Array): Promise<void>;
  /** Resolves once what `put` started writing is written (a disk cache writes behind the caller). */
  flush?(): Promise<void>;
}

/** In-memory LRU bounded by total bytes. */
export class MemoryCache implements ContentCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  async get(digest: string): Promise<Uint8Array | undefined> {
    const v = this.entries.get(digest);
    if (v) {
      this.entries.delete(digest);
      this.entries.set(digest, v);
    }
    return v;
  }

  async put(digest: string, bytes: Uint8Array): Promise<void> {
    if (bytes.length > this.maxBytes || this.entries.has(digest)) return;
    this.entries.set(digest, bytes);
    this.bytes += bytes.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface DiskCacheOptions {
  /** Bytes on disk, at most; default DEFAULT_DISK_CACHE_BYTES. */
  readonly maxBytes?: number;
  /** Bytes of the memory cache in front of the disk; default MemoryCache's. */
  readonly memoryBytes?: number;
}

/** What the CLI and the extension keep on disk by default. */
export const DEFAULT_DISK_CACHE_BYTES = 512 * 1024 * 1024;
/** Folders `00` … `ff`, by the first byte of the digest; each holds at most 1/256 of the limit. */
const SHARDS = 256;
/** A temporary file this old was left by a process that died while writing it. */
const STALE_TMP_MS = 10 * 60 * 1000;

/**
 * A folder cache in front of a memory cache, shared by every process of the user: `<dir>/<first
 * byte of the hex>/<algorithm>-<hex>`, as git keeps its objects. Entries are written to a
 * temporary file and renamed, so a reader, in this process or another, sees a whole entry or
 * none; every read is hashed again and a file that does not match its name is deleted. Each shard
 * holds at most 1/256 of `maxBytes`, least recently used out first (a hit refreshes the file's
 * time); an entry larger than a shard's share is kept in memory only. Writing happens behind the
 * caller: `flush()` waits for it. A folder that cannot be written only makes the cache a memory one.
 */
export class DiskCache implements ContentCache {
  private readonly memory: MemoryCache;
  private readonly shardBytes: number;
  private readonly pending = new Set<Promise<void>>();
  private readonly trims = new Map<string, Promise<void>>();
  private unwritable = false;

  constructor(private readonly dir: string, options: DiskCacheOptions = {}) {
    this.memory = new MemoryCache(options.memoryBytes);
    this.shardBytes = Math.floor((options.maxBytes ?? DEFAULT_DISK_CACHE_BYTES) / SHARDS);
  }

  /** `digest` must be a digest: anything else (a tag) throws, and is never a file name. */
  private path(digest: string): { shard: string; file: string } {
    const { algorithm, hex } = parseDigest(digest);
    const shard = join(this.dir, hex.slice(0, 2));
    return { shard, file: join(shard, `${algorithm}-${hex}`) };
  }

  async get(digest: string): Promise<Uint8Array | undefined> {
    const { file } = this.path(digest);
    const hit = await this.memory.get(digest);
    if (hit) return hit;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch {
      return undefined;
    }
    if (digestOf(bytes, parseDigest(digest).algorithm) !== digest) {
      this.behind(unlink(file));
      return undefined;
    }
    const now = new Date();
    this.behind(utimes(file, now, now));
    await this.memory.put(digest, bytes);
    return bytes;
  }

  async put(digest: string, bytes: Uint8Array): Promise<void> {
    const { shard, file } = this.path(digest);
    await this.memory.put(digest, bytes);
    if (this.unwritable || bytes.length > this.shardBytes) return;
    this.behind(this.write(shard, file, bytes));
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private behind(work: Promise<unknown>): void {
    const p: Promise<void> = work.then(() => undefined, () => undefined).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async write(shard: string, file: string, bytes: Uint8Array): Promise<void> {
    // Already there (a tag's content read again): only mark it used. Its bytes are checked on read.
    const now = new Date();
    if (await utimes(file, now, now).then(() => true, () => false)) return;
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(shard, { recursive: true, mode: 0o700 });
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, file);
    } catch {
      this.unwritable = true;
      await unlink(tmp).catch(() => undefined);
      return;
    }
    // One trim at a time per shard in this process; other processes trim on their own.
    const previous = this.trims.get(shard) ?? Promise.resolve();
    const next = previous.then(() => this.trim(shard, file));
    this.trims.set(shard, next);
    await next;
    if (this.trims.get(shard) === next) this.trims.delete(shard);
  }

  /** Deletes the least recently used entries of a shard until it fits its share, never `keep`. */
  private async trim(shard: string, keep: string): Promise<void> {
    const names = await readdir(shard).catch(() => [] as string[]);
    const now = Date.now();
    const entries: Array<{ file: string; size: number; time: number }> = [];
    await Promise.all(names.map(async (name) => {
      const file = join(shard, name);
      const st = await stat(file).catch(() => undefined);
      if (!st) return;
      if (name.endsWith('.tmp')) {
        if (now - st.mtimeMs > STALE_TMP_MS) await unlink(file).catch(() => undefined);
        return;
      }
      entries.push({ file, size: st.size, time: st.mtimeMs });
    }));
    let total = entries.reduce((n, e) => n + e.size, 0);
    entries.sort((a, b) => a.time - b.time);
    for (const e of entries) {
      if (total <= this.shardBytes) break;
      if (e.file === keep) continue;
      await unlink(e.file).catch(() => undefined);
      total -= e.size;
    }
  }
}
