// The repository's root: the nearest folder above a file whose package.json names this extension.
// Compiled tests run from out/test/... or out-<name>/test/..., so a fixed number of `..` would
// break with the next output folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'provenance-lens';

export function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && packageName(manifest) === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir)
      throw new Error(`No package.json named "${PACKAGE_NAME}" in ${from} or any folder above it: run the tests from a checkout of the repository.`);
  }
}

function packageName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/** The checkout the tests run from. */
export const repoRoot = findRepoRoot(__dirname);
