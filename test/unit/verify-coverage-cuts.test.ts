import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cut, ImageGraph, PlatformEntry } from '../../src/model/image-graph';
import { imageVerdict } from '../../src/verify/image/image-verdict';
import { INDEX, imagePolicy as policy, indexGraph, numberDigest as d, platformEntry, verificationsBy } from '../support/image-graphs';

// The coverage rule over hand-made graphs: entries that could not be examined, nested indexes,
// and what the walk's caps cut. The manifests that must be covered are exactly those a runtime
// could select; anything not examined blocks "verified" unless an index above commits to it.
const NESTED = d(9);
const ID = 'https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0';
const SLSA = 'https://slsa.dev/provenance/v1';

const platform = (n: number, key: string, extra: Partial<PlatformEntry> = {}): PlatformEntry => platformEntry(key, d(n), extra);
const graph = (platforms: PlatformEntry[], extra: Partial<ImageGraph> = {}): ImageGraph => indexGraph(INDEX, platforms, extra);
const add = verificationsBy({ identity: ID });
const cutProblem = (cut: Cut, at = `entries of ${cut.index ?? INDEX}`) => ({
  at,
  code: 'TRUNCATED',
  message: `Index ${cut.index} lists more; ${cut.unread} of them were not examined (cap: ${cut.limit} platform manifests per image). What was not read was not checked.`,
  cut,
});

describe('coverage of what a runtime could pull', () => {
  test('an entry that could not be examined is not-checked even when its digest carries a verified signature', () => {
    const g = graph([
      platform(2, 'linux/amd64'),
      platform(3, 'linux/arm64', { problem: { code: 'NOT_A_MANIFEST', message: 'Manifest … is not valid JSON, so it is no image manifest or index.' } }),
    ]);
    const results = [add(g, d(2), 'verified'), add(g, d(3), 'verified')];
    const v = imageVerdict(g, results, policy());
    assert.deepEqual([v.state, v.verified], ['not-checked', false]);
    const arm = v.digests.find((x) => x.target === 'linux/arm64')!;
    assert.deepEqual([arm.ownState, arm.state, arm.unexamined?.code], ['verified', 'not-checked', 'NOT_A_MANIFEST']);
    assert.equal(
      v.checks.find((c) => c.evidence?.digest === d(3))?.message,
      `linux/arm64 (${d(3)}) could not be examined as an image manifest [NOT_A_MANIFEST]: Manifest … is not valid JSON, so it is no image manifest or index. A runtime could still pull it, so no signature can cover it.`,
    );
  });

  test('so is one under a signed index: the index signature commits to a digest nobody could read', () => {
    const g = graph([platform(2, 'linux/amd64'), platform(3, 'linux/arm64', { problem: { code: 'MANIFEST_UNKNOWN', message: 'not found' } })]);
    const v = imageVerdict(g, [add(g, INDEX, 'verified')], policy());
    assert.equal(v.state, 'not-checked');
  });

  test("platforms of a nested index are covered by its signature, or by the image index's, and say which", () => {
    const nested = { digest: NESTED, mediaType: 'application/vnd.oci.image.index.v1+json', size: 1, via: [] };
    const g = graph([platform(2, 'linux/amd64', { via: [NESTED] }), platform(3, 'linux/arm64', { via: [NESTED] }), platform(4, 'linux/s390x')], {
      indexes: [nested],
    });
    const v = imageVerdict(g, [add(g, NESTED, 'verified'), add(g, d(4), 'verified')], policy());
    assert.deepEqual([v.state, v.verified], ['verified', true]);
    assert.deepEqual(
      v.digests.map((x) => [x.target, x.state, x.throughIndex, x.throughDigest]),
      [
        ['index', 'unsigned', false, undefined],
        ['linux/amd64', 'verified', true, NESTED],
        ['linux/arm64', 'verified', true, NESTED],
        ['linux/s390x', 'verified', false, undefined],
      ],
    );
    assert.equal(v.checks[0]?.message, `linux/amd64 is covered through nested index ${NESTED}, which is itself covered (coverage: signatures).`);
    // Without the nested index's signature the sibling s390x signature alone covers nothing else.
    const bare = graph(g.platforms, { indexes: [nested] });
    assert.equal(imageVerdict(bare, [add(bare, d(4), 'verified')], policy()).state, 'failed');
  });

  test('a platform list cut under an unsigned index is not-checked, and the check says what was not examined', () => {
    const g = graph([platform(2, 'linux/amd64')], { problems: [cutProblem({ cap: 'platforms', limit: 1, unread: 1, index: INDEX })] });
    const v = imageVerdict(g, [add(g, d(2), 'verified')], policy());
    assert.deepEqual([v.state, v.verified], ['not-checked', false]);
    const warn = v.checks.find((c) => c.status === 'warn')!;
    assert.equal(
      warn.message,
      `Index ${INDEX} lists more; 1 of them were not examined (cap: 1 platform manifests per image). No verified signature covers the index, so what it lists beyond them could be unsigned.`,
    );
    assert.match(v.coverage, /not examined: 1 index entries \(at most 1 platforms are examined\)$/);
  });

  test('under a signed index the cut does not block: its digest commits to every entry, and the output says so', () => {
    const g = graph([platform(2, 'linux/amd64')], { problems: [cutProblem({ cap: 'platforms', limit: 1, unread: 1, index: INDEX })] });
    const v = imageVerdict(g, [add(g, INDEX, 'verified')], policy());
    assert.deepEqual([v.state, v.verified], ['verified', true]);
    assert.ok(
      v.checks.some(
        (c) =>
          c.status === 'info' &&
          c.message === '1 entries of the index were not examined; the verified signature on it covers them, since its digest commits to each of them.',
      ),
    );
    // A required attestation must then be on the index: per-platform ones cannot speak for entries not examined.
    const required = policy({ requiredPredicateTypes: [SLSA] });
    const perPlatform = graph(g.platforms, { problems: g.problems });
    const onPlatform = [add(perPlatform, INDEX, 'verified'), add(perPlatform, d(2), 'verified', { kind: 'attestation', predicateType: SLSA })];
    assert.equal(imageVerdict(perPlatform, onPlatform, required).state, 'not-checked');
    const onIndex = graph(g.platforms, { problems: g.problems });
    assert.equal(
      imageVerdict(onIndex, [add(onIndex, INDEX, 'verified'), add(onIndex, INDEX, 'verified', { kind: 'attestation', predicateType: SLSA })], required).state,
      'verified',
    );
  });

  test('a nesting cut is lifted by a signature on the nested index or any index above it', () => {
    const nested = { digest: NESTED, mediaType: 'application/vnd.oci.image.index.v1+json', size: 1, via: [] };
    const problems = [cutProblem({ cap: 'nesting', limit: 2, unread: 3, index: NESTED })];
    const g = graph([platform(2, 'linux/amd64')], { indexes: [nested], problems });
    assert.equal(imageVerdict(g, [add(g, d(2), 'verified')], policy()).state, 'not-checked');
    const signedNested = graph([platform(2, 'linux/amd64')], { indexes: [nested], problems });
    assert.equal(imageVerdict(signedNested, [add(signedNested, d(2), 'verified'), add(signedNested, NESTED, 'verified')], policy()).state, 'verified');
    const signedRoot = graph([platform(2, 'linux/amd64')], { indexes: [nested], problems });
    assert.equal(imageVerdict(signedRoot, [add(signedRoot, INDEX, 'verified')], policy()).state, 'verified');
  });

  test('signatures a cap left unread: a covered image still verifies and says how many were not read; an uncovered one is not-checked, never unsigned', () => {
    const artifactsCut = { at: 'artifacts', code: 'TRUNCATED', message: 'm', cut: { cap: 'artifacts' as const, limit: 4096, unread: 10 } };
    const covered = graph([platform(2, 'linux/amd64')], { problems: [artifactsCut] });
    const v = imageVerdict(covered, [add(covered, INDEX, 'verified')], policy());
    assert.equal(v.state, 'verified');
    assert.match(v.coverage, /not examined: 10 signatures, attestations and SBOMs \(at most 4096 per image\)$/);
    const bare = graph([platform(2, 'linux/amd64')], { problems: [artifactsCut] });
    assert.equal(imageVerdict(bare, [], policy()).state, 'not-checked');
    // A requirement not met while signed artifacts went unread cannot be called failed either.
    const req = graph([platform(2, 'linux/amd64')], { problems: [artifactsCut] });
    assert.equal(imageVerdict(req, [add(req, INDEX, 'verified')], policy({ requiredPredicateTypes: [SLSA] })).state, 'not-checked');
    // Cutting BuildKit's unsigned statements never does: they could not have met it.
    const statementsCut = { at: d(7), code: 'TRUNCATED', message: 'm', cut: { cap: 'layers' as const, limit: 64, unread: 936, unsigned: true as const } };
    const bk = graph([platform(2, 'linux/amd64')], { problems: [statementsCut] });
    assert.equal(imageVerdict(bk, [add(bk, INDEX, 'verified')], policy({ requiredPredicateTypes: [SLSA] })).state, 'failed');
  });
});
