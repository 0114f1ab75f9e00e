// The node-only git helper against a real repository made for the test, and the CLI taking the
// tag and commit from it as GoReleaser would (the latest tag reachable from HEAD).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGitFacts } from '../../src/goreleaser/git-context';
import { cli } from '../support/cli';

let repo = '';
let outside = '';
let head = '';
const run = (...args: string[]): string =>
  execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_DATE: '2025-03-04T05:06:07Z', GIT_COMMITTER_DATE: '2025-03-04T05:06:07Z' } })
    .toString()
    .trim();

before(() => {
  repo = mkdtempSync(join(tmpdir(), 'pl-git-'));
  outside = mkdtempSync(join(tmpdir(), 'pl-nogit-'));
  run('init', '-q', '-b', 'release-0.13');
  run('config', 'user.email', 'ci@example.com');
  run('config', 'user.name', 'CI');
  writeFileSync(
    join(repo, '.goreleaser.yaml'),
    'project_name: fleet\ndockers_v2:\n  - images: ["ghcr.io/rancher/fleet"]\n    tags: ["{{ .Tag }}", "{{ .ShortCommit }}"]\n',
  );
  run('add', '.');
  run('commit', '-q', '-m', 'one');
  run('tag', 'v0.13.0');
  run('commit', '-q', '--allow-empty', '-m', 'two');
  head = run('rev-parse', 'HEAD');
});

after(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

test('reads the latest tag, the commit, the branch and the commit date', async () => {
  const facts = await readGitFacts(repo);
  assert.equal(facts.tag, 'v0.13.0');
  assert.equal(facts.commit, head);
  assert.equal(facts.shortCommit, run('rev-parse', '--short', 'HEAD'));
  assert.equal(facts.branch, 'release-0.13');
  assert.equal(facts.commitDate?.toISOString(), '2025-03-04T05:06:07.000Z');
});

test('outside a repository every fact is absent, nothing throws', async () => {
  assert.deepEqual(await readGitFacts(outside), {});
  assert.deepEqual(await readGitFacts(outside, { git: join(outside, 'no-such-git') }), {});
});

test('a detached HEAD has no branch', async () => {
  run('checkout', '-q', '--detach');
  try {
    const facts = await readGitFacts(repo);
    assert.equal(facts.branch, undefined);
    assert.equal(facts.commit, head);
  } finally {
    run('checkout', '-q', 'release-0.13');
  }
});

test('the CLI takes tag and commit from git next to the file; --tag and GORELEASER_CURRENT_TAG take precedence', async () => {
  const file = join(repo, '.goreleaser.yaml');
  const fromGit = JSON.parse((await cli(['release', file, '--json'])).stdout);
  assert.equal(fromGit.tag, 'v0.13.0');
  assert.equal(fromGit.commit, head);
  assert.deepEqual(
    fromGit.images.map((i: { reference: string }) => i.reference),
    ['ghcr.io/rancher/fleet:v0.13.0', `ghcr.io/rancher/fleet:${run('rev-parse', '--short', 'HEAD')}`],
  );
  const fromEnv = JSON.parse((await cli(['release', file, '--json', '--env', 'GORELEASER_CURRENT_TAG=v0.13.1'])).stdout);
  assert.equal(fromEnv.tag, 'v0.13.1');
  const fromFlag = JSON.parse((await cli(['release', file, '--json', '--tag', 'v9.9.9', '--commit', 'f'.repeat(40)])).stdout);
  assert.deepEqual(
    fromFlag.images.map((i: { reference: string }) => i.reference),
    ['ghcr.io/rancher/fleet:v9.9.9', 'ghcr.io/rancher/fleet:fffffff'],
  );
  const noGit = JSON.parse((await cli(['release', file, '--json', '--no-git'])).stdout);
  assert.equal(noGit.tag, null);
  assert.deepEqual(noGit.images[0].unresolved, ['.Tag']);
  assert.deepEqual(noGit.images[1].unresolved, ['.ShortCommit']);
});
