// Sigstore bundles (protobuf-specs sigstore_bundle.proto, protojson field names and order) as
// cosign v3 attaches them as OCI referrers and `cosign sign-blob --bundle` writes them.
// https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto
import { createHash } from 'node:crypto';
import type { StatementSubject } from './in-toto';
import { IN_TOTO_PAYLOAD_TYPE, cosignSignStatement, digestSet, inTotoStatement } from './in-toto';
import type { SignOptions, SignedRecord, Signer, TlogRecord } from './signed';
import { isIdentity, signEnvelope, signMessage } from './signed';

/** cosign v3's bundle media type (also the referrer artifactType). */
export const BUNDLE_V03_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const BUNDLE_V01_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle+json;version=0.1';

export interface BundleOptions {
  mediaType?: string;
  /** v0.2+ require the proof; v0.1 may carry the promise (SET) alone. Default both. */
  inclusionProof?: boolean;
  inclusionPromise?: boolean;
}

export interface BundleArtifact {
  readonly record: SignedRecord;
  readonly json: Record<string, unknown>;
  /** Compact JSON, as cosign writes the referrer layer. */
  readonly bytes: Buffer;
  readonly content: 'message-signature' | 'dsse-envelope';
  readonly predicateType?: string;
}

function tlogEntry(t: TlogRecord, o: BundleOptions): Record<string, unknown> {
  const e = t.entry;
  const entry: Record<string, unknown> = {
    logIndex: String(e.logIndex),
    logId: { keyId: Buffer.from(e.logIdHex, 'hex').toString('base64') },
    kindVersion: { kind: e.kind, version: e.apiVersion },
    integratedTime: String(e.integratedTime),
  };
  if (o.inclusionPromise ?? true) entry.inclusionPromise = { signedEntryTimestamp: t.set.toString('base64') };
  if (o.inclusionProof ?? true) {
    const p = t.proof;
    entry.inclusionProof = {
      logIndex: String(p.logIndex),
      rootHash: p.rootHash.toString('base64'),
      treeSize: String(p.treeSize),
      hashes: p.hashes.map((h) => h.toString('base64')),
      checkpoint: { envelope: p.checkpoint },
    };
  }
  entry.canonicalizedBody = e.body.toString('base64');
  return entry;
}

export function sigstoreBundle(record: SignedRecord, o: BundleOptions = {}): Record<string, unknown> {
  const mediaType = o.mediaType ?? BUNDLE_V03_MEDIA_TYPE;
  const v03 = /0\.3/.test(mediaType);
  const signer = record.signer;
  const cert = isIdentity(signer) ? { rawBytes: signer.certificate.der.toString('base64') } : undefined;
  const verificationMaterial: Record<string, unknown> = cert
    ? v03
      ? { certificate: cert }
      : { x509CertificateChain: { certificates: [cert] } }
    : { publicKey: { hint: createHash('sha256').update(signer.publicKeyDer).digest('base64') } };
  verificationMaterial.tlogEntries = record.tlog ? [tlogEntry(record.tlog, o)] : [];
  const bundle: Record<string, unknown> = { mediaType, verificationMaterial };
  if (record.kind === 'message') {
    bundle.messageSignature = {
      messageDigest: { algorithm: 'SHA2_256', digest: record.digest.toString('base64') },
      signature: record.signature.toString('base64'),
    };
  } else {
    const env = record.envelope;
    const sig = { sig: env.signature.toString('base64'), ...(env.keyid ? { keyid: env.keyid } : {}) };
    bundle.dsseEnvelope = { payload: env.payload.toString('base64'), payloadType: env.payloadType, signatures: [sig] };
  }
  return bundle;
}

export function toBundleArtifact(record: SignedRecord, o: BundleOptions = {}): BundleArtifact {
  const json = sigstoreBundle(record, o);
  const content = record.kind === 'message' ? 'message-signature' : 'dsse-envelope';
  let predicateType: string | undefined;
  if (record.kind === 'dsse') {
    try {
      const t = (JSON.parse(record.envelope.payload.toString('utf8')) as { predicateType?: unknown }).predicateType;
      if (typeof t === 'string') predicateType = t;
    } catch {
      // Not a statement (wrong payload type mutations): no predicate type to report.
    }
  }
  return { record, json, bytes: Buffer.from(JSON.stringify(json)), content, ...(predicateType ? { predicateType } : {}) };
}

/** `cosign sign-blob --bundle`: a message signature over bytes, or over a sha256 digest (`{ digest }`). */
export function messageSignatureBundle(signer: Signer, content: Buffer | { digest: Buffer }, options: SignOptions & BundleOptions = {}): BundleArtifact {
  return toBundleArtifact(signMessage(signer, content, options), options);
}

/** cosign v3 `sign`: DSSE over a v1 statement with predicate `https://sigstore.dev/cosign/sign/v1` about `digest`. */
export function cosignSignBundle(signer: Signer, digest: string, options: SignOptions & BundleOptions & { subjectName?: string } = {}): BundleArtifact {
  return toBundleArtifact(
    signEnvelope(signer, IN_TOTO_PAYLOAD_TYPE, cosignSignStatement(digest, options.subjectName), { entryKind: 'dsse/0.0.1', ...options }),
    options,
  );
}

export interface AttestationBundleOptions extends SignOptions, BundleOptions {
  digest: string;
  subjectName?: string;
  predicateType: string;
  predicate: unknown;
  extraSubjects?: readonly StatementSubject[];
}

/** cosign v3 `attest` / GitHub artifact attestations: DSSE over a v1 statement, logged as `dsse` 0.0.1. */
export function attestationBundle(signer: Signer, o: AttestationBundleOptions): BundleArtifact {
  const subject: StatementSubject = { ...(o.subjectName ? { name: o.subjectName } : {}), digest: digestSet(o.digest) };
  const statement = inTotoStatement({ version: 'v1', subject: [subject, ...(o.extraSubjects ?? [])], predicateType: o.predicateType, predicate: o.predicate });
  return toBundleArtifact(signEnvelope(signer, IN_TOTO_PAYLOAD_TYPE, statement, { entryKind: 'dsse/0.0.1', ...o }), o);
}
