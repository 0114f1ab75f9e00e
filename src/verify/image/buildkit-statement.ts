import { isProvenanceError } from '../../claims/errors';
import { parseBoundedJson } from '../../claims/json';
import { heldContentLimits } from '../../claims/limits';
import type { InTotoStatement } from '../../claims/statement';
import { parseStatement, statementCovers } from '../../claims/statement';
import type { ImageCheck } from './image-checks';
import { imageCheck } from './image-checks';

/**
 * BuildKit's in-index attestations are unsigned in-toto statements
 * (https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md):
 * nothing vouches for them, so they are never "verified". What can still be said is
 * whether the statement is about the platform it is attached to. The result is only
 * `info` (it matches) or `warn` (it does not): advice, not a verification.
 * The statement is read by the parser the provenance summaries use (src/claims).
 */
export function inTotoSubjectCheck(bytes: Uint8Array, platformDigest: string): ImageCheck {
  const evidence = { expected: platformDigest };
  let statement: InTotoStatement;
  try {
    statement = parseStatement(parseBoundedJson(bytes, heldContentLimits(bytes.byteLength), 'BuildKit attestation layer'));
  } catch (e) {
    if (!isProvenanceError(e)) throw e;
    const what = e.code === 'NOT_JSON' ? 'not JSON, so it is not an in-toto statement' : 'not an in-toto Statement (v0.1 or v1) with a subject list';
    return imageCheck('SUBJECT', 'warn', `The BuildKit attestation layer is ${what}.`, evidence);
  }
  if (statementCovers(statement, platformDigest))
    return imageCheck('SUBJECT', 'info', `The unsigned statement names this platform (${platformDigest}) as its subject.`, evidence);
  return imageCheck(
    'SUBJECT',
    'warn',
    `None of the unsigned statement's ${statement.subject.length} subject(s) is this platform (${platformDigest}): it is about another image.`,
    evidence,
  );
}
