import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, verify as cryptoVerify } from 'node:crypto';
import type { BlobArtifact } from '../../src/verify/bundle/artifact';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { verifyArtifact } from '../../src/verify/image/verify-artifact';
import { BUNDLE_V01_MEDIA_TYPE, cosignSignBundle, messageSignatureBundle, toBundleArtifact } from '../support/sigstore/bundle';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import type { SigningIdentity } from '../support/sigstore/ca';
import type { CosignLayer } from '../support/sigstore/cosign';
import { attestationLayer, cosignAttest, cosignSign } from '../support/sigstore/cosign';
import { setPayloadBytes } from '../support/sigstore/log';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import { setOverAnotherBody } from '../support/sigstore/mutations';
import type { SignedEnvelope, SignedRecord } from '../support/sigstore/signed';

// The mini Sigstore's "SET over another body" mutation (test/support/sigstore/mutations.ts)
// must always produce a promise the log really signed, over a body that is not the one the
// bundle shows: for a signature over a bare digest too, where re-signing the same digest
// (RFC 6979) gives the same entry, and so a SET that is still valid.
const DIGEST = `sha256:${createHash('sha256').update('an image manifest').digest('hex')}`;
const digestArtifact: BlobArtifact = { kind: 'digest', algorithm: 'sha256', hex: DIGEST.slice(7) };

describe('setOverAnotherBody', () => {
  let mini: MiniSigstore;
  let root: TrustRoot;
  let signer: SigningIdentity;
  before(async () => {
    mini = await createMiniSigstore();
    root = parseTrustedRoot(mini.trustedRootBytes, { kind: 'file', path: 'mini.json' });
    signer = await mini.githubIdentity({ repository: 'org/app', ref: 'refs/tags/v1.0.0' });
  });
  after(() => mini?.dispose());

  const records = (): Array<[string, SignedRecord, BlobArtifact]> => [
    ['message over a bare digest', messageSignatureBundle(signer, { digest: Buffer.from(DIGEST.slice(7), 'hex') }, { log: mini.log }).record, digestArtifact],
    ['cosign .sig payload', cosignSign(signer, { reference: 'registry.test/org/app', digest: DIGEST }, { log: mini.log }).record, digestArtifact],
    ['cosign v3 DSSE', cosignSignBundle(signer, DIGEST, { log: mini.log }).record, digestArtifact],
  ];

  test("the SET is a valid log signature over a different body, with the entry's own time, index and log ID", async () => {
    for (const [what, good] of records()) {
      const bad = await setOverAnotherBody(good);
      const e = good.tlog!.entry;
      assert.equal(bad.tlog!.entry, e, `${what}: the entry shown is unchanged`);
      assert.notDeepEqual(bad.tlog!.set, good.tlog!.set, `${what}: the SET changed`);
      const own = setPayloadBytes({ body: e.body.toString('base64'), integratedTime: e.integratedTime, logIndex: e.logIndex, logID: e.logIdHex });
      assert.equal(cryptoVerify('sha256', own, mini.log.key.publicKey, bad.tlog!.set), false, `${what}: the SET does not cover the shown body`);
      assert.equal(cryptoVerify('sha256', own, mini.log.key.publicKey, good.tlog!.set), true, `${what}: the original SET did`);
    }
  });

  test('verifyBlob refuses each with the TLOG inclusion-promise failure, and nothing else fails', async () => {
    for (const [what, good, artifact] of records()) {
      const policy = { identity: { exact: signer.identity }, issuer: { exact: GITHUB_ISSUER } };
      const artifactFor = good.kind === 'message' && good.payload !== undefined ? { kind: 'bytes' as const, bytes: good.payload } : artifact;
      assert.equal(
        verifyBlob({
          bundle: toBundleArtifact(good, { mediaType: BUNDLE_V01_MEDIA_TYPE, inclusionProof: false }).bytes,
          artifact: artifactFor,
          trustRoot: root,
          policy,
        }).state,
        'verified',
        what,
      );
      // With and without the inclusion proof: a valid proof never excuses a bad promise.
      for (const inclusionProof of [false, true]) {
        const bad = await setOverAnotherBody(good);
        const r = verifyBlob({
          bundle: toBundleArtifact(bad, { mediaType: BUNDLE_V01_MEDIA_TYPE, inclusionProof }).bytes,
          artifact: artifactFor,
          trustRoot: root,
          policy,
        });
        const failing = r.checks.filter((c) => c.status === 'fail');
        assert.deepEqual(
          failing.map((c) => [c.code, c.evidence?.cause?.split(':')[0]]),
          [['TLOG', 'TLOG_INCLUSION_PROMISE_ERROR']],
          `${what}, proof ${inclusionProof}`,
        );
        assert.equal(r.state, 'failed');
      }
    }
  });

  test('an intoto 0.0.1 attestation (checked by our own SET code) is refused the same way', async () => {
    const layer = cosignAttest(signer, { digest: DIGEST, subjectName: 'registry.test/org/app', log: mini.log, entryKind: 'intoto/0.0.1' });
    const bad = attestationLayer((await setOverAnotherBody(layer.record)) as SignedEnvelope);
    const policy: ImagePolicy = {
      identity: { exact: signer.identity },
      issuer: { exact: GITHUB_ISSUER },
      requiredPredicateTypes: [],
      requireTlog: true,
      sources: {},
    };
    const run = (l: CosignLayer) =>
      verifyArtifact(
        {
          coversDigest: DIGEST,
          kind: 'attestation',
          format: 'cosign-tag',
          digest: `sha256:${createHash('sha256').update(l.bytes).digest('hex')}`,
          mediaType: l.mediaType,
          size: l.bytes.length,
          annotations: l.annotations,
        },
        { kind: 'layer', mediaType: l.mediaType, bytes: l.bytes, annotations: l.annotations },
        { policy, trustRoot: root },
      );
    assert.equal(run(layer).state, 'verified');
    const r = run(bad);
    assert.deepEqual(
      r.checks.filter((c) => c.status === 'fail').map((c) => c.code),
      ['TLOG'],
    );
    assert.match(r.checks.find((c) => c.status === 'fail')!.message, /signed promise \(SET\) of entry 0 \(intoto\/0\.0\.1\) does not verify/);
  });

  test('a record without a log entry is a usage error of the mutation', async () => {
    const unlogged = messageSignatureBundle(signer, Buffer.from('blob')).record;
    await assert.rejects(setOverAnotherBody(unlogged), /needs a tlog entry/);
  });
});
