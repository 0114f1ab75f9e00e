import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyReferrer, predicateOf } from '../../src/registry/classify';
import type { Descriptor } from '../../src/model/oci';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import type { Layer, Outcome, SignedImage } from '../support/properties/signed-image';
import {
  IMAGE_DIGEST,
  REPOSITORY,
  attestationPolicy,
  createSignedImage,
  graphEntry,
  imageGraph,
  pinnedPolicy,
  referrerManifest,
} from '../support/properties/signed-image';
import { verifyGraphContents } from '../../src/verify/image/verify-graph';
import type { BundleArtifact } from '../support/sigstore/bundle';
import { BUNDLE_V03_MEDIA_TYPE, attestationBundle, cosignSignBundle, toBundleArtifact } from '../support/sigstore/bundle';
import { attestationLayer } from '../support/sigstore/cosign';
import {
  COSIGN_SIGN_V1,
  IN_TOTO_PAYLOAD_TYPE,
  SLSA_PROVENANCE_V1,
  STATEMENT_V1,
  cosignSignStatement,
  digestSet,
  githubProvenancePredicate,
} from '../support/sigstore/in-toto';
import type { EntryKind } from '../support/sigstore/entries';
import { signEnvelope } from '../support/sigstore/signed';

// What a verified DSSE statement is (signature, attestation, SBOM) and which predicate it carries
// come from the signed statement only: the registry's annotations and the tag an artifact sits
// under are unsigned, and anyone with push access writes them. A statement that names no
// predicateType fails ARTIFACT. Graph entries are classified exactly as the graph does
// (classify.ts), from the lying annotations; the verification runs through verifyGraphContents.
const NO_PREDICATE = 'The signed statement has no predicateType (a string), so what it claims cannot be known.';

type Entry = ReturnType<typeof graphEntry>;

/** A referrer of IMAGE_DIGEST holding `bundle`, its descriptor annotated as `claims` says. */
function referrer(bundle: BundleArtifact, claims: string): Entry {
  const annotations = { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': claims };
  const manifest = Buffer.from(JSON.stringify({ ...referrerManifest(Buffer.from(bundle.bytes)), annotations }));
  const entry = graphEntry({ kind: 'referrer', manifest, bundle: Buffer.from(bundle.bytes) });
  const descriptor: Descriptor = {
    mediaType: entry.artifact.mediaType,
    digest: entry.artifact.digest,
    size: entry.artifact.size,
    artifactType: BUNDLE_V03_MEDIA_TYPE,
    annotations,
  };
  return { artifact: { ...entry.artifact, kind: classifyReferrer(descriptor), predicateType: predicateOf(descriptor)!, annotations }, content: entry.content };
}

/** A cosign `.att` layer of IMAGE_DIGEST, as the graph enters it: every `.att` layer an attestation, its predicateType from the annotation. */
function attLayer(layer: Layer): Entry {
  return graphEntry({ kind: 'cosign-tag', artifactKind: 'attestation', layer });
}

describe("a statement's meaning comes from its signed bytes, never from registry annotations", () => {
  let si: SignedImage;
  before(async () => {
    si = await createSignedImage();
  });
  after(() => si?.mini.dispose());

  const verify = (entry: Entry, policy: ImagePolicy): Outcome => {
    const image = verifyGraphContents(imageGraph(entry.artifact), [entry.content], { policy, trustRoot: si.trustRoot });
    return { artifact: image.artifacts[0]!, image };
  };
  const slsaBundle = () =>
    attestationBundle(si.signer, {
      log: si.mini.log,
      digest: IMAGE_DIGEST,
      subjectName: REPOSITORY,
      predicateType: SLSA_PROVENANCE_V1,
      predicate: githubProvenancePredicate({ repository: 'org/app' }),
    });
  const envelope = (statement: unknown, entryKind: EntryKind) =>
    signEnvelope(si.signer, IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), { log: si.mini.log, entryKind });
  const layer = (l: ReturnType<typeof attestationLayer>): Layer => ({ mediaType: l.mediaType, bytes: Buffer.from(l.bytes), annotations: { ...l.annotations } });
  const coverage = (o: Outcome) => o.image.verdict.checks.filter((c) => c.code === 'COVERAGE').map((c) => [c.status, c.message]);
  const artifactNotes = (o: Outcome) => o.artifact.checks.filter((c) => c.code === 'ARTIFACT').map((c) => [c.status, c.message]);
  const annotationNote = (claimed: string, signed: string) => [
    'info',
    `The registry annotation says ${JSON.stringify(claimed)}; the signed statement says ${JSON.stringify(signed)}, which is what counts.`,
  ];

  test('SLSA provenance in a referrer annotated as a cosign signature: an attestation, so the image is not signed (coverage: signatures)', () => {
    const entry = referrer(slsaBundle(), COSIGN_SIGN_V1);
    assert.equal(entry.artifact.kind, 'signature', 'the graph believed the annotation');
    const o = verify(entry, pinnedPolicy(si));
    assert.deepEqual([o.artifact.state, o.artifact.kind, o.artifact.predicateType], ['verified', 'attestation', SLSA_PROVENANCE_V1]);
    assert.deepEqual(artifactNotes(o), [
      ['pass', 'The in-toto statement names this artifact as a subject ("registry.test/org/app").'],
      annotationNote(COSIGN_SIGN_V1, SLSA_PROVENANCE_V1),
    ]);
    assert.deepEqual([o.image.verdict.state, o.image.verdict.verified, o.image.verdict.digests[0]!.signedBy], ['unsigned', false, []]);
    assert.match(
      coverage(o)[0]![1]!,
      /^linux\/amd64 is not covered: no signature on it \(coverage: signatures\)\. A verified SLSA provenance attestation on it by .* does not count as a signature under coverage: signatures/,
    );
  });

  test('the same in a cosign .att whose predicateType annotation claims cosign sign/v1: an attestation, the image not signed', () => {
    const entry = attLayer(
      layer(
        attestationLayer(
          envelope(
            { _type: STATEMENT_V1, subject: [{ name: REPOSITORY, digest: digestSet(IMAGE_DIGEST) }], predicateType: SLSA_PROVENANCE_V1, predicate: {} },
            'intoto/0.0.2',
          ),
          COSIGN_SIGN_V1,
        ),
      ),
    );
    assert.equal(entry.artifact.predicateType, COSIGN_SIGN_V1);
    const o = verify(entry, pinnedPolicy(si));
    assert.deepEqual([o.artifact.state, o.artifact.kind, o.artifact.predicateType], ['verified', 'attestation', SLSA_PROVENANCE_V1]);
    assert.deepEqual(artifactNotes(o)[1], annotationNote(COSIGN_SIGN_V1, SLSA_PROVENANCE_V1));
    assert.deepEqual([o.image.verdict.state, o.image.verdict.verified], ['unsigned', false]);
  });

  test('a cosign sign/v1 statement annotated as SLSA provenance IS a signature: verified image; and it meets no SLSA requirement', () => {
    const entry = referrer(cosignSignBundle(si.signer, IMAGE_DIGEST, { log: si.mini.log, subjectName: REPOSITORY }), SLSA_PROVENANCE_V1);
    assert.equal(entry.artifact.kind, 'attestation', 'the graph believed the annotation');
    const o = verify(entry, pinnedPolicy(si));
    assert.deepEqual([o.artifact.state, o.artifact.kind, o.artifact.predicateType], ['verified', 'signature', COSIGN_SIGN_V1]);
    assert.deepEqual(artifactNotes(o)[1], annotationNote(SLSA_PROVENANCE_V1, COSIGN_SIGN_V1));
    assert.deepEqual([o.image.verdict.state, o.image.verdict.digests[0]!.signedBy], ['verified', [si.signer.identity]]);

    const required = verify(entry, pinnedPolicy(si, { requiredPredicateTypes: [SLSA_PROVENANCE_V1] }));
    assert.deepEqual(
      [required.image.verdict.state, required.image.verdict.checks.filter((c) => c.code === 'REQUIRED_ATTESTATION').map((c) => c.status)],
      ['failed', ['fail']],
    );
  });

  test('a cosign sign/v1 statement in a .att annotated as SLSA: a signature, the image verified', () => {
    const entry = attLayer(
      layer(attestationLayer(envelope(JSON.parse(cosignSignStatement(IMAGE_DIGEST, REPOSITORY).toString('utf8')), 'intoto/0.0.2'), SLSA_PROVENANCE_V1)),
    );
    const o = verify(entry, pinnedPolicy(si));
    assert.deepEqual(
      [o.artifact.state, o.artifact.kind, o.artifact.predicateType, o.image.verdict.state],
      ['verified', 'signature', COSIGN_SIGN_V1, 'verified'],
    );
  });

  for (const [what, statement] of [
    ['no predicateType', { _type: STATEMENT_V1, subject: [{ name: REPOSITORY, digest: digestSet(IMAGE_DIGEST) }], predicate: {} }],
    [
      'a predicateType that is not a string',
      { _type: STATEMENT_V1, subject: [{ name: REPOSITORY, digest: digestSet(IMAGE_DIGEST) }], predicateType: { uri: COSIGN_SIGN_V1 }, predicate: {} },
    ],
  ] as const) {
    test(`a signed statement with ${what}, annotated as a cosign signature: ARTIFACT fails, the artifact and the image fail`, () => {
      const bundle = toBundleArtifact(envelope(statement, 'dsse/0.0.1'), { mediaType: BUNDLE_V03_MEDIA_TYPE });
      const o = verify(referrer(bundle, COSIGN_SIGN_V1), pinnedPolicy(si));
      assert.deepEqual(artifactNotes(o), [['fail', NO_PREDICATE]]);
      // The signature itself holds: the statement is authentic, it only claims nothing.
      assert.deepEqual(
        o.artifact.checks.filter((c) => c.code === 'SIGNATURE' || c.code === 'IDENTITY').map((c) => c.status),
        ['pass', 'pass'],
      );
      assert.deepEqual([o.artifact.state, o.artifact.verified, o.artifact.predicateType], ['failed', false, undefined]);
      assert.deepEqual([o.image.verdict.state, o.image.verdict.verified, o.image.verdict.digests[0]!.signedBy], ['failed', false, []]);
      assert.deepEqual(coverage(o), [['fail', 'linux/amd64 is not covered: the signatures on it do not verify (coverage: signatures).']]);
    });
  }

  test('a signed statement with no predicateType, annotated (referrer) or tagged (.att) as SLSA provenance: never the required attestation', () => {
    const statement = {
      _type: STATEMENT_V1,
      subject: [{ name: REPOSITORY, digest: digestSet(IMAGE_DIGEST) }],
      predicate: githubProvenancePredicate({ repository: 'org/app' }),
    };
    const entries = [
      referrer(toBundleArtifact(envelope(statement, 'dsse/0.0.1'), { mediaType: BUNDLE_V03_MEDIA_TYPE }), SLSA_PROVENANCE_V1),
      attLayer(layer(attestationLayer(envelope(statement, 'intoto/0.0.2'), SLSA_PROVENANCE_V1))),
    ];
    for (const entry of entries) {
      assert.deepEqual([entry.artifact.kind, entry.artifact.predicateType], ['attestation', SLSA_PROVENANCE_V1], 'the graph believed the annotation');
      const o = verify(entry, attestationPolicy(si));
      assert.deepEqual(artifactNotes(o), [['fail', NO_PREDICATE]]);
      assert.deepEqual([o.artifact.state, o.artifact.kind, o.artifact.predicateType], ['failed', 'attestation', undefined]);
      assert.deepEqual([o.image.verdict.state, o.image.verdict.verified, o.image.verdict.digests[0]!.attestations], ['failed', false, []]);
      const requirement = o.image.verdict.checks.find((c) => c.code === 'REQUIRED_ATTESTATION')!;
      assert.equal(requirement.status, 'fail');
      assert.equal(requirement.message, `The policy requires a verified ${SLSA_PROVENANCE_V1} attestation (${SLSA_PROVENANCE_V1}); none covers linux/amd64.`);
    }
  });

  test("the kinds are classify.ts's own: SPDX is an SBOM whatever the annotation says", () => {
    const spdx = 'https://spdx.dev/Document';
    const bundle = attestationBundle(si.signer, {
      log: si.mini.log,
      digest: IMAGE_DIGEST,
      subjectName: REPOSITORY,
      predicateType: spdx,
      predicate: { spdxVersion: 'SPDX-2.3' },
    });
    const o = verify(referrer(bundle, COSIGN_SIGN_V1), pinnedPolicy(si));
    assert.deepEqual([o.artifact.state, o.artifact.kind, o.artifact.predicateType, o.image.verdict.state], ['verified', 'sbom', spdx, 'unsigned']);
  });
});
