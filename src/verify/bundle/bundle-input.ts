import {
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  ValidationError,
  bundleFromJSON,
} from '@sigstore/bundle';
import type { Bundle, TransparencyLogEntry } from '@sigstore/bundle';
import { describeError } from '../../core/errors';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';

/**
 * Reading a Sigstore bundle (https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto)
 * into the shape `@sigstore/verify` consumes, with the structural rules a verifier
 * must apply before any cryptography. Every problem becomes a `BUNDLE_FORMAT` check,
 * never an exception: a malformed bundle is evidence, not an operational error.
 */

export type BundleVersion = '0.1' | '0.2' | '0.3';

export interface ParsedBundle {
  bundle: Bundle;
  version: BundleVersion;
  content: 'message-signature' | 'dsse-envelope';
  /** Context found while reading (e.g. an ignored proof), reported as info checks. */
  notes: SignatureCheck[];
}

export type BundleParse = { ok: true; parsed: ParsedBundle } | { ok: false; failure: SignatureCheck };

// Only versions we know how to verify. `@sigstore/bundle` treats any unknown media
// type as "latest"; sigstore-conformance `bundle-unknown-version_fail` (version=99.9)
// must be refused for what it is, not for a side effect.
const VERSIONS: Record<string, BundleVersion> = {
  [BUNDLE_V01_MEDIA_TYPE]: '0.1',
  [BUNDLE_V02_MEDIA_TYPE]: '0.2',
  [BUNDLE_V03_LEGACY_MEDIA_TYPE]: '0.3',
  [BUNDLE_V03_MEDIA_TYPE]: '0.3',
};

export function parseBundle(text: string | Uint8Array): BundleParse {
  const fail = (message: string, cause?: string): BundleParse => ({
    ok: false,
    failure: check('BUNDLE_FORMAT', 'fail', message, cause === undefined ? undefined : { cause }),
  });
  let json: unknown;
  try {
    json = JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
  } catch (e) {
    return fail('The bundle is not valid JSON.', describeError(e));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('The bundle is not a JSON object.');
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  const version = typeof mediaType === 'string' ? VERSIONS[mediaType] : undefined;
  if (version === undefined) {
    return fail(`The bundle media type ${JSON.stringify(mediaType)} is not a Sigstore bundle version this tool verifies (0.1, 0.2, 0.3).`);
  }
  const notBase64 = bytesFieldProblem(json);
  if (notBase64 !== undefined) return fail(`The bundle field ${notBase64} is not base64.`);
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (e) {
    const fields = e instanceof ValidationError && e.fields?.length ? `: missing or invalid ${e.fields.join(', ')}` : '';
    return fail(`The bundle does not follow the v${version} bundle format${fields}.`, describeError(e));
  }
  const problem = entryProblem(bundle.verificationMaterial.tlogEntries);
  if (problem !== undefined) return fail(problem);

  const notes: SignatureCheck[] = [];
  if (version === '0.1') bundle = dropProofsWithoutCheckpoint(bundle, notes);
  const content = bundle.content.$case === 'dsseEnvelope' ? 'dsse-envelope' : 'message-signature';
  return { ok: true, parsed: { bundle, version, content, notes } };
}

const NON_NEGATIVE = /^(0|[1-9][0-9]*)$/;

/** protojson `bytes`: standard or URL-safe base64, padded or not (https://protobuf.dev/programming-guides/json/). */
const PROTO_BASE64 = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/;

/** The bundle's `bytes` fields (sigstore_bundle.proto and the messages it uses), as JSON paths; `[]` is every element. */
const BYTES_FIELDS = [
  'verificationMaterial.certificate.rawBytes',
  'verificationMaterial.x509CertificateChain.certificates[].rawBytes',
  'verificationMaterial.tlogEntries[].logId.keyId',
  'verificationMaterial.tlogEntries[].inclusionPromise.signedEntryTimestamp',
  'verificationMaterial.tlogEntries[].inclusionProof.rootHash',
  'verificationMaterial.tlogEntries[].inclusionProof.hashes[]',
  'verificationMaterial.tlogEntries[].canonicalizedBody',
  'verificationMaterial.timestampVerificationData.rfc3161Timestamps[].signedTimestamp',
  'messageSignature.messageDigest.digest',
  'messageSignature.signature',
  'dsseEnvelope.payload',
  'dsseEnvelope.signatures[].sig',
];

/**
 * The first `bytes` field whose text is not base64. The decoder behind `bundleFromJSON` skips
 * what is not base64 ("fQ=<" reads as "fQ=="), so a malformed bundle would verify as the
 * well-formed one; Go's protojson (cosign) refuses it, and so does the provenance reader.
 */
function bytesFieldProblem(json: unknown): string | undefined {
  for (const path of BYTES_FIELDS) {
    let values: unknown[] = [json];
    for (const part of path.split('.')) {
      const key = part.replace(/\[\]$/, '');
      values = values.flatMap((v) => {
        const next = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
        return part.endsWith('[]') ? (Array.isArray(next) ? next : []) : [next];
      });
    }
    // Go's decoder (protojson, cosign) skips line breaks, as in `base64`-wrapped timestamps; nothing else.
    if (values.some((v) => typeof v === 'string' && !PROTO_BASE64.test(v.replace(/[\r\n]/g, '')))) return path;
  }
  return undefined;
}

/**
 * Numbers the log signed must be well formed before they are trusted or shown:
 * protobuf int64 accepts "-1", and a negative log index is never a real entry
 * (sigstore-conformance `bundle-negative-log-index_fail`; sigstore-python refuses it too).
 */
function entryProblem(entries: readonly TransparencyLogEntry[]): string | undefined {
  for (const [i, e] of entries.entries()) {
    if (!NON_NEGATIVE.test(e.logIndex)) return `Transparency-log entry ${i} has an invalid log index ${JSON.stringify(e.logIndex)}.`;
    if (!NON_NEGATIVE.test(e.integratedTime)) return `Transparency-log entry ${i} has an invalid integrated time ${JSON.stringify(e.integratedTime)}.`;
    const proof = e.inclusionProof;
    if (proof !== undefined) {
      if (!NON_NEGATIVE.test(proof.logIndex) || !NON_NEGATIVE.test(proof.treeSize)) {
        return `Transparency-log entry ${i} has an inclusion proof with an invalid index or tree size.`;
      }
      if (BigInt(proof.logIndex) >= BigInt(proof.treeSize)) {
        return `Transparency-log entry ${i} has an inclusion proof whose index ${proof.logIndex} is not inside its tree of size ${proof.treeSize}.`;
      }
    }
  }
  return undefined;
}

/**
 * v0.1 bundles predate signed checkpoints: their inclusion proofs may come without
 * one, and a proof without a checkpoint proves nothing offline. The bundle spec makes
 * the inclusion promise (SET) the required evidence for v0.1, so such proofs are set
 * aside (as sigstore-python does) instead of crashing `@sigstore/verify`, which reads
 * `checkpoint.envelope` unconditionally.
 */
function dropProofsWithoutCheckpoint(bundle: Bundle, notes: SignatureCheck[]): Bundle {
  const entries = bundle.verificationMaterial.tlogEntries;
  if (!entries.some((e) => e.inclusionProof !== undefined && !e.inclusionProof.checkpoint?.envelope)) return bundle;
  notes.push(
    check(
      'TLOG',
      'info',
      'The v0.1 bundle carries an inclusion proof without a signed checkpoint; it is ignored and the inclusion promise (SET) is verified instead.',
    ),
  );
  const tlogEntries = entries.map((e) => (e.inclusionProof !== undefined && !e.inclusionProof.checkpoint?.envelope ? { ...e, inclusionProof: undefined } : e));
  return { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, tlogEntries } } as Bundle;
}
