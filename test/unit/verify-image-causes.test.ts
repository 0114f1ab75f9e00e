import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cut, ImageGraph, PlatformEntry } from '../../src/model/image-graph';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { imageVerdict } from '../../src/verify/image/image-verdict';
import type { ImageCheck } from '../../src/verify/image/image-checks';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import type { PublicKeyMaterial } from '../../src/verify/trust';
import { AMD64, ARM64, INDEX, imagePolicy, indexGraph, numberDigest as d, platformEntry, verificationsBy } from '../support/image-graphs';

// Why an image is not verified (verdict.causes), over hand-made graphs: each uncovered platform
// and each unmet requirement classified from the checks of what covers it, grouped by code and
// signer, most important first. Exact messages: every surface shows them as they are.
const S390X = d(4);
const ISSUER = 'https://token.actions.githubusercontent.com';
const wf = (repo: string, ref: string) => `https://github.com/${repo}/.github/workflows/release.yml@refs/tags/${ref}`;
const OURS = wf('org/repo', 'v1.2.0');
const FORK = wf('fork/repo', 'v1.2.0');
const SLSA = 'https://slsa.dev/provenance/v1';

const platform = (n: number, key: string, extra: Partial<PlatformEntry> = {}): PlatformEntry => platformEntry(key, d(n), extra);
const graph = (platforms: PlatformEntry[] = [platform(2, 'linux/amd64'), platform(3, 'linux/arm64')], extra: Partial<ImageGraph> = {}): ImageGraph =>
  indexGraph(INDEX, platforms, extra);

const pass = (code: ImageCheck['code']): ImageCheck => ({ code, status: 'pass', message: `${code} holds.` });
const fail = (code: ImageCheck['code'], message: string): ImageCheck => ({ code, status: 'fail', message });
/** The checks of a signature whose bytes, certificate and log verify, signed by `identity`. */
const authentic = [pass('BUNDLE_FORMAT'), pass('ARTIFACT'), pass('CERTIFICATE_CHAIN'), pass('TLOG'), pass('SIGNATURE')];
const identityFail = (identity: string) =>
  fail('IDENTITY', `The certificate identity is ${JSON.stringify(identity)}; the policy expects ${JSON.stringify(OURS)}.`);

const add = verificationsBy({ identity: OURS, issuer: ISSUER });
/** A signature by the fork: authentic, but not the identity the policy pins. */
const byFork = (g: ImageGraph, covers: string, opts: Partial<ArtifactVerification> = {}) =>
  add(g, covers, 'failed', { identity: FORK, issuer: ISSUER, checks: [...authentic, identityFail(FORK)], ...opts });
const pinned = (p: Partial<ImagePolicy> = {}): ImagePolicy => imagePolicy({ identity: { exact: OURS }, issuer: { exact: ISSUER }, ...p });

describe('verdict.causes', () => {
  test('a verified image and an excepted one have none', () => {
    const g = graph();
    assert.deepEqual(imageVerdict(g, [add(g, INDEX, 'verified')], pinned()).causes, []);
    const bare = graph();
    const excepted = imageVerdict(bare, [], pinned({ exception: { reason: 'upstream image' } }));
    assert.deepEqual([excepted.state, excepted.causes], ['excepted', []]);
  });

  test('one platform unsigned beside signed ones: "linux/s390x is not signed", with its digest', () => {
    const g = graph([platform(2, 'linux/amd64'), platform(3, 'linux/arm64'), platform(4, 'linux/s390x')]);
    const v = imageVerdict(g, [add(g, AMD64, 'verified'), add(g, ARM64, 'verified')], pinned());
    assert.deepEqual(v.causes, [{ code: 'NO_SIGNATURE', message: 'linux/s390x is not signed.', platform: 'linux/s390x', digest: S390X }]);
  });

  test('nothing signed at all: one cause for the whole image, not one per platform', () => {
    const g = graph();
    assert.deepEqual(imageVerdict(g, [], pinned()).causes, [
      {
        code: 'NO_SIGNATURE',
        message: 'The image is not signed: no signature on its index or on linux/amd64 and linux/arm64.',
        platforms: ['index', 'linux/amd64', 'linux/arm64'],
      },
    ]);
  });

  test('the index signed by another identity: IDENTITY_MISMATCH naming both, the pattern as written, never "does not verify"', () => {
    const g = graph();
    const pattern = '^https://github\\.com/org/repo/\\.github/workflows/release\\.yml@refs/tags/v1\\.2\\.0$';
    const v = imageVerdict(
      g,
      [
        byFork(g, INDEX, {
          checks: [
            ...authentic,
            identityFail(FORK),
            fail('GITHUB_CLAIMS', 'The certificate\'s source repository is "https://github.com/fork/repo"; the policy expects "https://github.com/org/repo".'),
          ],
        }),
      ],
      pinned({ identity: { regexp: pattern } }),
    );
    assert.equal(v.state, 'failed');
    assert.deepEqual(v.causes, [
      {
        code: 'IDENTITY_MISMATCH',
        message: `The index is signed by "${FORK}", but the policy expects an identity matching ${pattern}.`,
        platforms: ['index', 'linux/amd64', 'linux/arm64'],
        seen: [{ identity: FORK, issuer: ISSUER }],
        expected: { identity: { regexp: pattern }, issuer: ISSUER },
      },
    ]);
    assert.doesNotMatch(v.causes[0]!.message, /does not verify/);
  });

  test('every platform signed by the same wrong signer: one cause with the platforms, not three', () => {
    const g = graph([platform(2, 'linux/amd64'), platform(3, 'linux/arm64'), platform(4, 'linux/s390x')]);
    const v = imageVerdict(g, [byFork(g, AMD64), byFork(g, ARM64), byFork(g, S390X)], pinned());
    assert.deepEqual(
      v.causes.map((c) => [c.code, c.platforms, c.message]),
      [
        [
          'IDENTITY_MISMATCH',
          ['linux/amd64', 'linux/arm64', 'linux/s390x'],
          `linux/amd64, linux/arm64 and linux/s390x are signed by "${FORK}", but the policy expects "${OURS}".`,
        ],
      ],
    );
  });

  test('two wrong signers: one cause each', () => {
    const g = graph();
    const other = wf('someone/else', 'v9');
    const v = imageVerdict(g, [byFork(g, AMD64), byFork(g, ARM64, { identity: other, checks: [...authentic, identityFail(other)] })], pinned());
    assert.deepEqual(
      v.causes.map((c) => [c.platform, c.digest, c.seen]),
      [
        ['linux/amd64', AMD64, [{ identity: FORK, issuer: ISSUER }]],
        ['linux/arm64', ARM64, [{ identity: other, issuer: ISSUER }]],
      ],
    );
  });

  test('bytes that fail are INVALID_SIGNATURE, first, even with the identity failing beside them', () => {
    const g = graph();
    const tampered = add(g, AMD64, 'failed', {
      identity: FORK,
      issuer: ISSUER,
      checks: [pass('BUNDLE_FORMAT'), fail('SIGNATURE', 'The signature does not match the signed content.'), identityFail(FORK)],
    });
    const v = imageVerdict(g, [tampered, byFork(g, ARM64)], pinned());
    assert.deepEqual(
      v.causes.map((c) => [c.code, c.platform, c.message]),
      [
        ['INVALID_SIGNATURE', 'linux/amd64', 'The signature on linux/amd64 does not verify: The signature does not match the signed content.'],
        ['IDENTITY_MISMATCH', 'linux/arm64', `linux/arm64 is signed by "${FORK}", but the policy expects "${OURS}".`],
      ],
    );
  });

  test('the right identity from another issuer: ISSUER_MISMATCH with both issuers', () => {
    const single = graph([platform(1, 'linux/amd64')], { kind: 'manifest' });
    const v = imageVerdict(
      single,
      [
        add(single, INDEX, 'failed', {
          identity: OURS,
          issuer: 'https://accounts.example',
          checks: [
            ...authentic,
            pass('IDENTITY'),
            fail('ISSUER', 'The OIDC issuer is "https://accounts.example"; the policy expects "https://token.actions.githubusercontent.com".'),
          ],
        }),
      ],
      pinned(),
    );
    assert.deepEqual(v.causes, [
      {
        code: 'ISSUER_MISMATCH',
        platform: 'linux/amd64',
        digest: INDEX,
        message: `linux/amd64 is signed by "${OURS}" with the OIDC issuer "https://accounts.example", but the policy expects the issuer "${ISSUER}".`,
        seen: [{ identity: OURS, issuer: 'https://accounts.example' }],
        expected: { identity: OURS, issuer: ISSUER },
      },
    ]);
  });

  test('unpinned platforms beside an unsigned one: NO_SIGNATURE first, then UNPINNED with every signer seen (the pin hint data)', () => {
    const g = graph([platform(2, 'linux/amd64'), platform(3, 'linux/arm64'), platform(4, 'linux/s390x')]);
    const second = wf('org/repo', 'v1.2.1');
    const v = imageVerdict(g, [add(g, AMD64, 'unpinned'), add(g, ARM64, 'unpinned', { identity: second })], pinned({ identity: undefined, issuer: undefined }));
    assert.equal(v.state, 'failed');
    assert.deepEqual(v.causes, [
      { code: 'NO_SIGNATURE', message: 'linux/s390x is not signed.', platform: 'linux/s390x', digest: S390X },
      {
        code: 'UNPINNED',
        message: `linux/amd64 and linux/arm64 are signed by "${OURS}" and "${second}", but no identity or key is pinned, so nothing says who may sign.`,
        platforms: ['linux/amd64', 'linux/arm64'],
        seen: [
          { identity: OURS, issuer: ISSUER },
          { identity: second, issuer: ISSUER },
        ],
        expected: {},
      },
    ]);
  });

  test('keys pinned, a certificate met: IDENTITY_MISMATCH against the key fingerprints', () => {
    const g = graph();
    const key = { fingerprint: 'sha256:abcd', algorithm: 'ecdsa-p256', source: 'cosign.pub' } as PublicKeyMaterial;
    const v = imageVerdict(g, [add(g, INDEX, 'unpinned')], pinned({ identity: undefined, issuer: undefined, keys: [key] }));
    assert.deepEqual(
      v.causes.map((c) => [c.code, c.expected, c.message]),
      [['IDENTITY_MISMATCH', { keys: ['sha256:abcd'] }, `The index is signed by "${OURS}", but the policy expects the key sha256:abcd.`]],
    );
  });

  test('a key-made signature with no key given is not checked (PUBLIC_KEY), never "does not verify"', () => {
    const g = graph();
    const v = imageVerdict(
      g,
      [
        add(g, INDEX, 'failed', {
          checks: [pass('BUNDLE_FORMAT'), fail('PUBLIC_KEY', 'The bundle was signed with a managed key; pass that public key (--key) to verify it.')],
        }),
      ],
      pinned(),
    );
    assert.deepEqual(
      v.causes.map((c) => [c.code, c.problem, c.message]),
      [
        [
          'NOT_CHECKED',
          'PUBLIC_KEY',
          'linux/amd64 and linux/arm64 could not be checked: the signature on the index was made with a key, and the policy names no key to check it with (--key, or keys: in the policy file).',
        ],
      ],
    );
  });
});

describe('verdict.causes: what could not be examined, and requirements', () => {
  test('an entry that is no image manifest: NOT_CHECKED with the problem code', () => {
    const g = graph([
      platform(2, 'linux/amd64'),
      platform(3, 'linux/arm64', { problem: { code: 'NOT_A_MANIFEST', message: 'Manifest … is not valid JSON, so it is no image manifest or index.' } }),
    ]);
    const v = imageVerdict(g, [add(g, INDEX, 'verified')], pinned());
    assert.deepEqual(v.causes, [
      {
        code: 'NOT_CHECKED',
        problem: 'NOT_A_MANIFEST',
        platform: 'linux/arm64',
        digest: ARM64,
        message:
          'linux/arm64 could not be checked: it is not an image manifest that could be examined, and a runtime could still pull it: Manifest … is not valid JSON, so it is no image manifest or index.',
      },
    ]);
  });

  test("an unreadable signature tag and an unreadable signature: the registry's codes", () => {
    const g = graph([platform(2, 'linux/amd64'), platform(3, 'linux/arm64')], {
      problems: [{ at: `sha256-${AMD64.slice(7)}.sig`, code: 'REGISTRY_ERROR', message: 'HTTP 500.' }],
    });
    const unread = add(g, ARM64, 'not-checked', {
      checks: [
        {
          code: 'READ',
          status: 'warn',
          message: 'The artifact could not be read, so nothing about it was checked: GET … failed [BLOB_UNKNOWN].',
          evidence: { problem: 'BLOB_UNKNOWN' },
        },
      ],
    });
    const v = imageVerdict(g, [unread], pinned());
    assert.deepEqual(
      v.causes.map((c) => [c.code, c.problem, c.platform, c.message]),
      [
        ['NOT_CHECKED', 'REGISTRY_ERROR', 'linux/amd64', `linux/amd64 could not be checked: sha256-${AMD64.slice(7)}.sig could not be read: HTTP 500.`],
        [
          'NOT_CHECKED',
          'BLOB_UNKNOWN',
          'linux/arm64',
          'linux/arm64 could not be checked: the signature on linux/arm64 could not be read: The artifact could not be read, so nothing about it was checked: GET … failed [BLOB_UNKNOWN].',
        ],
      ],
    );
  });

  test('an index that lists no platform: failed (never unpinned), and the cause says why', () => {
    const g = graph([]);
    const v = imageVerdict(g, [add(g, INDEX, 'unpinned')], pinned({ identity: undefined, issuer: undefined }));
    assert.equal(v.state, 'failed');
    assert.deepEqual(v.causes, [
      {
        code: 'NOT_CHECKED',
        problem: 'NO_PLATFORM',
        platform: 'index',
        digest: INDEX,
        message: 'The index could not be checked: it lists no platform manifest, so nothing can be covered.',
      },
    ]);
  });

  test('a platform list cut under an unsigned index: NOT_CHECKED TRUNCATED on the index', () => {
    const cut: Cut = { cap: 'platforms', limit: 2, unread: 5, index: INDEX };
    const message = `Index ${INDEX} lists more; 5 of them were not examined (cap: 2 platform manifests per image). What was not read was not checked.`;
    const g = graph(undefined, { problems: [{ at: `entries of ${INDEX}`, code: 'TRUNCATED', message, cut }] });
    const v = imageVerdict(g, [add(g, AMD64, 'verified'), add(g, ARM64, 'verified')], pinned());
    assert.deepEqual(v.causes, [
      { code: 'NOT_CHECKED', problem: 'TRUNCATED', platform: 'index', digest: INDEX, message: `The index could not be checked: ${message}` },
    ]);
  });

  test("a required attestation present only as BuildKit's unsigned statement: MISSING_ATTESTATION says so", () => {
    const g = graph();
    const results = [add(g, INDEX, 'verified'), add(g, AMD64, 'unsigned', { kind: 'attestation', format: 'buildkit-index', predicateType: SLSA })];
    const v = imageVerdict(g, results, pinned({ requiredAttestations: [{ name: 'slsa-provenance', predicateTypes: [SLSA] }] }));
    assert.deepEqual(v.causes, [
      {
        code: 'MISSING_ATTESTATION',
        platforms: ['linux/amd64', 'linux/arm64'],
        message:
          "linux/amd64 and linux/arm64 have no verified slsa-provenance attestation, which the policy requires: only BuildKit's unsigned statement is there, which does not count.",
      },
    ]);
  });

  test('a required attestation by the wrong signer: MISSING_ATTESTATION names both sides', () => {
    const g = graph();
    const results = [add(g, INDEX, 'verified'), byFork(g, INDEX, { kind: 'attestation', predicateType: SLSA })];
    const v = imageVerdict(g, results, pinned({ requiredPredicateTypes: [SLSA] }));
    assert.deepEqual(
      v.causes.map((c) => [c.code, c.platforms, c.seen, c.expected, c.message]),
      [
        [
          'MISSING_ATTESTATION',
          ['index', 'linux/amd64', 'linux/arm64'],
          [{ identity: FORK, issuer: ISSUER }],
          { identity: OURS, issuer: ISSUER },
          `linux/amd64 and linux/arm64 have no verified ${SLSA} attestation, which the policy requires: the one on the index is signed by "${FORK}", but the policy expects "${OURS}".`,
        ],
      ],
    );
  });

  test('under signatures-or-attestations the attestation by the wrong signer is the IDENTITY_MISMATCH', () => {
    const g = graph([platform(2, 'linux/amd64')]);
    const v = imageVerdict(
      g,
      [byFork(g, INDEX, { kind: 'attestation', predicateType: 'https://slsa.dev/provenance/v0.2' })],
      pinned({ coverage: 'signatures-or-attestations' }),
    );
    assert.deepEqual(
      v.causes.map((c) => [c.code, c.platforms, c.message]),
      [['IDENTITY_MISMATCH', ['index', 'linux/amd64'], `The index has a SLSA provenance attestation signed by "${FORK}", but the policy expects "${OURS}".`]],
    );
  });

  test("under cosign's rule an unsigned platform with a verified attestation says which rule would count it", () => {
    const g = graph([platform(2, 'linux/amd64')]);
    const v = imageVerdict(g, [add(g, INDEX, 'verified', { kind: 'attestation', predicateType: SLSA })], pinned());
    assert.deepEqual(
      v.causes.map((c) => c.message),
      [
        `The image is not signed: no signature on its index or on linux/amd64; a verified attestation by ${OURS} covers it, but attestations count only under coverage: signatures-or-attestations.`,
      ],
    );
  });
});
