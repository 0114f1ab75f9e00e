// Broken signatures for negative tests: each function takes a good record and returns one with a
// single defect, so a test can render it in any format (cosign.ts, bundle.ts) and assert which
// check refuses it. "As cosign verify would" decides what is a defect.
import { createHash } from 'node:crypto';
import { DEFAULT_LIMITS } from '../../../src/registry/limits';
import type { SigningIdentity } from './ca';
import type { MiniSigstore } from './mini-sigstore';
import type { SignedEnvelope, SignedMessage, SignedRecord } from './signed';
import { entryBody, isIdentity, logRecord, resign, signEnvelope, signMessage, verifierPem } from './signed';
import { createSigningKey } from './keys';
import { canonicalBody, unixSeconds } from './log';

/** A digest of an image nobody signed: what a claim of "another image" points at. */
export const OTHER_IMAGE_DIGEST = `sha256:${createHash('sha256').update('another image').digest('hex')}`;
export const ATTACKER_IDENTITY = 'https://github.com/attacker/repo/.github/workflows/release.yml@refs/tags/v1.0.0';
export const ATTACKER_ISSUER = 'https://issuer.evil.example';

type Json = Record<string, unknown>;

function identityOf(record: SignedRecord, what: string): SigningIdentity {
  if (!isIdentity(record.signer)) throw new Error(`${what} needs a keyless (certificate) signature`);
  return record.signer;
}

function envelopeOf(record: SignedRecord, what: string): SignedEnvelope {
  if (record.kind !== 'dsse') throw new Error(`${what} applies to DSSE envelopes`);
  return record;
}

const parse = (bytes: Buffer): Json => JSON.parse(bytes.toString('utf8')) as Json;
const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

/**
 * The payload changed after signing and logging: a field is added where it changes no claim
 * (`optional` of a simple-signing payload, `predicate` of a statement), else a byte flips.
 * With `relog`, a fresh log entry matches the tampered payload, so only the signature is wrong.
 */
export async function tamperedPayload(record: SignedRecord, options: { relog?: boolean } = {}): Promise<SignedRecord> {
  const tamper = (bytes: Buffer): Buffer => {
    try {
      const doc = parse(bytes);
      if ('optional' in doc) doc.optional = { ...(doc.optional as Json | null), tampered: 'true' };
      else doc.predicate = { ...(doc.predicate as Json | undefined), tampered: true };
      return Buffer.from(JSON.stringify(doc));
    } catch {
      return Buffer.concat([bytes.subarray(0, -1), Buffer.from([(bytes.at(-1) ?? 0) ^ 1])]);
    }
  };
  let out: SignedRecord;
  if (record.kind === 'message') {
    if (record.payload === undefined) throw new Error('tamperedPayload needs the signed bytes');
    const payload = tamper(record.payload);
    out = { ...record, payload, digest: sha256(payload) } satisfies SignedMessage;
  } else {
    out = { ...record, envelope: { ...record.envelope, payload: tamper(record.envelope.payload) } };
  }
  if (options.relog && record.tlog) out = logRecord(out, record.tlog.log, { integratedTime: record.tlog.entry.integratedTime });
  return out;
}

/** A validly signed simple-signing payload whose `docker-manifest-digest` names another image. */
export async function otherImageClaim(record: SignedRecord, otherDigest = OTHER_IMAGE_DIGEST): Promise<SignedRecord> {
  if (record.kind !== 'message' || record.payload === undefined) throw new Error('otherImageClaim applies to cosign .sig payloads');
  const doc = parse(record.payload) as { critical?: { image?: Json } };
  if (!doc.critical?.image) throw new Error('not a simple-signing payload');
  doc.critical.image['docker-manifest-digest'] = otherDigest;
  return resign(record, { payload: Buffer.from(JSON.stringify(doc)) });
}

/** Re-signed by the trusted CA's leaf for another SAN (another repository's workflow). */
export async function wrongIdentity(record: SignedRecord, sigstore: MiniSigstore, identity = ATTACKER_IDENTITY): Promise<SignedRecord> {
  const leaf = identityOf(record, 'wrongIdentity').leaf;
  return resign(record, { signer: await sigstore.ca.issue({ ...leaf, san: { uri: identity } }) });
}

/** Same SAN and claims, another OIDC issuer (both issuer extensions). */
export async function wrongIssuer(record: SignedRecord, sigstore: MiniSigstore, issuer = ATTACKER_ISSUER): Promise<SignedRecord> {
  const leaf = identityOf(record, 'wrongIssuer').leaf;
  return resign(record, { signer: await sigstore.ca.issue({ ...leaf, issuer }) });
}

/**
 * A SAN that contains the expected identity without being it:
 * `https://evil.example/?<expected>`. An unanchored pattern (what @sigstore/verify does with
 * a string SAN policy) accepts it; an anchored one must not.
 */
export async function unanchoredIdentity(record: SignedRecord, sigstore: MiniSigstore): Promise<SignedRecord> {
  const signer = identityOf(record, 'unanchoredIdentity');
  return resign(record, { signer: await sigstore.ca.issue({ ...signer.leaf, san: { uri: `https://evil.example/?${signer.identity}` } }) });
}

/** Logged an hour after the certificate expired, with no RFC 3161 timestamp to save it. */
export async function expiredCertificate(record: SignedRecord): Promise<SignedRecord> {
  const signer = identityOf(record, 'expiredCertificate');
  return resign(record, { integratedTime: unixSeconds(signer.notAfter) + 3600 });
}

/**
 * The entry's SET was signed by the log over another body (an entry for other content by the
 * same signer), with this entry's time, index and log ID: a promise that does not cover what
 * the bundle shows. The other content is always different: re-signing the same content is not
 * enough, because a signature over a bare digest is deterministic here (RFC 6979), so its
 * entry body, and the SET over it, would be the record's own.
 */
export async function setOverAnotherBody(record: SignedRecord): Promise<SignedRecord> {
  const tlog = record.tlog;
  if (!tlog) throw new Error('setOverAnotherBody needs a tlog entry');
  const otherBody = canonicalBody(entryBody(otherContent(record), verifierPem(record.signer)));
  if (otherBody.equals(tlog.entry.body)) throw new Error('setOverAnotherBody produced the same entry body');
  const e = tlog.entry;
  const set = tlog.log.signEntryTimestamp({ body: otherBody.toString('base64'), integratedTime: e.integratedTime, logIndex: e.logIndex, logID: e.logIdHex });
  return { ...record, tlog: { ...tlog, set } };
}

/** The same kind of record by the same signer over different content (not logged). */
function otherContent(record: SignedRecord): SignedRecord {
  const other = Buffer.from(' (another body)');
  if (record.kind === 'message') {
    return signMessage(
      record.signer,
      record.payload !== undefined ? Buffer.concat([record.payload, other]) : { digest: sha256(Buffer.concat([record.digest, other])) },
    );
  }
  return signEnvelope(
    record.signer,
    record.envelope.payloadType,
    Buffer.concat([record.envelope.payload, other]),
    record.entryKind ? { entryKind: record.entryKind } : {},
  );
}

/** Same identity and claims, from a CA the trusted root does not contain. */
export async function untrustedCertificate(record: SignedRecord, sigstore: MiniSigstore): Promise<SignedRecord> {
  return resign(record, { signer: await sigstore.untrustedCa.issue(identityOf(record, 'untrustedCertificate').leaf) });
}

/** A validly signed statement whose subjects name another digest than the image it is attached to. */
export async function attestationSubjectMismatch(record: SignedRecord, otherDigest = OTHER_IMAGE_DIGEST): Promise<SignedRecord> {
  const env = envelopeOf(record, 'attestationSubjectMismatch').envelope;
  const doc = parse(env.payload) as { subject?: Array<{ name?: string; digest: Json }> };
  const [alg = 'sha256', hex = ''] = otherDigest.split(':');
  doc.subject = (doc.subject ?? [{ digest: {} }]).map((s) => ({ ...s, digest: { [alg]: hex } }));
  return resign(record, { payload: Buffer.from(JSON.stringify(doc)) });
}

/** The same statement, validly signed under another DSSE payload type (so it is not in-toto). */
export async function wrongPayloadType(record: SignedRecord, payloadType = 'application/json'): Promise<SignedRecord> {
  envelopeOf(record, 'wrongPayloadType');
  return resign(record, { payloadType });
}

/**
 * A valid envelope bigger than the registry client reads (`jsonBlobBytes`, 32 MiB by default):
 * the predicate is padded until the serialised envelope exceeds `bytes`.
 */
export async function oversizedEnvelope(record: SignedRecord, bytes = DEFAULT_LIMITS.jsonBlobBytes + 1): Promise<SignedRecord> {
  const env = envelopeOf(record, 'oversizedEnvelope').envelope;
  const doc = parse(env.payload);
  // base64 grows the payload by 4/3; a little slack covers the envelope's own fields.
  const padding = Math.max(0, Math.ceil((bytes * 3) / 4) - env.payload.length + 64);
  doc.predicate = { ...(doc.predicate as Json | undefined), padding: 'x'.repeat(padding) };
  return resign(record, { payload: Buffer.from(JSON.stringify(doc)) });
}

/**
 * The log entry records another certificate (same identity, another key) or another public
 * key, with this signature and digest: @sigstore/verify 3.1 accepts it; cosign compares keys.
 */
export async function tlogKeyDiffers(record: SignedRecord, sigstore: MiniSigstore): Promise<SignedRecord> {
  const tlog = record.tlog;
  if (!tlog) throw new Error('tlogKeyDiffers needs a tlog entry');
  const signer = record.signer;
  const otherPem = isIdentity(signer) ? (await sigstore.ca.issue(signer.leaf)).certificate.pem : createSigningKey().publicKeyPem;
  const body = entryBody(record, otherPem);
  const entry = tlog.log.append(body, { integratedTime: tlog.entry.integratedTime });
  return { ...record, tlog: { log: tlog.log, entry, proof: tlog.log.prove(entry), set: entry.set } };
}

/** Key-based: signed by another key than the one the verifier is given. */
export async function wrongKey(record: SignedRecord): Promise<SignedRecord> {
  if (isIdentity(record.signer)) throw new Error('wrongKey applies to key-based signatures');
  return resign(record, { signer: createSigningKey() });
}

export type MutationName =
  | 'tamperedPayload'
  | 'otherImageClaim'
  | 'wrongIdentity'
  | 'wrongIssuer'
  | 'unanchoredIdentity'
  | 'expiredCertificate'
  | 'setOverAnotherBody'
  | 'untrustedCertificate'
  | 'attestationSubjectMismatch'
  | 'wrongPayloadType'
  | 'oversizedEnvelope'
  | 'tlogKeyDiffers'
  | 'wrongKey';

export interface Mutation {
  readonly name: MutationName;
  /** The one thing wrong with the result. */
  readonly defect: string;
  readonly appliesTo: (record: SignedRecord) => boolean;
  readonly apply: (record: SignedRecord, sigstore: MiniSigstore) => Promise<SignedRecord>;
}

const keyless = (r: SignedRecord): boolean => isIdentity(r.signer);
const logged = (r: SignedRecord): boolean => r.tlog !== undefined;
const dsse = (r: SignedRecord): boolean => r.kind === 'dsse';

/** Every mutation with its defaults, for table-driven tests. */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'tamperedPayload',
    defect: 'payload changed after signing',
    appliesTo: (r) => r.kind === 'dsse' || r.payload !== undefined,
    apply: (r) => tamperedPayload(r),
  },
  {
    name: 'otherImageClaim',
    defect: 'docker-manifest-digest names another image',
    appliesTo: (r) => r.kind === 'message' && r.payload !== undefined,
    apply: (r) => otherImageClaim(r),
  },
  { name: 'wrongIdentity', defect: 'certificate SAN is another workflow', appliesTo: keyless, apply: (r, s) => wrongIdentity(r, s) },
  { name: 'wrongIssuer', defect: 'certificate OIDC issuer is another one', appliesTo: keyless, apply: (r, s) => wrongIssuer(r, s) },
  { name: 'unanchoredIdentity', defect: 'SAN only contains the expected identity', appliesTo: keyless, apply: (r, s) => unanchoredIdentity(r, s) },
  {
    name: 'expiredCertificate',
    defect: 'logged after the certificate expired, no timestamp',
    appliesTo: (r) => keyless(r) && logged(r),
    apply: (r) => expiredCertificate(r),
  },
  { name: 'setOverAnotherBody', defect: 'SET signed over another entry body', appliesTo: logged, apply: (r) => setOverAnotherBody(r) },
  { name: 'untrustedCertificate', defect: 'certificate from a CA outside the trusted root', appliesTo: keyless, apply: (r, s) => untrustedCertificate(r, s) },
  { name: 'attestationSubjectMismatch', defect: 'statement subject is another digest', appliesTo: dsse, apply: (r) => attestationSubjectMismatch(r) },
  { name: 'wrongPayloadType', defect: 'DSSE payload type is not in-toto', appliesTo: dsse, apply: (r) => wrongPayloadType(r) },
  { name: 'oversizedEnvelope', defect: 'envelope larger than the client reads', appliesTo: dsse, apply: (r) => oversizedEnvelope(r) },
  { name: 'tlogKeyDiffers', defect: 'log entry records another key or certificate', appliesTo: logged, apply: (r, s) => tlogKeyDiffers(r, s) },
  { name: 'wrongKey', defect: 'signed by another managed key', appliesTo: (r) => !keyless(r), apply: (r) => wrongKey(r) },
];
