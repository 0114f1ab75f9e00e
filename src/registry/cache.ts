import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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
  /** True when entries outlive the process (then re-validating tags with HEAD pays off). */
  readonly persistent: boolean;
}

/** In-memory LRU bounded by total bytes. */
export class MemoryCache implements ContentCache {
  readonly persistent = false;
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

/** A directory cache (`<dir>/sha256/<hex>`) in front of a memory cache. */
export class DiskCache implements ContentCache {
  readonly persistent = true;
  private readonly memory: MemoryCache;

  constructor(private readonly dir: string, memoryBytes?: number) {
    this.memory = new MemoryCache(memoryBytes);
  }

  private path(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.dir, algorithm, hex);
  }

  async get(digest: string): Promise<Uint8Array | undefined> {
    const hit = await this.memory.get(digest);
    if (hit) return hit;
    try {
      const bytes = new Uint8Array(await readFile(this.path(digest)));
      if (digestOf(bytes, parseDigest(digest).algorithm) !== digest) return undefined;
      await this.memory.put(digest, bytes);
      return bytes;
    } catch {
      return undefined;
    }
  }

  async put(digest: string, bytes: Uint8Array): Promise<void> {
    await this.memory.put(digest, bytes);
    const target = this.path(digest);
    try {
      await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
      // Write then rename, so a reader never sees a half-written entry.
      const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, target);
    } catch {
      // A cache that cannot write is only slower.
    }
  }
}
