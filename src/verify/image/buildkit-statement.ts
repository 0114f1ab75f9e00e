import type { ImageCheck } from './image-checks';
import { imageCheck } from './image-checks';

/**
 * BuildKit's in-index attestations are unsigned in-toto statements
 * (https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md):
 * nothing vouches for them, so they are never "verified". What can still be said is
 * whether the statement is about the platform it is attached to. The result is only
 * `info` (it matches) or `warn` (it does not): advice, not a verification.
 * In-toto statement: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
 */
const STATEMENT_TYPES = new Set(['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1']);

export function inTotoSubjectCheck(bytes: Uint8Array, platformDigest: string): ImageCheck {
  const evidence = { expected: platformDigest };
  let statement: { _type?: unknown; subject?: unknown };
  try {
    statement = JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof statement;
  } catch {
    return imageCheck('SUBJECT', 'warn', 'The BuildKit attestation layer is not JSON, so it is not an in-toto statement.', evidence);
  }
  if (typeof statement !== 'object' || statement === null || !STATEMENT_TYPES.has(String(statement._type)) || !Array.isArray(statement.subject)) {
    return imageCheck('SUBJECT', 'warn', 'The BuildKit attestation layer is not an in-toto Statement (v0.1 or v1) with a subject list.', evidence);
  }
  const [algorithm, hex] = platformDigest.split(':');
  const subjects = statement.subject as Array<{ digest?: Record<string, unknown> }>;
  const hit = subjects.some((s) => typeof s?.digest?.[algorithm ?? ''] === 'string' && (s.digest[algorithm ?? ''] as string).toLowerCase() === hex);
  if (hit) return imageCheck('SUBJECT', 'info', `The unsigned statement names this platform (${platformDigest}) as its subject.`, evidence);
  return imageCheck('SUBJECT', 'warn', `None of the unsigned statement's ${subjects.length} subject(s) is this platform (${platformDigest}): it is about another image.`, evidence);
}
