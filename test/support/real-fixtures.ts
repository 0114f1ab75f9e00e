// The real-world fixtures vendored in test/fixtures/real (origin, commit, licence and expected
// outcome of each in test/fixtures/real/SOURCES.md). Every suite reaches them through these two
// functions, so a file that is not there fails the test that needs it, naming the file, instead
// of the suite quietly skipping.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { repoRoot } from './repo-root';

export const realFixturesRoot = join(repoRoot, 'test', 'fixtures', 'real');

/** Absolute path of a vendored file, e.g. `realFixture('trusted-root', 'github.trusted_root.json')`. */
export function realFixture(...segments: string[]): string {
  return located(segments, 'file');
}

/** Absolute path of a vendored folder (an OCI layout, the conformance cases, a category). */
export function realFixtureDir(...segments: string[]): string {
  return located(segments, 'folder');
}

function located(segments: string[], kind: 'file' | 'folder'): string {
  if (segments.length === 0) throw new Error(`Name the real fixture ${kind} to look up (a path under test/fixtures/real).`);
  const path = join(realFixturesRoot, ...segments);
  const inside = relative(realFixturesRoot, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`${segments.join('/')} is not a path under test/fixtures/real.`);
  const name = relative(repoRoot, path);
  const found = existsSync(path) ? statSync(path) : undefined;
  if (found === undefined) {
    throw new Error(
      `Real fixture ${kind} ${name} is missing: the repository is incomplete. Restore it from git (test/fixtures/real/SOURCES.md says where it comes from).`,
    );
  }
  if (kind === 'file' ? !found.isFile() : !found.isDirectory()) {
    throw new Error(`Real fixture ${name} is not a ${kind}: the repository is incomplete or the test asks for the wrong path.`);
  }
  return path;
}
