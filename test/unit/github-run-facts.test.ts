// What the image panel shows of a GitHub artifact attestation, from the engine: the run's claims in
// the signing certificate (repository, workflow, run, runner environment, visibility), the root of
// the instance that signed, and the SLSA v1 GitHub build type's workflow and runner, on a real
// attestation from GitHub's instance (a private repository's wheel).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Artifact } from '../../src/model/image-graph';
import { readProvenance } from '../../src/provenance/summary';
import { verifyArtifact } from '../../src/verify/image/verify-artifact';
import { loadTrustRoot } from '../../src/verify/trust/trust-root';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { realFixture } from '../support/real-fixtures';

const bytes = readFileSync(realFixture('sigstore-bundles', 'gh-cli', 'github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl'));
const WHEEL = 'sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b';
const artifact: Artifact = {
  coversDigest: WHEEL,
  kind: 'attestation',
  format: 'bundle-file',
  digest: `sha256:${'a'.repeat(64)}`,
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  size: bytes.length,
  origin: 'wheel.jsonl',
};

describe("a GitHub attestation's run, as the engine reports it", () => {
  let roots: TrustRoot;
  before(async () => {
    roots = await loadTrustRoot();
  });

  test("the certificate's claims about the run and the instance that signed", () => {
    const policy = {
      requiredPredicateTypes: [],
      requireTlog: true,
      sources: {},
      identity: { exact: 'https://github.com/actions/attest-demo/.github/workflows/build-python.yml@refs/heads/main' },
      issuer: { exact: 'https://token.actions.githubusercontent.com' },
    };
    const v = verifyArtifact(artifact, { kind: 'bundle', bytes }, { policy, trustRoot: roots });
    assert.equal(v.state, 'verified', JSON.stringify(v.checks.filter((c) => c.status !== 'pass')));
    assert.equal(v.trustRoot?.instance, 'github');
    assert.deepEqual(v.github, {
      signerWorkflow: 'https://github.com/actions/attest-demo/.github/workflows/build-python.yml@refs/heads/main',
      runnerEnvironment: 'github-hosted',
      repository: 'https://github.com/actions/attest-demo',
      commit: 'a6c23b9806c593664f68637c8f9d45dfcf98b2db',
      ref: 'refs/heads/main',
      owner: 'https://github.com/actions',
      workflow: 'https://github.com/actions/attest-demo/.github/workflows/build-python.yml@refs/heads/main',
      trigger: 'workflow_dispatch',
      run: 'https://github.com/actions/attest-demo/actions/runs/8788389601/attempts/1',
      visibility: 'private',
    });
  });

  test('the SLSA v1 GitHub build type: workflow, runner environment and run page', () => {
    const doc = readProvenance(bytes);
    assert.deepEqual(doc.summary.workflow, {
      repository: 'https://github.com/actions/attest-demo',
      ref: 'refs/heads/main',
      path: '.github/workflows/build-python.yml',
      runnerEnvironment: 'github-hosted',
    });
    assert.equal(doc.summary.runUrl, 'https://github.com/actions/attest-demo/actions/runs/8788389601/attempts/1');
    assert.equal(doc.summary.trigger, 'workflow_dispatch');
    assert.equal(doc.summary.knownBuildType?.family, 'github-actions');
  });
});
