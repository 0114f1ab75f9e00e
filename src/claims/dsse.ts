import { ProvenanceError } from './errors';
import { parseBoundedJson } from './json';
import type { ProvenanceLimits } from './limits';
import type { InTotoStatement } from './statement';
import { parseStatement } from './statement';
import { isObject, own } from './values';

/**
 * DSSE envelopes (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md): one reader
 * for the cosign `.att` layers the verifier converts to bundles and the envelopes the provenance
 * summaries decode, so both accept exactly the same envelopes. Nothing here checks a signature;
 * the pre-authentication encoding the signatures cover is `@sigstore/core`'s `dsse.preAuthEncoding`.
 */
export interface DsseEnvelope {
  payloadType: string;
  /** As written: base64 (standard or URL-safe), checked to be base64. */
  payload: string;
  signatures: DsseSignature[];
}

export interface DsseSignature {
  /** As written: base64, checked to be base64. */
  sig: string;
  keyid?: string;
}

/** The payload type in-toto statements travel under in DSSE (in-toto attestation spec, envelope layer). */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

// DSSE allows standard or URL-safe base64 ("Base64" in envelope.md). Decoders skip what is not
// base64 ("fQ=<" reads as "fQ=="); cosign's decoder skips line breaks only, and so does this one.
const BASE64 = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/;

/** Whether `s` is base64 as DSSE and cosign read it: one alphabet, padding at the end, line breaks ignored. */
export function isDsseBase64(s: string): boolean {
  const text = s.replace(/[\r\n]/g, '');
  return BASE64.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
}

/** An envelope's fields, type-checked; throws ENVELOPE_INVALID or PAYLOAD_ENCODING. */
export function readDsseEnvelope(doc: unknown): DsseEnvelope {
  if (!isObject(doc)) throw new ProvenanceError('ENVELOPE_INVALID', 'The DSSE envelope is not a JSON object.');
  const payloadType = own(doc, 'payloadType');
  const payload = own(doc, 'payload');
  const signatures = own(doc, 'signatures');
  if (typeof payloadType !== 'string') throw new ProvenanceError('ENVELOPE_INVALID', 'The DSSE envelope has no payloadType string.');
  if (typeof payload !== 'string') throw new ProvenanceError('ENVELOPE_INVALID', 'The DSSE envelope has no payload string.');
  if (!Array.isArray(signatures) || !signatures.every(isObject)) throw new ProvenanceError('ENVELOPE_INVALID', 'The DSSE envelope has no signatures list.');
  const sigs: DsseSignature[] = [];
  for (const s of signatures) {
    const sig = own(s, 'sig');
    const keyid = own(s, 'keyid');
    if (typeof sig !== 'string') throw new ProvenanceError('ENVELOPE_INVALID', 'A DSSE signature has no sig string.');
    sigs.push(typeof keyid === 'string' ? { sig, keyid } : { sig });
  }
  if (!isDsseBase64(payload)) throw new ProvenanceError('PAYLOAD_ENCODING', 'The DSSE payload is not base64.');
  if (!sigs.every((s) => isDsseBase64(s.sig))) throw new ProvenanceError('PAYLOAD_ENCODING', 'A DSSE signature is not base64.');
  return { payloadType, payload, signatures: sigs };
}

/** The payload's bytes, refused unread when they would exceed the limit. */
export function dssePayload(envelope: Pick<DsseEnvelope, 'payload'>, limits: ProvenanceLimits): Buffer {
  const text = envelope.payload.replace(/[\r\n]/g, '');
  const approx = Math.floor((text.length * 3) / 4);
  if (approx > limits.maxBytes) {
    throw new ProvenanceError('TOO_LARGE', `The DSSE payload decodes to about ${approx} bytes; the limit is ${limits.maxBytes}.`, {
      size: approx,
      limit: limits.maxBytes,
    });
  }
  return Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64');
}

/**
 * The in-toto statement a DSSE payload carries: its payloadType must say so, and its bytes must
 * be a statement within the limits. Throws ProvenanceError (PAYLOAD_TYPE, NOT_JSON, TOO_LARGE,
 * TOO_DEEP, STATEMENT_TYPE, STATEMENT_INVALID).
 */
export function statementFromPayload(payloadType: string, payload: Uint8Array, limits: ProvenanceLimits): { statement: InTotoStatement; raw: unknown } {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new ProvenanceError('PAYLOAD_TYPE', `The DSSE payloadType is ${JSON.stringify(payloadType.slice(0, 200))}, not ${IN_TOTO_PAYLOAD_TYPE}.`, {
      payloadType: payloadType.slice(0, 200),
    });
  }
  const raw = parseBoundedJson(payload, limits, 'DSSE payload');
  return { statement: parseStatement(raw), raw };
}
