import type { DecodedAttestation } from '../claims/envelope';
import { decodeAttestation } from '../claims/envelope';
import { ProvenanceError } from '../claims/errors';
import type { ProvenanceLimits } from '../claims/limits';
import { provenanceLimits } from '../claims/limits';
import { FieldReader } from './reader';
import { summarizeV02 } from './slsa-v02';
import { summarizeV1 } from './slsa-v1';
import type { InTotoStatement } from '../claims/statement';
import type { ProvenanceSummary, SlsaVersion, Subject } from './types';
import { isObject, own } from '../claims/values';

export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** v1 keeps its predicateType across minor versions (v1.1 is still `/v1`); release candidates and `v1.x` spellings are read the same way. */
const V1_VARIANT = /^https:\/\/slsa\.dev\/provenance\/v1(?:\.[0-9]+|-rc[0-9]+)?$/;

export function slsaVersionOf(predicateType: string | undefined): SlsaVersion | undefined {
  if (predicateType === SLSA_PROVENANCE_V02) return '0.2';
  if (predicateType !== undefined && V1_VARIANT.test(predicateType)) return '1';
  return undefined;
}

export function isSlsaProvenance(predicateType: string | undefined): boolean {
  return slsaVersionOf(predicateType) !== undefined;
}

/** A decoded attestation with its provenance summary: what the CLI and the webview get. */
export interface ProvenanceDocument extends DecodedAttestation {
  summary: ProvenanceSummary;
}

/**
 * Bytes from a registry (bare statement, DSSE envelope or Sigstore bundle) -> summary plus the
 * raw statement. Throws only ProvenanceError; `NOT_PROVENANCE` for a well-formed statement of
 * another predicate type (an SBOM, a cosign sign statement).
 */
export function readProvenance(input: Uint8Array | string, limits?: Partial<ProvenanceLimits>): ProvenanceDocument {
  const decoded = decodeAttestation(input, limits);
  return { ...decoded, summary: summarizeStatement(decoded.statement, limits) };
}

export function summarizeStatement(statement: InTotoStatement, limits?: Partial<ProvenanceLimits>): ProvenanceSummary {
  return summarizePredicate(statement.predicateType, statement.predicate, {
    statementType: statement._type,
    subject: statement.subject,
    ...(limits !== undefined ? { limits } : {}),
  });
}

/**
 * A bare predicate (slsactl keeps predicates without their statement) or a statement's parts.
 * Never throws on content: fields of the wrong type become notes.
 */
export function summarizePredicate(
  predicateType: string,
  predicate: unknown,
  options: { statementType?: string; subject?: readonly unknown[]; limits?: Partial<ProvenanceLimits> } = {},
): ProvenanceSummary {
  const slsaVersion = slsaVersionOf(predicateType);
  if (!slsaVersion) {
    throw new ProvenanceError('NOT_PROVENANCE', `The predicate type ${JSON.stringify(predicateType.slice(0, 200))} is not SLSA provenance v0.2 or v1.`, {
      predicateType: predicateType.slice(0, 200),
    });
  }
  if (!isObject(predicate)) throw new ProvenanceError('PREDICATE_INVALID', 'The SLSA provenance predicate is not a JSON object.');
  const r = new FieldReader(provenanceLimits(options.limits));
  const body = slsaVersion === '0.2' ? summarizeV02(predicate, r) : summarizeV1(predicate, r);
  const subjects = options.subject ?? [];
  const max = r.limits.maxListEntries;
  const subject: Subject[] = subjects.slice(0, max).map((s, i) => subjectOf(s, r, `subject[${i}]`));
  if (options.statementType !== undefined && subjects.length === 0)
    r.note('NO_SUBJECT', 'subject', 'The statement names no subject, so it is not about any artifact.');
  if (subjects.length > max) r.note('TRUNCATED', 'subject', `The statement lists ${subjects.length} subjects; the first ${max} are shown.`);
  if (body.builder.id === '')
    r.note(
      'EMPTY_BUILDER_ID',
      slsaVersion === '0.2' ? 'builder.id' : 'runDetails.builder.id',
      'The builder id is empty: BuildKit leaves it empty unless the build sets one, so nothing here says who built it.',
    );
  if (!body.source) r.note('NO_SOURCE', '', 'No source repository or commit is recorded.');
  const summary: ProvenanceSummary = {
    ...(options.statementType !== undefined ? { statementType: options.statementType } : {}),
    predicateType,
    slsaVersion,
    subject,
    subjectTruncated: Math.max(0, subjects.length - max),
    ...body,
    notes: r.notes,
  };
  return summary;
}

function subjectOf(s: unknown, r: FieldReader, field: string): Subject {
  const name = r.string(own(s, 'name'), `${field}.name`);
  const uri = r.string(own(s, 'uri'), `${field}.uri`);
  return { ...(name !== undefined ? { name } : {}), ...(uri !== undefined ? { uri } : {}), digest: r.digests(own(s, 'digest'), `${field}.digest`) };
}
