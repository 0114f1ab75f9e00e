// The counterexamples the bundle mutation tests found (mutation-bundle-referrer.test.ts), kept as
// plain regression tests: a cosign v3 bundle (v0.3) changed in one field, without re-signing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IMAGE_DIGEST, createSignedImage, pinnedPolicy, referrerManifest, verifySubject } from '../support/properties/signed-image';
import type { SignedImage } from '../support/properties/signed-image';
import { artifactFromDigest } from '../../src/verify/bundle/artifact';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import { GITHUB_ISSUER } from '../support/sigstore/ca';

type Json = Record<string, unknown>;

describe('regressions: a v0.3 bundle changed in one field', () => {
  let si: SignedImage;
  before(async () => {
    si = await createSignedImage();
  });
  after(() => si?.mini.dispose());

  const changed = (edit: (bundle: Json) => void): Buffer => {
    const bundle = JSON.parse(si.bundle.toString('utf8')) as Json;
    edit(bundle);
    return Buffer.from(JSON.stringify(bundle));
  };
  const proofOf = (bundle: Json) =>
    ((bundle.verificationMaterial as Json).tlogEntries as Json[])[0]!.inclusionProof as Json & { checkpoint: { envelope: string } };
  const verifyAsBlob = (bundle: Buffer) =>
    verifyBlob({
      bundle,
      artifact: artifactFromDigest(IMAGE_DIGEST),
      trustRoot: si.trustRoot,
      policy: { identity: { exact: si.signer.identity }, issuer: { exact: GITHUB_ISSUER } },
    });

  test('an inclusion proof whose rootHash or treeSize contradicts its signed checkpoint, or a checkpoint with text after its signatures, is refused (TLOG); @sigstore/verify alone accepted all three', () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      [
        'rootHash flipped',
        changed((b) => {
          const p = proofOf(b);
          const root = Buffer.from(p.rootHash as string, 'base64');
          root[0]! ^= 1;
          p.rootHash = root.toString('base64');
        }),
        /another root hash than its signed checkpoint/,
      ],
      [
        'treeSize + 1',
        changed((b) => {
          const p = proofOf(b);
          p.treeSize = String(BigInt(p.treeSize as string) + 1n);
        }),
        /names a tree of size \d+, its signed checkpoint one of size \d+/,
      ],
      [
        'text after the checkpoint signatures',
        changed((b) => {
          proofOf(b).checkpoint.envelope += 'x';
        }),
        /text that is not a signature line/,
      ],
    ];
    for (const [what, bundle, message] of cases) {
      const r = verifyAsBlob(bundle);
      assert.equal(r.state, 'failed', what);
      assert.deepEqual(
        r.checks.filter((c) => c.status === 'fail').map((c) => c.code),
        ['TLOG'],
        what,
      );
      assert.match(r.checks.find((c) => c.status === 'fail')!.message, message, what);
      assert.equal(
        verifySubject(si, { kind: 'referrer', manifest: Buffer.from(JSON.stringify(referrerManifest(bundle))), bundle }, pinnedPolicy(si)).image.verdict.state,
        'failed',
        what,
      );
    }
    assert.equal(verifyAsBlob(si.bundle).state, 'verified');
  });

  test('a cosign v3 signature whose statement was changed stays a failed signature: its unverified predicate type made it an unsigned attestation, and a policy exception then excepted the image (exit 0)', () => {
    const bundle = changed((b) => {
      const env = b.dsseEnvelope as Json;
      const statement = JSON.parse(Buffer.from(env.payload as string, 'base64').toString('utf8')) as Json;
      statement.predicateType = 'https://slsa.dev/provenance/v1';
      env.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    });
    const subject = { kind: 'referrer' as const, manifest: Buffer.from(JSON.stringify(referrerManifest(bundle))), bundle };
    const o = verifySubject(si, subject, pinnedPolicy(si));
    assert.deepEqual([o.artifact.state, o.artifact.kind, o.image.verdict.state], ['failed', 'signature', 'failed']);
    assert.equal(o.artifact.predicateType, undefined, 'nothing signed says what it is');
    const excepted = verifySubject(si, subject, pinnedPolicy(si, { exception: { reason: 'not signed yet' } }));
    assert.equal(excepted.image.verdict.state, 'failed');
    // A valid one is still classified by its signed statement.
    const valid = verifySubject(
      si,
      { kind: 'referrer', manifest: Buffer.from(JSON.stringify(referrerManifest(si.bundle))), bundle: si.bundle },
      pinnedPolicy(si),
    );
    assert.deepEqual([valid.artifact.kind, valid.artifact.predicateType], ['signature', 'https://sigstore.dev/cosign/sign/v1']);
  });

  test('a bytes field with text that is not base64 ("fQ=<", a "*" inside) is refused (BUNDLE_FORMAT): the decoder skipped it and the bundle verified, while cosign refuses it', () => {
    const cases: Array<[string, string, (b: Json) => void]> = [
      [
        'dsseEnvelope.payload',
        'padding replaced by junk',
        (b) => {
          const env = b.dsseEnvelope as Json;
          env.payload = `${(env.payload as string).replace(/=+$/, '')}=<`;
        },
      ],
      [
        'dsseEnvelope.signatures[].sig',
        'a "*" inside',
        (b) => {
          const sig = ((b.dsseEnvelope as Json).signatures as Json[])[0]!;
          sig.sig = `${(sig.sig as string).slice(0, 8)}*${(sig.sig as string).slice(8)}`;
        },
      ],
      [
        'verificationMaterial.certificate.rawBytes',
        'a "*" inside',
        (b) => {
          const cert = (b.verificationMaterial as Json).certificate as Json;
          cert.rawBytes = `${(cert.rawBytes as string).slice(0, 8)}*${(cert.rawBytes as string).slice(8)}`;
        },
      ],
      [
        'verificationMaterial.tlogEntries[].canonicalizedBody',
        'a "*" inside',
        (b) => {
          const e = ((b.verificationMaterial as Json).tlogEntries as Json[])[0]!;
          e.canonicalizedBody = `${(e.canonicalizedBody as string).slice(0, 8)}*${(e.canonicalizedBody as string).slice(8)}`;
        },
      ],
    ];
    for (const [field, what, edit] of cases) {
      const r = verifyAsBlob(changed(edit));
      assert.equal(r.state, 'failed', `${field}: ${what}`);
      const failing = r.checks.filter((c) => c.status === 'fail');
      assert.deepEqual(
        failing.map((c) => c.code),
        ['BUNDLE_FORMAT'],
        field,
      );
      assert.equal(failing[0]!.message, `The bundle field ${field} is not base64.`);
    }
    // protojson's other spellings of bytes stay accepted: URL-safe, unpadded.
    const urlSafe = changed((b) => {
      const env = b.dsseEnvelope as Json;
      env.payload = Buffer.from(env.payload as string, 'base64').toString('base64url');
    });
    assert.equal(verifyAsBlob(urlSafe).state, 'verified');
  });
});
