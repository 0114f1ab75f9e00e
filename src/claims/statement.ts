import { ProvenanceError } from './errors';
import type { JsonObject } from './values';
import { isObject, own } from './values';

/**
 * in-toto Statement layer, v0.1 and v1
 * (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md,
 * https://github.com/in-toto/attestation/blob/main/spec/v0.1.0/README.md#statement).
 * Only the envelope of the claim is checked here; the predicate stays raw until a
 * normaliser that knows its type reads it.
 */
export const STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

export interface InTotoStatement {
  _type: typeof STATEMENT_V01 | typeof STATEMENT_V1;
  /** As written: validated to be an array of objects, nothing more. */
  subject: unknown[];
  predicateType: string;
  /** Raw; absent predicates are allowed by the spec (v1: "OPTIONAL"). */
  predicate?: unknown;
}

export function parseStatement(value: unknown): InTotoStatement {
  if (!isObject(value)) throw new ProvenanceError('STATEMENT_INVALID', 'The in-toto statement is not a JSON object.');
  const type = own(value, '_type');
  if (type !== STATEMENT_V01 && type !== STATEMENT_V1) {
    throw new ProvenanceError('STATEMENT_TYPE', `The statement _type is ${describe(type)}, not ${STATEMENT_V01} or ${STATEMENT_V1}.`, {
      type: typeof type === 'string' ? type.slice(0, 200) : typeof type,
    });
  }
  const subject = own(value, 'subject');
  if (!Array.isArray(subject)) throw new ProvenanceError('STATEMENT_INVALID', 'The statement has no subject list.', { field: 'subject' });
  if (!subject.every(isObject)) throw new ProvenanceError('STATEMENT_INVALID', 'A statement subject is not an object.', { field: 'subject' });
  // What a statement claims is its predicateType, a required string
  // (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md#fields).
  const predicateType = own(value, 'predicateType');
  if (typeof predicateType !== 'string' || predicateType === '') {
    throw new ProvenanceError('STATEMENT_INVALID', 'The statement has no predicateType.', { field: 'predicateType' });
  }
  const statement: InTotoStatement = { _type: type, subject, predicateType };
  if (Object.prototype.hasOwnProperty.call(value, 'predicate')) statement.predicate = own(value, 'predicate');
  return statement;
}

/**
 * The first subject whose DigestSet holds `hex` under `algorithm`
 * (https://github.com/in-toto/attestation/blob/main/spec/v1/digest_set.md): hex is compared
 * without regard to case, as writers differ. Every subject is looked at, not only those a
 * summary keeps.
 */
export function subjectWithDigest(statement: Pick<InTotoStatement, 'subject'>, algorithm: string, hex: string): JsonObject | undefined {
  const want = hex.toLowerCase();
  return statement.subject.find((s): s is JsonObject => {
    const v = own(own(s, 'digest'), algorithm);
    return typeof v === 'string' && v.toLowerCase() === want;
  });
}

/**
 * Whether a subject of the statement has `digest` (`sha256:<hex>`): an attestation attached to a
 * digest must be about that digest (in-toto: "the subject ... the set of software artifacts that
 * the attestation applies to").
 */
export function statementCovers(statement: Pick<InTotoStatement, 'subject'>, digest: string): boolean {
  const i = digest.indexOf(':');
  return i > 0 && subjectWithDigest(statement, digest.slice(0, i), digest.slice(i + 1)) !== undefined;
}

/** A short, safe description of a value for an error message. */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}…` : v);
  if (v === undefined) return 'missing';
  return `a ${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v}`;
}
