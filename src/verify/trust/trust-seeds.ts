// The trusted roots shipped inside Provenance Lens, one per Sigstore instance we know, each with the
// TUF root.json its refreshes start from, in the shape `@sigstore/tuf` ships its seeds.json:
// - Sigstore's public-good instance: `@sigstore/tuf`'s own seeds.json;
// - GitHub's instance (private and internal repositories' artifact attestations: Fulcio
//   fulcio.githubapp.com, RFC 3161 timestamps from timestamp.githubapp.com, no transparency log):
//   github-seeds.json beside this file, the `trusted_root.json` target of GitHub's TUF repository
//   https://tuf-repo.github.com and that repository's published TUF root.json, both byte for byte
//   (base64), so the sha256 reported names exactly what was published.
// Read from the bundled JSON: loading this module loads no TUF client code.
import { LensError } from '../../core/errors';
import seeds from '@sigstore/tuf/seeds.json';
import tufPackage from '@sigstore/tuf/package.json';
import githubSeeds from './github-seeds.json';
import { parseTrustedRoot } from './trust-parse';
import type { TrustRoot, TrustRootSource } from './trust-types';

/** Sigstore's public-good TUF repository (https://github.com/sigstore/root-signing). */
export const PUBLIC_GOOD_TUF_URL = 'https://tuf-repo-cdn.sigstore.dev';
/** GitHub's TUF repository, the one `gh attestation verify` refreshes GitHub's trusted root from. */
export const GITHUB_TUF_URL = 'https://tuf-repo.github.com';

type Seeds = Record<string, { 'root.json'?: string; targets?: Record<string, string> }>;

/** Where each embedded seed comes from, as reported in `source` (package and version). */
const EMBEDDED: Record<string, { seeds: Seeds; package: string; version: string }> = {
  [PUBLIC_GOOD_TUF_URL]: { seeds: seeds as Seeds, package: '@sigstore/tuf', version: tufPackage.version },
  [GITHUB_TUF_URL]: { seeds: githubSeeds as Seeds, package: 'provenance-lens', version: 'github-seeds.json' },
};

/** Whether a seed (TUF root.json and trusted_root.json) ships for this repository. */
export function hasEmbeddedSeed(tufRepository: string): boolean {
  return EMBEDDED[tufRepository] !== undefined;
}

function seed(url: string): { entry: NonNullable<Seeds[string]>; from: string; package: string; version: string } {
  const known = EMBEDDED[url];
  const entry = known?.seeds[url];
  if (known === undefined || entry === undefined) throw new LensError('INTERNAL', `No embedded seed for ${url}.`);
  return { entry, from: `${known.package}@${known.version}`, package: known.package, version: known.version };
}

/** The embedded TUF root.json of a repository: the trust anchor of its first refresh. */
export function embeddedTufRoot(url: string = PUBLIC_GOOD_TUF_URL): Buffer {
  const { entry, from } = seed(url);
  const encoded = entry['root.json'];
  if (encoded === undefined) throw new LensError('INTERNAL', `${from} has no root.json for ${url}.`);
  return Buffer.from(encoded, 'base64');
}

/** A repository's trusted root as embedded (base64 target `trusted_root.json`); default public-good. */
export function embeddedTrustRoot(now: Date = new Date(), url: string = PUBLIC_GOOD_TUF_URL): TrustRoot {
  const { entry, from, ...origin } = seed(url);
  const encoded = entry.targets?.['trusted_root.json'];
  if (encoded === undefined) throw new LensError('INTERNAL', `${from} has no trusted_root.json target for ${url}.`);
  const source: TrustRootSource = { kind: 'embedded', package: origin.package, version: origin.version, tufRepository: url };
  return parseTrustedRoot(Buffer.from(encoded, 'base64'), source, now);
}
