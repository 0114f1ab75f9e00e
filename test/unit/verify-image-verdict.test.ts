import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageGraph } from '../../src/model/image-graph';
import { imageVerdict } from '../../src/verify/image/image-verdict';
import { AMD64, ARM64, INDEX, imagePolicy as policy, indexGraph, platformEntry, twoPlatformIndex, verificationsBy } from '../support/image-graphs';

// The verdict rules (README.md, "What \"verified\" means") over hand-made graphs: which
// digest each signature covers, what the index covers, what "unpinned", "not checked" and
// exceptions do.
const ID = 'https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0';
const SLSA = 'https://slsa.dev/provenance/v1';

/** An index of linux/amd64 and linux/arm64, or a single-platform manifest (its digest is INDEX). */
function graph(kind: 'index' | 'manifest' = 'index', problems: ImageGraph['problems'] = []): ImageGraph {
  return kind === 'index' ? twoPlatformIndex({ problems }) : indexGraph(INDEX, [platformEntry('linux/amd64', INDEX)], { kind, problems });
}
const add = verificationsBy({ identity: ID });

describe('image verdict', () => {
  test('index-only signing covers every platform; the sentence says so', () => {
    const g = graph();
    const results = [add(g, INDEX, 'verified')];
    const v = imageVerdict(g, results, policy());
    assert.deepEqual([v.state, v.verified], ['verified', true]);
    assert.equal(v.coverage, `index signed by ${ID}; linux/amd64 and linux/arm64 covered through the index; no platform-level signature`);
    assert.deepEqual(
      v.digests.map((x) => [x.target, x.ownState, x.state, x.throughIndex]),
      [
        ['index', 'verified', 'verified', false],
        ['linux/amd64', 'unsigned', 'verified', true],
        ['linux/arm64', 'unsigned', 'verified', true],
      ],
    );
  });

  test('one platform signed, the other not: failed, and the uncovered platform is named', () => {
    const g = graph();
    const v = imageVerdict(g, [add(g, AMD64, 'verified')], policy());
    assert.equal(v.state, 'failed');
    assert.equal(v.coverage, `index not signed; linux/amd64 signed by ${ID}; linux/arm64 not covered (no signature)`);
    assert.deepEqual(
      v.checks.map((c) => [c.code, c.status]),
      [
        ['COVERAGE', 'pass'],
        ['COVERAGE', 'fail'],
      ],
    );
  });

  test('a valid signature nobody pinned is "unpinned", never verified', () => {
    const g = graph();
    const v = imageVerdict(g, [add(g, INDEX, 'unpinned')], policy());
    assert.deepEqual([v.state, v.verified], ['unpinned', false]);
    assert.match(
      v.coverage,
      /^index has a valid signature by .*, but no identity was pinned; linux\/amd64 and linux\/arm64 not covered \(valid signature, but no identity pinned/,
    );
  });

  test('one verified signature is enough; a failing one beside it is listed, not blocking (as cosign)', () => {
    const g = graph('manifest');
    const v = imageVerdict(g, [add(g, INDEX, 'failed'), add(g, INDEX, 'verified')], policy());
    assert.equal(v.state, 'verified');
    assert.equal(v.coverage, `linux/amd64 signed by ${ID}`);
  });

  test('an unreadable signature tag makes a digest "not checked", never "unsigned"', () => {
    const g = graph('index', [{ at: `sha256-${INDEX.slice(7)}.sig`, code: 'REGISTRY_ERROR', message: '500' }]);
    const v = imageVerdict(g, [], policy());
    assert.equal(v.state, 'not-checked');
    assert.deepEqual(
      v.digests.map((x) => x.state),
      ['not-checked', 'not-checked', 'not-checked'],
    );
    assert.equal(v.digests[0]!.problems.length, 1);
    assert.match(v.coverage, /the index signatures could not be read; linux\/amd64 and linux\/arm64 not covered \(could not be read\)/);
  });

  test('an attestation is not a signature; cosign v3 sign statements are', () => {
    const g = graph('manifest');
    const att = imageVerdict(g, [add(g, INDEX, 'verified', { kind: 'attestation', predicateType: SLSA })], policy());
    assert.equal(att.state, 'unsigned');
    assert.equal(
      att.coverage,
      `linux/amd64 not covered (no signature); verified attestations: ${SLSA} on linux/amd64; attestations do not count as signatures (coverage: signatures)`,
    );
    const g2 = graph('manifest');
    const sign = imageVerdict(
      g2,
      [add(g2, INDEX, 'verified', { kind: 'signature', format: 'referrer', predicateType: 'https://sigstore.dev/cosign/sign/v1' })],
      policy(),
    );
    assert.equal(sign.state, 'verified');
  });

  test("required attestations: met per platform by a verified one on the index or the platform; BuildKit's never", () => {
    const g = graph();
    const results = [
      add(g, INDEX, 'verified'),
      add(g, AMD64, 'verified', { kind: 'attestation', predicateType: SLSA }),
      add(g, ARM64, 'unsigned', { kind: 'attestation', format: 'buildkit-index', predicateType: SLSA }),
    ];
    const v = imageVerdict(g, results, policy({ requiredPredicateTypes: [SLSA] }));
    assert.equal(v.state, 'failed');
    const req = v.checks.find((c) => c.code === 'REQUIRED_ATTESTATION')!;
    assert.equal(req.status, 'fail');
    assert.deepEqual(req.evidence?.platforms, ['linux/arm64']);
    assert.match(req.message, /none covers linux\/arm64 \(one exists, but it is unsigned, by another signer or failing/);

    const g2 = graph();
    const onIndex = imageVerdict(
      g2,
      [add(g2, INDEX, 'verified'), add(g2, INDEX, 'verified', { kind: 'attestation', predicateType: SLSA })],
      policy({ requiredPredicateTypes: [SLSA] }),
    );
    assert.equal(onIndex.state, 'verified');
  });

  test("a requirement with alternatives (a policy file's slsa-provenance) is met by any of its types", () => {
    const g = graph('manifest');
    const p = {
      ...policy({ requiredPredicateTypes: [] }),
      requiredAttestations: [{ name: 'slsa-provenance', predicateTypes: ['https://slsa.dev/provenance/v0.2', SLSA] }],
    };
    const v = imageVerdict(
      g,
      [add(g, INDEX, 'verified'), add(g, INDEX, 'verified', { kind: 'attestation', predicateType: 'https://slsa.dev/provenance/v0.2' })],
      p,
    );
    assert.equal(v.state, 'verified');
    assert.match(v.checks.find((c) => c.code === 'REQUIRED_ATTESTATION')!.message, /A verified slsa-provenance attestation covers every platform/);
  });

  test('an exception makes an unsigned image "excepted" with the reason, never verified; it does not excuse a failing one', () => {
    const g = graph();
    const reason = 'built by the upstream project, not signed';
    const v = imageVerdict(g, [], policy({ exception: { reason } }));
    assert.deepEqual([v.state, v.verified, v.exception], ['excepted', false, { reason }]);
    assert.match(v.coverage, new RegExp(`^not signed, excepted by the policy: ${reason}`));
    const g2 = graph();
    const failing = imageVerdict(g2, [add(g2, INDEX, 'failed')], policy({ exception: { reason } }));
    assert.equal(failing.state, 'failed');
    assert.equal(failing.exception, undefined);
  });

  test('artifacts about artifacts never count towards coverage', () => {
    const g = graph('manifest');
    const r = add(g, INDEX, 'verified', { kind: 'attestation', predicateType: SLSA });
    const nested = add(g, r.digest, 'verified');
    g.artifacts[1]!.depth = 1;
    assert.equal(imageVerdict(g, [r, nested], policy()).state, 'unsigned');
  });
});
