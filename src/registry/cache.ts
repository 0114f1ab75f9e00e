import { readFile as readFileCallback, writeFile as writeFileCallback } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
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
  /** Writes wait until no put() has come for this long; default QUIET_MS. */
  readonly quietMs?: number;
}

/** What the CLI and the extension keep on disk by default. */
export const DEFAULT_DISK_CACHE_BYTES = 512 * 1024 * 1024;
/** Folders `00` … `ff`, by the first byte of the digest; each holds at most 1/256 of the limit. */
const SHARDS = 256;
/** A temporary file this old was left by a process that died while writing it. */
const STALE_TMP_MS = 10 * 60 * 1000;
/**
 * fs.readFile and fs.writeFile through their callbacks: the promise API's FileHandle costs the
 * event loop about twice as much per small file, and a release reads (mostly misses) and writes
 * hundreds while its requests wait on the loop.
 */
const writeFile = promisify(writeFileCallback);
const readFile = promisify(readFileCallback);
/** Misses remembered for the put() that follows them. */
const MAX_ABSENT = 4096;
/**
 * Entries are written once puts have paused this long: a release being read puts hundreds in a
 * few seconds, and each write costs the event loop its requests are waiting on. The memory cache
 * holds them meanwhile; flush() writes at once.
 */
const QUIET_MS = 200;
/** ... unless this much waits to be written: then it is written without waiting for a pause. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** Files written at a time once writing starts. */
const WRITERS = 4;

/**
 * A folder cache in front of a memory cache, shared by every process of the user: `<dir>/<first
 * byte of the hex>/<algorithm>-<hex>`, as git keeps its objects. Entries are written to a
 * temporary file and renamed, so a reader, in this process or another, sees a whole entry or
 * none; every read is hashed again and a file that does not match its name is deleted. Each shard
 * holds at most 1/256 of `maxBytes`, least recently used out first (a hit refreshes the file's
 * time); an entry larger than a shard's share is kept in memory only. Writing happens behind the
 * caller, once puts pause (QUIET_MS): `flush()` writes what waits and waits for it. A folder that
 * cannot be written only makes the cache a memory one.
 */
export class DiskCache implements ContentCache {
  private readonly memory: MemoryCache;
  private readonly shardBytes: number;
  private readonly pending = new Set<Promise<void>>();
  /** Per shard, the trim running and the one waiting to run after it (which covers every write meanwhile). */
  private readonly trims = new Map<string, { running?: Promise<void>; waiting?: { keep: string; done: Promise<void> } }>();
  /** Shards this instance has made or written into: no mkdir for each entry. */
  private readonly shards = new Set<string>();
  /** Digests a get() just found absent: their put() writes without asking the disk first. */
  private readonly absent = new Set<string>();
  /** Temporary names: unique per instance, without a random draw per entry. */
  private readonly tmpPrefix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private tmpCount = 0;
  private unwritable = false;
  /** Entries put and not yet being written, and their bytes. */
  private queue: Array<{ readonly shard: string; readonly file: string; readonly bytes: Uint8Array; readonly absent: boolean }> = [];
  private queuedBytes = 0;
  private quiet: NodeJS.Timeout | undefined;
  private readonly quietMs: number;

  constructor(
    private readonly dir: string,
    options: DiskCacheOptions = {},
  ) {
    this.memory = new MemoryCache(options.memoryBytes);
    this.shardBytes = Math.floor((options.maxBytes ?? DEFAULT_DISK_CACHE_BYTES) / SHARDS);
    this.quietMs = options.quietMs ?? QUIET_MS;
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
      // Bounded: digests asked for and never put (a failed fetch) must not pile up for a session.
      if (this.absent.size >= MAX_ABSENT) this.absent.clear();
      this.absent.add(digest);
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
    const absent = this.absent.delete(digest);
    if (this.unwritable || bytes.length > this.shardBytes) return;
    this.queue.push({ shard, file, bytes, absent });
    this.queuedBytes += bytes.length;
    if (this.queuedBytes >= MAX_QUEUED_BYTES) this.drain();
    else if (this.quiet) this.quiet.refresh();
    else this.quiet = setTimeout(() => this.drain(), this.quietMs).unref();
  }

  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.pending.size > 0) {
      this.drain();
      await Promise.all([...this.pending]);
    }
  }

  /** Writes what waits, WRITERS files at a time. */
  private drain(): void {
    clearTimeout(this.quiet);
    this.quiet = undefined;
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    const next = async (): Promise<void> => {
      for (let w = batch.shift(); w; w = batch.shift()) {
        if (!this.unwritable) await this.write(w.shard, w.file, w.bytes, w.absent).catch(() => undefined);
      }
    };
    for (let i = 0; i < Math.min(WRITERS, batch.length); i++) this.behind(next());
  }

  private behind(work: Promise<unknown>): void {
    const p: Promise<void> = work
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** `absent`: a get() found no file a moment ago, so there is nothing to mark as used. */
  private async write(shard: string, file: string, bytes: Uint8Array, absent: boolean): Promise<void> {
    // Already there (a tag's content read again): only mark it used. Its bytes are checked on read.
    const now = new Date();
    if (
      !absent &&
      (await utimes(file, now, now).then(
        () => true,
        () => false,
      ))
    )
      return;
    const tmp = `${file}.${this.tmpPrefix}-${this.tmpCount++}.tmp`;
    try {
      try {
        if (!this.shards.has(shard)) await mkdir(shard, { recursive: true, mode: 0o700 });
        await writeFile(tmp, bytes, { mode: 0o600 });
      } catch {
        // The shard went away since (another process emptied the cache): make it again, once.
        await mkdir(shard, { recursive: true, mode: 0o700 });
        await writeFile(tmp, bytes, { mode: 0o600 });
      }
      this.shards.add(shard);
      await rename(tmp, file);
    } catch {
      this.unwritable = true;
      await unlink(tmp).catch(() => undefined);
      return;
    }
    await this.trimAfter(shard, file);
  }

  /**
   * One trim at a time per shard in this process (other processes trim on their own). A trim
   * that has not started yet covers every entry written before it starts, so a burst of writes
   * into a shard shares one listing of it instead of one each; it spares the last one written.
   */
  private trimAfter(shard: string, file: string): Promise<void> {
    const state = this.trims.get(shard) ?? {};
    if (state.waiting) {
      state.waiting.keep = file;
      return state.waiting.done;
    }
    const waiting: { keep: string; done: Promise<void> } = { keep: file, done: Promise.resolve() };
    const done: Promise<void> = (state.running ?? Promise.resolve())
      .then(() => {
        // Started: writes from now on need a trim after this one.
        delete state.waiting;
        state.running = done;
        return this.trim(shard, waiting.keep);
      })
      .finally(() => {
        if (state.running === done && !state.waiting && this.trims.get(shard) === state) this.trims.delete(shard);
      });
    waiting.done = done;
    state.waiting = waiting;
    this.trims.set(shard, state);
    return done;
  }

  /** Deletes the least recently used entries of a shard until it fits its share, never `keep`. */
  private async trim(shard: string, keep: string): Promise<void> {
    const names = await readdir(shard).catch(() => [] as string[]);
    const now = Date.now();
    const entries: Array<{ file: string; size: number; time: number }> = [];
    await Promise.all(
      names.map(async (name) => {
        const file = join(shard, name);
        const st = await stat(file).catch(() => undefined);
        if (!st) return;
        if (name.endsWith('.tmp')) {
          if (now - st.mtimeMs > STALE_TMP_MS) await unlink(file).catch(() => undefined);
          return;
        }
        entries.push({ file, size: st.size, time: st.mtimeMs });
      }),
    );
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
