import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * ECDSA key pairs for the mini Sigstore: signing certificates' keys, cosign's "managed"
 * keys (`cosign generate-key-pair`) and the log key. Private keys stay in memory.
 */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SubjectPublicKeyInfo PEM, what `cosign.pub` holds (with its trailing newline). */
  readonly publicKeyPem: string;
  readonly publicKeyDer: Buffer;
  /** `sha256:<hex>` of the DER SubjectPublicKeyInfo, as src/verify/trust/public-key.ts computes it. */
  readonly fingerprint: string;
  /** ASN.1 DER ECDSA signature with SHA-256 (P-256) or SHA-384 (P-384), as cosign writes. */
  sign(data: Uint8Array): Buffer;
}

export type Curve = 'P-256' | 'P-384';

const CURVES: Record<Curve, { name: string; hash: string }> = {
  'P-256': { name: 'prime256v1', hash: 'sha256' },
  'P-384': { name: 'secp384r1', hash: 'sha384' },
};

export function createSigningKey(curve: Curve = 'P-256'): SigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: CURVES[curve].name });
  return signingKeyFrom(privateKey);
}

export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  // The public half, derived in memory: the private key is never exported.
  const publicKey = createPublicKey(privateKey);
  const publicKeyDer = publicKey.export({ type: 'spki', format: 'der' });
  const curve = privateKey.asymmetricKeyDetails?.namedCurve === CURVES['P-384'].name ? 'P-384' : 'P-256';
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKeyDer,
    fingerprint: `sha256:${createHash('sha256').update(publicKeyDer).digest('hex')}`,
    sign: (data) => sign(CURVES[curve].hash, data, privateKey),
  };
}
