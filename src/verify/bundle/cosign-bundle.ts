import { createHash } from 'node:crypto';
import { pem } from '@sigstore/core';
import { BUNDLE_V01_MEDIA_TYPE } from '@sigstore/bundle';
import type { DsseEnvelope } from '../../claims/dsse';
import { readDsseEnvelope } from '../../claims/dsse';
import { isProvenanceError } from '../../claims/errors';
import { parseBoundedJson } from '../../claims/json';
import { heldContentLimits } from '../../claims/limits';
import { describeError } from '../../core/errors';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';

/**
 * cosign's tag-scheme layers as Sigstore bundles v0.1, so that `verifyBlob` (and through it
 * `@sigstore/verify`) checks them like any other bundle.
 *
 * Layer annotations (cosign signature spec,
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md):
 * `dev.cosignproject.cosign/signature` (base64 signature over the layer blob),
 * `dev.sigstore.cosign/certificate` (PEM leaf), `dev.sigstore.cosign/chain` (PEM chain),
 * `dev.sigstore.cosign/bundle` (Rekor's `{SignedEntryTimestamp, Payload{body, integratedTime,
 * logIndex, logID}}`), `dev.sigstore.cosign/rfc3161timestamp` (`{SignedRFC3161Timestamp}`).
 * Bundle fields: https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto
 *
 * Everything here is untrusted registry content: every field is type-checked, and a
 * malformed annotation becomes a failed `BUNDLE_FORMAT` check, never an exception.
 */
export const CosignAnnotation = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  rfc3161: 'dev.sigstore.cosign/rfc3161timestamp',
} as const;

export type Conversion = { ok: true; bundle: Record<string, unknown>; notes: SignatureCheck[] } | { ok: false; failure: SignatureCheck };

type Material = { ok: true; material: Record<string, unknown>; notes: SignatureCheck[] } | { ok: false; failure: SignatureCheck };

const fail = (message: string, cause?: string): { ok: false; failure: SignatureCheck } => ({
  ok: false,
  failure: check('BUNDLE_FORMAT', 'fail', message, cause === undefined ? undefined : { cause }),
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `.sig`: the layer blob is the signed payload; the signature is an annotation over its bytes. */
export function bundleFromCosignSignature(payload: Uint8Array, annotations: Readonly<Record<string, string>>): Conversion {
  // Some signers (containers/image with RSA keys) wrap the base64 at 76 columns.
  const signature = (annotations[CosignAnnotation.signature] ?? '').replace(/\s+/g, '');
  if (signature === '') return fail('The cosign signature layer has no signature annotation (dev.cosignproject.cosign/signature).');
  if (!BASE64.test(signature)) return fail('The cosign signature annotation is not base64.');
  return cosignBundle(annotations, {
    // cosign signs the blob with SHA-256 (the default and only hash of `cosign sign`).
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') },
      signature,
    },
  });
}

/** `.att`: the layer blob is a DSSE envelope; its signature is inside, the annotation is empty. */
export function bundleFromCosignAttestation(envelope: Uint8Array, annotations: Readonly<Record<string, string>>): Conversion {
  // The envelope reader the provenance summaries use (src/claims/dsse.ts): both accept the same envelopes.
  let env: DsseEnvelope;
  try {
    env = readDsseEnvelope(parseBoundedJson(envelope, heldContentLimits(envelope.byteLength), 'attestation layer'));
  } catch (e) {
    if (!isProvenanceError(e)) throw e;
    if (e.code === 'NOT_JSON') return fail('The attestation layer is not a JSON DSSE envelope.', e.message);
    if (e.code === 'PAYLOAD_ENCODING') return fail("The DSSE envelope's payload or signature is not base64.");
    return fail('The attestation layer is not a DSSE envelope (payloadType, payload, signatures).', e.message);
  }
  const [signature, ...others] = env.signatures;
  if (signature === undefined || others.length > 0) {
    return fail(`The DSSE envelope carries ${env.signatures.length} signature(s); a cosign attestation carries exactly one.`);
  }
  return cosignBundle(annotations, {
    dsseEnvelope: { payloadType: env.payloadType, payload: env.payload, signatures: [{ sig: signature.sig, keyid: signature.keyid ?? '' }] },
  });
}

/** A v0.1 bundle: the layer's verification material (its annotations), then what was signed (`content`). */
function cosignBundle(annotations: Readonly<Record<string, string>>, content: { messageSignature: unknown } | { dsseEnvelope: unknown }): Conversion {
  const vm = verificationMaterial(annotations);
  if (!vm.ok) return vm;
  return { ok: true, notes: vm.notes, bundle: { mediaType: BUNDLE_V01_MEDIA_TYPE, verificationMaterial: vm.material, ...content } };
}

function verificationMaterial(annotations: Readonly<Record<string, string>>): Material {
  const notes: SignatureCheck[] = [];
  const material: Record<string, unknown> = {};
  const certPem = annotations[CosignAnnotation.certificate]?.trim();
  if (certPem) {
    let der: Buffer;
    try {
      der = pem.toDER(firstPemBlock(certPem));
    } catch (e) {
      return fail('The certificate annotation is not a PEM certificate.', describeError(e));
    }
    if (der.length === 0) return fail('The certificate annotation is not a PEM certificate.');
    // The leaf only: chains are built from the trusted root, never from what the
    // registry supplies (the chain annotation is untrusted and only noted).
    material.x509CertificateChain = { certificates: [{ rawBytes: der.toString('base64') }] };
    if (annotations[CosignAnnotation.chain]?.trim()) {
      notes.push(
        check('BUNDLE_CHAIN', 'info', 'The layer carries a certificate chain annotation; it is not used: the chain is built from the trusted root only.'),
      );
    }
  } else {
    // Key-based signing: the key comes from the policy, never from the artifact.
    material.publicKey = { hint: '' };
  }
  const entry = annotations[CosignAnnotation.bundle]?.trim();
  if (entry) {
    const converted = tlogEntry(entry);
    if (!converted.ok) return converted;
    material.tlogEntries = [converted.entry];
  } else {
    material.tlogEntries = [];
  }
  const rfc3161 = annotations[CosignAnnotation.rfc3161]?.trim();
  if (rfc3161) {
    let ts: { SignedRFC3161Timestamp?: unknown };
    try {
      ts = JSON.parse(rfc3161) as typeof ts;
    } catch (e) {
      return fail('The RFC 3161 timestamp annotation is not JSON.', describeError(e));
    }
    if (typeof ts?.SignedRFC3161Timestamp !== 'string' || !BASE64.test(ts.SignedRFC3161Timestamp)) {
      return fail('The RFC 3161 timestamp annotation has no base64 SignedRFC3161Timestamp.');
    }
    material.timestampVerificationData = { rfc3161Timestamps: [{ signedTimestamp: ts.SignedRFC3161Timestamp }] };
  }
  return { ok: true, material, notes };
}

type EntryConversion = { ok: true; entry: Record<string, unknown> } | { ok: false; failure: SignatureCheck };

const HEX = /^[0-9a-f]+$/i;

/**
 * cosign's `RekorBundle` to a bundle `TransparencyLogEntry`: numbers as strings, the hex
 * log ID as base64 bytes, kind and version read from the body itself (which the SET covers).
 */
function tlogEntry(text: string): EntryConversion {
  let parsed: { SignedEntryTimestamp?: unknown; Payload?: { body?: unknown; integratedTime?: unknown; logIndex?: unknown; logID?: unknown } };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (e) {
    return fail('The Rekor bundle annotation (dev.sigstore.cosign/bundle) is not JSON.', describeError(e));
  }
  const p = parsed?.Payload;
  const set = parsed?.SignedEntryTimestamp;
  if (typeof set !== 'string' || !BASE64.test(set) || typeof p !== 'object' || p === null) {
    return fail('The Rekor bundle annotation has no SignedEntryTimestamp and Payload.');
  }
  if (
    typeof p.body !== 'string' ||
    !BASE64.test(p.body) ||
    !isCount(p.integratedTime) ||
    !isCount(p.logIndex) ||
    typeof p.logID !== 'string' ||
    !HEX.test(p.logID) ||
    p.logID.length % 2 !== 0
  ) {
    return fail('The Rekor bundle annotation has a malformed Payload (body, integratedTime, logIndex, logID).');
  }
  let body: { kind?: unknown; apiVersion?: unknown };
  try {
    body = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as typeof body;
  } catch (e) {
    return fail('The Rekor entry body is not JSON.', describeError(e));
  }
  if (typeof body?.kind !== 'string' || typeof body.apiVersion !== 'string') return fail('The Rekor entry body names no kind and apiVersion.');
  return {
    ok: true,
    entry: {
      logIndex: String(p.logIndex),
      logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
      kindVersion: { kind: body.kind, version: body.apiVersion },
      integratedTime: String(p.integratedTime),
      inclusionPromise: { signedEntryTimestamp: set },
      canonicalizedBody: p.body,
    },
  };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function firstPemBlock(text: string): string {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text);
  if (m === null) throw new Error('no -----BEGIN CERTIFICATE----- block');
  return m[0];
}
