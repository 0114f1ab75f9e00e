import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { knownBuildType } from '../../src/claims/build-types';
import { selectPlatforms } from '../../src/provenance/collect';
import { statementCovers } from '../../src/claims/statement';
import { isSlsaProvenance, slsaVersionOf, summarizePredicate } from '../../src/provenance/summary';
import type { ImageGraph, PlatformEntry } from '../../src/model/image-graph';

const V1 = 'https://slsa.dev/provenance/v1';
const V02 = 'https://slsa.dev/provenance/v0.2';
const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('build types and predicate types', () => {
  test('every known build type has its label', () => {
    const labels = [
      'https://mobyproject.org/buildkit@v1',
      'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md',
      'https://github.com/slsa-framework/slsa-github-generator/container@v1',
      'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
      'https://actions.github.io/buildtypes/workflow/v1',
      'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      'https://github.com/npm/cli/gha/v2',
      'https://github.com/npm/cli/gitlab/v0alpha1',
      'https://cloud.google.com/build/gcb-buildtypes/google-worker/v1',
      'https://cloudbuild.googleapis.com/CloudBuildYaml@v1',
      'https://cloudbuild.googleapis.com/CloudBuildSteps@v0.1',
    ].map((t) => knownBuildType(t)?.label);
    assert.deepEqual(labels, [
      'BuildKit',
      'BuildKit',
      'slsa-github-generator (container)',
      'slsa-github-generator (generic)',
      'GitHub Actions workflow',
      'GitHub Actions workflow',
      'npm CLI on GitHub Actions',
      'npm CLI on GitLab CI/CD',
      'Google Cloud Build',
      'Google Cloud Build',
      'Google Cloud Build',
    ]);
    assert.equal(knownBuildType('https://mobyproject.org/buildkit@v1 '), undefined);
    assert.equal(knownBuildType('https://example.com/my-builder@v1'), undefined);
  });

  test('SLSA predicate types', () => {
    assert.equal(slsaVersionOf(V02), '0.2');
    assert.equal(slsaVersionOf(V1), '1');
    assert.equal(slsaVersionOf('https://slsa.dev/provenance/v1.1'), '1');
    assert.equal(slsaVersionOf('https://slsa.dev/provenance/v1-rc1'), '1');
    assert.equal(isSlsaProvenance('https://slsa.dev/provenance/v0.1'), false);
    assert.equal(isSlsaProvenance('https://slsa.dev/provenance/v10'), false);
    assert.equal(isSlsaProvenance('https://spdx.dev/Document'), false);
    assert.equal(isSlsaProvenance(undefined), false);
  });
});

describe('source derivation paths the real fixtures do not reach', () => {
  test('BuildKit v1: configSource wins; without it, buildx vcs metadata; without that, vcs:* args, then OCI labels', () => {
    const bk = (external: unknown, metadata: unknown = {}) =>
      summarizePredicate(V1, {
        buildDefinition: { buildType: 'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md', externalParameters: external },
        runDetails: { builder: { id: '' }, metadata },
      });
    const config = bk({
      configSource: { uri: 'https://github.com/moby/buildkit.git#refs/tags/v0.11.0', digest: { sha1: SHA }, path: 'Dockerfile' },
      request: { frontend: 'dockerfile.v0' },
    });
    assert.deepEqual(
      [config.source?.from, config.source?.repository, config.source?.ref, config.source?.commit, config.source?.path],
      ['configSource', 'https://github.com/moby/buildkit', 'refs/tags/v0.11.0', SHA, 'Dockerfile'],
    );
    assert.equal(config.parameters.entryPoint, 'Dockerfile');
    const vcs = bk({ request: {} }, { buildkit_metadata: { vcs: { source: 'https://github.com/org/app', revision: SHA } }, buildkit_hermetic: true });
    assert.deepEqual([vcs.source?.from, vcs.source?.repository, vcs.source?.commit, vcs.hermetic], ['buildkit-vcs', 'https://github.com/org/app', SHA, true]);
    const args = bk({
      request: {
        args: { 'vcs:source': 'https://github.com/org/app', 'vcs:revision': SHA, 'label:org.opencontainers.image.source': 'https://github.com/elsewhere/x' },
      },
    });
    assert.deepEqual([args.source?.from, args.source?.repository, args.source?.commit], ['build-args', 'https://github.com/org/app', SHA]);
    const labels = bk({
      request: { args: { 'label:org.opencontainers.image.source': 'https://github.com/org/app', 'label:org.opencontainers.image.revision': SHA } },
    });
    assert.deepEqual([labels.source?.from, labels.source?.repository, labels.source?.commit], ['image-labels', 'https://github.com/org/app', SHA]);
  });

  test('GitHub Actions workflow v1: inputs surfaced with raw values; commit from the dependency of the same repository', () => {
    const s = summarizePredicate(V1, {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: { ref: 'refs/tags/v2.0.0', repository: 'https://github.com/rancher/fleet', path: '.github/workflows/release.yml' },
          inputs: { dry_run: false, tag: 'v2.0.0' },
        },
        internalParameters: { github: { event_name: 'push', runner_environment: 'github-hosted' } },
        resolvedDependencies: [
          { uri: 'pkg:docker/golang@1.22', digest: { sha256: 'b'.repeat(64) } },
          { uri: 'git+https://github.com/rancher/fleet@refs/tags/v2.0.0', digest: { gitCommit: SHA } },
        ],
      },
      runDetails: {
        builder: { id: 'https://github.com/actions/runner/github-hosted' },
        metadata: { invocationId: 'https://github.com/rancher/fleet/actions/runs/42/attempts/2' },
        byproducts: [{ name: 'log' }],
      },
    });
    assert.deepEqual(s.source, {
      from: 'workflow',
      repository: 'https://github.com/rancher/fleet',
      ref: 'refs/tags/v2.0.0',
      commit: SHA,
      uri: 'https://github.com/rancher/fleet',
      path: '.github/workflows/release.yml',
      repositoryUrl: 'https://github.com/rancher/fleet',
      commitUrl: `https://github.com/rancher/fleet/commit/${SHA}`,
    });
    assert.deepEqual(s.parameters.inputs, [
      { name: 'dry_run', value: false },
      { name: 'tag', value: 'v2.0.0' },
    ]);
    assert.equal(s.runUrl, 'https://github.com/rancher/fleet/actions/runs/42/attempts/2');
    assert.deepEqual(s.unknown, { 'runDetails.byproducts': [{ name: 'log' }] });
  });

  test('Google Cloud Build v1: buildConfigSource', () => {
    const s = summarizePredicate(V1, {
      buildDefinition: {
        buildType: 'https://cloud.google.com/build/gcb-buildtypes/google-worker/v1',
        externalParameters: { buildConfigSource: { ref: 'refs/heads/main', repository: 'git+https://github.com/org/app', path: 'cloudbuild.yaml' } },
        resolvedDependencies: [{ uri: 'git+https://github.com/org/app@refs/heads/main', digest: { gitCommit: SHA } }],
      },
      runDetails: {
        builder: { id: 'https://cloudbuild.googleapis.com/GoogleHostedWorker', version: { 'cloudbuild.googleapis.com/GoogleHostedWorker': 'v0.3' } },
        metadata: { invocationId: 'https://cloudbuild.googleapis.com/v1/projects/p/locations/global/builds/b' },
      },
    });
    assert.deepEqual(
      [s.knownBuildType?.label, s.source?.from, s.source?.repository, s.source?.ref, s.source?.commit, s.source?.path],
      ['Google Cloud Build', 'buildConfigSource', 'https://github.com/org/app', 'refs/heads/main', SHA, 'cloudbuild.yaml'],
    );
    assert.deepEqual(s.builder.version, { 'cloudbuild.googleapis.com/GoogleHostedWorker': 'v0.3' });
    assert.equal(s.runUrl, undefined);
  });

  test('an unknown build type is still summarised from the generic fields', () => {
    const s = summarizePredicate(V02, {
      builder: { id: 'https://ci.example.org/builder' },
      buildType: 'https://ci.example.org/type@v1',
      materials: [{ uri: `git+https://git.example.org/app@${SHA}`, digest: { sha1: SHA } }],
      metadata: { buildStartedOn: '2025-01-01T00:00:00Z', reproducible: true },
    });
    assert.equal(s.knownBuildType, undefined);
    assert.deepEqual(
      [s.source?.from, s.source?.repository, s.source?.commit, s.source?.repositoryUrl],
      ['materials', 'https://git.example.org/app', SHA, 'https://git.example.org/app'],
    );
    assert.equal(s.reproducible, true);
  });
});

describe('subjects and platforms', () => {
  test('statementCovers compares algorithm and hex, any subject, case-insensitively in the hex', () => {
    const st = { subject: [{ digest: { sha512: 'ff' } }, { name: 'x', digest: { sha256: 'AB'.repeat(32) } }] };
    assert.ok(statementCovers(st, `sha256:${'ab'.repeat(32)}`));
    assert.ok(!statementCovers(st, `sha512:${'ab'.repeat(32)}`));
    assert.ok(!statementCovers(st, 'ab'.repeat(32)));
    assert.ok(!statementCovers({ subject: [{ digest: 'sha256:x' }, null] }, 'sha256:x'));
  });

  test('selectPlatforms: every platform, an exact one, or os/arch when it names a single variant', () => {
    const p = (platform: string): PlatformEntry => {
      const [os = '', architecture = '', variant] = platform.split('/');
      return { platform, os, architecture, ...(variant ? { variant } : {}), digest: `sha256:${platform}`, mediaType: '', size: 0 };
    };
    const graph = { platforms: [p('linux/amd64'), p('linux/arm/v6'), p('linux/arm/v7'), p('linux/arm64/v8')] } as ImageGraph;
    assert.equal(selectPlatforms(graph, undefined).length, 4);
    assert.deepEqual(
      selectPlatforms(graph, 'linux/arm/v7').map((x) => x.platform),
      ['linux/arm/v7'],
    );
    assert.deepEqual(
      selectPlatforms(graph, 'linux/arm64').map((x) => x.platform),
      ['linux/arm64/v8'],
    );
    assert.deepEqual(selectPlatforms(graph, 'linux/arm'), []);
    assert.deepEqual(selectPlatforms(graph, 'windows/amd64'), []);
  });
});
