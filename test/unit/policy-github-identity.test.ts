import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveGithubPolicy, GITHUB_ACTIONS_ISSUER, githubWorkflowPolicy } from '../../src/verify/policy/github-identity';
import { compilePattern, matches } from '../../src/verify/policy/identity-policy';
import type { Matcher } from '../../src/verify/policy/identity-policy';
import { policyForImage } from '../../src/verify/policy/policy-resolve';
import { parseRegistryReference } from '../../src/registry/reference';

const wf = (repo: string, file: string, ref: string): string => `https://github.com/${repo}/.github/workflows/${file}@${ref}`;

describe('deriveGithubPolicy: where an image is assumed to be built', () => {
  test("ghcr.io/<org>/<repo>: any workflow of that repository, at the reference's tag", () => {
    const d = deriveGithubPolicy('ghcr.io/slsa-framework/example-package:v13.0.30')!;
    assert.equal(d.repository, 'slsa-framework/example-package');
    assert.equal(
      d.identity && 'regexp' in d.identity ? d.identity.regexp : '',
      '^https://github\\.com/[Ss][Ll][Ss][Aa]-[Ff][Rr][Aa][Mm][Ee][Ww][Oo][Rr][Kk]/[Ee][Xx][Aa][Mm][Pp][Ll][Ee]-[Pp][Aa][Cc][Kk][Aa][Gg][Ee]/\\.github/workflows/[^/@]+@refs/tags/v13\\.0\\.30$',
    );
    assert.deepEqual(d.issuer, { exact: GITHUB_ACTIONS_ISSUER });
    assert.ok(matches(d.identity, wf('slsa-framework/example-package', 'release.yml', 'refs/tags/v13.0.30')));
    assert.ok(matches(d.github.sourceRepositoryUri!, 'https://github.com/slsa-framework/example-package'));
    assert.deepEqual(d.github.sourceRepositoryRef, { exact: 'refs/tags/v13.0.30' });
    assert.deepEqual(d.slsa, { sourceRepository: 'https://github.com/slsa-framework/example-package', sourceRef: 'refs/tags/v13.0.30' });
    assert.match(d.note, /derived from the image name ghcr\.io\/slsa-framework\/example-package.*This is a guess/);
  });

  test("the owner's spelling in the certificate is accepted for a name the registry lower-cased, and nothing else is loosened", () => {
    const d = deriveGithubPolicy('ghcr.io/googlecontainertools/kaniko:v1.0.0')!;
    assert.ok(matches(d.identity, wf('GoogleContainerTools/kaniko', 'release.yml', 'refs/tags/v1.0.0')));
    assert.ok(!matches(d.identity, `${wf('GoogleContainerTools/kaniko', 'release.yml', 'refs/tags/v1.0.0')}`.replace('github.com', 'GITHUB.com')));
    assert.ok(!matches(d.identity, wf('googlecontainertools/kaniko', 'release.yml', 'refs/tags/V1.0.0')));
  });

  test('docker.io/<org>/<repo> likewise; Docker Hub official images and one-component names are not guessed', () => {
    const d = deriveGithubPolicy('rancher/fleet:v0.13.0')!;
    assert.equal(d.repository, 'rancher/fleet');
    assert.ok(matches(d.identity, wf('rancher/fleet', 'release.yml', 'refs/tags/v0.13.0')));
    assert.equal(deriveGithubPolicy('nginx:1.27'), undefined);
    assert.equal(deriveGithubPolicy('docker.io/library/nginx:1.27'), undefined);
  });

  test('other registries only with builtIn (stated spelling, exact case)', () => {
    assert.equal(deriveGithubPolicy('registry.suse.com/rancher/fleet-agent:v0.13.0'), undefined);
    assert.equal(deriveGithubPolicy('quay.io/org/app:v1'), undefined);
    const d = deriveGithubPolicy('registry.suse.com/rancher/fleet-agent:v0.13.0', { builtIn: 'rancher/fleet' })!;
    assert.equal(d.repository, 'rancher/fleet');
    assert.equal((d.identity as { regexp: string }).regexp, '^https://github\\.com/rancher/fleet/\\.github/workflows/[^/@]+@refs/tags/v0\\.13\\.0$');
    assert.deepEqual(d.github.sourceRepositoryUri, { exact: 'https://github.com/rancher/fleet' });
    assert.match(d.note, /derived from "builtIn: rancher\/fleet"/);
    assert.equal(deriveGithubPolicy('quay.io/org/app:v1', { builtIn: 'not a repo' }), undefined);
  });

  test('no tag: any tag, one path segment; the tag option wins over the reference', () => {
    const d = deriveGithubPolicy(`ghcr.io/org/app@sha256:${'c'.repeat(64)}`)!;
    assert.ok(matches(d.identity, wf('org/app', 'release.yml', 'refs/tags/v9')));
    assert.ok(!matches(d.identity, wf('org/app', 'release.yml', 'refs/heads/main')));
    assert.ok(!matches(d.identity, wf('org/app', 'release.yml', 'refs/tags/a/b')));
    assert.deepEqual(d.github.sourceRepositoryRef, { regexp: '^refs/tags/[^/]+$' });
    assert.equal(d.slsa.sourceRef, undefined);
    assert.deepEqual(deriveGithubPolicy('ghcr.io/org/app:1.2.3', { tag: 'v1.2.3' })!.github.sourceRepositoryRef, { exact: 'refs/tags/v1.2.3' });
  });

  test('policyForImage records derivation as derived, with the note', () => {
    const p = policyForImage(undefined, 'ghcr.io/org/app:v1');
    assert.equal(p.sources.identity, 'derived');
    assert.equal(p.sources.issuer, 'derived');
    assert.equal(p.sources.github, 'derived');
    assert.equal(p.notes?.length, 1);
    assert.equal(policyForImage(undefined, 'quay.io/org/app:v1').identity, undefined);
  });
});

describe('identity patterns never match more than written', () => {
  const release = githubWorkflowPolicy({ repository: 'org/repo', workflow: 'release.yml', tag: 'v1.2.3' });
  const GOOD = wf('org/repo', 'release.yml', 'refs/tags/v1.2.3');
  const EVIL = [
    'https://github.com/org/repo/../evil/.github/workflows/release.yml@refs/tags/v1.2.3',
    'https://github.com/org/repo-evil/.github/workflows/release.yml@refs/tags/v1.2.3',
    'https://github.com/org/repox/.github/workflows/release.yml@refs/tags/v1.2.3',
    'https://githubXcom/org/repo/.github/workflows/release.yml@refs/tags/v1.2.3',
    'https://github.com/org/repo/.github/workflows/releaseXyml@refs/tags/v1.2.3',
    'https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1x2x3',
    'https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.2.3-evil',
    'https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.2.3\n',
    'https://evil.example/?https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.2.3',
    `x${GOOD}`,
    `${GOOD}/x`,
    'https://github.com/ORG/REPO/.github/workflows/release.yml@refs/tags/v1.2.3',
  ];

  test('a workflow policy: the one SAN, none of the look-alikes', () => {
    assert.ok(matches(release.identity, GOOD));
    for (const evil of EVIL) assert.ok(!matches(release.identity, evil), evil);
  });

  test('the derived patterns are anchored in their own text, not only by compilePattern', () => {
    const regexp = (m: Matcher): string => ('regexp' in m ? m.regexp : '');
    for (const m of [release.identity, release.github.buildConfigUri!, deriveGithubPolicy('ghcr.io/org/repo')!.identity]) {
      assert.match(regexp(m), /^\^https:\/\/github\\\.com\/.*\$$/);
      assert.ok(!new RegExp(regexp(m)).test(`evil${GOOD}`));
    }
  });

  test('every registry- or user-supplied part is escaped', () => {
    const p = githubWorkflowPolicy({ repository: 'o.r/re.po', workflow: 'a.b+c.yml', tag: 'v1.0+x', trigger: 'push', commit: 'a'.repeat(40) });
    assert.ok(matches(p.identity, wf('o.r/re.po', 'a.b+c.yml', 'refs/tags/v1.0+x')));
    assert.ok(!matches(p.identity, wf('oXr/reXpo', 'a.b+c.yml', 'refs/tags/v1.0+x')));
    assert.ok(!matches(p.identity, wf('o.r/re.po', 'a.bbbc.yml', 'refs/tags/v1.0+x')));
    assert.ok(!matches(p.identity, wf('o.r/re.po', 'a.b+c.yml', 'refs/tags/v1.00x')));
    assert.deepEqual(p.github.buildTrigger, { exact: 'push' });
    assert.deepEqual(p.github.sourceRepositoryDigest, { exact: 'a'.repeat(40) });
    assert.equal(p.slsa.sourceCommit, 'a'.repeat(40));
  });

  test('a user regexp is anchored: "https://github.com/org/repo/" is exactly that', () => {
    const m: Matcher = { regexp: 'https://github.com/org/repo/' };
    assert.ok(matches(m, 'https://github.com/org/repo/'));
    assert.ok(!matches(m, 'https://github.com/org/repo/../evil'));
    assert.ok(!matches(m, 'https://evil/?https://github.com/org/repo/'));
    assert.deepEqual(
      ['a', 'b', 'ab', 'xa'].map((v) => compilePattern('a|b').test(v)),
      [true, true, false, false],
      'alternation cannot escape the whole-value match',
    );
    assert.ok(!matches({ regexp: 'a|b' }, 'ab'));
  });

  test('registry names reach patterns only through the reference grammar and escaping', () => {
    // The reference parser already refuses regexp metacharacters in names; derivation escapes "." "_" "-" regardless.
    assert.throws(() => parseRegistryReference('ghcr.io/org/(a+)+:v1'));
    const d = deriveGithubPolicy('ghcr.io/o-r/r.e_p-o:v1')!;
    assert.ok(matches(d.identity, wf('o-r/r.e_p-o', 'x.yml', 'refs/tags/v1')));
    assert.ok(!matches(d.identity, wf('o-r/rXe_p-o', 'x.yml', 'refs/tags/v1')));
  });
});
