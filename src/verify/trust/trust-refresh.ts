// Refreshing a trusted root through TUF (https://theupdateframework.github.io/specification/latest/#detailed-client-workflow):
// `@sigstore/tuf`'s client (tuf-js) walks root.json rotations from the TUF root we start
// from, then timestamp -> snapshot -> targets, checks every signature, threshold, version
// and expiry, and downloads `trusted_root.json` only if its length and hashes match the
// signed targets metadata. What it accepts is cached (trust-cache.ts); what it refuses
// never replaces anything. Sigstore's TUF repository: https://github.com/sigstore/root-signing
//
// The TUF client is imported on first refresh only: offline loads never load network code.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { abortError } from '../../core/abort';
import { LensError, describeError } from '../../core/errors';
import { repositoryKey, startingRoot, tufMetadataDir, tufSeedPath, writeAtomically, writeCachedRoot } from './trust-cache';
import { parseTrustedRoot } from './trust-parse';
import { PUBLIC_GOOD_TUF_URL, embeddedTufRoot, hasEmbeddedSeed } from './trust-seeds';
import type { TrustRoot } from './trust-types';

export interface RefreshTrustRootOptions {
  /** Holds the TUF metadata and the refreshed root (see trust-cache.ts). */
  cacheDir: string;
  /** The TUF repository; default Sigstore's public-good one. */
  mirrorURL?: string;
  /**
   * The TUF root.json a first refresh starts from. Default for public-good and GitHub's: the
   * embedded one (trust-seeds.ts), so the chain of trust starts from what we ship. Any other
   * repository needs one for its first refresh (a private deployment publishes its root.json
   * out of band). Once the TUF cache holds a root.json it is the anchor and this is not read:
   * TUF's root rotation (spec 5.3) keeps the cached one current.
   */
  tufRootPath?: string;
  /** Per request: connecting, waiting for an answer, or a stalled download. Default 5 s. */
  requestTimeoutMs?: number;
  /**
   * Stops waiting (ABORTED). tuf-js cannot be cancelled: a request under way finishes or
   * times out, and a root it has verified by then is still cached for the next load.
   */
  signal?: AbortSignal;
  /** The clock for `refreshedAt` and ages (tests). */
  now?: Date;
}

export interface RefreshedTrustRoot {
  /** The root TUF accepted, `info.refreshed` true, already cached. */
  root: TrustRoot;
  /** Whether it differs from the root a load would have used without this refresh. */
  changed: boolean;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const TRUSTED_ROOT_TARGET = 'trusted_root.json';

// One refresh per cache directory and repository at a time in this process: many
// verifications starting together share it rather than racing on the same files.
const inFlight = new Map<string, Promise<RefreshedTrustRoot>>();

/** Refreshes now (no cached-freshness shortcut): for `trust refresh` and the VS Code command. */
export function refreshTrustRoot(options: RefreshTrustRootOptions): Promise<RefreshedTrustRoot> {
  let url: string;
  try {
    url = normaliseRepositoryUrl(options.mirrorURL ?? PUBLIC_GOOD_TUF_URL);
  } catch (e) {
    return Promise.reject(e);
  }
  const key = `${resolve(options.cacheDir)}\n${url}`;
  let work = inFlight.get(key);
  if (work === undefined) {
    work = runRefresh(url, options).finally(() => inFlight.delete(key));
    // Callers may stop listening (abort, bounded wait); the outcome is still handled.
    work.catch(() => undefined);
    inFlight.set(key, work);
  }
  return untilAborted(work, options.signal);
}

export function normaliseRepositoryUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LensError('USAGE', `A TUF repository is an http(s) URL, not ${JSON.stringify(url)}.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new LensError('USAGE', `A TUF repository is an http(s) URL, not ${url}.`);
  return url.replace(/\/+$/, '');
}

async function runRefresh(url: string, options: RefreshTrustRootOptions): Promise<RefreshedTrustRoot> {
  try {
    return await refreshOnce(url, options);
  } catch (e) {
    throw refreshError(url, e);
  }
}

async function refreshOnce(url: string, options: RefreshTrustRootOptions): Promise<RefreshedTrustRoot> {
  const now = options.now ?? new Date();
  const before = await startingRoot(options.cacheDir, url, now);
  const rootPath = options.tufRootPath ?? (await seedRootPath(options.cacheDir, url));
  const { initTUF } = await import('@sigstore/tuf');
  // retry 0: a failed refresh is reported and retried on the next load, not here while a
  // verification waits. timeout: make-fetch-happen applies it from the request to the
  // response headers and to any idle socket (a stalled body). forceCache false: always ask
  // the repository for a new timestamp (spec 5.4), so a freeze attack shows as expiry.
  const tuf = await initTUF({
    mirrorURL: url,
    ...(rootPath !== undefined ? { rootPath } : {}),
    cachePath: tufMetadataDir(options.cacheDir),
    retry: 0,
    timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    forceCache: false,
  });
  const text = await tuf.getTarget(TRUSTED_ROOT_TARGET);
  const bytes = Buffer.from(text, 'utf8');
  const parsed = parseTrustedRoot(bytes, { kind: 'tuf', tufRepository: url, refreshedAt: now.toISOString(), refreshAgeDays: 0 }, now);
  await writeCachedRoot(options.cacheDir, url, bytes, now);
  return { root: { info: { ...parsed.info, refreshed: true }, root: parsed.root }, changed: before.root?.info.sha256 !== parsed.info.sha256 };
}

/** The TUF root.json a first refresh starts from; undefined when the TUF cache already has one. */
async function seedRootPath(cacheDir: string, url: string): Promise<string | undefined> {
  if (!hasEmbeddedSeed(url)) {
    if (existsSync(join(tufMetadataDir(cacheDir), repositoryKey(url), 'root.json'))) return undefined;
    throw new LensError(
      'USAGE',
      `Refreshing from ${url} needs the TUF root.json to start from (tufRootPath): only the public-good and GitHub repositories' are embedded.`,
      { tufRepository: url },
    );
  }
  // @sigstore/tuf copies it into its cache only when the cache has no root.json yet;
  // after that, TUF's own root rotation keeps the cached one current.
  const path = tufSeedPath(cacheDir, url);
  await writeAtomically(path, embeddedTufRoot(url));
  return path;
}

export type RefreshFailureCode = 'TIMEOUT' | 'NETWORK' | 'PROTOCOL' | 'USAGE';

const FILESYSTEM = /^(?:EACCES|EPERM|EROFS|ENOSPC|EISDIR|ENOTDIR|EEXIST|EMFILE)$/;
const NETWORK = /^(?:ECONN\w*|ENOTFOUND|EAI_\w+|EHOSTUNREACH|ENETUNREACH|EPIPE|ERR_TLS\w*|CERT_\w+|UNABLE_TO_\w+|SELF_SIGNED\w*|DEPTH_ZERO\w*)$/;

/**
 * TIMEOUT (no answer in time), NETWORK (unreachable, TLS, HTTP error), USAGE (the cache
 * directory cannot be written) or PROTOCOL (TUF refused what it got: signatures, versions,
 * expiry, hashes), with every message of the cause chain: tuf-js wraps some failures in
 * plain strings, so the messages are read too.
 */
function refreshError(url: string, e: unknown): LensError {
  if (e instanceof LensError && e.details.tufRepository === url) return e;
  const chain: unknown[] = [];
  for (let c: unknown = e; c !== undefined && c !== null && chain.length < 8; c = (c as { cause?: unknown }).cause) chain.push(c);
  const messages = [...new Set(chain.map(describeError).filter((m) => m !== ''))];
  const reason = messages.join(': ');
  const codes = chain.map((c) => String((c as { code?: unknown }).code ?? ''));
  const names = chain.map((c) => (c as object).constructor?.name ?? '');
  let code: RefreshFailureCode = 'PROTOCOL';
  if (codes.some((c) => FILESYSTEM.test(c))) code = 'USAGE';
  else if (codes.some((c) => /TIMEOUT|ETIMEDOUT/i.test(c)) || /network timeout|timeout reached|timed out/i.test(reason)) code = 'TIMEOUT';
  else if (
    names.some((n) => /^(?:FetchError|DownloadHTTPError)$/.test(n)) ||
    codes.some((c) => NETWORK.test(c)) ||
    /\b(?:ECONN[A-Z]+|ENOTFOUND|EAI_AGAIN|Failed to download)\b/.test(reason)
  )
    code = 'NETWORK';
  return new LensError(code, `The TUF refresh from ${url} failed: ${reason}`, { tufRepository: url, reason }, { cause: e });
}

/** The code and reason of a refresh failure, for reports. */
export function refreshFailure(e: unknown): { code: RefreshFailureCode; reason: string } {
  if (e instanceof LensError && (e.code === 'TIMEOUT' || e.code === 'NETWORK' || e.code === 'PROTOCOL' || e.code === 'USAGE')) {
    return { code: e.code, reason: typeof e.details.reason === 'string' ? e.details.reason : e.message };
  }
  return { code: 'USAGE', reason: describeError(e) };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolvePromise, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
