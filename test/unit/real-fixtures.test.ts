// The vendored real-world fixtures are what SHA256SUMS says they are, each is accounted for in
// SOURCES.md, and the one lookup (test/support/real-fixtures.ts) fails, naming the file, when one
// is not there: a bare clone tests everything or fails loudly, never skips.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { realFixture, realFixtureDir, realFixturesRoot } from '../support/real-fixtures';
import { findRepoRoot, repoRoot } from '../support/repo-root';

const META = new Set(['SOURCES.md', 'SHA256SUMS', 'LICENSES/Apache-2.0.txt', 'LICENSES/MIT.txt']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(realFixturesRoot, path).split(sep).join('/')];
  });
}

/** `<sha256>  <path>` lines, as `sha256sum` writes and `sha256sum -c` reads them. */
function sums(): Map<string, string> {
  const lines = readFileSync(join(realFixturesRoot, 'SHA256SUMS'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  return new Map(
    lines.map((l) => {
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(l);
      assert.ok(m, `SHA256SUMS line is not "<sha256>  <path>": ${l}`);
      return [m[2]!, m[1]!];
    }),
  );
}

describe('test/fixtures/real', () => {
  test('every vendored file is byte-identical to its SHA256SUMS entry, and nothing unlisted is there', () => {
    const listed = sums();
    assert.ok(listed.size >= 290, `SHA256SUMS lists ${listed.size} files`);
    for (const [path, expected] of listed) {
      const actual = createHash('sha256')
        .update(readFileSync(realFixture(path)))
        .digest('hex');
      assert.equal(actual, expected, `${path} differs from the bytes it was copied with`);
    }
    const unlisted = filesUnder(realFixturesRoot).filter((f) => !listed.has(f) && !META.has(f));
    assert.deepEqual(unlisted, [], 'files without a SHA256SUMS line (and an origin in SOURCES.md)');
  });

  test('SOURCES.md accounts for every file: by its path, a folder above it, or its conformance case', () => {
    const sources = readFileSync(join(realFixturesRoot, 'SOURCES.md'), 'utf8');
    const named = (path: string): boolean => {
      if (sources.includes(`\`${path}\``)) return true;
      for (let dir = dirname(path); dir !== '.'; dir = dirname(dir)) if (sources.includes(`\`${dir}/\``)) return true;
      const conformance = /^sigstore-bundles\/conformance\/([^/]+)(?:\/|$)/.exec(path)?.[1];
      return conformance !== undefined && sources.includes(`\`${conformance}\``);
    };
    assert.deepEqual(
      [...sums().keys()].filter((p) => !named(p)),
      [],
    );
    for (const licence of ['Apache-2.0', 'MIT']) assert.match(sources, new RegExp(`\\| ${licence} \\|`), `an origin under ${licence}`);
  });

  test('the sigstore-conformance suite is whole: 56 cases, each with its bundle', () => {
    const conformance = realFixtureDir('sigstore-bundles', 'conformance');
    const cases = readdirSync(conformance).filter((n) => statSync(join(conformance, n)).isDirectory());
    assert.equal(cases.length, 56);
    for (const c of cases) realFixture('sigstore-bundles', 'conformance', c, 'bundle.sigstore.json');
  });
});

describe('realFixture / realFixtureDir', () => {
  test('an absolute path inside the repository for what is there', () => {
    const file = realFixture('trusted-root', 'sigstore-public-good.trusted_root.json');
    assert.ok(isAbsolute(file));
    assert.equal(relative(repoRoot, file).split(sep).join('/'), 'test/fixtures/real/trusted-root/sigstore-public-good.trusted_root.json');
    assert.equal(realFixtureDir('goreleaser', 'rancher-fleet'), join(repoRoot, 'test', 'fixtures', 'real', 'goreleaser', 'rancher-fleet'));
  });

  test('a missing file or folder is an error naming it and saying the repository is incomplete', () => {
    assert.throws(
      () => realFixture('trusted-root', 'nope.json'),
      (e: Error) => {
        assert.equal(
          e.message,
          `Real fixture file ${join('test', 'fixtures', 'real', 'trusted-root', 'nope.json')} is missing: the repository is incomplete. Restore it from git (test/fixtures/real/SOURCES.md says where it comes from).`,
        );
        return true;
      },
    );
    assert.throws(
      () => realFixtureDir('cosign-signatures', 'v9.9.9'),
      /^Error: Real fixture folder test\/fixtures\/real\/cosign-signatures\/v9\.9\.9 is missing: the repository is incomplete/,
    );
  });

  test('a file asked for as a folder (or the reverse), or a path leaving test/fixtures/real, is refused', () => {
    assert.throws(() => realFixtureDir('trusted-root', 'github.tuf-root.json'), /github\.tuf-root\.json is not a folder/);
    assert.throws(() => realFixture('trusted-root'), /trusted-root is not a file/);
    assert.throws(() => realFixture('..', '..', 'package.json'), /is not a path under test\/fixtures\/real/);
    assert.throws(() => realFixtureDir(), /Name the real fixture folder/);
  });
});

describe('findRepoRoot', () => {
  test('walks up past folders without package.json and past other packages, to this one', () => {
    const top = mkdtempSync(join(tmpdir(), 'pl-root-'));
    try {
      const nested = join(top, 'out-x', 'test', 'unit');
      mkdirSync(nested, { recursive: true });
      writeFileSync(join(top, 'package.json'), JSON.stringify({ name: 'provenance-lens' }));
      writeFileSync(join(top, 'out-x', 'package.json'), JSON.stringify({ name: 'something-else' }));
      writeFileSync(join(top, 'out-x', 'test', 'package.json'), '{ not json');
      assert.equal(findRepoRoot(nested), top);
      rmSync(join(top, 'package.json'));
      assert.throws(() => findRepoRoot(nested), /No package\.json named "provenance-lens" in .*out-x.* or any folder above it/);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
