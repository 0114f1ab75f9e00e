import { knownBuildType } from '../../claims/build-types';
import { isCommitHash, looksLikeGit, parseGitUri, sameRepository } from '../../claims/git-uri';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';
import { describeMatcher, matches } from '../policy';
import type { SlsaExpectations } from '../policy';

/**
 * What a policy can ask of SLSA provenance (https://slsa.dev/spec/v1.0/verifying-artifacts):
 * the builder is one we trust, the source is our repository at the expected ref and commit,
 * and the build type is one whose fields we know how to read (src/claims/build-types.ts, the
 * table the provenance summaries label build types with).
 *
 * The statement must already be verified (signature, subject) by the caller: these checks
 * only read what it claims. Kept here rather than in src/provenance because verify must not
 * depend on provenance (imports point one way); the view model there reads the same fields.
 */

export const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_V1 = 'https://slsa.dev/provenance/v1';

export interface SlsaSource {
  /** Normalised: `https://github.com/org/repo` (no `git+`, `.git`, ref or userinfo). */
  repository?: string;
  ref?: string;
  commit?: string;
  /** Where in the predicate it was read, e.g. `invocation.configSource`. */
  from?: string;
}

export interface SlsaFacts {
  layout: 'v0.2' | 'v1';
  predicateType: string;
  builderId?: string;
  buildType?: string;
  source: SlsaSource;
  /** Fields present with the wrong type: `builder.id is a number`. */
  problems: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function gitCommitOf(digest: unknown): string | undefined {
  if (!isObject(digest)) return undefined;
  const c = digest.gitCommit ?? digest.sha1;
  return typeof c === 'string' && isCommitHash(c) ? c.toLowerCase() : undefined;
}

function candidate(uri: unknown, digest: unknown, from: string, ref?: unknown): SlsaSource | undefined {
  if (typeof uri !== 'string' || uri === '') return undefined;
  const out: SlsaSource = { ...parseGitUri(uri), from };
  const commit = gitCommitOf(digest);
  if (commit !== undefined) out.commit = commit;
  if (typeof ref === 'string' && ref !== '') out.ref = ref;
  return out;
}

function sourceCandidates(layout: 'v0.2' | 'v1', p: Json): SlsaSource[] {
  const out: (SlsaSource | undefined)[] = [];
  const vcs = (m: unknown, from: string): void => {
    if (isObject(m) && isObject(m.vcs)) out.push(candidate(m.vcs.source, { gitCommit: m.vcs.revision }, from));
  };
  if (layout === 'v0.2') {
    const inv = isObject(p.invocation) ? p.invocation : {};
    if (isObject(inv.configSource)) out.push(candidate(inv.configSource.uri, inv.configSource.digest, 'invocation.configSource'));
    if (isObject(p.metadata)) vcs(p.metadata['https://mobyproject.org/buildkit@v1#metadata'], 'metadata.buildkit.vcs');
    const materials = Array.isArray(p.materials) ? p.materials : [];
    materials.forEach((m, i) => {
      if (isObject(m) && typeof m.uri === 'string' && looksLikeGit(m.uri, m.digest)) out.push(candidate(m.uri, m.digest, `materials[${i}]`));
    });
  } else {
    const def = isObject(p.buildDefinition) ? p.buildDefinition : {};
    const ext = isObject(def.externalParameters) ? def.externalParameters : {};
    if (isObject(ext.workflow)) out.push(candidate(ext.workflow.repository, undefined, 'externalParameters.workflow', ext.workflow.ref));
    if (isObject(ext.configSource)) out.push(candidate(ext.configSource.uri, ext.configSource.digest, 'externalParameters.configSource'));
    const deps = Array.isArray(def.resolvedDependencies) ? def.resolvedDependencies : [];
    deps.forEach((d, i) => {
      if (!isObject(d) || typeof d.uri !== 'string' || !looksLikeGit(d.uri, d.digest)) return;
      const annotated = isObject(d.annotations) ? d.annotations.ref : undefined;
      out.push(candidate(d.uri, d.digest, `resolvedDependencies[${i}]`, annotated ?? parseGitUri(d.uri)?.ref));
    });
    const run = isObject(p.runDetails) ? p.runDetails : {};
    if (isObject(run.metadata)) vcs(run.metadata.buildkit_metadata, 'runDetails.metadata.buildkit_metadata.vcs');
  }
  return out.filter((c): c is SlsaSource => c !== undefined && c.repository !== undefined);
}

/** The first repository named, with the ref and commit of any place naming the same repository. */
function mergeSources(candidates: SlsaSource[]): SlsaSource {
  const first = candidates[0];
  if (first === undefined) return {};
  const same = candidates.filter((c) => c.repository === first.repository);
  const out: SlsaSource = { repository: first.repository!, from: first.from! };
  const ref = same.find((c) => c.ref !== undefined)?.ref;
  const commit = same.find((c) => c.commit !== undefined)?.commit;
  if (ref !== undefined) out.ref = ref;
  if (commit !== undefined) out.commit = commit;
  return out;
}

/** The facts a policy checks, or why the statement is not SLSA provenance we can read. */
export function slsaFacts(statement: unknown): SlsaFacts | { error: string } {
  if (!isObject(statement)) return { error: 'The statement is not a JSON object.' };
  const layout = statement.predicateType === SLSA_V02 ? 'v0.2' : statement.predicateType === SLSA_V1 ? 'v1' : undefined;
  if (layout === undefined) return { error: `The predicate type ${JSON.stringify(statement.predicateType)} is not SLSA provenance v0.2 or v1.` };
  const predicateType = layout === 'v0.2' ? SLSA_V02 : SLSA_V1;
  const p = statement.predicate;
  if (!isObject(p)) return { error: 'The statement has no predicate object.' };
  const problems: string[] = [];
  const str = (v: unknown, where: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      problems.push(`${where} is ${Array.isArray(v) ? 'an array' : `a ${typeof v}`}, not a string`);
      return undefined;
    }
    return v === '' ? undefined : v; // BuildKit writes `"id": ""` when no builder id was configured
  };
  const facts: SlsaFacts = { layout, predicateType, source: {}, problems };
  let builderId: string | undefined;
  let buildType: string | undefined;
  if (layout === 'v0.2') {
    builderId = str(isObject(p.builder) ? p.builder.id : undefined, 'builder.id');
    buildType = str(p.buildType, 'buildType');
  } else {
    const run = isObject(p.runDetails) ? p.runDetails : {};
    builderId = str(isObject(run.builder) ? run.builder.id : undefined, 'runDetails.builder.id');
    buildType = str(isObject(p.buildDefinition) ? p.buildDefinition.buildType : undefined, 'buildDefinition.buildType');
  }
  if (builderId !== undefined) facts.builderId = builderId;
  if (buildType !== undefined) facts.buildType = buildType;
  facts.source = mergeSources(sourceCandidates(layout, p));
  return facts;
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
  const facts = slsaFacts(statement);
  if ('error' in facts) return [check('SLSA_FORMAT', 'fail', facts.error)];
  const ev = { predicateType: facts.predicateType };
  const out: SignatureCheck[] = [];
  if (facts.problems.length > 0) out.push(check('SLSA_FORMAT', 'fail', `The provenance is malformed: ${facts.problems.join('; ')}.`, ev));
  else out.push(check('SLSA_FORMAT', 'pass', `The statement is SLSA provenance ${facts.layout}.`, ev));

  const builders = expected.builderIds ?? [];
  if (builders.length === 0) {
    out.push(check('SLSA_BUILDER', 'info', facts.builderId === undefined ? 'The provenance names no builder; the policy allows any.' : `Built by ${facts.builderId}; the policy allows any builder.`, ev));
  } else if (facts.builderId === undefined) {
    out.push(check('SLSA_BUILDER', 'fail', `The provenance names no builder; the policy allows only ${builders.map(describeMatcher).join(', ')}.`, ev));
  } else if (builders.some((m) => matches(m, facts.builderId))) {
    out.push(check('SLSA_BUILDER', 'pass', `The builder ${facts.builderId} is allowed.`, ev));
  } else {
    out.push(check('SLSA_BUILDER', 'fail', `The builder ${facts.builderId} is not allowed; expected ${builders.map(describeMatcher).join(' or ')}.`, ev));
  }

  const label = knownBuildType(facts.buildType)?.label;
  if (label !== undefined) out.push(check('SLSA_BUILD_TYPE', 'pass', `The build type is ${label} (${facts.buildType}).`, ev));
  else {
    const what = facts.buildType === undefined ? 'The provenance names no build type' : `The build type ${facts.buildType} is not one we know`;
    out.push(check('SLSA_BUILD_TYPE', expected.requireKnownBuildType === true ? 'fail' : 'warn', `${what}, so its parameters cannot be interpreted.`, ev));
  }

  const src = facts.source;
  const where = src.from !== undefined ? ` (${src.from})` : '';
  const wantRepo = expected.sourceRepository === undefined ? undefined : parseGitUri(expected.sourceRepository)?.repository ?? expected.sourceRepository;
  out.push(...field('SLSA_SOURCE_REPOSITORY', 'source repository', wantRepo, src.repository, where, sameRepository, ev));
  out.push(...field('SLSA_SOURCE_REF', 'source ref', expected.sourceRef, src.ref, where, sameRef, ev));
  out.push(...field('SLSA_SOURCE_COMMIT', 'source commit', expected.sourceCommit?.toLowerCase(), src.commit, where, (a, b) => a === b, ev));
  return out;
}

function field(code: 'SLSA_SOURCE_REPOSITORY' | 'SLSA_SOURCE_REF' | 'SLSA_SOURCE_COMMIT', what: string, want: string | undefined, found: string | undefined, where: string, same: (a: string, b: string) => boolean, ev: { predicateType: string }): SignatureCheck[] {
  if (want === undefined) return found === undefined ? [] : [check(code, 'info', `The ${what} is ${found}${where}; the policy does not pin it.`, ev)];
  if (found === undefined) return [check(code, 'warn', `The provenance does not record the ${what}; expected ${want}.`, ev)];
  return same(want, found)
    ? [check(code, 'pass', `The ${what} is ${found}${where}, as expected.`, ev)]
    : [check(code, 'fail', `The ${what} is ${found}${where}; expected ${want}.`, ev)];
}
