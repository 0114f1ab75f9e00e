// What `@sigstore/tuf` ships in seeds.json for the public-good TUF repository: the TUF
// root.json our chain of trust starts from, and the trusted_root.json target of that
// time. Read from the bundled JSON: loading this module loads no TUF client code.
import { LensError } from '../../core/errors';
import seeds from '@sigstore/tuf/seeds.json';
import tufPackage from '@sigstore/tuf/package.json';
import { parseTrustedRoot } from './trust-parse';
import type { TrustRoot, TrustRootSource } from './trust-types';

/** Sigstore's public-good TUF repository (https://github.com/sigstore/root-signing). */
export const PUBLIC_GOOD_TUF_URL = 'https://tuf-repo-cdn.sigstore.dev';

type Seeds = Record<string, { 'root.json'?: string; targets?: Record<string, string> }>;

function seed(): NonNullable<Seeds[string]> {
  const entry = (seeds as Seeds)[PUBLIC_GOOD_TUF_URL];
  if (entry === undefined) throw new LensError('INTERNAL', `@sigstore/tuf ${tufPackage.version} seeds.json has no entry for ${PUBLIC_GOOD_TUF_URL}.`);
  return entry;
}

/** The public-good TUF root.json in the seeds: the trust anchor of every public-good refresh. */
export function embeddedTufRoot(): Buffer {
  const encoded = seed()['root.json'];
  if (encoded === undefined) throw new LensError('INTERNAL', `@sigstore/tuf ${tufPackage.version} seeds.json has no root.json for ${PUBLIC_GOOD_TUF_URL}.`);
  return Buffer.from(encoded, 'base64');
}

/** The public-good root as shipped in `@sigstore/tuf`'s seeds.json (base64 target `trusted_root.json`). */
export function embeddedTrustRoot(now: Date = new Date()): TrustRoot {
  const encoded = seed().targets?.['trusted_root.json'];
  if (encoded === undefined) {
    throw new LensError('INTERNAL', `@sigstore/tuf ${tufPackage.version} seeds.json has no trusted_root.json target for ${PUBLIC_GOOD_TUF_URL}.`);
  }
  const source: TrustRootSource = { kind: 'embedded', package: '@sigstore/tuf', version: tufPackage.version, tufRepository: PUBLIC_GOOD_TUF_URL };
  return parseTrustedRoot(Buffer.from(encoded, 'base64'), source, now);
}
