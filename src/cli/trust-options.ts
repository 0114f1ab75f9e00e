import { LensError } from '../core/errors';
import { defaultTrustCacheDir } from '../verify/trust';
import type { LoadTrustRootOptions } from '../verify/trust';
import type { OptionDocs } from './options';

/**
 * Where the CLI's trusted root comes from (src/verify/trust/trust-root.ts): offline by default, the
 * embedded public-good root (or `--trusted-root`), so a run never depends on the network for
 * trust material and the same inputs give the same answer. `--refresh-trust-root` asks for a TUF
 * refresh first: it waits at most 3 s, falls back to the previous root (the cached refresh, else
 * the embedded one) when the repository does not answer or is refused, and says so in `Trust:`
 * and `trustRoot.refresh`. What TUF verified is cached in the per-user cache directory
 * ($XDG_CACHE_HOME/provenance-lens, ~/.cache/provenance-lens, …): only a refreshing run reads it.
 */
export const trustOptionSpec = {
  'refresh-trust-root': {
    type: 'boolean',
    help: "refresh the trusted roots (public-good and GitHub's) through their TUF repositories first; after 3 s without it, or if it fails, the last refreshed root (else the embedded one) is used and the output says why. Refreshed roots are cached in the user cache ($XDG_CACHE_HOME/provenance-lens)",
  },
  offline: { type: 'boolean', help: 'never use the network for trust material (the default)' },
} as const satisfies OptionDocs;

/**
 * Test and debugging knobs, read with --refresh-trust-root only: the TUF repository to refresh
 * from instead of Sigstore's public-good one, and the TUF root.json a first refresh from it
 * starts from (only the public-good and GitHub repositories' are embedded). Not an interface for users.
 */
export const TUF_MIRROR_ENV = 'PROVENANCE_LENS_TUF_MIRROR';
export const TUF_ROOT_ENV = 'PROVENANCE_LENS_TUF_ROOT';
/** The same two for GitHub's root, refreshed beside the public-good one (https://tuf-repo.github.com by default). */
export const GITHUB_TUF_MIRROR_ENV = 'PROVENANCE_LENS_GITHUB_TUF_MIRROR';
export const GITHUB_TUF_ROOT_ENV = 'PROVENANCE_LENS_GITHUB_TUF_ROOT';

export type TrustFlagValues = { offline?: boolean; 'refresh-trust-root'?: boolean; 'trusted-root'?: string };

/** How the trusted root is loaded, from the flags: offline unless --refresh-trust-root. */
export type TrustLoadOptions = Pick<LoadTrustRootOptions, 'offline' | 'cacheDir' | 'mirrorURL' | 'tufRootPath' | 'github'>;

export function trustLoadOptions(values: TrustFlagValues, env: NodeJS.ProcessEnv): TrustLoadOptions {
  if (!values['refresh-trust-root']) return { offline: true };
  if (values.offline)
    throw new LensError(
      'USAGE',
      '--offline and --refresh-trust-root are opposites: --offline never fetches trust material, --refresh-trust-root fetches it first. Give one of them.',
    );
  if (values['trusted-root'] !== undefined)
    throw new LensError('USAGE', '--trusted-root and --refresh-trust-root do not go together: a trusted_root.json file is used as it is, never refreshed.');
  const mirrorURL = env[TUF_MIRROR_ENV] || undefined;
  const tufRootPath = env[TUF_ROOT_ENV] || undefined;
  const githubMirror = env[GITHUB_TUF_MIRROR_ENV] || undefined;
  const githubRoot = env[GITHUB_TUF_ROOT_ENV] || undefined;
  return {
    offline: false,
    cacheDir: defaultTrustCacheDir(env),
    ...(mirrorURL !== undefined ? { mirrorURL } : {}),
    ...(tufRootPath !== undefined ? { tufRootPath } : {}),
    ...(githubMirror !== undefined ? { github: { mirrorURL: githubMirror, ...(githubRoot !== undefined ? { tufRootPath: githubRoot } : {}) } } : {}),
  };
}
