// Mutation tests of a valid keyless cosign `.sig` layer: the mini Sigstore signs
// an image, the layer verifies under the pinned identity, and then every field is changed on its
// own (each annotation, each part of the Rekor bundle and of the entry body inside it, the
// payload's bytes and claims) without re-signing. Each change must leave the image failed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mutation } from '../support/properties/mutate';
import { annotationMutations, byteMutations, jsonMutations } from '../support/properties/mutate';
import type { Ignored, MutationRow } from '../support/properties/mutation-table';
import { assertMutationTable, formatTable, row } from '../support/properties/mutation-table';
import type { Layer, SignedImage } from '../support/properties/signed-image';
import { createSignedImage, pinnedPolicy, verifySubject } from '../support/properties/signed-image';
import { signatureLayer } from '../support/sigstore/cosign';
import { MUTATIONS } from '../support/sigstore/mutations';
import type { SignedMessage } from '../support/sigstore/signed';

/** What a `.sig` layer may carry that cosign's verification does not use. */
const IGNORED: Ignored = {
  'annotation dev.sigstore.cosign/chain*': 'the chain annotation is untrusted: chains are built from the trusted root only (a BUNDLE_CHAIN info note says so)',
};

describe('mutation: a keyless cosign .sig layer', () => {
  let si: SignedImage;
  before(async () => {
    si = await createSignedImage();
  });
  after(() => si?.mini.dispose());

  const verifyLayer = (layer: Layer) => verifySubject(si, { kind: 'cosign-tag', artifactKind: 'signature', layer }, pinnedPolicy(si));

  test('baseline: the layer verifies under the pinned identity, and so does the image', () => {
    const o = verifyLayer(si.sig);
    assert.equal(o.artifact.state, 'verified', JSON.stringify(o.artifact.checks.filter((c) => c.status !== 'pass' && c.status !== 'info')));
    assert.equal(o.image.verdict.state, 'verified');
    assert.equal(o.artifact.identity, si.signer.identity);
  });

  test('every field changed on its own: the image is never verified', () => {
    const payload = JSON.parse(si.sig.bytes.toString('utf8')) as Record<string, unknown>;
    const mutations: Mutation<Layer>[] = [
      ...annotationMutations<Layer>(si.sig.annotations),
      ...byteMutations('payload bytes', si.sig.bytes.length, 16).map((m) => ({ ...m, apply: (l: Layer) => ({ ...l, bytes: m.apply(l.bytes) }) })),
      ...jsonMutations(payload).map((m) => ({
        field: `payload ${m.field}`,
        how: m.how,
        apply: (l: Layer) => ({ ...l, bytes: Buffer.from(JSON.stringify(m.apply(payload))) }),
      })),
    ];
    const rows: MutationRow[] = mutations.map((m) => row(m.field, m.how, verifyLayer(m.apply(si.sig))));
    console.log(formatTable('cosign .sig layer', rows, IGNORED));
    assertMutationTable(rows, IGNORED);
  });

  test('re-signed defects of the mini Sigstore (another image, identity, issuer, CA, SET, log key, expiry): never verified', async () => {
    const rows: MutationRow[] = [];
    for (const m of MUTATIONS.filter((x) => x.appliesTo(si.records.sig.record))) {
      const layer = signatureLayer((await m.apply(si.records.sig.record, si.mini)) as SignedMessage);
      rows.push(
        row(
          `re-signed: ${m.name}`,
          m.defect,
          verifyLayer({ mediaType: layer.mediaType, bytes: Buffer.from(layer.bytes), annotations: { ...layer.annotations } }),
        ),
      );
    }
    console.log(formatTable('cosign .sig layer, re-signed', rows, {}));
    assert.ok(rows.length >= 8, `${rows.length} re-signed defects`);
    assertMutationTable(rows, {});
  });
});
