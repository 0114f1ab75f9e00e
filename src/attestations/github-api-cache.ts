import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExternalBundle } from './bundle-lines';

/**
 * What GitHub's attestations API gave for a digest, kept so that the digests of one run (and, on
 * disk, runs within `maxAgeMs`) are asked for once. Keyed by API base URL, owner or repository and
 * subject digest; the token is never part of what is kept. A listing can grow (a new attestation
 * for the same digest), so entries on disk expire; a bundle itself is checked in full every time.
 */
export interface AttestationCache {
  get(key: string): Promise<ExternalBundle[] | undefined>;
  set(key: string, bundles: readonly ExternalBundle[]): Promise<void>;
}

export class MemoryAttestationCache implements AttestationCache {
  private readonly entries = new Map<string, ExternalBundle[]>();

  get(key: string): Promise<ExternalBundle[] | undefined> {
    return Promise.resolve(this.entries.get(key));
  }

  set(key: string, bundles: readonly ExternalBundle[]): Promise<void> {
    this.entries.set(key, [...bundles]);
    return Promise.resolve();
  }
}

/** One hour: a release's attestations are written once, right after it is built. */
export const DEFAULT_ATTESTATION_CACHE_AGE_MS = 60 * 60 * 1000;

interface CacheFile {
  key: string;
  fetchedAt: string;
  bundles: Array<{ origin: string; bundle: string }>;
}

/** In memory, backed by one JSON file per key (written to a temporary file and renamed). */
export class DiskAttestationCache implements AttestationCache {
  private readonly memory = new MemoryAttestationCache();

  constructor(
    private readonly dir: string,
    private readonly maxAgeMs = DEFAULT_ATTESTATION_CACHE_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private path(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  async get(key: string): Promise<ExternalBundle[] | undefined> {
    const known = await this.memory.get(key);
    if (known !== undefined) return known;
    try {
      const file = JSON.parse(await readFile(this.path(key), 'utf8')) as Partial<CacheFile>;
      const at = Date.parse(file.fetchedAt ?? '');
      // Another key's file (a hash collision is not expected; a stray file is), or an old one: asked again.
      if (file.key !== key || !Number.isFinite(at) || this.now() - at > this.maxAgeMs || !Array.isArray(file.bundles)) return undefined;
      const bundles = file.bundles.map((b) => ({ origin: String(b.origin), bytes: Buffer.from(String(b.bundle), 'base64') }));
      await this.memory.set(key, bundles);
      return bundles;
    } catch {
      return undefined;
    }
  }

  async set(key: string, bundles: readonly ExternalBundle[]): Promise<void> {
    await this.memory.set(key, bundles);
    const file: CacheFile = {
      key,
      fetchedAt: new Date(this.now()).toISOString(),
      bundles: bundles.map((b) => ({ origin: b.origin, bundle: Buffer.from(b.bytes).toString('base64') })),
    };
    const path = this.path(key);
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, JSON.stringify(file));
      await rename(temp, path);
    } catch {
      // A cache that cannot be written costs a request next time, nothing more.
      await rm(temp, { force: true });
    }
  }
}
