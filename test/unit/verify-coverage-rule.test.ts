import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoverageRule, ImagePolicy } from '../../src/verify/policy/image-policy';
import { imageVerdict } from '../../src/verify/image/image-verdict';
import { AMD64, ARM64, INDEX, imagePolicy, twoPlatformIndex, verificationsBy } from '../support/image-graphs';

// The coverage rule (docs/policy.md, `coverage`): `signatures` (cosign verify) counts
// only signatures; `signatures-or-attestations` (slsa-verifier) also counts a VERIFIED
// attestation from the pinned signer on the digest. Hand-made graphs, exact sentences.
const GEN = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.8.0';
const SLSA02 = 'https://slsa.dev/provenance/v0.2';
const SPDX = 'https://spdx.dev/Document';

const graph = twoPlatformIndex;
/** slsa-github-generator's attestations: SLSA v0.2 provenance signed by its workflow. */
const add = verificationsBy({ identity: GEN }, { kind: 'attestation', predicateType: SLSA02 });
const policy = (coverage?: CoverageRule, p: Partial<ImagePolicy> = {}): ImagePolicy => imagePolicy({ ...(coverage ? { coverage } : {}), ...p });
const coverageChecks = (v: ReturnType<typeof imageVerdict>) =>
  v.checks.filter((c) => c.code === 'COVERAGE').map((c) => [c.status, c.message, c.evidence?.coverageRule, c.evidence?.coveredBy]);

describe('coverage rule', () => {
  test('slsa-github-generator layout (one verified provenance attestation on the index, no .sig): verified under signatures-or-attestations', () => {
    const g = graph();
    const v = imageVerdict(g, [add(g, INDEX, 'verified')], policy('signatures-or-attestations'));
    assert.deepEqual([v.state, v.verified, v.coverageRule], ['verified', true, 'signatures-or-attestations']);
    assert.equal(
      v.coverage,
      `index not signed, attested by ${GEN}; linux/amd64 and linux/arm64 covered by a verified SLSA provenance attestation on the index (coverage: signatures-or-attestations); verified attestations: ${SLSA02} on the index`,
    );
    assert.deepEqual(
      v.digests.map((x) => [x.target, x.ownState, x.coveredBy, x.state, x.throughIndex, x.signedBy, x.attestedBy]),
      [
        ['index', 'verified', 'attestation', 'verified', false, [], [GEN]],
        ['linux/amd64', 'unsigned', undefined, 'verified', true, [], []],
        ['linux/arm64', 'unsigned', undefined, 'verified', true, [], []],
      ],
    );
    assert.deepEqual(
      coverageChecks(v),
      ['linux/amd64', 'linux/arm64'].map((p) => [
        'pass',
        `${p} is covered by a verified SLSA provenance attestation on the index, by ${GEN}, with no signature (coverage: signatures-or-attestations).`,
        'signatures-or-attestations',
        'attestation',
      ]),
    );
  });

  test('the same image under the default rule: unsigned, and the checks say which attestation did not count and why', () => {
    const g = graph();
    const v = imageVerdict(g, [add(g, INDEX, 'verified')], policy());
    assert.deepEqual([v.state, v.verified, v.coverageRule], ['unsigned', false, 'signatures']);
    assert.equal(
      v.coverage,
      `index not signed; linux/amd64 and linux/arm64 not covered (no signature); verified attestations: ${SLSA02} on the index; attestations do not count as signatures (coverage: signatures)`,
    );
    assert.deepEqual(coverageChecks(v)[0], [
      'fail',
      `linux/amd64 is not covered: no signature on it or on the index (coverage: signatures). A verified SLSA provenance attestation on the index by ${GEN} does not count as a signature under coverage: signatures (cosign verify's rule); coverage: signatures-or-attestations (slsa-verifier's rule) accepts it.`,
      'signatures',
      undefined,
    ]);
  });

  test('a signature and an attestation on the same digest: covered by the signature, the rule named', () => {
    const g = graph();
    const v = imageVerdict(
      g,
      [add(g, INDEX, 'verified', { kind: 'signature', predicateType: undefined }), add(g, INDEX, 'verified')],
      policy('signatures-or-attestations'),
    );
    assert.equal(v.state, 'verified');
    assert.equal(v.digests[0]!.coveredBy, 'signature');
    assert.equal(
      v.coverage,
      `index signed by ${GEN}; linux/amd64 and linux/arm64 covered through the index; no platform-level signature; verified attestations: ${SLSA02} on the index`,
    );
    assert.equal(coverageChecks(v)[0]![1], `linux/amd64 is covered through the index, signed by ${GEN} (coverage: signatures-or-attestations).`);
  });

  test('per platform: an attestation on one platform covers it, the other stays uncovered (failed)', () => {
    const g = graph();
    const v = imageVerdict(g, [add(g, AMD64, 'verified', { predicateType: SPDX })], policy('signatures-or-attestations'));
    assert.equal(v.state, 'failed');
    assert.equal(
      v.coverage,
      `index not signed; linux/amd64 covered by a verified attestation (${SPDX}) by ${GEN} (coverage: signatures-or-attestations); linux/arm64 not covered (no signature or attestation); verified attestations: ${SPDX} on linux/amd64`,
    );
    assert.deepEqual(
      coverageChecks(v).map((c) => c.slice(0, 2)),
      [
        ['pass', `linux/amd64 is covered by a verified attestation (${SPDX}) by ${GEN}, with no signature (coverage: signatures-or-attestations).`],
        ['fail', 'linux/arm64 is not covered: no signature or attestation on it or on the index (coverage: signatures-or-attestations).'],
      ],
    );
  });

  test("never verified through an attestation nobody pinned, one that failed, BuildKit's unsigned statements or an artifact about an artifact", () => {
    const rule = policy('signatures-or-attestations');
    const g1 = graph();
    const unpinned = imageVerdict(g1, [add(g1, INDEX, 'unpinned')], rule);
    assert.deepEqual([unpinned.state, unpinned.verified], ['unpinned', false]);
    assert.match(
      unpinned.coverage,
      /^index has a valid signature or attestation by .*, but no identity was pinned; linux\/amd64 and linux\/arm64 not covered \(valid signature or attestation, but no identity pinned/,
    );
    const g2 = graph();
    const failed = imageVerdict(g2, [add(g2, INDEX, 'failed')], rule);
    assert.deepEqual(
      [failed.state, failed.coverage],
      ['failed', 'the index signature does not verify; linux/amd64 and linux/arm64 not covered (no signature or attestation verifies)'],
    );
    const g3 = graph();
    const buildkit = imageVerdict(
      g3,
      [add(g3, AMD64, 'unsigned', { format: 'buildkit-index' }), add(g3, ARM64, 'unsigned', { format: 'buildkit-index' })],
      rule,
    );
    assert.equal(buildkit.state, 'unsigned');
    const g4 = graph();
    const outer = add(g4, INDEX, 'unsigned', { kind: 'sbom', predicateType: undefined });
    const nested = imageVerdict(g4, [outer, add(g4, outer.digest, 'verified', { depth: 1 })], rule);
    assert.equal(nested.state, 'unsigned');
  });

  test("required attestations still apply under either rule, and the default stays cosign's", () => {
    const g = graph();
    const v = imageVerdict(
      g,
      [add(g, INDEX, 'verified')],
      policy('signatures-or-attestations', { requiredPredicateTypes: ['https://slsa.dev/provenance/v1'] }),
    );
    assert.equal(v.state, 'failed');
    assert.equal(v.checks.find((c) => c.code === 'REQUIRED_ATTESTATION')?.status, 'fail');
    const g2 = graph();
    assert.equal(imageVerdict(g2, [add(g2, INDEX, 'verified')], policy(undefined, { requiredPredicateTypes: [SLSA02] })).state, 'unsigned');
  });
});
