// Refreshed trusted roots kept between runs, and the root a load starts from.
//
// Layout under the cache directory:
//   tuf/<host+path>/            TUF metadata and targets, owned by @sigstore/tuf (tuf-js)
//   tuf-seeds/<host+path>.json  the TUF root.json a first refresh starts from (ours, from the seeds)
//   trusted-root/<host+path>.json  the last trusted_root.json TUF accepted, with when
// The cached root is as trustworthy as the directory: the same bargain sigstore-js and
// cosign make with their TUF caches. It is checked against its recorded sha256 and parsed
// strictly; anything odd is ignored (and said), never half-used.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeError } from '../../core/errors';
import { userCacheDir } from '../../core/user-cache-dir';
import { parseTrustedRoot, wholeDays } from './trust-parse';
import { embeddedTrustRoot, hasEmbeddedSeed } from './trust-seeds';
import type { TrustRoot } from './trust-types';

/**
 * The per-user cache the CLI shares with the extension: `$XDG_CACHE_HOME/provenance-lens`
 * (default `~/.cache`), `~/Library/Caches/provenance-lens`, `%LOCALAPPDATA%\provenance-lens\Cache`.
 */
export function defaultTrustCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return userCacheDir(env, platform);
}

/** One directory name per repository, as @sigstore/tuf names its own (host + path). */
export function repositoryKey(tufRepository: string): string {
  const url = new URL(tufRepository);
  return encodeURIComponent(url.host + url.pathname.replace(/\/$/, ''));
}

export const tufMetadataDir = (cacheDir: string): string => join(cacheDir, 'tuf');
export const tufSeedPath = (cacheDir: string, tufRepository: string): string => join(cacheDir, 'tuf-seeds', `${repositoryKey(tufRepository)}.json`);
const cachedRootPath = (cacheDir: string, tufRepository: string): string => join(cacheDir, 'trusted-root', `${repositoryKey(tufRepository)}.json`);

interface CachedRootFile {
  tufRepository: string;
  refreshedAt: string;
  sha256: string;
  /** base64 of the bytes TUF verified, so the sha256 names exactly what was downloaded. */
  trustedRoot: string;
}

export type CachedRoot = { root: TrustRoot; problem?: undefined } | { root?: undefined; problem: string };

/** The cached refresh of `tufRepository`; undefined when there is none. */
export async function readCachedRoot(cacheDir: string, tufRepository: string, now: Date): Promise<CachedRoot | undefined> {
  const path = cachedRootPath(cacheDir, tufRepository);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `${path} cannot be read: ${describeError(e)}` };
  }
  try {
    const file = JSON.parse(text) as Partial<CachedRootFile>;
    if (file.tufRepository !== tufRepository) return { problem: `${path} is for ${String(file.tufRepository)}, not ${tufRepository}` };
    const refreshedAt = new Date(file.refreshedAt ?? Number.NaN);
    if (Number.isNaN(refreshedAt.getTime())) return { problem: `${path} has no valid refreshedAt` };
    const bytes = Buffer.from(file.trustedRoot ?? '', 'base64');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== file.sha256)
      return { problem: `${path} holds bytes with sha256 ${sha256.slice(0, 12)}, not the recorded ${String(file.sha256).slice(0, 12)}` };
    const source = { kind: 'tuf', tufRepository, refreshedAt: refreshedAt.toISOString(), refreshAgeDays: wholeDays(refreshedAt, now) } as const;
    return { root: parseTrustedRoot(bytes, source, now) };
  } catch (e) {
    return { problem: `${path} is unusable: ${describeError(e)}` };
  }
}

/** Replaces the cached refresh atomically (write + rename), so a reader never sees half a file. */
export async function writeCachedRoot(cacheDir: string, tufRepository: string, bytes: Buffer, refreshedAt: Date): Promise<void> {
  const file: CachedRootFile = {
    tufRepository,
    refreshedAt: refreshedAt.toISOString(),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    trustedRoot: bytes.toString('base64'),
  };
  await writeAtomically(cachedRootPath(cacheDir, tufRepository), `${JSON.stringify(file, null, 2)}\n`);
}

export async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

export interface StartingRoot {
  /** Undefined only for a repository with no embedded seed (not public-good, not GitHub's) and nothing cached. */
  root?: TrustRoot;
  notes: string[];
}

/**
 * The root a load uses unless a refresh brings a newer one: the cached refresh when it is
 * valid, else (public-good, GitHub's) the embedded root. An embedded root with a newer key than the
 * cached one means Provenance Lens was updated after that refresh: the embedded one wins.
 */
export async function startingRoot(cacheDir: string | undefined, tufRepository: string, now: Date): Promise<StartingRoot> {
  const cached = cacheDir === undefined ? undefined : await readCachedRoot(cacheDir, tufRepository, now);
  const notes = cached?.problem !== undefined ? [`The cached trusted root was ignored: ${cached.problem}.`] : [];
  if (!hasEmbeddedSeed(tufRepository)) return cached?.root ? { root: cached.root, notes } : { notes };
  const embedded = embeddedTrustRoot(now, tufRepository);
  if (!cached?.root) return { root: embedded, notes };
  const newest = (r: TrustRoot): number => (r.info.newestKeyStart ? Date.parse(r.info.newestKeyStart) : 0);
  if (newest(embedded) > newest(cached.root)) {
    const at = cached.root.info.source.kind === 'tuf' ? cached.root.info.source.refreshedAt.slice(0, 10) : '?';
    notes.push(
      `The cached refresh of ${at} is older than the embedded root (newest key ${cached.root.info.newestKeyStart?.slice(0, 10)} against ${embedded.info.newestKeyStart?.slice(0, 10)}), so the embedded root is used.`,
    );
    return { root: embedded, notes };
  }
  return { root: cached.root, notes };
}
