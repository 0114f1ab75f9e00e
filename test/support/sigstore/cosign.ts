// What cosign writes in the tag scheme (`sha256-<hex>.sig` / `.att` layers), as bytes plus
// layer annotations ready to push. Layout checked against real layers in
// test/fixtures/real/cosign-signatures (containers-image, slsa-github-generator).
// Spec: https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md
import type { EntryKind } from './entries';
import type { StatementSubject } from './in-toto';
import { IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1, envelopeJson, inTotoStatement } from './in-toto';
import type { SignOptions, SignedEnvelope, SignedMessage, Signer, TlogRecord } from './signed';
import { isIdentity, signEnvelope, signMessage } from './signed';
import { X509Certificate as NodeX509, createHash } from 'node:crypto';
import type { SetPayload } from './log';

export const COSIGN_ANNOTATION = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  predicateType: 'predicateType',
} as const;

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

export interface CosignLayer {
  readonly mediaType: string;
  /** The layer blob: the simple-signing payload (`.sig`) or the DSSE envelope (`.att`). */
  readonly bytes: Buffer;
  /** Sorted by key, as cosign (Go maps) serialises them. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly record: SignedMessage | SignedEnvelope;
}

export interface SimpleSigningClaims {
  /** `docker-reference`: not checked by cosign, may name another registry. */
  reference: string;
  /** `docker-manifest-digest`: the digest the signature covers. */
  digest: string;
  /** cosign's `-a key=value` annotations; null (cosign's default) when none. */
  optional?: Readonly<Record<string, string>> | null;
}

export function simpleSigningPayload(c: SimpleSigningClaims): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': c.reference }, image: { 'docker-manifest-digest': c.digest }, type: COSIGN_SIGNATURE_TYPE },
      optional: c.optional ?? null,
    }),
  );
}

/** `dev.sigstore.cosign/bundle`: cosign's RekorBundle (Go field order: SET, then Payload). */
export function rekorBundleAnnotation(tlog: TlogRecord): string {
  const e = tlog.entry;
  return JSON.stringify({
    SignedEntryTimestamp: tlog.set.toString('base64'),
    Payload: { body: e.body.toString('base64'), integratedTime: e.integratedTime, logIndex: e.logIndex, logID: e.logIdHex },
  });
}

const sorted = (o: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function materialAnnotations(signer: Signer, tlog: TlogRecord | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isIdentity(signer)) {
    out[COSIGN_ANNOTATION.certificate] = signer.certificate.pem;
    out[COSIGN_ANNOTATION.chain] = signer.chainPem;
  }
  if (tlog) out[COSIGN_ANNOTATION.bundle] = rekorBundleAnnotation(tlog);
  return out;
}

/** A `.sig` layer: the payload blob, its signature and the signer's material as annotations. */
export function signatureLayer(record: SignedMessage): CosignLayer {
  if (record.payload === undefined) throw new Error('a cosign .sig layer needs the signed payload bytes');
  const annotations = { [COSIGN_ANNOTATION.signature]: record.signature.toString('base64'), ...materialAnnotations(record.signer, record.tlog) };
  return { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, bytes: record.payload, annotations: sorted(annotations), record };
}

/**
 * A `.att` layer: the DSSE envelope is the blob, the signature annotation is empty (the
 * signature is inside). `predicateType` defaults to the statement's; null leaves it out, as
 * cosign before v1.13 did.
 */
export function attestationLayer(record: SignedEnvelope, predicateType?: string | null): CosignLayer {
  const annotations: Record<string, string> = { [COSIGN_ANNOTATION.signature]: '', ...materialAnnotations(record.signer, record.tlog) };
  const type = predicateType === undefined ? statementPredicateType(record.envelope.payload) : predicateType;
  if (type !== null && type !== undefined) annotations[COSIGN_ANNOTATION.predicateType] = type;
  return { mediaType: DSSE_MEDIA_TYPE, bytes: envelopeJson(record.envelope), annotations: sorted(annotations), record };
}

function statementPredicateType(payload: Buffer): string | undefined {
  try {
    const t = (JSON.parse(payload.toString('utf8')) as { predicateType?: unknown }).predicateType;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** `cosign sign` (tag scheme): a simple-signing payload for `digest`, signed and (with a log) logged as hashedrekord. */
export function cosignSign(signer: Signer, claims: SimpleSigningClaims, options: SignOptions = {}): CosignLayer {
  return signatureLayer(signMessage(signer, simpleSigningPayload(claims), options));
}

export interface AttestOptions extends Omit<SignOptions, 'entryKind'> {
  digest: string;
  /** Subject name: the repository without tag, as cosign writes it. */
  subjectName: string;
  predicateType?: string;
  predicate?: unknown;
  /** `intoto/0.0.2` (cosign v2, default) or `intoto/0.0.1` (cosign v1, older slsa-github-generator). */
  entryKind?: Extract<EntryKind, 'intoto/0.0.2' | 'intoto/0.0.1'>;
  extraSubjects?: readonly StatementSubject[];
}

/** `cosign attest` (tag scheme): a v0.1 in-toto statement about `digest` in a DSSE envelope. */
export function cosignAttest(signer: Signer, o: AttestOptions): CosignLayer {
  const [alg = 'sha256', hex = ''] = o.digest.split(':');
  const statement = inTotoStatement({
    version: 'v0.1',
    subject: [{ name: o.subjectName, digest: { [alg]: hex } }, ...(o.extraSubjects ?? [])],
    predicateType: o.predicateType ?? SLSA_PROVENANCE_V1,
    predicate: o.predicate ?? {},
  });
  const { digest: _d, subjectName: _s, predicateType: _p, predicate: _q, extraSubjects: _e, ...sign } = o;
  return attestationLayer(signEnvelope(signer, IN_TOTO_PAYLOAD_TYPE, statement, { ...sign, entryKind: o.entryKind ?? 'intoto/0.0.2' }));
}

/**
 * cosign annotations -> bundle v0.1, the recipe src/verify/bundle/cosign-bundle.ts implements (annotations:
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md), kept here (not imported
 * from src) so the generated layers are checked independently of the code under test.
 */
export function layerAsBundle(layer: CosignLayer): string {
  const a = layer.annotations;
  const cert = a[COSIGN_ANNOTATION.certificate];
  const vm: Record<string, unknown> = cert
    ? { x509CertificateChain: { certificates: [{ rawBytes: new NodeX509(cert).raw.toString('base64') }] } }
    : { publicKey: { hint: '' } };
  const rekor = a[COSIGN_ANNOTATION.bundle];
  vm.tlogEntries = [];
  if (rekor) {
    const { SignedEntryTimestamp, Payload: p } = JSON.parse(rekor) as { SignedEntryTimestamp: string; Payload: SetPayload };
    const body = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as { kind: string; apiVersion: string };
    vm.tlogEntries = [
      {
        logIndex: String(p.logIndex),
        logId: { keyId: Buffer.from(p.logID, 'hex').toString('base64') },
        kindVersion: { kind: body.kind, version: body.apiVersion },
        integratedTime: String(p.integratedTime),
        inclusionPromise: { signedEntryTimestamp: SignedEntryTimestamp },
        canonicalizedBody: p.body,
      },
    ];
  }
  const content = layer.mediaType.includes('dsse')
    ? { dsseEnvelope: JSON.parse(layer.bytes.toString('utf8')) as unknown }
    : {
        messageSignature: {
          messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(layer.bytes).digest('base64') },
          signature: a[COSIGN_ANNOTATION.signature],
        },
      };
  return JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1', verificationMaterial: vm, ...content });
}
