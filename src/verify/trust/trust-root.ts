import { readFile } from 'node:fs/promises';
import { abortError } from '../../core/abort';
import { LensError, describeError } from '../../core/errors';
import { startingRoot } from './trust-cache';
import { parseTrustedRoot } from './trust-parse';
import { normaliseRepositoryUrl, refreshFailure, refreshTrustRoot } from './trust-refresh';
import { GITHUB_TUF_URL, PUBLIC_GOOD_TUF_URL } from './trust-seeds';
import type { TrustRefreshOutcome, TrustRefreshReport, TrustRoot, TrustRootInfo } from './trust-types';

/**
 * Sigstore trusted roots (`trusted_root.json`, protobuf-specs `TrustedRoot`): the Fulcio
 * CAs, Rekor logs, CT logs and timestamp authorities a verification may rely on.
 * https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_trustroot.proto
 *
 * Offline first. Which root a load uses:
 * 1. a `trusted_root.json` file, when given: as is, never refreshed;
 * 2. else the last root refreshed through TUF and cached in `cacheDir`, if valid;
 * 3. else the public-good root embedded in `@sigstore/tuf`'s seeds (decoded, never fetched:
 *    `getTrustedRoot()` always refreshes over the network, so a cold offline start would fail).
 * Only with `offline: false` (and a `cacheDir`) does a load also refresh through TUF
 * (trust-refresh.ts). It waits at most `refreshWaitMs` (3 s): a refresh that finishes in
 * time gives its root to this very load; one that fails leaves the previous root in use and
 * is reported with its reason; one still running goes on in the background and its root,
 * once verified and cached, is used from the next load on. A verification is never failed
 * by the network: only a repository with no root at all to fall back on (not public-good,
 * nothing cached) waits for its refresh and fails with it.
 *
 * Beside the public-good root, GitHub's (its embedded seed, its cache, its refresh from
 * https://tuf-repo.github.com, in the same wait) is loaded as a sibling: each bundle is then
 * verified against the instance that issued its certificate (trust-choose.ts). A file given,
 * or another repository asked for, loads that root alone.
 */

export const DEFAULT_REFRESH_WAIT_MS = 3_000;

export interface LoadTrustRootOptions {
  /** A trusted_root.json file (private deployment, GitHub's instance, a pinned snapshot). */
  trustedRootFile?: string | undefined;
  /** Never touch the network. Default true: a refresh happens only when a caller asks with `false`. */
  offline?: boolean | undefined;
  /** Where refreshed roots and TUF metadata are kept (read offline too). Required with `offline: false`. */
  cacheDir?: string | undefined;
  /** The TUF repository; default Sigstore's public-good one. */
  mirrorURL?: string | undefined;
  /** The TUF root.json to start from (see RefreshTrustRootOptions); default the seeds' for public-good. */
  tufRootPath?: string | undefined;
  /** The longest a load waits for its refresh before using the previous root. Default 3 s. */
  refreshWaitMs?: number | undefined;
  /** Per TUF request; default 5 s. */
  requestTimeoutMs?: number | undefined;
  /** Cancels the load (ABORTED); a refresh under way still completes in the background. */
  signal?: AbortSignal | undefined;
  /** The clock for ages and `refreshedAt` (tests). */
  now?: Date | undefined;
  /**
   * GitHub's root, loaded beside the public-good one: default from its embedded seed and
   * https://tuf-repo.github.com, and only when the public-good repository is the one loaded;
   * another repository (tests) and the TUF root.json its first refresh starts from; or `false`: none.
   */
  github?: { mirrorURL?: string; tufRootPath?: string } | false | undefined;
}

export async function loadTrustRoot(options: LoadTrustRootOptions = {}): Promise<TrustRoot> {
  const now = options.now ?? new Date();
  if (options.trustedRootFile !== undefined) {
    let bytes: Buffer;
    try {
      bytes = await readFile(options.trustedRootFile);
    } catch (e) {
      throw new LensError('USAGE', `Cannot read trusted root ${options.trustedRootFile}: ${describeError(e)}`, { path: options.trustedRootFile }, { cause: e });
    }
    return parseTrustedRoot(bytes, { kind: 'file', path: options.trustedRootFile }, now);
  }
  const url = normaliseRepositoryUrl(options.mirrorURL ?? PUBLIC_GOOD_TUF_URL);
  const github = options.github === false || (options.github === undefined && url !== PUBLIC_GOOD_TUF_URL) ? undefined : (options.github ?? {});
  const [primary, sibling] = await Promise.all([
    loadRepository(url, options, options.tufRootPath, now),
    github === undefined ? undefined : loadSibling(github, options, now),
  ]);
  if (sibling === undefined) return primary;
  if ('problem' in sibling) return { ...primary, info: { ...primary.info, notes: [...(primary.info.notes ?? []), sibling.problem] } };
  return { ...primary, siblings: [sibling] };
}

/** GitHub's root; a failure to load it never fails the run (only its bundles cannot be verified then). */
async function loadSibling(
  github: { mirrorURL?: string; tufRootPath?: string },
  options: LoadTrustRootOptions,
  now: Date,
): Promise<TrustRoot | { problem: string }> {
  try {
    const url = normaliseRepositoryUrl(github.mirrorURL ?? GITHUB_TUF_URL);
    return await loadRepository(url, options, github.tufRootPath, now);
  } catch (e) {
    if (options.signal?.aborted) throw e;
    return { problem: `GitHub's trusted root could not be loaded, so bundles signed by GitHub's instance cannot be verified: ${describeError(e)}` };
  }
}

async function loadRepository(url: string, options: LoadTrustRootOptions, tufRootPath: string | undefined, now: Date): Promise<TrustRoot> {
  const { root: previous, notes } = await startingRoot(options.cacheDir, url, now);
  if (options.offline !== false) {
    if (previous === undefined)
      throw new LensError(
        'USAGE',
        `No trusted root for ${url} offline: nothing usable is cached${options.cacheDir ? ` in ${options.cacheDir}` : ''} and only the public-good and GitHub roots are embedded.${tail(notes)}`,
        { tufRepository: url },
      );
    return withFacts(previous, { notes });
  }
  if (options.cacheDir === undefined) throw new LensError('USAGE', 'A trusted-root refresh (offline: false) needs a cacheDir to keep what TUF verified.');

  const started = Date.now();
  const refreshing: Promise<TrustRefreshOutcome> = refreshTrustRoot({
    cacheDir: options.cacheDir,
    mirrorURL: url,
    ...(tufRootPath !== undefined ? { tufRootPath } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    now,
  }).then(
    (r): TrustRefreshOutcome => ({ ok: true, tufRepository: url, root: r.root, changed: r.changed }),
    (e: unknown): TrustRefreshOutcome => ({ ok: false, tufRepository: url, ...refreshFailure(e) }),
  );
  // With nothing to fall back on, waiting is the only way to a root (each request is bounded).
  const waitMs = previous === undefined ? undefined : (options.refreshWaitMs ?? DEFAULT_REFRESH_WAIT_MS);
  const outcome = await within(refreshing, waitMs, options.signal);
  const waitedMs = Date.now() - started;
  if (outcome !== 'pending' && outcome.ok) {
    return withFacts(outcome.root, { refresh: { tufRepository: url, status: 'refreshed', changed: outcome.changed, waitedMs }, refreshing });
  }
  if (previous === undefined) {
    const failure = outcome === 'pending' ? { code: 'TIMEOUT' as const, reason: 'no answer' } : outcome;
    throw new LensError(failure.code, `No trusted root for ${url}: nothing usable is cached and the TUF refresh failed: ${failure.reason}${tail(notes)}`, {
      tufRepository: url,
      reason: failure.reason,
    });
  }
  const refresh: TrustRefreshReport =
    outcome === 'pending'
      ? { tufRepository: url, status: 'pending', reason: `no answer within ${seconds(waitMs ?? 0)}`, waitedMs }
      : { tufRepository: url, status: 'failed', code: outcome.code, reason: outcome.reason, waitedMs };
  return withFacts(previous, { refresh, notes, refreshing });
}

function withFacts(root: TrustRoot, facts: { refresh?: TrustRefreshReport; notes?: string[]; refreshing?: Promise<TrustRefreshOutcome> }): TrustRoot {
  const info: TrustRootInfo = { ...root.info };
  if (facts.refresh) info.refresh = facts.refresh;
  if (facts.notes?.length) info.notes = facts.notes;
  return { info, root: root.root, ...(facts.refreshing ? { refreshing: facts.refreshing } : {}) };
}

/** The outcome if it settles within `ms` (no bound when undefined), else 'pending'; ABORTED when the signal fires. */
function within<T>(work: Promise<T>, ms: number | undefined, signal: AbortSignal | undefined): Promise<T | 'pending'> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const timer = ms === undefined ? undefined : setTimeout(() => done(() => resolve('pending')), ms);
    const onAbort = () => done(() => reject(abortError(signal)));
    signal?.addEventListener('abort', onAbort, { once: true });
    function done(settle: () => void): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    work.then(
      (v) => done(() => resolve(v)),
      (e: unknown) => done(() => reject(e)),
    );
  });
}

const tail = (notes: string[]): string => (notes.length ? ` ${notes.join(' ')}` : '');
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;
