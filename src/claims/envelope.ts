import { dssePayload, readDsseEnvelope, statementFromPayload } from './dsse';
import { ProvenanceError } from './errors';
import { parseBoundedJson } from './json';
import type { ProvenanceLimits } from './limits';
import { provenanceLimits } from './limits';
import type { InTotoStatement } from './statement';
import { parseStatement } from './statement';
import { isObject, own } from './values';

/**
 * How the statement reached us: bare (BuildKit's in-index statements), in a DSSE envelope (a
 * cosign `.att` layer), or in a Sigstore bundle (a referrer).
 */
export type AttestationContainer = 'statement' | 'dsse' | 'sigstore-bundle';

export interface DecodedAttestation {
  container: AttestationContainer;
  statement: InTotoStatement;
  /** The statement JSON as parsed, unchanged: what the "raw" view shows. */
  raw: unknown;
  /** DSSE and bundles: the envelope's payloadType and how many signatures it carries (not checked). */
  payloadType?: string;
  signatureCount?: number;
  /** Bundles: their mediaType (v0.1-v0.3). */
  bundleMediaType?: string;
}

const BUNDLE_MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';

/**
 * Reads an in-toto Statement from any of the three shapes a registry holds: a bare statement
 * (BuildKit's in-index layers), a DSSE envelope (cosign `.att` layers,
 * https://github.com/secure-systems-lab/dsse/blob/master/envelope.md), or a Sigstore bundle whose
 * content is a DSSE envelope (OCI referrers, GitHub artifact attestations,
 * https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto).
 * Signatures are counted, never checked: that is `verify`'s job.
 */
export function decodeAttestation(input: Uint8Array | string, overrides?: Partial<ProvenanceLimits>): DecodedAttestation {
  const limits = provenanceLimits(overrides);
  const doc = parseBoundedJson(input, limits, 'attestation document');
  if (!isObject(doc)) throw new ProvenanceError('UNRECOGNISED', 'The attestation document is JSON but not an object.');
  if (own(doc, '_type') !== undefined) {
    return { container: 'statement', statement: parseStatement(doc), raw: doc };
  }
  const mediaType = own(doc, 'mediaType');
  if (isSigstoreBundle(doc)) {
    if (own(doc, 'messageSignature') !== undefined && own(doc, 'dsseEnvelope') === undefined) {
      throw new ProvenanceError(
        'NOT_AN_ATTESTATION',
        'The Sigstore bundle holds a message signature, not a DSSE envelope: it signs an artifact and carries no statement.',
      );
    }
    const envelope = own(doc, 'dsseEnvelope');
    if (!isObject(envelope)) throw new ProvenanceError('ENVELOPE_INVALID', 'The Sigstore bundle has no dsseEnvelope object.');
    const decoded = fromEnvelope(envelope, limits);
    const out: DecodedAttestation = { ...decoded, container: 'sigstore-bundle' };
    if (typeof mediaType === 'string') out.bundleMediaType = mediaType;
    return out;
  }
  if (own(doc, 'payload') !== undefined || own(doc, 'payloadType') !== undefined) {
    return { ...fromEnvelope(doc, limits), container: 'dsse' };
  }
  throw new ProvenanceError('UNRECOGNISED', 'The document is neither an in-toto statement, a DSSE envelope nor a Sigstore bundle.');
}

/**
 * Whether a parsed document is a Sigstore bundle: a bundle media type (v0.1-v0.3), or the content
 * a bundle carries, a DSSE envelope or a message signature
 * (https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto).
 */
export function isSigstoreBundle(doc: unknown): boolean {
  const mediaType = own(doc, 'mediaType');
  return (
    (typeof mediaType === 'string' && mediaType.startsWith(BUNDLE_MEDIA_TYPE_PREFIX)) ||
    own(doc, 'dsseEnvelope') !== undefined ||
    own(doc, 'messageSignature') !== undefined
  );
}

function fromEnvelope(doc: Record<string, unknown>, limits: ProvenanceLimits): Omit<DecodedAttestation, 'container'> {
  const envelope = readDsseEnvelope(doc);
  const { statement, raw } = statementFromPayload(envelope.payloadType, dssePayload(envelope, limits), limits);
  return { statement, raw, payloadType: envelope.payloadType, signatureCount: envelope.signatures.length };
}
