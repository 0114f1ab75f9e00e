import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { LensError, describeError } from '../../core/errors';

/**
 * Public keys for key-based ("managed key") signing, as `cosign verify --key` takes
 * them: a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1).
 * The fingerprint is sha256 over the DER SubjectPublicKeyInfo, the same bytes a
 * bundle's `publicKey.hint` and a Rekor log ID are usually computed from.
 */
export interface PublicKeyMaterial {
  key: KeyObject;
  /** `sha256:<hex>` of the DER SubjectPublicKeyInfo. */
  fingerprint: string;
  /** e.g. `ecdsa-p256`, `rsa-2048`, `ed25519`. */
  algorithm: string;
  /** Where it came from (a path), for messages. */
  source: string;
}

const PEM_LABEL = /-----BEGIN ([A-Z0-9 ]+)-----/;

export function parsePublicKey(pem: string, source: string): PublicKeyMaterial {
  const label = PEM_LABEL.exec(pem)?.[1];
  if (label === undefined) throw new LensError('USAGE', `${source} is not a PEM public key (no -----BEGIN ...----- line).`, { source });
  // createPublicKey happily derives a public key from a private one: refuse instead,
  // a private key in a verification input is a mistake worth saying out loud.
  if (label.includes('PRIVATE')) throw new LensError('USAGE', `${source} holds a ${label}; pass the public key instead.`, { source });
  if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY') {
    throw new LensError('USAGE', `${source} holds a PEM "${label}", expected "PUBLIC KEY".`, { source });
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new LensError('USAGE', `${source} is not a valid public key: ${describeError(e)}`, { source }, { cause: e });
  }
  return { key, fingerprint: keyFingerprint(key), algorithm: describeKey(key), source };
}

export function keyFingerprint(key: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      return `ecdsa-${String(d.namedCurve ?? 'unknown')
        .replace(/^prime256v1$/, 'p256')
        .replace(/^secp(\d+)r1$/, 'p$1')
        .toLowerCase()}`;
    case 'rsa':
    case 'rsa-pss':
      return `${key.asymmetricKeyType}-${d.modulusLength ?? '?'}`;
    default:
      return String(key.asymmetricKeyType);
  }
}

/** Same key? Compared on the DER SubjectPublicKeyInfo. */
export function sameKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }));
}
