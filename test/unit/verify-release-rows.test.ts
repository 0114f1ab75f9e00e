import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { imageVerdict } from '../../src/verify/image/image-verdict';
import { platformRows, summarizeRelease } from '../../src/cli/release-rows';
import { AMD64, ARM64, INDEX, imagePolicy as policy, twoPlatformIndex, verificationsBy } from '../support/image-graphs';

// The rows `verify --release` prints per image and platform, and the exit code a release job
// acts on, over hand-made verdicts.
const ID = 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v1.0.0';
const SLSA = 'https://slsa.dev/provenance/v1';

const graph = twoPlatformIndex;
const add = verificationsBy({ identity: ID });

describe('verify --release rows', () => {
  test('index signed, attestation on one platform: who covers each platform and what attests it', () => {
    const g = graph();
    const v = imageVerdict(g, [add(g, INDEX, 'verified'), add(g, AMD64, 'verified', { kind: 'attestation', predicateType: SLSA })], policy());
    assert.deepEqual(platformRows(v), [
      { platform: 'linux/amd64', digest: AMD64, state: 'verified', signedBy: [`${ID} (index)`], attestations: [SLSA], missing: [] },
      { platform: 'linux/arm64', digest: ARM64, state: 'verified', signedBy: [`${ID} (index)`], attestations: [], missing: [] },
    ]);
  });

  test('a covered platform without a required attestation is failed, naming what is missing', () => {
    const g = graph();
    const v = imageVerdict(
      g,
      [add(g, INDEX, 'verified'), add(g, AMD64, 'verified', { kind: 'attestation', predicateType: SLSA })],
      policy({ requiredPredicateTypes: [SLSA] }),
    );
    assert.deepEqual(
      platformRows(v).map((r) => [r.platform, r.state, r.missing]),
      [
        ['linux/amd64', 'verified', []],
        ['linux/arm64', 'failed', [SLSA]],
      ],
    );
  });

  test('attestation coverage and unpinned signers are labelled; an excepted image is excepted on every row', () => {
    const g = graph();
    const attested = imageVerdict(
      g,
      [add(g, INDEX, 'verified', { kind: 'attestation', predicateType: SLSA })],
      policy({ coverage: 'signatures-or-attestations' }),
    );
    assert.deepEqual(
      platformRows(attested).map((r) => r.signedBy),
      [[`${ID} (index attestation)`], [`${ID} (index attestation)`]],
    );
    const g2 = graph();
    const own = imageVerdict(
      g2,
      [add(g2, AMD64, 'verified', { kind: 'attestation', predicateType: SLSA })],
      policy({ coverage: 'signatures-or-attestations' }),
    );
    assert.deepEqual(
      platformRows(own).map((r) => [r.state, r.signedBy]),
      [
        ['verified', [`${ID} (attestation)`]],
        ['unsigned', []],
      ],
    );
    const g3 = graph();
    assert.deepEqual(
      platformRows(imageVerdict(g3, [add(g3, INDEX, 'unpinned')], policy())).map((r) => [r.state, r.signedBy]),
      [
        ['unpinned', [`${ID} (unpinned)`]],
        ['unpinned', [`${ID} (unpinned)`]],
      ],
    );
    const g4 = graph();
    assert.deepEqual(
      platformRows(imageVerdict(g4, [], policy({ exception: { reason: 'upstream' } }))).map((r) => r.state),
      ['excepted', 'excepted'],
    );
  });

  test('exit codes: 0 only when all verified or excepted; 1 on any definite failure; else 2 for not checked or nothing to check', () => {
    assert.equal(summarizeRelease(['verified', 'excepted']).exitCode, 0);
    assert.equal(summarizeRelease(['verified', 'unsigned', 'not-checked']).exitCode, 1);
    assert.equal(summarizeRelease(['verified', 'unpinned']).exitCode, 1);
    assert.equal(summarizeRelease(['failed']).exitCode, 1);
    assert.equal(summarizeRelease(['verified', 'not-checked']).exitCode, 1, 'a not-checked verdict is not verified');
    assert.equal(summarizeRelease(['verified', undefined]).exitCode, 2, 'an image with no verdict at all');
    assert.equal(summarizeRelease([]).exitCode, 2);
    assert.deepEqual(summarizeRelease(['verified', 'unsigned', 'not-checked', 'excepted']), {
      images: 4,
      verified: 1,
      excepted: 1,
      failed: 0,
      unsigned: 1,
      unpinned: 0,
      notChecked: 1,
      exitCode: 1,
    });
  });
});
