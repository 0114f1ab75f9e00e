// Where things are, for the end-to-end harness.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repo-root';

/** The checkout: the extension under development. */
export { repoRoot };

/** Screenshots and logs the tests keep (gitignored). */
export const artifactsDir = join(repoRoot, 'test-artifacts');

/**
 * The in-host suite's entry point (compiled from test/host/index.ts), beside this compiled file:
 * tests compiled into `out-<name>/` run that folder's host suite, not another's `out/`.
 */
export const hostSuiteEntry = join(__dirname, '..', '..', 'host', 'index.js');

/** The `publisher.name` id VS Code knows the extension by. */
export function extensionId(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${manifest.publisher}.${manifest.name}`;
}
