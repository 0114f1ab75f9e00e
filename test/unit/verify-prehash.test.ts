import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { PrehashUnsupportedError, verifyPrehashed } from '../../src/verify/bundle/prehash';

// Digest-only verification must agree with OpenSSL on every signature it made, and
// refuse everything else.

const OPENSSL_NAMES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' } as const;

for (const [name, ossl] of Object.entries(OPENSSL_NAMES)) {
  test(`${name}: OpenSSL's signatures verify from the digest; a changed digest or signature does not`, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: ossl });
    for (let i = 0; i < 8; i++) {
      const hash = i % 2 === 0 ? 'sha256' : 'sha384';
      const message = randomBytes(64);
      const signature = sign(hash, message, privateKey);
      const digest = createHash(hash).update(message).digest();
      assert.equal(verifyPrehashed(publicKey, hash, digest, signature), true);
      const otherDigest = Buffer.from(digest);
      otherDigest[5]! ^= 0x01;
      assert.equal(verifyPrehashed(publicKey, hash, otherDigest, signature), false);
      const otherSignature = Buffer.from(signature);
      otherSignature[otherSignature.length - 1]! ^= 0x01;
      assert.equal(verifyPrehashed(publicKey, hash, digest, otherSignature), false);
    }
  });
}

test('malformed DER signatures are rejected, not thrown', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const digest = createHash('sha256').update('x').digest();
  for (const sig of ['', '30', '3006020101020101ff', '300602010002010a', '3007020200010201 01'.replace(' ', ''), '30060201ff020101']) {
    assert.equal(verifyPrehashed(publicKey, 'sha256', digest, Buffer.from(sig, 'hex')), false, sig);
  }
});

test('RSA PKCS#1 v1.5 is checked through the recovered DigestInfo', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signature = sign('sha256', Buffer.from('artifact'), privateKey);
  assert.equal(verifyPrehashed(publicKey, 'sha256', createHash('sha256').update('artifact').digest(), signature), true);
  assert.equal(verifyPrehashed(publicKey, 'sha256', createHash('sha256').update('artifacT').digest(), signature), false);
  // Same digest bytes under another algorithm's DigestInfo must not pass.
  assert.equal(verifyPrehashed(publicKey, 'sha512', createHash('sha256').update('artifact').digest(), signature), false);
});

test('pure EdDSA cannot be verified from a digest and says so', () => {
  const { publicKey } = generateKeyPairSync('ed25519');
  assert.throws(() => verifyPrehashed(publicKey, 'sha256', Buffer.alloc(32), Buffer.alloc(64)), PrehashUnsupportedError);
});
