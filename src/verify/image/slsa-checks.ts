import { isProvenanceError } from '../../claims/errors';
import { parseGitUri, sameRepository } from '../../claims/git-uri';
import { isObject, own } from '../../claims/values';
import { summarizePredicate } from '../../provenance/summary';
import type { ProvenanceNote, ProvenanceSummary } from '../../provenance/types';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';
import { describeMatcher, matches } from '../policy';
import type { SlsaExpectations } from '../policy';

/**
 * What a policy can ask of SLSA provenance (https://slsa.dev/spec/v1.0/verifying-artifacts):
 * the builder is one we trust, the source is our repository at the expected ref and commit,
 * and the build type is one whose fields we know how to read (src/claims/build-types.ts).
 *
 * The statement must already be verified (signature, subject) by the caller: these checks
 * only read what it claims, through the provenance summary the panel and `provenance-lens
 * provenance` show (src/provenance), so the builder, build type and source a policy checks are
 * the ones a person is shown.
 */

/** Fields whose wrong type makes the provenance malformed: what the checks below read. */
const CHECKED_FIELDS = new Set(['builder.id', 'buildType', 'runDetails.builder.id', 'buildDefinition.buildType']);

/** The summary the checks read, or why the statement is not SLSA provenance we can read. */
function summaryOf(statement: unknown): ProvenanceSummary | { error: string } {
  if (!isObject(statement)) return { error: 'The statement is not a JSON object.' };
  const predicateType = own(statement, 'predicateType');
  if (typeof predicateType !== 'string') return { error: `The predicate type ${JSON.stringify(predicateType)} is not SLSA provenance v0.2 or v1.` };
  try {
    // The summary reads named fields only; it walks no predicate, so no depth limit applies here.
    return summarizePredicate(predicateType, own(statement, 'predicate'));
  } catch (e) {
    if (!isProvenanceError(e)) throw e;
    return { error: e.code === 'PREDICATE_INVALID' ? 'The statement has no predicate object.' : e.message };
  }
}

/** `builder.id is a number, not a string` for each checked field of the wrong type. */
function problems(notes: readonly ProvenanceNote[]): string[] {
  return notes
    .filter((n) => (n.code === 'WRONG_TYPE' || n.code === 'TOO_LONG') && CHECKED_FIELDS.has(n.field))
    .map((n) => n.message.replace(/; left out.*$/, ''));
}

/** A bare name (`v1.2.3`, `main`) matches the tag or branch of that name; full refs compare exactly. */
function sameRef(expected: string, found: string): boolean {
  if (expected.startsWith('refs/') && found.startsWith('refs/')) return expected === found;
  const short = (r: string): string => r.replace(/^refs\/(?:tags|heads)\//, '');
  return short(expected) === short(found);
}

/**
 * SLSA_FORMAT, SLSA_BUILDER, SLSA_BUILD_TYPE and one SLSA_SOURCE_* check per source field.
 * A stated expectation the provenance is silent about is a `warn` (not verified, not
 * contradicted); a contradiction is a `fail`; facts nobody asked about are `info`.
 */
export function slsaChecks(statement: unknown, expected: SlsaExpectations = {}): SignatureCheck[] {
  const summary = summaryOf(statement);
  if ('error' in summary) return [check('SLSA_FORMAT', 'fail', summary.error)];
  const ev = { predicateType: summary.predicateType };
  const out: SignatureCheck[] = [];
  const malformed = problems(summary.notes);
  if (malformed.length > 0) out.push(check('SLSA_FORMAT', 'fail', `The provenance is malformed: ${malformed.join('; ')}.`, ev));
  else out.push(check('SLSA_FORMAT', 'pass', `The statement is SLSA provenance v${summary.slsaVersion}.`, ev));

  // BuildKit writes `"id": ""` when no builder id was configured: no builder.
  const builderId = summary.builder.id || undefined;
  const builders = expected.builderIds ?? [];
  if (builders.length === 0) {
    out.push(
      check(
        'SLSA_BUILDER',
        'info',
        builderId === undefined ? 'The provenance names no builder; the policy allows any.' : `Built by ${builderId}; the policy allows any builder.`,
        ev,
      ),
    );
  } else if (builderId === undefined) {
    out.push(check('SLSA_BUILDER', 'fail', `The provenance names no builder; the policy allows only ${builders.map(describeMatcher).join(', ')}.`, ev));
  } else if (builders.some((m) => matches(m, builderId))) {
    out.push(check('SLSA_BUILDER', 'pass', `The builder ${builderId} is allowed.`, ev));
  } else {
    out.push(check('SLSA_BUILDER', 'fail', `The builder ${builderId} is not allowed; expected ${builders.map(describeMatcher).join(' or ')}.`, ev));
  }

  const buildType = summary.buildType || undefined;
  if (summary.knownBuildType !== undefined) out.push(check('SLSA_BUILD_TYPE', 'pass', `The build type is ${summary.knownBuildType.label} (${buildType}).`, ev));
  else {
    const what = buildType === undefined ? 'The provenance names no build type' : `The build type ${buildType} is not one we know`;
    out.push(check('SLSA_BUILD_TYPE', expected.requireKnownBuildType === true ? 'fail' : 'warn', `${what}, so its parameters cannot be interpreted.`, ev));
  }

  const src = summary.source;
  const where = src !== undefined ? ` (from ${src.from})` : '';
  const wantRepo = expected.sourceRepository === undefined ? undefined : (parseGitUri(expected.sourceRepository)?.repository ?? expected.sourceRepository);
  out.push(...field('SLSA_SOURCE_REPOSITORY', 'source repository', wantRepo, src?.repository, where, sameRepository, ev));
  out.push(...field('SLSA_SOURCE_REF', 'source ref', expected.sourceRef, src?.ref, where, sameRef, ev));
  out.push(...field('SLSA_SOURCE_COMMIT', 'source commit', expected.sourceCommit?.toLowerCase(), src?.commit, where, (a, b) => a === b.toLowerCase(), ev));
  return out;
}

function field(
  code: 'SLSA_SOURCE_REPOSITORY' | 'SLSA_SOURCE_REF' | 'SLSA_SOURCE_COMMIT',
  what: string,
  want: string | undefined,
  found: string | undefined,
  where: string,
  same: (a: string, b: string) => boolean,
  ev: { predicateType: string },
): SignatureCheck[] {
  if (want === undefined) return found === undefined ? [] : [check(code, 'info', `The ${what} is ${found}${where}; the policy does not pin it.`, ev)];
  if (found === undefined) return [check(code, 'warn', `The provenance does not record the ${what}; expected ${want}.`, ev)];
  return same(want, found)
    ? [check(code, 'pass', `The ${what} is ${found}${where}, as expected.`, ev)]
    : [check(code, 'fail', `The ${what} is ${found}${where}; expected ${want}.`, ev)];
}
