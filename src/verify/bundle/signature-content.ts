import { createHash, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { dsse } from '@sigstore/core';
import type { Bundle } from '@sigstore/bundle';
import type { SignedEntity } from '@sigstore/verify';
import type { BlobArtifact, NodeHash } from './artifact';
import { artifactDigest, messageHash } from './artifact';
import { verifyPrehashed } from './prehash';

/**
 * Our own `SignatureContent` for `@sigstore/verify`'s `Verifier`: what the log entry
 * and the signature are compared with. Two differences from the library's:
 * - message signatures are bound to the ARTIFACT's digest (not the digest the bundle
 *   claims), and can be verified from a digest alone (see prehash.ts);
 * - DSSE envelopes logged to Rekor v2 as `hashedrekord` 0.0.2 record
 *   sha256(PAE(payloadType, payload)), not sha256(payload) (rekor-tiles spec, "DSSE as
 *   hashedrekord"; sigstore-conformance `rekor2-dsse-happy-path`), which
 *   `@sigstore/verify` 3.1 compares against the payload hash and so rejects.
 */
type SignatureContent = SignedEntity['signature'];

class MessageContent implements SignatureContent {
  constructor(
    readonly signature: Buffer,
    private readonly hash: NodeHash,
    private readonly digest: Buffer,
    private readonly bytes: Uint8Array | undefined,
  ) {}

  compareSignature(signature: Buffer): boolean {
    return equal(signature, this.signature);
  }

  compareDigest(digest: Buffer): boolean {
    return equal(digest, this.digest);
  }

  verifySignature(key: KeyObject): boolean {
    if (this.bytes !== undefined) return cryptoVerify(this.hash, this.bytes, key, this.signature);
    return verifyPrehashed(key, this.hash, this.digest, this.signature);
  }
}

class DsseContent implements SignatureContent {
  readonly signature: Buffer;
  private readonly pae: Buffer;
  private readonly loggedDigest: Buffer;

  constructor(env: { payloadType: string; payload: Buffer; signatures: Array<{ sig: Buffer }> }, logged: 'payload' | 'pae') {
    this.signature = env.signatures[0]?.sig ?? Buffer.alloc(0);
    this.pae = dsse.preAuthEncoding(env.payloadType, env.payload);
    this.loggedDigest = createHash('sha256')
      .update(logged === 'pae' ? this.pae : env.payload)
      .digest();
  }

  compareSignature(signature: Buffer): boolean {
    return equal(signature, this.signature);
  }

  compareDigest(digest: Buffer): boolean {
    return equal(digest, this.loggedDigest);
  }

  verifySignature(key: KeyObject): boolean {
    // Same call as @sigstore/core's DSSE verification: the key type picks the hash.
    return cryptoVerify(undefined, this.pae, key, this.signature);
  }
}

/**
 * The content to verify. For message signatures the digest is the artifact's own;
 * when only a digest of another algorithm is known, the bundle's claimed digest is
 * used so the other checks still say something (the ARTIFACT check fails anyway).
 */
export function signatureContent(bundle: Bundle, artifact: BlobArtifact): SignatureContent {
  if (bundle.content.$case === 'dsseEnvelope') {
    const entries = bundle.verificationMaterial.tlogEntries;
    const viaHashedRekord = entries.length > 0 && entries.every((e) => e.kindVersion?.kind === 'hashedrekord' && e.kindVersion.version === '0.0.2');
    return new DsseContent(bundle.content.dsseEnvelope, viaHashedRekord ? 'pae' : 'payload');
  }
  const ms = bundle.content.messageSignature;
  const hash = messageHash(bundle) ?? 'sha256';
  const digest = artifactDigest(artifact, hash) ?? Buffer.from(ms.messageDigest?.digest ?? Buffer.alloc(0));
  return new MessageContent(Buffer.from(ms.signature), hash, digest, artifact.kind === 'bytes' ? artifact.bytes : undefined);
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.equals(b);
}
