import type { KnownBuildType } from '../claims/build-types';
import type { FieldReader } from './reader';
import type { Material, NameValue, ParametersSummary, ProvenanceSummary } from './types';
import type { JsonObject } from '../claims/values';
import { isObject, own, setOwn } from '../claims/values';

/** What a version-specific normaliser produces: everything but the statement layer. */
export type PredicateSummary = Omit<ProvenanceSummary, 'statementType' | 'predicateType' | 'slsaVersion' | 'subject' | 'subjectTruncated' | 'notes'>;

/** Parameters with the raw values first (as the JSON shows them), the surfaced ones empty. */
export function emptyParameters(external: unknown, internal: unknown): ParametersSummary {
  return {
    ...(external !== undefined ? { external } : {}),
    ...(internal !== undefined ? { internal } : {}),
    buildArgs: [],
    labels: [],
    otherArgs: [],
    locals: [],
    secrets: [],
    inputs: [],
    truncated: 0,
  };
}

/** Keeps every field of `o` not in `known` under its JSON path, raw, so nothing is dropped unseen. */
export function keepUnknown(out: Record<string, unknown>, o: unknown, known: readonly string[], path: string): void {
  if (!isObject(o)) return;
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) setOwn(out, path ? `${path}.${key}` : key, own(o, key));
  }
}

/** `{ claim: boolean }` maps (completeness), wrong-typed entries noted and left out. */
export function booleans(v: unknown, r: FieldReader, field: string): Record<string, boolean> | undefined {
  const o = r.object(v, field);
  if (!o) return undefined;
  const out: Record<string, boolean> = {};
  for (const key of Object.keys(o).slice(0, r.limits.maxMapEntries)) {
    const b = r.bool(own(o, key), `${field}.${key}`);
    if (b !== undefined) setOwn(out, key, b);
  }
  return out;
}

export function toRecord(entries: readonly NameValue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) setOwn(out, e.name, e.value);
  return out;
}

/** The order fields appear in JSON: who, what, from where, how, with what, when. */
const ORDER = ['source', 'trigger', 'workflow', 'invocationId', 'runUrl'] as const;
const LATE = ['startedOn', 'finishedOn', 'reproducible', 'hermetic', 'completeness'] as const;

/** Assembles the fields shared by both versions, leaving optional ones out when unset. */
export function assemble(parts: {
  builderId?: string | undefined;
  builderVersion?: Record<string, string> | undefined;
  buildType?: string | undefined;
  known?: KnownBuildType | undefined;
  parameters: ParametersSummary;
  materials: { items: Material[]; truncated: number };
  unknown: Record<string, unknown>;
  optional: Partial<Pick<PredicateSummary, (typeof ORDER)[number] | (typeof LATE)[number]>>;
}): PredicateSummary {
  const builder: PredicateSummary['builder'] = {};
  if (parts.builderId !== undefined) builder.id = parts.builderId;
  if (parts.builderVersion && Object.keys(parts.builderVersion).length) builder.version = parts.builderVersion;
  const out = { builder } as PredicateSummary;
  if (parts.buildType !== undefined) out.buildType = parts.buildType;
  if (parts.known) out.knownBuildType = parts.known;
  const copy = (keys: readonly string[]) => {
    for (const k of keys) {
      const v = (parts.optional as JsonObject)[k];
      if (v !== undefined && v !== '') (out as unknown as JsonObject)[k] = v;
    }
  };
  copy(ORDER);
  out.parameters = parts.parameters;
  out.materials = parts.materials.items;
  out.materialsTruncated = parts.materials.truncated;
  copy(LATE);
  out.unknown = parts.unknown;
  return out;
}
