// Rekor v1 entry bodies, shaped as Rekor canonicalises them (checked against real entries in
// test/fixtures/real). Types: https://github.com/sigstore/rekor/tree/main/pkg/types
import { createHash } from 'node:crypto';
import { json } from '@sigstore/core';
import type { DsseEnvelope } from './in-toto';
import { envelopeJson } from './in-toto';
import type { RekorBody } from './log';

export type EntryKind = 'hashedrekord/0.0.1' | 'intoto/0.0.2' | 'intoto/0.0.1' | 'dsse/0.0.1';

const b64 = (v: string | Buffer): string => Buffer.from(v).toString('base64');
const sha256 = (v: string | Buffer): { algorithm: string; value: string } => ({ algorithm: 'sha256', value: createHash('sha256').update(v).digest('hex') });

/** `hashedrekord` 0.0.1: the artifact digest, the signature, and the PEM verifier (base64). */
export function hashedRekordBody(digest: Buffer, signature: Buffer, verifierPem: string): RekorBody {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
      signature: { content: signature.toString('base64'), publicKey: { content: b64(verifierPem) } },
    },
  };
}

/**
 * `intoto` 0.0.2 (cosign attest since v2): the envelope without its payload, signature and
 * key base64-encoded once more; `hash` is over the canonical envelope with `keyid` left out
 * when empty (matches the Rekor-made entry in sigstore-go's dsse.sigstore.json).
 */
export function intotoV002Body(env: DsseEnvelope, verifierPem: string): RekorBody {
  const sig = env.signature.toString('base64');
  const keyid = env.keyid ? { keyid: env.keyid } : {};
  const hashed = { payloadType: env.payloadType, payload: env.payload.toString('base64'), signatures: [{ ...keyid, sig }] };
  return {
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: { payloadType: env.payloadType, signatures: [{ ...keyid, publicKey: b64(verifierPem), sig: b64(sig) }] },
        hash: sha256(json.canonicalize(hashed)),
        payloadHash: sha256(env.payload),
      },
    },
  };
}

/** `intoto` 0.0.1 (cosign before v2, older slsa-github-generator): hashes of the layer blob and payload, one key. */
export function intotoV001Body(env: DsseEnvelope, verifierPem: string): RekorBody {
  return {
    apiVersion: '0.0.1',
    kind: 'intoto',
    spec: { content: { hash: sha256(envelopeJson(env)), payloadHash: sha256(env.payload) }, publicKey: b64(verifierPem) },
  };
}

/** `dsse` 0.0.1 (cosign v3 bundles): hash of the envelope as submitted, payload hash, signatures with verifiers. */
export function dsseV001Body(env: DsseEnvelope, verifierPem: string): RekorBody {
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: sha256(envelopeJson(env)),
      payloadHash: sha256(env.payload),
      signatures: [{ signature: env.signature.toString('base64'), verifier: b64(verifierPem) }],
    },
  };
}
