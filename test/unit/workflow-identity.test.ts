// GitHub Actions signing identities (Fulcio's Build Signer URI) read once, for naming, comparing
// and pinning signers; real identities from the real fixtures' certificates where the shape matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRepositoryWorkflow, workflowIdentity } from '../../src/claims/workflow-identity';

test('a release workflow at a tag, and a reusable workflow at its own version', () => {
  assert.deepEqual(workflowIdentity('https://github.com/rancher/fleet/.github/workflows/release.yml@refs/tags/v0.13.0'), {
    repository: 'rancher/fleet',
    path: '.github/workflows/release.yml',
    file: 'release.yml',
    ref: 'refs/tags/v0.13.0',
  });
  const reusable = workflowIdentity('https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.7.0');
  assert.equal(reusable?.repository, 'slsa-framework/slsa-github-generator');
  assert.equal(reusable?.file, 'generator_container_slsa3.yml');
  assert.ok(reusable && isRepositoryWorkflow(reusable));
});

test('other identities are not workflows; a workflow outside .github/workflows or without a ref cannot be pinned as one', () => {
  for (const id of [
    'release@example.com',
    'https://gitlab.com/org/app//.gitlab-ci.yml@refs/heads/main',
    'https://github.com/org/app/.github/workflows/x.yml',
  ]) {
    assert.equal(workflowIdentity(id), undefined, id);
  }
  // An organisation's `.github` repository is a repository like any other.
  const dotGithub = workflowIdentity('https://github.com/org/.github/workflows/x.yml@refs/heads/main');
  assert.deepEqual(dotGithub && [dotGithub.repository, dotGithub.path, isRepositoryWorkflow(dotGithub)], ['org/.github', 'workflows/x.yml', false]);
  const odd = workflowIdentity('https://github.com/org/app/tools/release.yml@main');
  assert.deepEqual(odd && { path: odd.path, ref: odd.ref, pinnable: isRepositoryWorkflow(odd) }, { path: 'tools/release.yml', ref: 'main', pinnable: false });
});
