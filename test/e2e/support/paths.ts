// Where things are, for the end-to-end harness. Compiled files run from out/test/..., so the
// repository root is found by walking up to the package.json that names this extension.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'provenance-lens') {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no provenance-lens package.json above ${from}`);
  }
}

/** The checkout: the extension under development. */
export const repoRoot = findRepoRoot(__dirname);

/** Screenshots and logs the tests keep (gitignored). */
export const artifactsDir = join(repoRoot, 'test-artifacts');

/** The in-host suite's entry point (compiled from test/host/index.ts). */
export const hostSuiteEntry = join(repoRoot, 'out', 'test', 'host', 'index.js');

/** The `publisher.name` id VS Code knows the extension by. */
export function extensionId(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${manifest.publisher}.${manifest.name}`;
}
