import type { FieldReader } from './reader';
import type { NameValue } from './types';
import { at, isObject, own } from '../claims/values';

/**
 * The GitHub Actions context recorded in SLSA v0.2 `invocation.environment`: slsa-github-generator
 * writes lowercase `github_*` keys (plus the whole event payload), the npm CLI writes the
 * runner's `GITHUB_*` variables (https://docs.github.com/en/actions/learn-github-actions/variables).
 */
export interface GitHubContext {
  trigger?: string;
  ref?: string;
  /** `owner/name`. */
  repository?: string;
  runId?: string;
  runAttempt?: string;
  inputs: Array<NameValue<unknown>>;
}

export function githubContextV02(environment: unknown, r: FieldReader): GitHubContext {
  const env = isObject(environment) ? environment : {};
  const pick = (lower: string, upper: string): string | undefined => {
    const key = own(env, lower) !== undefined ? lower : upper;
    return r.string(own(env, key), `invocation.environment.${key}`) || undefined;
  };
  const out: GitHubContext = { inputs: [] };
  const set = <K extends keyof GitHubContext>(k: K, v: GitHubContext[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('trigger', pick('github_event_name', 'GITHUB_EVENT_NAME'));
  set('ref', pick('github_ref', 'GITHUB_REF'));
  set(
    'repository',
    pick('github_repository', 'GITHUB_REPOSITORY') ??
      r.string(at(env, 'github_event_payload', 'repository', 'full_name'), 'invocation.environment.github_event_payload.repository.full_name'),
  );
  set('runId', pick('github_run_id', 'GITHUB_RUN_ID'));
  set('runAttempt', pick('github_run_attempt', 'GITHUB_RUN_ATTEMPT'));
  out.inputs = inputs(at(env, 'github_event_payload', 'inputs'), r, 'invocation.environment.github_event_payload.inputs');
  return out;
}

/** workflow_dispatch / workflow_call inputs; values stay as written (strings, booleans, numbers). */
export function inputs(v: unknown, r: FieldReader, field: string): Array<NameValue<unknown>> {
  if (!isObject(v)) return [];
  const entries = Object.entries(v);
  const max = r.limits.maxMapEntries;
  if (entries.length > max) r.note('TRUNCATED', field, `${field} has ${entries.length} entries; the first ${max} are shown.`);
  return entries.slice(0, max).map(([name, value]) => ({ name, value }));
}

const RUN_URL = /^https:\/\/[^/\s@]+\/[^/\s]+\/[^/\s]+\/actions\/runs\/\d+(?:\/attempts?\/\d+)?\/?$/;

/** A GitHub Actions run page (github.com or GitHub Enterprise Server). */
export function isRunUrl(s: string | undefined): s is string {
  return s !== undefined && RUN_URL.test(s);
}

/** `https://github.com/<owner>/<repo>/actions/runs/<id>/attempts/<n>`, from a repository page URL. */
export function runUrl(repositoryUrl: string | undefined, runId: string | undefined, attempt: string | undefined): string | undefined {
  if (!repositoryUrl || !runId || !/^\d+$/.test(runId)) return undefined;
  const url = `${repositoryUrl}/actions/runs/${runId}${attempt && /^\d+$/.test(attempt) ? `/attempts/${attempt}` : ''}`;
  return isRunUrl(url) ? url : undefined;
}
