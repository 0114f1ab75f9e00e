// Mutation tests of a valid cosign v3 bundle (Sigstore bundle v0.3, DSSE over cosign's sign
// statement) attached as an OCI referrer: every field of the bundle (media type,
// certificate, each part of the log entry: index, log ID, kind and version, integrated time,
// SET, inclusion proof and checkpoint, canonicalized body and the fields inside it; the envelope
// and the statement inside it) and of the referrer manifest changed on its own, without
// re-signing. Each change must leave the image failed, or not checked when it cannot be read.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mutation } from '../support/properties/mutate';
import { byteMutations, jsonMutations } from '../support/properties/mutate';
import type { Ignored, MutationRow } from '../support/properties/mutation-table';
import { assertMutationTable, formatTable, row } from '../support/properties/mutation-table';
import type { SignedImage } from '../support/properties/signed-image';
import { createSignedImage, pinnedPolicy, referrerManifest, verifySubject } from '../support/properties/signed-image';
import { BUNDLE_V03_MEDIA_TYPE, toBundleArtifact } from '../support/sigstore/bundle';
import { MUTATIONS } from '../support/sigstore/mutations';

/** What a referrer and its v0.3 bundle may carry that verification does not use. */
const IGNORED: Ignored = {
  'manifest artifactType': 'discovery uses it to find the referrer; what is verified is the bundle layer, whatever the manifest calls itself',
  'manifest annotations*': 'referrer annotations are unsigned hints (content, predicate type), shown at most',
  'manifest config.*': 'the empty config of an artifact manifest carries nothing verified (a config that is no descriptor makes the manifest unreadable)',
  'manifest mediaType': 'the manifest is read by its shape (config, layers); its media type is a hint',
  'manifest subject.mediaType': 'the subject binds by digest; its media type is a hint',
  'manifest subject.size': 'the subject binds by digest; its size is a hint',
  'manifest layers[0].size': 'the bundle blob is fetched by digest and checked against it',
  'manifest layers (first element repeated)': 'a repeated descriptor names the same bundle',
  'manifest layers[0].mediaType (char 44 changed)':
    "any layer type under application/vnd.dev.sigstore.bundle is read as a bundle; the bundle's own mediaType says which version",
  'manifest layers[0].mediaType (a character appended)':
    "any layer type under application/vnd.dev.sigstore.bundle is read as a bundle; the bundle's own mediaType says which version",
};

interface Referrer {
  manifest: Record<string, unknown>;
  bundle: Buffer;
}

describe('mutation: a cosign v3 bundle (v0.3) as an OCI referrer', () => {
  let si: SignedImage;
  before(async () => {
    si = await createSignedImage();
  });
  after(() => si?.mini.dispose());

  const verifyReferrer = (r: Referrer) =>
    verifySubject(si, { kind: 'referrer', manifest: Buffer.from(JSON.stringify(r.manifest)), bundle: r.bundle }, pinnedPolicy(si));
  /** A changed bundle is pushed with a manifest that names it: the registry serves what its descriptor says. */
  const withBundle = (bundle: Buffer): Referrer => ({ manifest: referrerManifest(bundle), bundle });

  test("baseline: the referrer verifies under the pinned identity as the image's signature", () => {
    const o = verifyReferrer(withBundle(si.bundle));
    assert.equal(o.artifact.state, 'verified', JSON.stringify(o.artifact.checks.filter((c) => c.status !== 'pass' && c.status !== 'info')));
    assert.equal(o.artifact.kind, 'signature');
    assert.equal(o.image.verdict.state, 'verified');
    assert.equal((JSON.parse(si.bundle.toString('utf8')) as { mediaType: string }).mediaType, BUNDLE_V03_MEDIA_TYPE);
  });

  test('every field changed on its own: the image is never verified', () => {
    const bundle = JSON.parse(si.bundle.toString('utf8')) as Record<string, unknown>;
    const manifest = referrerManifest(si.bundle);
    const mutations: Mutation<Referrer>[] = [
      ...jsonMutations(bundle).map((m) => ({ field: `bundle ${m.field}`, how: m.how, apply: () => withBundle(Buffer.from(JSON.stringify(m.apply(bundle)))) })),
      ...byteMutations('bundle bytes', si.bundle.length, 12).map((m) => ({ ...m, apply: () => withBundle(m.apply(si.bundle)) })),
      ...jsonMutations(manifest).map((m) => ({ field: `manifest ${m.field}`, how: m.how, apply: (r: Referrer) => ({ ...r, manifest: m.apply(manifest) }) })),
    ];
    const rows: MutationRow[] = mutations.map((m) => row(m.field, m.how, verifyReferrer(m.apply(withBundle(si.bundle)))));
    console.log(formatTable('cosign v3 bundle referrer', rows, IGNORED));
    assertMutationTable(rows, IGNORED);
  });

  test('re-signed defects of the mini Sigstore (identity, issuer, CA, SET, log key, expiry, subject, payload type): never verified', async () => {
    const rows: MutationRow[] = [];
    // oversizedEnvelope is refused before verification, by the fetch limit (artifact-content.ts).
    for (const m of MUTATIONS.filter((x) => x.appliesTo(si.records.bundle.record) && x.name !== 'oversizedEnvelope')) {
      const bundle = toBundleArtifact(await m.apply(si.records.bundle.record, si.mini), { mediaType: BUNDLE_V03_MEDIA_TYPE });
      rows.push(row(`re-signed: ${m.name}`, m.defect, verifyReferrer(withBundle(Buffer.from(bundle.bytes)))));
    }
    console.log(formatTable('cosign v3 bundle referrer, re-signed', rows, {}));
    assert.ok(rows.length >= 9, `${rows.length} re-signed defects`);
    assertMutationTable(rows, {});
  });
});
