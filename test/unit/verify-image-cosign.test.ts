import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageCheck, ImageCheckCode } from '../../src/verify/image/image-checks';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import { parsePublicKey } from '../../src/verify/trust/public-key';
import type { PublicKeyMaterial } from '../../src/verify/trust/public-key';
import { CONTAINERS_IMAGE, manifestDigest, readSig, verifySig } from '../support/containers-image-sigs';
import type { SigFile } from '../support/containers-image-sigs';
import { imagePolicy as policy } from '../support/image-graphs';

// The real cosign signatures containers/image tests with (containers-image-sigs.ts), through our
// .sig conversion.
const dir = CONTAINERS_IMAGE;
const key = (name: string): PublicKeyMaterial => parsePublicKey(readFileSync(join(dir, name), 'utf8'), name);
const statusOf = (r: ArtifactVerification, code: ImageCheckCode): string[] => r.checks.filter((c) => c.code === code).map((c) => c.status);
const failing = (r: ArtifactVerification): ImageCheck[] => r.checks.filter((c) => c.status === 'fail');

const MITR = { identity: { exact: 'mitr@redhat.com' }, issuer: { exact: 'https://github.com/login/oauth' } };

describe('containers/image cosign signatures through the .sig conversion', () => {
  test('key only (cosign.pub, no log entry): verified once the log requirement is waived, as cosign --insecure-ignore-tlog', () => {
    const sig = readSig('dir-img-cosign-valid', 'signature-1');
    const covers = manifestDigest('dir-img-cosign-valid');
    const r = verifySig(sig, covers, policy({ keys: [key('cosign.pub')], requireTlog: false }));
    assert.equal(r.state, 'verified');
    assert.equal(r.kind, 'signature');
    assert.equal(r.keyFingerprint, key('cosign.pub').fingerprint);
    assert.equal(r.dockerReference, '192.168.64.2:5000/cosign-signed-single-sample');
    assert.deepEqual(statusOf(r, 'CLAIMS'), ['pass', 'info']);
    assert.deepEqual(statusOf(r, 'TLOG'), ['info']);
    assert.deepEqual(statusOf(r, 'SIGNATURE'), ['pass']);
  });

  test("key only, with a log required (cosign's default): not verified, for lack of a log entry", () => {
    const r = verifySig(readSig('dir-img-cosign-valid', 'signature-1'), manifestDigest('dir-img-cosign-valid'), policy({ keys: [key('cosign.pub')] }));
    assert.equal(r.state, 'failed');
    assert.match(
      failing(r)
        .map((c) => c.evidence?.cause)
        .join(),
      /expected 1 tlog entries, got 0/,
    );
  });

  test('key only: the other key (cosign2.pub) does not verify it; a list with the right key does', () => {
    const sig = readSig('dir-img-cosign-valid', 'signature-1');
    const covers = manifestDigest('dir-img-cosign-valid');
    const wrong = verifySig(sig, covers, policy({ keys: [key('cosign2.pub')], requireTlog: false }));
    assert.equal(wrong.state, 'failed');
    assert.deepEqual(statusOf(wrong, 'SIGNATURE'), ['fail']);
    const either = verifySig(sig, covers, policy({ keys: [key('cosign2.pub'), key('cosign.pub')], requireTlog: false }));
    assert.equal(either.state, 'verified');
    assert.equal(either.keyFingerprint, key('cosign.pub').fingerprint);
  });

  test('key only: signature-2 of dir-img-cosign-valid-2 and the skopeo-made signature with a tag both verify with cosign.pub', () => {
    const covers = manifestDigest('dir-img-cosign-valid');
    for (const sig of [readSig('dir-img-cosign-valid-2', 'signature-2'), readSig('dir-img-cosign-valid-with-tag', 'signature-1')]) {
      const r = verifySig(sig, covers, policy({ keys: [key('cosign.pub')], requireTlog: false }));
      assert.equal(r.state, 'verified', JSON.stringify(failing(r)));
    }
    const tagged = verifySig(readSig('dir-img-cosign-valid-with-tag', 'signature-1'), covers, policy({ keys: [key('cosign.pub')], requireTlog: false }));
    assert.equal(tagged.dockerReference, '192.168.64.2:5000/skopeo-signed:tag');
  });

  test('key with Rekor (cosign2.pub, public-good log from the embedded root): verified, log entry and its signer checked', () => {
    const r = verifySig(
      readSig('dir-img-cosign-key-rekor-valid', 'signature-1'),
      manifestDigest('dir-img-cosign-key-rekor-valid'),
      policy({ keys: [key('cosign2.pub')] }),
    );
    assert.equal(r.state, 'verified');
    const tlog = r.checks.find((c) => c.code === 'TLOG' && c.status === 'pass');
    assert.equal(tlog?.evidence?.entryKind, 'hashedrekord/0.0.1');
    assert.equal(tlog?.evidence?.logUrl, 'https://rekor.sigstore.dev');
    assert.match(tlog?.evidence?.logIndex ?? '', /^\d+$/);
    assert.deepEqual(statusOf(r, 'TLOG_SIGNER'), ['pass']);
    const wrong = verifySig(
      readSig('dir-img-cosign-key-rekor-valid', 'signature-1'),
      manifestDigest('dir-img-cosign-key-rekor-valid'),
      policy({ keys: [key('cosign.pub')] }),
    );
    assert.equal(wrong.state, 'failed');
    assert.deepEqual(statusOf(wrong, 'TLOG_SIGNER'), ['fail']);
  });

  test('keyless with Fulcio and Rekor (public-good, embedded root): verified for the pinned identity and issuer', () => {
    const sig = readSig('dir-img-cosign-fulcio-rekor-valid', 'signature-1');
    const covers = manifestDigest('dir-img-cosign-fulcio-rekor-valid');
    const r = verifySig(sig, covers, policy(MITR));
    assert.equal(r.state, 'verified', JSON.stringify(failing(r)));
    assert.equal(r.identity, 'mitr@redhat.com');
    assert.equal(r.issuer, 'https://github.com/login/oauth');
    assert.equal(r.checks.find((c) => c.code === 'CERTIFICATE_CHAIN' && c.status === 'pass')?.evidence?.certificateAuthority, 'https://fulcio.sigstore.dev');
    assert.deepEqual(statusOf(r, 'BUNDLE_CHAIN'), ['info'], 'the chain annotation is noted, never used');
    assert.equal(r.dockerReference, '192.168.64.2:5000/cosign-signed/fulcio-rekor-1');
  });

  test('keyless: nothing pinned is "unpinned", a wrong identity or issuer fails, an unanchored-only match fails', () => {
    const sig = readSig('dir-img-cosign-fulcio-rekor-valid', 'signature-1');
    const covers = manifestDigest('dir-img-cosign-fulcio-rekor-valid');
    assert.equal(verifySig(sig, covers, policy()).state, 'unpinned');
    assert.equal(verifySig(sig, covers, policy()).verified, false);
    const wrongId = verifySig(sig, covers, policy({ ...MITR, identity: { exact: 'someone@redhat.com' } }));
    assert.deepEqual([wrongId.state, statusOf(wrongId, 'IDENTITY')], ['failed', ['fail']]);
    const wrongIssuer = verifySig(sig, covers, policy({ ...MITR, issuer: { exact: 'https://accounts.google.com' } }));
    assert.deepEqual([wrongIssuer.state, statusOf(wrongIssuer, 'ISSUER')], ['failed', ['fail']]);
    const unanchored = verifySig(sig, covers, policy({ ...MITR, identity: { regexp: 'mitr@redhat' } }));
    assert.deepEqual([unanchored.state, statusOf(unanchored, 'IDENTITY')], ['failed', ['fail']]);
    assert.equal(verifySig(sig, covers, policy({ ...MITR, identity: { regexp: 'mitr@redhat\\.com' } })).state, 'verified');
  });

  test('a valid signature of another image (digest claim) is refused: the claims check', () => {
    const sig = readSig('dir-img-cosign-fulcio-rekor-valid', 'signature-1');
    const r = verifySig(sig, manifestDigest('dir-img-cosign-valid'), policy(MITR));
    assert.equal(r.state, 'failed');
    assert.deepEqual(statusOf(r, 'SIGNATURE'), ['pass'], 'the signature itself is fine');
    assert.match(failing(r).find((c) => c.code === 'CLAIMS')?.message ?? '', /signs sha256:0489474d.*another image than sha256:634a8f35/);
  });

  test('must reject: another attachment in the signature slot, and a signature by an unknown key', () => {
    const other = verifySig(
      readSig('dir-img-cosign-other-attachment', 'signature-1'),
      manifestDigest('dir-img-cosign-valid'),
      policy({ keys: [key('cosign.pub')], requireTlog: false }),
    );
    assert.equal(other.state, 'failed');
    assert.match(failing(other)[0]?.message ?? '', /"text\/plain", not a cosign simple-signing payload/);
    const unknown = readSig('unknown-cosign-key.signature');
    for (const k of ['cosign.pub', 'cosign2.pub']) {
      const r = verifySig(unknown, manifestDigest('dir-img-cosign-valid'), policy({ keys: [key(k)], requireTlog: false }));
      assert.deepEqual([r.state, statusOf(r, 'SIGNATURE')], ['failed', ['fail']], k);
    }
  });
  // The private-PKI signature (dir-img-cosign-pki-valid) is tested in verify-private-pki.test.ts.
});

describe('the Rekor SET example (containers/image signature/internal/testdata)', () => {
  const ex = (f: string) => readFileSync(join(dir, 'rekor-set-example', f), 'utf8');
  const payload = () => Buffer.from(ex('rekor-payload'));
  const annotations = (overrides: Record<string, string> = {}) => ({
    'dev.cosignproject.cosign/signature': ex('rekor-sig').trim(),
    'dev.sigstore.cosign/certificate': ex('rekor-cert'),
    'dev.sigstore.cosign/bundle': ex('rekor-set'),
    ...overrides,
  });
  const covers = 'sha256:fa93b01658e3a5a1686dc3ae55f170d8de487006fb53a28efcd12ab0710a2e5f';
  const sig = (p: Buffer, a: Record<string, string>): SigFile => ({ mimeType: 'application/vnd.dev.cosign.simplesigning.v1+json', payload: p, annotations: a });

  test('payload, signature, certificate and SET as annotations: verified keyless', () => {
    const r = verifySig(sig(payload(), annotations()), covers, policy(MITR));
    assert.equal(r.state, 'verified', JSON.stringify(failing(r)));
  });

  test('a tampered payload, a SET over another body and a malformed bundle annotation are refused', () => {
    const tampered = Buffer.from(payload().toString('utf8').replace('alpine', 'alpino'));
    assert.equal(verifySig(sig(tampered, annotations()), covers, policy(MITR)).state, 'failed');

    const set = JSON.parse(ex('rekor-set')) as { SignedEntryTimestamp: string; Payload: { logIndex: number } };
    set.Payload.logIndex += 1; // the SET no longer covers what the entry says
    const moved = verifySig(sig(payload(), annotations({ 'dev.sigstore.cosign/bundle': JSON.stringify(set) })), covers, policy(MITR));
    assert.deepEqual([moved.state, statusOf(moved, 'TLOG')], ['failed', ['fail']]);
    assert.match(moved.checks.find((c) => c.code === 'TLOG')?.evidence?.cause ?? '', /TLOG_INCLUSION_PROMISE_ERROR/);

    const broken = verifySig(sig(payload(), annotations({ 'dev.sigstore.cosign/bundle': '{"Payload":{}}' })), covers, policy(MITR));
    assert.deepEqual(
      failing(broken).map((c) => c.code),
      ['BUNDLE_FORMAT'],
    );
  });
});
