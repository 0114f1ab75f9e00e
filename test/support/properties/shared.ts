// The shared fixtures directory (real provenance, signatures) the property tests mutate:
// `PROVENANCE_LENS_SHARED`, else `<repo root>/../shared`. Missing fixtures fail the run in CI
// (CI=true) and skip only the part that needs them elsewhere, saying why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../sigstore-conformance';

export interface SharedFixtures {
  dir: string;
  /** `false` when present; else the reason node:test prints for the skipped part. */
  skip: false | string;
}

export function sharedFixtures(...path: string[]): SharedFixtures {
  const dir = join(sharedDir, ...path);
  if (existsSync(dir)) return { dir, skip: false };
  if (process.env.CI === 'true') throw new Error(`Shared fixtures missing at ${dir} (set PROVENANCE_LENS_SHARED).`);
  return { dir, skip: `shared fixtures missing at ${dir} (set PROVENANCE_LENS_SHARED to run this part)` };
}
