// One signature as the mini Sigstore records it, independent of where it is stored: the signed
// content, the signer, and its transparency-log entry. cosign.ts renders a record as a tag-scheme
// layer, bundle.ts as a Sigstore bundle; mutations.ts derives broken records from good ones.
import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist';
import type { SigningIdentity } from './ca';
import { DEFAULT_SIGNING_TIME } from './ca';
import type { EntryKind } from './entries';
import { dsseV001Body, hashedRekordBody, intotoV001Body, intotoV002Body } from './entries';
import type { DsseEnvelope } from './in-toto';
import { signDsse } from './in-toto';
import type { SigningKey } from './keys';
import type { InclusionProof, LogEntry, RekorBody, TestLog } from './log';
import { unixSeconds } from './log';

/** A keyless signer (leaf certificate) or a managed key. */
export type Signer = SigningIdentity | SigningKey;

export const isIdentity = (s: Signer): s is SigningIdentity => 'certificate' in s;
/** What Rekor records as the verifier: the leaf certificate PEM, else the public key PEM. */
export const verifierPem = (s: Signer): string => (isIdentity(s) ? s.certificate.pem : s.publicKeyPem);

export interface TlogRecord {
  readonly log: TestLog;
  readonly entry: LogEntry;
  /** Against the tree right after the entry was appended; its checkpoint stays valid. */
  readonly proof: InclusionProof;
  /** The SET carried with the entry (normally entry.set; mutations may swap it). */
  readonly set: Buffer;
}

/** A signature over a message: cosign `.sig` payloads, blobs, digests. */
export interface SignedMessage {
  readonly kind: 'message';
  /** The signed bytes, when known (a signature over a digest alone has none). */
  readonly payload?: Buffer;
  /** sha256 of the payload: what hashedrekord and a bundle's messageDigest record. */
  readonly digest: Buffer;
  readonly signature: Buffer;
  readonly signer: Signer;
  readonly tlog?: TlogRecord;
}

/** A DSSE envelope: cosign `.att` layers, attestation and cosign v3 bundles. */
export interface SignedEnvelope {
  readonly kind: 'dsse';
  readonly envelope: DsseEnvelope;
  readonly signer: Signer;
  readonly entryKind?: EntryKind;
  readonly tlog?: TlogRecord;
}

export type SignedRecord = SignedMessage | SignedEnvelope;

export interface SignOptions {
  /** Log the signature here; without a log there is no tlog entry (key-based `--tlog-upload=false`). */
  log?: TestLog;
  /** Default: five seconds after the certificate's notBefore, or DEFAULT_SIGNING_TIME for keys. */
  integratedTime?: number | Date;
  /** DSSE only: `dsse/0.0.1` (bundles, default), `intoto/0.0.2` (cosign attest), `intoto/0.0.1`. */
  entryKind?: EntryKind;
  /** Record another verifier than the signer in the log entry (mutation: tlog key differs). */
  loggedVerifierPem?: string;
}

export function defaultIntegratedTime(signer: Signer): number | undefined {
  return isIdentity(signer) ? unixSeconds(signer.notBefore) + 5 : undefined;
}

/** ECDSA P-256 over a digest the signer never saw the bytes of (node:crypto always hashes). */
function signDigest(signer: Signer, digest: Buffer): Buffer {
  const jwk = signer.privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || jwk.d === undefined) throw new Error('signing a bare digest needs a P-256 key');
  return Buffer.from(p256.sign(digest, Buffer.from(jwk.d, 'base64url'), { prehash: false }).toDERRawBytes());
}

export function entryBody(record: SignedRecord, pem: string): RekorBody {
  if (record.kind === 'message') return hashedRekordBody(record.digest, record.signature, pem);
  switch (record.entryKind ?? 'dsse/0.0.1') {
    case 'intoto/0.0.2':
      return intotoV002Body(record.envelope, pem);
    case 'intoto/0.0.1':
      return intotoV001Body(record.envelope, pem);
    case 'dsse/0.0.1':
      return dsseV001Body(record.envelope, pem);
    default:
      throw new Error(`a DSSE envelope is not logged as ${record.entryKind}`);
  }
}

/** Appends the record to `log` (replacing any entry it had) and proves inclusion. */
export function logRecord<R extends SignedRecord>(record: R, log: TestLog, options: Omit<SignOptions, 'log' | 'entryKind'> = {}): R {
  const body = entryBody(record, options.loggedVerifierPem ?? verifierPem(record.signer));
  const entry = log.append(body, { integratedTime: options.integratedTime ?? defaultIntegratedTime(record.signer) ?? unixSeconds(DEFAULT_SIGNING_TIME) });
  return { ...record, tlog: { log, entry, proof: log.prove(entry), set: entry.set } };
}

function withLog<R extends SignedRecord>(record: R, options: SignOptions): R {
  return options.log ? logRecord(record, options.log, options) : record;
}

/** Signs bytes (or, with `{ digest }`, a sha256 digest) as `cosign sign` / `sign-blob` do. */
export function signMessage(signer: Signer, content: Buffer | { digest: Buffer }, options: SignOptions = {}): SignedMessage {
  const record: SignedMessage = Buffer.isBuffer(content)
    ? { kind: 'message', payload: content, digest: createHash('sha256').update(content).digest(), signature: signer.sign(content), signer }
    : { kind: 'message', digest: content.digest, signature: signDigest(signer, content.digest), signer };
  return withLog(record, options);
}

export function signEnvelope(signer: Signer, payloadType: string, payload: Buffer, options: SignOptions = {}): SignedEnvelope {
  const record: SignedEnvelope = { kind: 'dsse', envelope: signDsse(signer, payloadType, payload), signer, entryKind: options.entryKind ?? 'dsse/0.0.1' };
  return withLog(record, options);
}

export interface ResignChanges {
  signer?: Signer;
  payload?: Buffer;
  payloadType?: string;
  integratedTime?: number | Date;
  loggedVerifierPem?: string;
  /** Log in another log than the record's own. */
  log?: TestLog;
}

/** The same kind of record, signed and logged afresh with some inputs changed. */
export function resign(record: SignedRecord, changes: ResignChanges = {}): SignedRecord {
  const signer = changes.signer ?? record.signer;
  const log = changes.log ?? record.tlog?.log;
  const options: SignOptions = { ...(log ? { log } : {}) };
  if (changes.integratedTime !== undefined) options.integratedTime = changes.integratedTime;
  if (changes.loggedVerifierPem !== undefined) options.loggedVerifierPem = changes.loggedVerifierPem;
  if (record.kind === 'message') {
    const payload = changes.payload ?? record.payload;
    return signMessage(signer, payload ?? { digest: record.digest }, options);
  }
  if (record.entryKind) options.entryKind = record.entryKind;
  return signEnvelope(signer, changes.payloadType ?? record.envelope.payloadType, changes.payload ?? record.envelope.payload, options);
}
