// Mutation tests of a valid keyless cosign `.att` layer: a DSSE envelope over
// an in-toto statement of SLSA v1 provenance, logged as Rekor intoto 0.0.2, that the policy
// requires and counts as coverage. Every field changed on its own without re-signing (each
// annotation, the envelope's payloadType, payload, signatures and keyid, the statement's
// subject, predicate type and predicate inside it) must leave the image failed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mutation } from '../support/properties/mutate';
import { annotationMutations, byteMutations, jsonMutations } from '../support/properties/mutate';
import type { Ignored, MutationRow } from '../support/properties/mutation-table';
import { assertMutationTable, formatTable, row } from '../support/properties/mutation-table';
import type { Layer, SignedImage } from '../support/properties/signed-image';
import { attestationPolicy, createSignedImage, verifySubject } from '../support/properties/signed-image';
import { attestationLayer } from '../support/sigstore/cosign';
import { MUTATIONS } from '../support/sigstore/mutations';
import type { SignedEnvelope } from '../support/sigstore/signed';

/** What a `.att` layer may carry that cosign's verification does not use. */
const IGNORED: Ignored = {
  'annotation dev.sigstore.cosign/chain*': 'the chain annotation is untrusted: chains are built from the trusted root only (a BUNDLE_CHAIN info note says so)',
  'annotation dev.cosignproject.cosign/signature': 'empty in a .att layer: the signature is inside the DSSE envelope',
  'annotation predicateType': 'a registry hint: the predicate type of the signed statement is what counts (an ARTIFACT info note shows a disagreement)',
  'envelope signatures[0].keyid': 'DSSE keyid is an unsigned hint (DSSE protocol: "keyid ... is not signed"); the key is the certificate\'s',
};

describe('mutation: a keyless cosign .att layer', () => {
  let si: SignedImage;
  before(async () => {
    si = await createSignedImage();
  });
  after(() => si?.mini.dispose());

  const verifyLayer = (layer: Layer) => verifySubject(si, { kind: 'cosign-tag', artifactKind: 'attestation', layer }, attestationPolicy(si));

  test('baseline: the attestation verifies under the pinned identity and alone covers the image, meeting the SLSA requirement', () => {
    const o = verifyLayer(si.att);
    assert.equal(o.artifact.state, 'verified', JSON.stringify(o.artifact.checks.filter((c) => c.status !== 'pass' && c.status !== 'info')));
    assert.equal(o.artifact.predicateType, 'https://slsa.dev/provenance/v1');
    assert.equal(o.image.verdict.state, 'verified');
    assert.deepEqual(
      o.image.verdict.checks.map((c) => [c.code, c.status]),
      [
        ['COVERAGE', 'pass'],
        ['REQUIRED_ATTESTATION', 'pass'],
      ],
    );
  });

  test('every field changed on its own: the image is never verified', () => {
    const envelope = JSON.parse(si.att.bytes.toString('utf8')) as Record<string, unknown>;
    const mutations: Mutation<Layer>[] = [
      ...annotationMutations<Layer>(si.att.annotations),
      ...byteMutations('envelope bytes', si.att.bytes.length, 12).map((m) => ({ ...m, apply: (l: Layer) => ({ ...l, bytes: m.apply(l.bytes) }) })),
      ...jsonMutations(envelope).map((m) => ({
        field: `envelope ${m.field}`,
        how: m.how,
        apply: (l: Layer) => ({ ...l, bytes: Buffer.from(JSON.stringify(m.apply(envelope))) }),
      })),
    ];
    const rows: MutationRow[] = mutations.map((m) => row(m.field, m.how, verifyLayer(m.apply(si.att))));
    console.log(formatTable('cosign .att layer', rows, IGNORED));
    assertMutationTable(rows, IGNORED);
  });

  test('re-signed defects of the mini Sigstore (subject, payload type, identity, issuer, CA, SET, log key, expiry): never verified', async () => {
    const rows: MutationRow[] = [];
    // oversizedEnvelope is refused before verification, by the fetch limit (artifact-content.ts).
    for (const m of MUTATIONS.filter((x) => x.appliesTo(si.records.att.record) && x.name !== 'oversizedEnvelope')) {
      const layer = attestationLayer((await m.apply(si.records.att.record, si.mini)) as SignedEnvelope);
      rows.push(
        row(
          `re-signed: ${m.name}`,
          m.defect,
          verifyLayer({ mediaType: layer.mediaType, bytes: Buffer.from(layer.bytes), annotations: { ...layer.annotations } }),
        ),
      );
    }
    console.log(formatTable('cosign .att layer, re-signed', rows, {}));
    assert.ok(rows.length >= 9, `${rows.length} re-signed defects`);
    assertMutationTable(rows, {});
  });
});
