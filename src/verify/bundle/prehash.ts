import { constants, publicDecrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist';

/**
 * Signature verification over a digest alone ("prehashed"), for `verify-blob sha256:<hex>`
 * of a message-signature bundle: the signature is over the artifact's hash, and a
 * maintainer often has the digest (from a registry, a release page) but not the bytes.
 * Node's `crypto.verify` always hashes its input and has no prehash mode, and
 * `@sigstore/verify` needs the artifact bytes. So ECDSA (P-256, P-384: what Fulcio and
 * cosign keys use) is checked with @noble/curves (audited, prehash: false), and RSA
 * PKCS#1 v1.5 with the platform's RSA primitive, comparing the recovered DigestInfo
 * (RFC 8017 §8.2.2). We implement no curve arithmetic ourselves.
 */
export class PrehashUnsupportedError extends Error {
  override readonly name = 'PrehashUnsupportedError';
}

const CURVES = { 'P-256': p256, 'P-384': p384 } as const;

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1).
const DIGEST_INFO: Readonly<Record<string, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** Verifies `signature` over a message whose `hashAlgorithm` digest is `digest`. */
export function verifyPrehashed(key: KeyObject, hashAlgorithm: string, digest: Buffer, signature: Buffer): boolean {
  if (key.asymmetricKeyType === 'ec') {
    const jwk = key.export({ format: 'jwk' });
    const curve = jwk.crv === 'P-256' || jwk.crv === 'P-384' ? CURVES[jwk.crv] : undefined;
    if (curve === undefined) {
      throw new PrehashUnsupportedError(`ECDSA on curve ${jwk.crv ?? 'unknown'} cannot be verified from a digest; pass the artifact file.`);
    }
    const point = key.export({ format: 'der', type: 'spki' }).subarray(-(1 + 2 * (jwk.crv === 'P-256' ? 32 : 48)));
    try {
      // DER signatures as cosign and Fulcio write them; high-S accepted, as OpenSSL does.
      return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
    } catch {
      return false;
    }
  }
  if (key.asymmetricKeyType === 'rsa') {
    const prefix = DIGEST_INFO[hashAlgorithm];
    if (prefix === undefined) throw new PrehashUnsupportedError(`RSA with ${hashAlgorithm} cannot be verified from a digest.`);
    let recovered: Buffer;
    try {
      recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    } catch {
      return false;
    }
    return recovered.equals(Buffer.concat([Buffer.from(prefix, 'hex'), digest]));
  }
  throw new PrehashUnsupportedError(`A ${key.asymmetricKeyType ?? 'unknown'} signature cannot be verified from a digest alone; pass the artifact file.`);
}
