import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isCommitHash, looksLikeGit, parseGitUri, repositoryLinks, sameRepository } from '../../src/claims/git-uri';
import { readProvenance } from '../../src/provenance/summary';
import { slsaChecks } from '../../src/verify/image/slsa-checks';
import { realFixture } from '../support/real-fixtures';

// The one reader of repository locations (src/claims/git-uri.ts). There were two: the provenance
// summary's (kept `.git`, case and the scheme, showed anything as written) and the verifier's
// (normalised to https://host/path, lower-cased GitHub paths, read scp-like remotes and the
// `org/repo` shorthand). Both behaviours are kept below: the verifier's normal form, with the
// case as written and compared without regard to case on GitHub; the summary's refs, commits and
// credentials rule. What a policy checks is now what a person is shown.
const SHA = '0123456789abcdef0123456789abcdef01234567';
const repo = (u: string): string | undefined => parseGitUri(u)?.repository;

describe('repository locations', () => {
  test('the spellings policies and the verifier used: one repository', () => {
    for (const u of [
      'git+https://github.com/org/repo@refs/tags/v1',
      'https://github.com/org/repo',
      'https://github.com/org/repo.git',
      'https://github.com/org/repo/',
      `https://github.com/org/repo.git#${SHA}`,
      'git@github.com:org/repo.git',
      'ssh://git@github.com/org/repo',
      'ssh://git@github.com:22/org/repo',
      'org/repo',
      'https://token@github.com/org/repo',
    ])
      assert.equal(repo(u), 'https://github.com/org/repo', u);
    assert.equal(repo('https://GitHub.com/Org/Repo'), 'https://github.com/Org/Repo', 'the host is lower case, the names as written');
    assert.ok(sameRepository('https://GitHub.com/Org/Repo', 'org/repo'), 'GitHub names compare without regard to case');
    assert.deepEqual(parseGitUri('https://github.com/org/repo.git#ABCDEF0123456789abcdef0123456789abcdef01:sub'), {
      repository: 'https://github.com/org/repo',
      commit: 'abcdef0123456789abcdef0123456789abcdef01',
    });
    assert.deepEqual(parseGitUri('https://github.com/org/repo.git#main'), { repository: 'https://github.com/org/repo', ref: 'main' });
  });

  test('the spellings provenance writes: SPDX locations, BuildKit git contexts, plain URLs', () => {
    assert.deepEqual(parseGitUri('git+https://github.com/org/repo@refs/tags/v1.2.3'), { repository: 'https://github.com/org/repo', ref: 'refs/tags/v1.2.3' });
    assert.deepEqual(parseGitUri(`https://github.com/org/repo.git#${SHA}`), { repository: 'https://github.com/org/repo', commit: SHA });
    assert.deepEqual(parseGitUri('https://github.com/moby/buildkit.git#refs/tags/v0.11.0:docs'), {
      repository: 'https://github.com/moby/buildkit',
      ref: 'refs/tags/v0.11.0',
    });
    assert.deepEqual(parseGitUri(`git+https://gitlab.com/group/sub/project@${SHA}`), { repository: 'https://gitlab.com/group/sub/project', commit: SHA });
    assert.deepEqual(parseGitUri('https://git.example.org:8443/p.git'), { repository: 'https://git.example.org:8443/p' });
    // userinfo is not a ref, and never shown
    assert.deepEqual(parseGitUri('https://x-access-token:ghs_secret@github.com/org/repo.git#main'), { repository: 'https://github.com/org/repo', ref: 'main' });
  });

  test('look-alikes stay different', () => {
    assert.equal(repo('https://github.com/org/repo/../evil'), 'https://github.com/org/evil');
    assert.ok(!sameRepository('https://github.com/org/repo-evil', 'org/repo'));
    assert.ok(!sameRepository('https://gitlab.com/org/repo', 'https://github.com/org/repo'));
    assert.ok(!sameRepository('https://gitlab.com/Group/Project', 'https://gitlab.com/group/project'), 'case counts outside github.com');
    assert.equal(parseGitUri('not a url'), undefined);
    assert.equal(parseGitUri('file:///src/repo'), undefined);
    assert.ok(!sameRepository('not a url', 'not a url'));
  });

  test('commits, git materials, links', () => {
    assert.ok(isCommitHash(SHA.toUpperCase()) && isCommitHash('a'.repeat(64)) && !isCommitHash('main') && !isCommitHash(SHA.slice(1)));
    assert.ok(looksLikeGit('https://example.org/x', { gitCommit: SHA }));
    assert.ok(looksLikeGit('https://github.com/org/repo.git/sub', {}));
    assert.ok(looksLikeGit('https://github.com/org/repo', { sha1: SHA }));
    assert.ok(!looksLikeGit('pkg:docker/alpine@3.18', { sha256: SHA }));
    assert.deepEqual(repositoryLinks('https://github.com/org/repo.git', SHA), {
      repositoryUrl: 'https://github.com/org/repo',
      commitUrl: `https://github.com/org/repo/commit/${SHA}`,
    });
    assert.deepEqual(repositoryLinks('https://gitlab.com/g/p/', SHA), {
      repositoryUrl: 'https://gitlab.com/g/p',
      commitUrl: `https://gitlab.com/g/p/-/commit/${SHA}`,
    });
    assert.deepEqual(repositoryLinks('https://git.example.org/p', SHA), { repositoryUrl: 'https://git.example.org/p' });
    assert.deepEqual(repositoryLinks('https://github.com/org/repo', 'main'), { repositoryUrl: 'https://github.com/org/repo' });
    assert.deepEqual(repositoryLinks('http://github.com/org/repo', SHA), {});
    assert.deepEqual(repositoryLinks('not a url', SHA), {});
  });
});

describe('the repository a policy checks is the one shown', () => {
  test('BuildKit v0.2 (a git context with .git and a commit): the summary and SLSA_SOURCE_REPOSITORY name one repository', () => {
    const file = realFixture('slsa-provenance', 'buildkit', 'v0.2-mode-max.v1.9.0-layout.intoto.json');
    const shown = readProvenance(readFileSync(file)).summary.source;
    assert.equal(shown?.repository, 'https://github.com/slsa-framework/example-package');
    assert.equal(
      shown?.uri,
      'https://github.com/slsa-framework/example-package.git#2bcaa7495e1cbd11fbd4f598d857b3a6f18df933',
      'the raw location is kept beside it',
    );
    const checked = slsaChecks(JSON.parse(readFileSync(file, 'utf8')), { sourceRepository: 'slsa-framework/example-package' }).find(
      (c) => c.code === 'SLSA_SOURCE_REPOSITORY',
    )!;
    assert.equal(checked.status, 'pass');
    assert.ok(checked.message.startsWith(`The source repository is ${shown.repository} (`), checked.message);
  });
});
