import type { FieldReader } from './reader';
import type { NameValue, ParametersSummary } from './types';
import { isObject, own } from '../claims/values';

/**
 * BuildKit's build request as its provenance records it
 * (https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md):
 * v0.2 `invocation.parameters`, v1 `externalParameters.request`, both `{frontend, args, locals,
 * secrets, ssh}`. `args` are the frontend attributes: `build-arg:NAME`, `label:NAME`, and others
 * (`target`, `filename`, `vcs:source`, ...).
 */
export type BuildkitParameters = Pick<ParametersSummary, 'frontend' | 'buildArgs' | 'labels' | 'otherArgs' | 'locals' | 'secrets' | 'truncated'>;

export function buildkitParameters(request: unknown, r: FieldReader, field: string): BuildkitParameters {
  const out: BuildkitParameters = { buildArgs: [], labels: [], otherArgs: [], locals: [], secrets: [], truncated: 0 };
  if (!isObject(request)) return out;
  const frontend = r.string(own(request, 'frontend'), `${field}.frontend`);
  if (frontend !== undefined) out.frontend = frontend;
  const args = r.stringEntries(own(request, 'args'), `${field}.args`);
  const max = r.limits.maxMapEntries;
  for (const a of args.slice(0, max)) {
    if (a.name.startsWith('build-arg:')) out.buildArgs.push({ name: a.name.slice('build-arg:'.length), value: a.value });
    else if (a.name.startsWith('label:')) out.labels.push({ name: a.name.slice('label:'.length), value: a.value });
    else out.otherArgs.push(a);
  }
  out.truncated = Math.max(0, args.length - max);
  if (out.truncated) r.note('TRUNCATED', `${field}.args`, `${field}.args has ${args.length} entries; the first ${max} are shown.`);
  out.locals = names(own(request, 'locals'), 'name', r, `${field}.locals`);
  out.secrets = names(own(request, 'secrets'), 'id', r, `${field}.secrets`);
  return out;
}

function names(v: unknown, key: string, r: FieldReader, field: string): string[] {
  const list = r.list(v, field) ?? [];
  const out: string[] = [];
  for (let i = 0; i < list.length && out.length < r.limits.maxMapEntries; i++) {
    const s = r.string(own(list[i], key), `${field}[${i}].${key}`);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/**
 * The git information buildx passes along for a local context (BUILDX_GIT_INFO): BuildKit
 * records it as metadata `vcs: {source, revision}` (v0.2 under
 * `metadata["https://mobyproject.org/buildkit@v1#metadata"]`, v1 under
 * `runDetails.metadata.buildkit_metadata`).
 */
export function buildkitVcs(metadata: unknown, r: FieldReader, field: string): { source?: string; revision?: string } {
  const vcs = own(metadata, 'vcs');
  if (!isObject(vcs)) return {};
  const out: { source?: string; revision?: string } = {};
  const source = r.string(own(vcs, 'source'), `${field}.vcs.source`);
  const revision = r.string(own(vcs, 'revision'), `${field}.vcs.revision`);
  if (source) out.source = source;
  if (revision) out.revision = revision;
  return out;
}

/** The same git information when it only survives as frontend attributes or OCI labels. */
export function sourceFromArgs(p: BuildkitParameters): { from: 'build-args' | 'image-labels'; source?: string; revision?: string } | undefined {
  const find = (list: NameValue[], name: string) => list.find((a) => a.name === name)?.value || undefined;
  const vcsSource = find(p.otherArgs, 'vcs:source');
  const vcsRevision = find(p.otherArgs, 'vcs:revision');
  if (vcsSource || vcsRevision) return { from: 'build-args', ...(vcsSource ? { source: vcsSource } : {}), ...(vcsRevision ? { revision: vcsRevision } : {}) };
  const labelSource = find(p.labels, 'org.opencontainers.image.source');
  const labelRevision = find(p.labels, 'org.opencontainers.image.revision');
  if (labelSource || labelRevision)
    return { from: 'image-labels', ...(labelSource ? { source: labelSource } : {}), ...(labelRevision ? { revision: labelRevision } : {}) };
  return undefined;
}
