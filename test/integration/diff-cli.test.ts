import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageDiff } from '../../src/diff';
import { cli } from '../support/cli';
import { PREDICATE } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import { cosignAttest } from '../support/sigstore/cosign';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushCosignLayers, pushSignedRelease } from '../support/sigstore/release';
import type { SignedRelease } from '../support/sigstore/release';

// One source tag built twice, from two commits, through a real registry with the mini Sigstore:
// what `diff` says when a release tag moved. Beside it the other changes a release can bring: a
// platform gone, BuildKit's SBOM statements gone, a platform written `linux/arm64` instead of
// `linux/arm64/v8`, and packages changed in a signed CycloneDX SBOM (`cosign attest --type
// cyclonedx`).

const TAG = 'v1.0.0';
const COMMIT_A = 'a'.repeat(40);
const COMMIT_B = 'b'.repeat(40);
const CYCLONEDX = 'https://cyclonedx.org/bom';

const bom = (components: unknown[]) => ({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components });
const OLD_BOM = bom([
  {
    type: 'library',
    name: 'express',
    version: '4.18.2',
    purl: 'pkg:npm/express@4.18.2',
    components: [{ type: 'library', name: 'qs', version: '6.11.0', purl: 'pkg:npm/qs@6.11.0' }],
  },
  { type: 'operating-system', name: 'debian', version: '12.2' },
]);
const NEW_BOM = bom([
  {
    type: 'library',
    name: 'express',
    version: '4.19.2',
    purl: 'pkg:npm/express@4.19.2',
    components: [{ type: 'library', name: 'qs', version: '6.11.0', purl: 'pkg:npm/qs@6.11.0' }],
  },
  { type: 'operating-system', name: 'debian', version: '12.5' },
  { type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' },
]);

describe('diff through a real registry: one tag, two commits', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let rootPath: string;
  let first: SignedRelease;
  let moved: SignedRelease;
  let rebuilt: SignedRelease;
  let unsignedProvenance: SignedRelease;
  let identity: string;

  /** A signed CycloneDX SBOM attestation about the release's linux/amd64, by the release's own workflow. */
  async function attachBom(release: SignedRelease, commit: string, predicate: unknown): Promise<void> {
    const amd64 = release.index.platforms.find((p) => p.key === 'linux/amd64')!.digest;
    const signer = await mini.githubIdentity({ repository: 'acme/app', ref: `refs/tags/${TAG}`, sha: commit });
    const layer = cosignAttest(signer, { digest: amd64, subjectName: release.reference, predicateType: CYCLONEDX, predicate, log: mini.log });
    await pushCosignLayers(reg, release.repo, amd64, 'att', [layer]);
  }

  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    rootPath = await mini.writeTrustedRoot(await mkdtemp(join(tmpdir(), 'pl-diff-')));
    const common = { sigstore: mini, tag: TAG, sourceRepository: 'acme/app', cosignSignatures: ['index'], cosignAttestations: ['index'] };
    first = await pushSignedRelease(reg, 'acme/app-first', {
      ...common,
      sourceCommit: COMMIT_A,
      contentSeed: 'first',
      platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/s390x'],
    });
    moved = await pushSignedRelease(reg, 'acme/app-moved', {
      ...common,
      sourceCommit: COMMIT_B,
      contentSeed: 'moved',
      platforms: ['linux/amd64', 'linux/arm64'],
      buildkitPredicateTypes: [PREDICATE.slsaV1],
    });
    rebuilt = await pushSignedRelease(reg, 'acme/app-rebuilt', {
      ...common,
      sourceCommit: COMMIT_A,
      contentSeed: 'rebuilt',
      platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/s390x'],
    });
    await attachBom(first, COMMIT_A, OLD_BOM);
    await attachBom(moved, COMMIT_B, NEW_BOM);
    // Signed as before, but its provenance left to BuildKit's unsigned in-index statement: no `cosign attest`.
    unsignedProvenance = await pushSignedRelease(reg, 'acme/app-unsigned-provenance', {
      ...common,
      cosignAttestations: [],
      sourceCommit: COMMIT_A,
      contentSeed: 'first',
      platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/s390x'],
    });
    await attachBom(rebuilt, COMMIT_A, OLD_BOM);
    await attachBom(unsignedProvenance, COMMIT_A, OLD_BOM);
    identity = first.signer.identity!;
  });
  after(async () => {
    await reg?.stop();
    await mini?.dispose();
  });

  const ref = (r: SignedRelease): string => `${reg.host}/${r.repo}:${TAG}`;
  const digestOf = (r: SignedRelease, key: string): string => r.index.platforms.find((p) => p.key === key)!.digest;
  async function diff(a: SignedRelease, b: SignedRelease, ...more: string[]): Promise<ImageDiff> {
    const r = await cli(['diff', ref(a), ref(b), '--insecure-registry', reg.host, '--trusted-root', rootPath, '--json', ...more]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as ImageDiff;
  }

  test('the tag moved: SAME_REF_OTHER_COMMIT, the same signer, a platform gone, the SBOM statements gone', async () => {
    const d = await diff(first, moved);
    assert.deepEqual([d.old.digest, d.new.digest], [first.index.digest, moved.index.digest]);
    assert.deepEqual(
      d.warnings.map((w) => w.code),
      ['SAME_REF_OTHER_COMMIT', 'PLATFORM_REMOVED', 'ATTESTATION_DROPPED'],
    );
    assert.equal(
      d.warnings[0]!.message,
      `Both images say they were built from refs/tags/${TAG}: the old one from commit ${COMMIT_A}, the new one from ${COMMIT_B}. The tag was moved, or a build did not come from the tag it names.`,
    );
    // Each run of the workflow has its own certificate; the identity is the same, so the signer did not change.
    assert.equal(identity, `https://github.com/acme/app/.github/workflows/release.yml@refs/tags/${TAG}`);
    assert.deepEqual(d.signers, { old: [{ identity, issuer: GITHUB_ISSUER }], new: [{ identity, issuer: GITHUB_ISSUER }], changed: false });
    // linux/arm64/v8 and linux/arm64 are one platform to a runtime: rebuilt, not removed and added.
    assert.deepEqual(d.platforms, {
      added: [],
      removed: ['linux/s390x'],
      unchanged: [],
      changed: [
        { platform: 'linux/amd64', old: digestOf(first, 'linux/amd64'), new: digestOf(moved, 'linux/amd64') },
        { platform: 'linux/arm64', old: digestOf(first, 'linux/arm64/v8'), new: digestOf(moved, 'linux/arm64') },
      ],
    });
    assert.deepEqual(d.attestations, { added: [], removed: [PREDICATE.spdx], unsigned: [] });
    assert.deepEqual(
      d.provenance.filter((c) => c.field === 'source.commit'),
      [{ platform: 'index', field: 'source.commit', old: COMMIT_A, new: COMMIT_B, from: 'cosign-tag' }],
    );
    assert.equal(
      d.provenance.find((c) => c.field === 'source.ref'),
      undefined,
    );
  });

  test("SBOM packages of linux/amd64: the signed CycloneDX SBOM and BuildKit's SPDX statement, compared by package", async () => {
    const d = await diff(first, moved);
    assert.deepEqual(d.sbom, [
      { platform: 'linux/amd64', package: 'operating-system/debian', old: '12.2', new: '12.5' },
      // BuildKit's SPDX statement (the fixture's one package, no purl) is gone with the statements.
      { platform: 'linux/amd64', package: 'package/hello', old: '1.0.0', new: null },
      { platform: 'linux/amd64', package: 'pkg:npm/express', old: '4.18.2', new: '4.19.2' },
      { platform: 'linux/amd64', package: 'pkg:npm/lodash', old: null, new: '4.17.21' },
    ]);
    // linux/arm64 had only BuildKit's SBOM: nothing to compare it with, said as a note.
    assert.deepEqual(
      d.notes.map((n) => [n.code, n.side]),
      [
        ['SBOM_ONE_SIDE', 'old'],
        ['SBOM_ONE_SIDE', 'old'],
      ],
    );
    assert.match(d.notes[0]!.message, /^Only the old image has an SBOM for linux\/arm64\/v8 \(1 package\)/);
    assert.match(d.notes[1]!.message, /^Only the old image has an SBOM for linux\/s390x \(1 package\)/);
  });

  test('rebuilt from the same commit with the same packages: new digests, no warning', async () => {
    const d = await diff(first, rebuilt);
    assert.deepEqual(d.warnings, []);
    assert.deepEqual([d.sbom, d.notes, d.attestations], [[], [], { added: [], removed: [], unsigned: [] }]);
    assert.deepEqual(
      d.platforms.changed.map((c) => c.platform),
      ['linux/amd64', 'linux/arm64/v8', 'linux/s390x'],
    );
    assert.equal(
      d.provenance.find((c) => c.field.startsWith('source.')),
      undefined,
    );
    assert.equal(d.signers.changed, false);
  });

  test("provenance attested with a signature before, only BuildKit's unsigned statement now: ATTESTATION_DROPPED", async () => {
    const d = await diff(first, unsignedProvenance);
    assert.deepEqual(d.attestations, { added: [], removed: [], unsigned: [PREDICATE.slsaV1] });
    assert.deepEqual(d.warnings, [
      {
        code: 'ATTESTATION_DROPPED',
        message: `The new image carries ${PREDICATE.slsaV1} only unsigned (or with a signature that does not verify); the old one had it signed.`,
      },
    ]);
    // The same platforms and content: only the signed statement is gone, and its fields with it.
    assert.deepEqual([d.platforms.removed, d.platforms.added, d.signers.changed], [[], [], false]);
    const base = ['diff', ref(first), ref(unsignedProvenance), '--insecure-registry', reg.host, '--trusted-root', rootPath];
    const text = await cli([...base, '--fail-on', 'ATTESTATION_DROPPED']);
    assert.equal(text.code, 1, text.stderr);
    assert.ok(text.stdout.includes(`\nAttestations:\n  ! ${PREDICATE.slsaV1} (no longer signed)\n`), text.stdout);
  });

  test('--fail-on exits 1 on the warning it names, 0 on one that does not occur; the text leads with the warnings', async () => {
    const base = ['diff', ref(first), ref(moved), '--insecure-registry', reg.host, '--trusted-root', rootPath];
    const failing = await cli([...base, '--fail-on', 'SAME_REF_OTHER_COMMIT']);
    assert.equal(failing.code, 1, failing.stderr);
    const lines = failing.stdout.split('\n');
    assert.deepEqual(
      lines.slice(4, 8).map((l) => l.split(':')[0]),
      ['Warnings', '  ! SAME_REF_OTHER_COMMIT', '  ! PLATFORM_REMOVED', '  ! ATTESTATION_DROPPED'],
    );
    assert.ok(lines.includes('    ~ pkg:npm/express  4.18.2 → 4.19.2'), failing.stdout);
    assert.equal((await cli([...base, '--fail-on', 'SIGNER_CHANGED'])).code, 0);
  });

  test('under a policy pinning the release workflow: both verified, the verdicts in the JSON', async () => {
    const d = await diff(first, moved, '--certificate-identity', identity, '--certificate-oidc-issuer', GITHUB_ISSUER);
    assert.deepEqual(
      [d.old.verdict, d.new.verdict],
      [
        { state: 'verified', causes: [] },
        { state: 'verified', causes: [] },
      ],
    );
    assert.equal(d.signers.changed, false);
    assert.ok(d.warnings.some((w) => w.code === 'SAME_REF_OTHER_COMMIT'));
  });
});
