import type { KeyObject } from 'node:crypto';
import type { Bundle, TransparencyLogEntry } from '@sigstore/bundle';
import { Verifier, VerificationError, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import type { SignedEntity, TrustMaterial } from '@sigstore/verify';
import { describeError } from '../../core/errors';
import type { CheckCode, Evidence, SignatureCheck } from '../checks';
import { check } from '../checks';
import { leafCertificate, parseCertificate } from './certificate';
import { prepareLeaf, prepareTrustMaterial } from './chain-cache';
import { codeSigningRefusal } from './extended-key-usage';
import { PrehashUnsupportedError } from './prehash';
import type { TrustRoot } from '../trust';

/**
 * Runs `@sigstore/verify`'s `Verifier` (timestamps -> signing key or certificate chain
 * + SCTs -> log inclusion and body -> signature) and turns its single outcome into
 * checks. The library stops at the first failure, so only the failing step is
 * reported then; the steps after it are absent, which keeps the result unverified.
 */
export interface LibraryRun {
  bundle: Bundle;
  signature: SignedEntity['signature'];
  trustRoot: TrustRoot;
  /** Key-based verification: the key that must have signed (valid at any time). */
  key?: KeyObject | undefined;
  requireTlog: boolean;
  /**
   * Log entries the caller verifies itself (SET and body: Rekor kinds the library cannot
   * read, such as intoto 0.0.1; see rekor-intoto.ts). They are not handed to the library's
   * log check; it only uses their integrated time as a signing time, which the caller's
   * required, passing SET check makes trustworthy.
   */
  ownEntries?: readonly TransparencyLogEntry[] | undefined;
  /**
   * A certificate with no signed time, none required (cosign `--insecure-ignore-tlog`, no RFC
   * 3161 timestamp): checked at this time, the verifier's clock, as cosign does
   * (pkg/cosign/verify.go: without a signed time the certificate must be valid now).
   */
  verifyAt?: Date | undefined;
}

const materials = new WeakMap<TrustRoot, TrustMaterial>();

function trustMaterial(root: TrustRoot, key: KeyObject | undefined): TrustMaterial {
  let base = materials.get(root);
  if (base === undefined) {
    // Built and prepared once per TrustRoot object (chain-cache.ts): CA certificates encoded and their keys made once.
    base = prepareTrustMaterial(toTrustMaterial(root.root));
    materials.set(root, base);
  }
  // The bundle's key hint is advisory (protobuf-specs PublicKeyIdentifier): the key the
  // user named is the only one accepted, whatever the hint says.
  return key === undefined ? base : { ...base, publicKey: () => ({ publicKey: key, validFor: () => true }) };
}

export function runLibraryVerifier(run: LibraryRun): SignatureCheck[] {
  // Key-based means the bundle names a key (publicKey hint), not a certificate.
  const keyMode = run.bundle.verificationMaterial.content.$case === 'publicKey';
  const { counts } = run.trustRoot.info;
  // A root without logs (GitHub's instance for private repositories) cannot demand a
  // log entry or an SCT; signing time then comes from its timestamp authority.
  const own = run.ownEntries ?? [];
  const tlogThreshold = run.requireTlog && counts.tlogs > 0 && own.length === 0 ? 1 : 0;
  const verifier = new Verifier(trustMaterial(run.trustRoot, run.key), {
    tlogThreshold,
    ctlogThreshold: counts.ctlogs > 0 ? 1 : 0,
    // A managed key is not time-bound, so it needs no signed time; a certificate does.
    timestampThreshold: keyMode ? 0 : 1,
  });
  const clock = run.verifyAt === undefined ? undefined : clockTimestamp(run.verifyAt);
  let entity: SignedEntity;
  try {
    // The leaf certificate: the one verifyBlob already parsed (parseCertificate remembers it by
    // its DER), not a second parse by toSignedEntity, which is handed the bundle without it.
    const leaf = leafCertificate(run.bundle);
    const vm = run.bundle.verificationMaterial;
    const bundle: Bundle =
      leaf === undefined ? run.bundle : { ...run.bundle, verificationMaterial: { ...vm, content: { $case: 'publicKey', publicKey: { hint: '' } } } };
    const base = toSignedEntity(bundle, Buffer.alloc(0));
    let key = base.key;
    if (leaf !== undefined) {
      const certificate = parseCertificate(leaf);
      // Encoded once, its signature checked with the trusted CAs' keys made once (chain-cache.ts).
      prepareLeaf(certificate);
      key = { $case: 'certificate', certificate };
    }
    const timestamps = clock === undefined ? base.timestamps : [...base.timestamps, clock];
    entity = { ...base, key, timestamps, signature: run.signature, tlogEntries: base.tlogEntries.filter((e) => !own.includes(e)) };
  } catch (e) {
    return [check('BUNDLE_FORMAT', 'fail', 'The bundle holds a timestamp or certificate that cannot be parsed.', { cause: describeError(e) })];
  }
  try {
    verifier.verify(entity);
  } catch (e) {
    return [failure(e, keyMode, run.verifyAt)];
  }
  return successChecks(run, entity, keyMode, tlogThreshold, clock);
}

function successChecks(
  run: LibraryRun,
  entity: SignedEntity,
  keyMode: boolean,
  tlogThreshold: number,
  clock: SignedEntity['timestamps'][number] | undefined,
): SignatureCheck[] {
  const out: SignatureCheck[] = [];
  const signed = entity.timestamps.filter((t) => t !== clock);
  const times = signed.map((t) =>
    t.$case === 'timestamp-authority'
      ? `${t.timestamp.signingTime.toISOString()} (RFC 3161)`
      : `${new Date(Number(t.tlogEntry.integratedTime) * 1000).toISOString()} (log)`,
  );
  if (times.length > 0) out.push(check('TIMESTAMP', 'pass', `Signed time verified: ${times.join(', ')}.`, { timestamps: times }));
  else if (run.verifyAt !== undefined)
    out.push(
      check(
        'TIMESTAMP',
        'info',
        `No signed time: certificate checked at the current time (${run.verifyAt.toISOString()}), as cosign does when no transparency log is required.`,
        { timestamps: [`${run.verifyAt.toISOString()} (current time)`] },
      ),
    );
  else out.push(check('TIMESTAMP', 'info', 'No signed time in the bundle; a managed key is not time-bound, so none is needed.'));
  if (!keyMode) {
    const ctNote = run.trustRoot.info.counts.ctlogs > 0 ? ' and carries a valid SCT' : ' (this trust root has no CT log)';
    const when = times.length === 0 && run.verifyAt !== undefined ? 'the current time' : 'the signed time';
    // The library built the chain; what it may be used for is ours to check (extended-key-usage.ts).
    const usage = entity.key.$case === 'certificate' ? codeSigningRefusal(entity.key.certificate, run.trustRoot.root) : undefined;
    out.push(usage ?? check('CERTIFICATE_CHAIN', 'pass', `The certificate chains to a trusted CA, was valid at ${when}${ctNote}.`));
  }
  const entries = entity.tlogEntries;
  if (entries.length > 0) {
    for (const e of entries)
      out.push(check('TLOG', 'pass', 'The transparency-log entry is included in a trusted log and matches this signature.', entryEvidence(e, run.trustRoot)));
  } else if (tlogThreshold === 0 && (run.ownEntries ?? []).length === 0) {
    const why = run.requireTlog ? 'this trust root has no transparency log' : 'the log requirement was waived';
    out.push(check('TLOG', 'info', `No transparency-log entry; not required because ${why}.`));
  }
  out.push(check('SIGNATURE', 'pass', 'The signature verifies with the signing key.'));
  return out;
}

function entryEvidence(e: Bundle['verificationMaterial']['tlogEntries'][number], root: TrustRoot): Evidence {
  const evidence: Evidence = { logIndex: e.logIndex, entryKind: `${e.kindVersion?.kind}/${e.kindVersion?.version}` };
  if (e.integratedTime && e.integratedTime !== '0') evidence.integratedTime = new Date(Number(e.integratedTime) * 1000).toISOString();
  const id = e.logId?.keyId;
  const log = id ? root.root.tlogs.find((t) => t.logId?.keyId && Buffer.from(t.logId.keyId).equals(Buffer.from(id))) : undefined;
  if (log) evidence.logUrl = log.baseUrl;
  return evidence;
}

/**
 * The verifier's clock as a time the library checks the certificate at. `@sigstore/verify`
 * takes certificate times only from the entity's timestamps, and reads a transparency-log
 * timestamp for its integrated time alone (verify/timestamp: getTLogTimestamp); this one is
 * never among the entity's log entries, so it adds no log evidence. With no timestamp at all
 * the library would not check the chain (key/index.ts verifyCertificate loops over times).
 */
function clockTimestamp(at: Date): SignedEntity['timestamps'][number] {
  const tlogEntry = {
    logIndex: '0',
    logId: { keyId: Buffer.alloc(0) },
    kindVersion: { kind: 'clock', version: '0' },
    integratedTime: String(Math.floor(at.getTime() / 1000)),
    inclusionPromise: { signedEntryTimestamp: Buffer.alloc(0) },
    canonicalizedBody: Buffer.alloc(0),
  } as unknown as TransparencyLogEntry;
  return { $case: 'transparency-log', tlogEntry };
}

const SENTENCES: Record<string, [CheckCode, string]> = {
  TIMESTAMP_ERROR: ['TIMESTAMP', 'The signed time does not verify (missing, untrusted timestamp authority, or outside its validity).'],
  CERTIFICATE_ERROR: ['CERTIFICATE_CHAIN', 'The certificate does not chain to a trusted CA at the signed time, or its SCT does not verify.'],
  PUBLIC_KEY_ERROR: ['PUBLIC_KEY', 'The signing key is not a trusted key at the signed time.'],
  TLOG_ERROR: ['TLOG', 'The bundle has fewer transparency-log entries than required.'],
  TLOG_MISSING_INCLUSION_ERROR: ['TLOG', 'The transparency-log entry carries neither an inclusion promise nor an inclusion proof.'],
  TLOG_INCLUSION_PROMISE_ERROR: ['TLOG', "The transparency log's signed promise (SET) does not verify for this entry."],
  TLOG_INCLUSION_PROOF_ERROR: ['TLOG', "The entry's inclusion proof or the log's signed checkpoint does not verify."],
  TLOG_BODY_ERROR: ['TLOG', 'The transparency-log entry records another signature or digest than this bundle.'],
  SIGNATURE_ERROR: ['SIGNATURE', 'The signature does not verify over this content with the signing key.'],
};

function failure(e: unknown, keyMode: boolean, verifyAt: Date | undefined): SignatureCheck {
  if (e instanceof PrehashUnsupportedError) return check('SIGNATURE', 'fail', e.message);
  if (e instanceof VerificationError) {
    const known = SENTENCES[e.code] ?? (e.code.startsWith('TLOG') ? SENTENCES.TLOG_ERROR : undefined);
    if (known !== undefined) {
      const code = keyMode && known[0] === 'CERTIFICATE_CHAIN' ? 'PUBLIC_KEY' : known[0];
      const sentence =
        verifyAt !== undefined && code === 'CERTIFICATE_CHAIN'
          ? `The certificate does not chain to a trusted CA, or is not valid at the current time (${verifyAt.toISOString()}; no signed time, so the current time is what counts).`
          : known[1];
      const inner = e.cause instanceof Error ? ` (${e.cause.message})` : '';
      return check(code, 'fail', sentence, { cause: `${e.code}: ${e.message}${inner}` });
    }
  }
  // The library threw something of its own (e.g. a TypeError on an unexpected shape):
  // that is a bundle we cannot process, never a pass.
  return check('BUNDLE_FORMAT', 'fail', 'The verifier could not process this bundle.', { cause: describeError(e) });
}
