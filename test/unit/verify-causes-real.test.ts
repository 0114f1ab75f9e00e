import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RegistryClient } from '../../src/registry/client';
import { buildGraph } from '../../src/registry/graph';
import { DEFAULT_LIMITS } from '../../src/registry/limits';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import { verifyImage } from '../../src/verify';
import type { ImagePolicy } from '../../src/verify/policy';
import { loadTrustRoot } from '../../src/verify/trust';
import { realFixtureDir } from '../support/real-fixtures';

// The most common real failure, on a real image: slsa-github-generator's container workflow
// (v1.8.0, `cosign save` layout in test/fixtures/real, read through `oci-layout:`) verified
// against another release of that workflow. Its attestation verifies cryptographically; only its
// signer is not the one the policy names. The cause must say so with both refs, never that the
// signature "does not verify".
const GITHUB = 'https://token.actions.githubusercontent.com';
const generator = (ref: string) => `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${ref}`;
const LAYOUT = realFixtureDir('cosign-signatures', 'slsa-github-generator-container', 'v1.8.0', 'container_workflow_dispatch');

async function verifyReal(policy: ImagePolicy) {
  const ref = parseReference(`oci-layout:${LAYOUT}`);
  // A layout needs no registry client: only its limits are read.
  const { source, target } = openReference(ref, { limits: DEFAULT_LIMITS } as RegistryClient);
  const graph = await buildGraph(source, target);
  const trustRoot = await loadTrustRoot({ offline: true });
  return verifyImage(source, graph, { policy, trustRoot });
}

const policy = (identity: string, coverage: ImagePolicy['coverage']): ImagePolicy => ({
  identity: { exact: identity },
  issuer: { exact: GITHUB },
  requiredPredicateTypes: [],
  requireTlog: true,
  coverage,
  sources: {},
});

describe('causes on the real slsa-github-generator v1.8.0 image', () => {
  test('verified against v1.7.0 of the workflow: IDENTITY_MISMATCH naming both refs', async () => {
    const r = await verifyReal(policy(generator('v1.7.0'), 'signatures-or-attestations'));
    assert.equal(r.verdict.state, 'failed');
    assert.deepEqual(r.verdict.causes, [
      {
        code: 'IDENTITY_MISMATCH',
        message: `The index has a SLSA provenance attestation signed by "${generator('v1.8.0')}", but the policy expects "${generator('v1.7.0')}".`,
        platforms: ['index', 'linux/amd64'],
        seen: [{ identity: generator('v1.8.0'), issuer: GITHUB }],
        expected: { identity: generator('v1.7.0'), issuer: GITHUB },
      },
    ]);
    assert.ok(r.verdict.causes.every((c) => !/does not verify/.test(c.message)));
  });

  test("under cosign's rule the same image is not signed: NO_SIGNATURE for the whole image", async () => {
    const r = await verifyReal(policy(generator('v1.7.0'), 'signatures'));
    assert.deepEqual(
      r.verdict.causes.map((c) => [c.code, c.platforms, c.message]),
      [['NO_SIGNATURE', ['index', 'linux/amd64'], 'The image is not signed: no signature on its index or on linux/amd64.']],
    );
  });

  test('with its own ref it is verified, and has no cause', async () => {
    const r = await verifyReal(policy(generator('v1.8.0'), 'signatures-or-attestations'));
    assert.deepEqual([r.verdict.state, r.verdict.causes], ['verified', []]);
  });
});
