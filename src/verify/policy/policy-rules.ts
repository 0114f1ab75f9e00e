import { isAbsolute, resolve } from 'node:path';
import { isScalar } from 'yaml';
import type { Scalar } from 'yaml';
import type { Matcher } from './identity-policy';
import type { AttestationRequirement, CoverageRule } from './image-policy';
import { COVERAGE_RULES } from './image-policy';
import { isCommit, isGithubRepository } from './github-identity';
import { parseSignerWorkflow } from './github-attestation-policy';
import { ATTESTATION_ALIASES, attestationRequirement } from './policy-attestations';
import { patternProblems } from './policy-regexp';
import { closest } from './policy-shape';
import { TEMPLATE_VARIABLES, parsePlaceholders, placeholderFreePattern } from './policy-template';
import type { TemplatePart } from './policy-template';
import type { GithubSpec, MatcherTemplate, PolicyKey, PolicyRules, SlsaSpec } from './policy-types';
import type { Field, PolicyReader } from './policy-yaml';
import { join } from './policy-yaml';

/**
 * The requirements both `defaults` and an image entry may state (docs/policy.md,
 * "Requirements"). Each reader reports what is wrong and returns what is right; the
 * caller drops the whole policy when anything was an error.
 */

/** Context: the reader and the directory relative paths are resolved against. */
export interface RulesContext {
  r: PolicyReader;
  dir: string;
}

const WORKFLOW = /^(?:\.github\/workflows\/)?[^/@\s]+\.ya?ml$/;

function template(ctx: RulesContext, field: Field, at: string): TemplatePart[] | undefined {
  const s = ctx.r.scalar(field, field.value, at);
  if (s === undefined) return undefined;
  const { parts, problems } = parsePlaceholders(s.value);
  for (const p of problems) {
    const guess = closest(p.name.replace(/^\./, ''), TEMPLATE_VARIABLES);
    const hint = guess !== undefined ? ` Did you mean "{{${guess}}}"?` : '';
    ctx.r.error(
      'UNKNOWN_TEMPLATE_VARIABLE',
      at,
      s.node,
      `Unknown placeholder "{{${p.name}}}"; known: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}.${hint}`,
      { offset: p.offset, length: p.length },
    );
  }
  return problems.length === 0 ? parts : undefined;
}

/** Checks a regexp as it will be compiled; in a template, placeholders stand in as same-length groups. */
function checkRegexp(ctx: RulesContext, at: string, text: string, node: Scalar, templates: boolean): boolean {
  const problems = patternProblems(templates ? placeholderFreePattern(text) : text);
  for (const p of problems) {
    ctx.r.error(p.code, at, node, `Invalid regular expression at character ${p.offset + 1}: ${p.message}.`, { offset: p.offset, length: 1 });
  }
  return problems.length === 0;
}

/** `value` (exact), `{ exact: value }` or `{ regexp: pattern }`; placeholders only where `templates`. */
export function readMatcher(ctx: RulesContext, field: Field, at: string, templates: true): MatcherTemplate | undefined;
export function readMatcher(ctx: RulesContext, field: Field, at: string, templates: false): Matcher | undefined;
export function readMatcher(ctx: RulesContext, field: Field, at: string, templates: boolean): MatcherTemplate | Matcher | undefined {
  let kind: 'exact' | 'regexp' = 'exact';
  let inner: Field = field;
  let innerAt = at;
  if (!isScalar(ctx.r.deref(field.value))) {
    const m = ctx.r.map(field, field.value, at, 'matcher');
    if (m === undefined) return undefined;
    if (m.size !== 1) {
      ctx.r.error(m.size === 0 ? 'MISSING_KEY' : 'CONFLICT', at, field, `"${at}" needs exactly one of "exact" or "regexp".`);
      return undefined;
    }
    const [name, f] = [...m.entries()][0]!;
    kind = name as 'exact' | 'regexp';
    inner = f;
    innerAt = join(at, name);
  }
  const s = ctx.r.scalar(inner, inner.value, innerAt);
  if (s === undefined) return undefined;
  if (kind === 'regexp' && !checkRegexp(ctx, innerAt, s.value, s.node, templates)) return undefined;
  if (!templates) return kind === 'exact' ? { exact: s.value } : { regexp: s.value };
  const parts = template(ctx, inner, innerAt);
  return parts === undefined ? undefined : { kind, text: s.value, parts };
}

function readGithub(ctx: RulesContext, field: Field, at: string): GithubSpec | undefined {
  const m = ctx.r.map(field, field.value, at, 'github');
  if (m === undefined) return undefined;
  const out: GithubSpec = {};
  const repository = m.get('repository');
  if (repository !== undefined) put(out, 'repository', githubRepository(ctx, repository, join(at, 'repository')));
  const workflow = m.get('workflow');
  if (workflow !== undefined) {
    const w = ctx.r.string(workflow, workflow.value, join(at, 'workflow'));
    if (w !== undefined && !WORKFLOW.test(w))
      ctx.r.error('INVALID_VALUE', join(at, 'workflow'), workflow, `"${w}" is not a workflow file: write "release.yml" or ".github/workflows/release.yml".`);
    else if (w !== undefined) out.workflow = w;
  }
  const ref = m.get('ref');
  if (ref !== undefined) {
    const parts = template(ctx, ref, join(at, 'ref'));
    if (parts !== undefined) out.ref = parts;
  }
  const trigger = m.get('trigger');
  if (trigger !== undefined) put(out, 'trigger', ctx.r.string(trigger, trigger.value, join(at, 'trigger')));
  const commit = m.get('commit');
  if (commit !== undefined) put(out, 'commit', commitValue(ctx, commit, join(at, 'commit')));
  readGhShortcuts(ctx, m, at, out);
  return out;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** `owner`, `signerWorkflow`, `signerRepository`: `gh attestation verify`'s flags, and how they combine. */
function readGhShortcuts(ctx: RulesContext, m: Map<string, Field>, at: string, out: GithubSpec): void {
  const owner = m.get('owner');
  if (owner !== undefined) {
    const s = ctx.r.string(owner, owner.value, join(at, 'owner'));
    if (s !== undefined && OWNER.test(s)) out.owner = s;
    else if (s !== undefined)
      ctx.r.error(
        'INVALID_VALUE',
        join(at, 'owner'),
        owner,
        `"${s}" is not a GitHub user or organisation name (letters, digits and inner hyphens), e.g. "rancher".`,
      );
  }
  const signerWorkflow = m.get('signerWorkflow');
  if (signerWorkflow !== undefined) {
    const s = ctx.r.string(signerWorkflow, signerWorkflow.value, join(at, 'signerWorkflow'));
    if (s !== undefined && parseSignerWorkflow(s) !== undefined) out.signerWorkflow = s;
    else if (s !== undefined)
      ctx.r.error(
        'INVALID_VALUE',
        join(at, 'signerWorkflow'),
        signerWorkflow,
        `"${s}" is not a signer workflow: write org/repo/.github/workflows/file.yml, optionally with @ref, e.g. "github/artifact-attestations-workflows/.github/workflows/attest.yml".`,
      );
  }
  const signerRepository = m.get('signerRepository');
  if (signerRepository !== undefined) put(out, 'signerRepository', githubRepository(ctx, signerRepository, join(at, 'signerRepository')));
  if (signerWorkflow !== undefined && signerRepository !== undefined) {
    ctx.r.error(
      'CONFLICT',
      join(at, 'signerRepository'),
      signerRepository,
      '"signerWorkflow" and "signerRepository" both say who signed; keep one (the workflow already names its repository).',
    );
  }
  const owned = out.repository?.split('/')[0];
  if (out.owner !== undefined && owned !== undefined && owned.toLowerCase() !== out.owner.toLowerCase()) {
    ctx.r.error(
      'CONFLICT',
      join(at, 'owner'),
      owner!,
      `"owner: ${out.owner}" is not the owner of "repository: ${out.repository}"; the repository already names its owner, so keep one of them.`,
    );
  }
}

function githubRepository(ctx: RulesContext, field: Field, at: string): string | undefined {
  const s = ctx.r.string(field, field.value, at);
  if (s === undefined) return undefined;
  if (isGithubRepository(s)) return s;
  ctx.r.error('INVALID_VALUE', at, field, `"${s}" is not a GitHub repository; write it as owner/name, e.g. "rancher/fleet".`);
  return undefined;
}

function commitValue(ctx: RulesContext, field: Field, at: string): string | undefined {
  const s = ctx.r.string(field, field.value, at);
  if (s === undefined) return undefined;
  if (isCommit(s.toLowerCase())) return s.toLowerCase();
  ctx.r.error('INVALID_VALUE', at, field, `"${s}" is not a full commit hash (40 or 64 hexadecimal characters); short hashes are ambiguous.`);
  return undefined;
}

function readSlsa(ctx: RulesContext, field: Field, at: string): SlsaSpec | undefined {
  const m = ctx.r.map(field, field.value, at, 'slsa');
  if (m === undefined) return undefined;
  const out: SlsaSpec = {};
  const builders = m.get('builders');
  if (builders !== undefined) {
    const items = ctx.r.list(builders, builders.value, join(at, 'builders')) ?? [];
    out.builders = items.flatMap((item, i) => readMatcher(ctx, { key: builders.key, value: item }, join(join(at, 'builders'), i), false) ?? []);
  }
  const source = m.get('source');
  if (source !== undefined) {
    const sm = ctx.r.map(source, source.value, join(at, 'source'), 'source');
    if (sm !== undefined) {
      const s: NonNullable<SlsaSpec['source']> = {};
      const repository = sm.get('repository');
      if (repository !== undefined) put(s, 'repository', sourceRepository(ctx, repository, join(at, 'source.repository')));
      const ref = sm.get('ref');
      if (ref !== undefined) put(s, 'ref', template(ctx, ref, join(at, 'source.ref')));
      const commit = sm.get('commit');
      if (commit !== undefined) put(s, 'commit', commitValue(ctx, commit, join(at, 'source.commit')));
      out.source = s;
    }
  }
  const known = m.get('requireKnownBuildType');
  if (known !== undefined) put(out, 'requireKnownBuildType', ctx.r.boolean(known, known.value, join(at, 'requireKnownBuildType')));
  return out;
}

function sourceRepository(ctx: RulesContext, field: Field, at: string): string | undefined {
  const s = ctx.r.string(field, field.value, at);
  if (s === undefined) return undefined;
  if (isGithubRepository(s)) return `https://github.com/${s}`;
  if (/^(?:git\+)?(?:https|ssh|git):\/\/\S+$/.test(s)) return s;
  ctx.r.error('INVALID_VALUE', at, field, `"${s}" is not a repository: write owner/name for GitHub, or a URL such as https://gitlab.com/group/project.`);
  return undefined;
}

/** One path or a list of paths to PEM public keys; read later by `loadPolicyKeys`. */
function readKeys(ctx: RulesContext, field: Field, at: string): PolicyKey[] {
  const single = isScalar(ctx.r.deref(field.value));
  const items = single ? [field.value] : (ctx.r.list(field, field.value, at) ?? []);
  return items.flatMap((item, i) => {
    const s = ctx.r.scalar(field, item, single ? at : join(at, i));
    if (s === undefined) return [];
    return [{ written: s.value, path: resolvePath(ctx.dir, s.value), ...ctx.r.position(s.node) }];
  });
}

function resolvePath(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

function readAttestations(ctx: RulesContext, field: Field, at: string): AttestationRequirement[] | undefined {
  const items = ctx.r.list(field, field.value, at);
  if (items === undefined) return undefined;
  return items.flatMap((item, i) => {
    const s = ctx.r.scalar(field, item, join(at, i));
    if (s === undefined) return [];
    const req = attestationRequirement(s.value);
    if (req !== undefined) return [req];
    const guess = closest(s.value, Object.keys(ATTESTATION_ALIASES));
    const hint =
      guess !== undefined ? ` Did you mean "${guess}"?` : ` Known names: ${Object.keys(ATTESTATION_ALIASES).join(', ')}; or write the predicate type URI.`;
    ctx.r.error('UNKNOWN_ATTESTATION', join(at, i), s.node, `"${s.value}" is neither a known attestation name nor a predicate type URI.${hint}`);
    return [];
  });
}

/** `signatures` (cosign's rule) or `signatures-or-attestations` (slsa-verifier's). */
function readCoverage(ctx: RulesContext, field: Field, at: string): CoverageRule | undefined {
  const s = ctx.r.string(field, field.value, at);
  if (s === undefined) return undefined;
  const rule = COVERAGE_RULES.find((r) => r === s);
  if (rule !== undefined) return rule;
  const guess = closest(s, COVERAGE_RULES);
  ctx.r.error(
    'INVALID_VALUE',
    at,
    field,
    `"${s}" is not a coverage rule: write "signatures" (only signatures cover a digest, as cosign verify) or "signatures-or-attestations" (a verified attestation covers it too, as slsa-verifier).${guess !== undefined ? ` Did you mean "${guess}"?` : ''}`,
  );
  return undefined;
}

/** Reads every requirement key present in `m` (a `defaults` or image entry mapping). */
export function readRules(ctx: RulesContext, m: Map<string, Field>, at: string): PolicyRules {
  const out: PolicyRules = {};
  const f = (k: string): Field | undefined => m.get(k);
  let x: Field | undefined;
  if ((x = f('identity'))) put(out, 'identity', readMatcher(ctx, x, join(at, 'identity'), true));
  if ((x = f('issuer'))) put(out, 'issuer', readMatcher(ctx, x, join(at, 'issuer'), false));
  if ((x = f('github'))) put(out, 'github', readGithub(ctx, x, join(at, 'github')));
  if ((x = f('keys'))) out.keys = readKeys(ctx, x, join(at, 'keys'));
  if ((x = f('trustedRoot'))) {
    const s = ctx.r.string(x, x.value, join(at, 'trustedRoot'));
    if (s !== undefined) out.trustedRoot = resolvePath(ctx.dir, s);
  }
  if ((x = f('certificateChain'))) {
    const s = ctx.r.string(x, x.value, join(at, 'certificateChain'));
    if (s !== undefined) out.certificateChain = resolvePath(ctx.dir, s);
  }
  if ((x = f('requireTlog'))) put(out, 'requireTlog', ctx.r.boolean(x, x.value, join(at, 'requireTlog')));
  if ((x = f('coverage'))) put(out, 'coverage', readCoverage(ctx, x, join(at, 'coverage')));
  if ((x = f('attestations'))) put(out, 'attestations', readAttestations(ctx, x, join(at, 'attestations')));
  if ((x = f('slsa'))) put(out, 'slsa', readSlsa(ctx, x, join(at, 'slsa')));
  const keyless = ['identity', 'issuer', 'github'].filter((k) => m.has(k));
  if (m.has('keys') && keyless.length > 0) {
    ctx.r.error(
      'CONFLICT',
      join(at, 'keys'),
      m.get('keys')!,
      `"keys" (key-based signing) and ${keyless.map((k) => `"${k}"`).join(', ')} (keyless signing) exclude each other in one place; keep one.`,
    );
  }
  return out;
}

/** Sets a field that was read; a value that could not be read (undefined, its diagnostic given) leaves the field absent. */
function put<T, K extends keyof T>(o: T, k: K, v: Exclude<T[K], undefined> | undefined): void {
  if (v !== undefined) o[k] = v;
}
