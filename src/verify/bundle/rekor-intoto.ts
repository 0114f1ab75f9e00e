import { createHash } from 'node:crypto';
import { crypto as sigstoreCrypto, json } from '@sigstore/core';
import type { Bundle, TransparencyLogEntry } from '@sigstore/bundle';
import type { TransparencyLogInstance } from '@sigstore/protobuf-specs';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';
import type { TrustRoot } from '../trust';

/**
 * Rekor `intoto` entries `@sigstore/verify` 3.1 cannot check: it supports intoto 0.0.2 only
 * and throws "unsupported intoto version" for 0.0.1, which older cosign releases wrote for
 * `.att` attestations (slsa-github-generator v1.4-v1.8). cosign verifies them; so do we.
 *
 * What is checked here, per entry (the library is then run without the entry, using only
 * its integrated time as the signing time; see `ownEntries` in library-verifier.ts):
 * 1. The inclusion promise: the SET is the log's signature over the canonical JSON
 *    `{"body","integratedTime","logIndex","logID"}` (keys sorted, no whitespace; Rekor's
 *    `VerifySET`), verified with the trusted root's log key whose log ID is the entry's and
 *    whose validity contains the integrated time. Without a valid SET the integrated time
 *    is not trusted, so this check is what makes the time usable for the certificate.
 * 2. The body records this envelope: kind/apiVersion equal the entry's kindVersion;
 *    `spec.content.payloadHash` is sha256 of the DSSE payload; `spec.content.hash` is sha256
 *    of the envelope bytes as stored (cosign `.att` layer) when those bytes are known.
 *    Rekor intoto 0.0.1 schema: https://github.com/sigstore/rekor/blob/main/pkg/types/intoto/v0.0.1/intoto_v0_0_1_schema.json
 * 3. The key or certificate in the body (`spec.publicKey`) is the signer's: done by
 *    `tlogSignerCheck` (TLOG_SIGNER), as for every entry.
 * Inclusion proofs are not checked for these entries (v0.1 bundles and cosign annotations
 * carry a SET only); an entry that has a proof is still verified through its SET.
 */
export function libraryCannotCheck(entry: TransparencyLogEntry): boolean {
  return entry.kindVersion?.kind === 'intoto' && entry.kindVersion.version !== '0.0.2';
}

export function intotoEntryChecks(
  entries: readonly TransparencyLogEntry[],
  bundle: Bundle,
  trustRoot: TrustRoot,
  envelopeBytes?: Uint8Array,
): SignatureCheck[] {
  return entries.map((entry, i) => entryCheck(entry, i, bundle, trustRoot, envelopeBytes));
}

function entryCheck(entry: TransparencyLogEntry, i: number, bundle: Bundle, trustRoot: TrustRoot, envelopeBytes: Uint8Array | undefined): SignatureCheck {
  const kind = `${entry.kindVersion?.kind}/${entry.kindVersion?.version}`;
  const integrated = new Date(Number(entry.integratedTime) * 1000);
  const log = logFor(entry, integrated, trustRoot.root.tlogs);
  const evidence = { logIndex: entry.logIndex, entryKind: kind, integratedTime: integrated.toISOString(), ...(log?.baseUrl ? { logUrl: log.baseUrl } : {}) };
  if (log === undefined) {
    return check('TLOG', 'fail', `Log entry ${i} (${kind}) names a log this trusted root does not have (or not at its integrated time).`, evidence);
  }
  if (!setVerifies(entry, log)) {
    return check(
      'TLOG',
      'fail',
      `The log's signed promise (SET) of entry ${i} (${kind}) does not verify: the entry was not promised by the log as it is.`,
      evidence,
    );
  }
  const body = bodyProblem(entry, bundle, envelopeBytes);
  if (body !== undefined) return check('TLOG', 'fail', `Log entry ${i} (${kind}) ${body}`, evidence);
  const what =
    envelopeBytes !== undefined
      ? 'this envelope (envelope and payload hashes)'
      : 'this payload (payload hash; the envelope bytes were not available to compare the envelope hash)';
  return check('TLOG', 'pass', `The ${kind} log entry's SET verifies with the trusted log key and its body records ${what}.`, evidence);
}

function logFor(entry: TransparencyLogEntry, at: Date, tlogs: readonly TransparencyLogInstance[]): TransparencyLogInstance | undefined {
  const id = entry.logId?.keyId;
  if (id === undefined) return undefined;
  return tlogs.find((t) => {
    if (!t.logId?.keyId || !Buffer.from(t.logId.keyId).equals(Buffer.from(id))) return false;
    const range = t.publicKey?.validFor;
    if (range?.start && at < range.start) return false;
    if (range?.end && at > range.end) return false;
    return true;
  });
}

function setVerifies(entry: TransparencyLogEntry, log: TransparencyLogInstance): boolean {
  const set = entry.inclusionPromise?.signedEntryTimestamp;
  if (!set?.length || !log.publicKey?.rawBytes) return false;
  const payload = {
    body: Buffer.from(entry.canonicalizedBody).toString('base64'),
    integratedTime: Number(entry.integratedTime),
    logIndex: Number(entry.logIndex),
    logID: Buffer.from(entry.logId!.keyId).toString('hex'),
  };
  try {
    const key = sigstoreCrypto.createPublicKey(Buffer.from(log.publicKey.rawBytes));
    return sigstoreCrypto.verify(Buffer.from(json.canonicalize(payload), 'utf8'), key, Buffer.from(set));
  } catch {
    return false;
  }
}

type HashValue = { algorithm?: unknown; value?: unknown };
type IntotoBody = { kind?: unknown; apiVersion?: unknown; spec?: { content?: { hash?: HashValue; payloadHash?: HashValue } } };

function bodyProblem(entry: TransparencyLogEntry, bundle: Bundle, envelopeBytes: Uint8Array | undefined): string | undefined {
  let body: IntotoBody;
  try {
    body = JSON.parse(Buffer.from(entry.canonicalizedBody).toString('utf8')) as IntotoBody;
  } catch {
    return 'has a body that is not JSON.';
  }
  if (body.kind !== entry.kindVersion?.kind || body.apiVersion !== entry.kindVersion?.version) {
    return `says it is ${entry.kindVersion?.kind}/${entry.kindVersion?.version} but its body is ${String(body.kind)}/${String(body.apiVersion)}.`;
  }
  if (bundle.content.$case !== 'dsseEnvelope') return 'is an in-toto entry, but the bundle holds no DSSE envelope.';
  const content = body.spec?.content;
  const payloadHash = sha256Of(content?.payloadHash);
  const envelopeHash = sha256Of(content?.hash);
  if (payloadHash === undefined && envelopeHash === undefined) return 'records no sha256 payload or envelope hash to compare with.';
  if (payloadHash !== undefined) {
    const mine = createHash('sha256').update(bundle.content.dsseEnvelope.payload).digest('hex');
    if (payloadHash !== mine) return 'records another payload than this envelope carries (payload hash mismatch).';
  }
  if (envelopeHash !== undefined && envelopeBytes !== undefined) {
    if (envelopeHash !== createHash('sha256').update(envelopeBytes).digest('hex')) return 'records another envelope than this one (envelope hash mismatch).';
  } else if (payloadHash === undefined) {
    return 'records only an envelope hash, and the envelope bytes are not available to compare it.';
  }
  return undefined;
}

function sha256Of(h: HashValue | undefined): string | undefined {
  return h?.algorithm === 'sha256' && typeof h.value === 'string' ? h.value.toLowerCase() : undefined;
}
