/**
 * Why an attestation could not be read as provenance. A stable string code and the facts;
 * the sentence for a person is made at the edge (CLI, webview). Reading never throws
 * anything else: hostile input ends here, as one of these.
 */
export type ProvenanceErrorCode =
  /** Not UTF-8 JSON. */
  | 'NOT_JSON'
  /** Bigger than the limit (bytes, decoded payload). */
  | 'TOO_LARGE'
  /** Nested deeper, or with more values, than the limit. */
  | 'TOO_DEEP'
  /** JSON, but neither an in-toto Statement, a DSSE envelope nor a Sigstore bundle. */
  | 'UNRECOGNISED'
  /** A DSSE envelope or Sigstore bundle that breaks its own schema. */
  | 'ENVELOPE_INVALID'
  /** A DSSE payload that is not an in-toto statement (`payloadType`). */
  | 'PAYLOAD_TYPE'
  /** A DSSE payload that is not base64. */
  | 'PAYLOAD_ENCODING'
  /** A Sigstore bundle that holds a message signature, not a DSSE envelope. */
  | 'NOT_AN_ATTESTATION'
  /** An in-toto Statement that breaks its schema (subject, predicateType). */
  | 'STATEMENT_INVALID'
  /** `_type` is not in-toto Statement v0.1 or v1. */
  | 'STATEMENT_TYPE'
  /** A valid statement whose predicate is not SLSA provenance v0.2 or v1. */
  | 'NOT_PROVENANCE'
  /** SLSA provenance whose predicate is not an object. */
  | 'PREDICATE_INVALID';

export class ProvenanceError extends Error {
  override readonly name = 'ProvenanceError';
  constructor(
    readonly code: ProvenanceErrorCode,
    message: string,
    readonly details: Readonly<Record<string, string | number | undefined>> = {},
  ) {
    super(message);
  }
}

export function isProvenanceError(e: unknown, code?: ProvenanceErrorCode): e is ProvenanceError {
  return e instanceof ProvenanceError && (code === undefined || e.code === code);
}
