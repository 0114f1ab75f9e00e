/**
 * SLSA provenance for the panel: each statement once (index-level provenance is listed under
 * every platform in a `ProvenanceReport`, here it appears once with `attachedTo: 'index'`),
 * values as written, links only where `links.ts` lets them through.
 */
import type { ProvenanceEntry, ProvenanceReport } from '../provenance/collect';
import type { ImageGraph } from '../model/image-graph';
import type { SourceOrigin, SourceSummary } from '../provenance/types';
import type { ImageVerification } from '../verify/image';
import { artifactState, formatLabel } from './model-checks';
import { safeLink } from './links';
import type { NameValue, PanelMaterial, PanelProvenance, PanelSource } from '../protocol/panel';
import { severity } from '../model/verdict';
import { artifactPlace, instanceName } from '../releases/artifact-words';
import { githubRunFacts } from './model-github';

const ORIGIN: Record<SourceOrigin, string> = {
  configSource: "the build's config source",
  workflow: 'the workflow that ran the build',
  buildConfigSource: "Cloud Build's config source",
  'buildkit-vcs': "BuildKit's git information of the build context",
  'build-args': 'vcs build arguments (a claim of whoever ran the build)',
  'image-labels': 'image labels (a claim of whoever ran the build)',
  resolvedDependencies: 'a resolved git dependency',
  materials: 'a git material',
};

/** Pretty JSON of a raw value, or undefined when there is none. */
export function prettyJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return undefined;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : (prettyJson(value) ?? String(value));
}

function pairs(list: ReadonlyArray<{ name: string; value: unknown }>): NameValue[] {
  return list.map((p) => ({ name: p.name, value: text(p.value) }));
}

function source(s: SourceSummary): PanelSource {
  const repositoryUrl = safeLink(s.repositoryUrl);
  const commitUrl = safeLink(s.commitUrl);
  return {
    ...(s.repository !== undefined ? { repository: s.repository } : {}),
    ...(repositoryUrl ? { repositoryUrl } : {}),
    ...(s.ref !== undefined ? { ref: s.ref } : {}),
    ...(s.commit !== undefined ? { commit: s.commit } : {}),
    ...(commitUrl ? { commitUrl } : {}),
    ...(s.path !== undefined ? { path: s.path } : {}),
    from: ORIGIN[s.from] ?? String(s.from),
  };
}

function digests(d: Record<string, string>): string[] {
  return Object.entries(d).map(([alg, hex]) => `${alg}:${hex}`);
}

function material(m: { uri?: string; name?: string; digest: Record<string, string> }): PanelMaterial {
  const url = safeLink(m.uri);
  return {
    ...(m.uri !== undefined ? { uri: m.uri } : {}),
    ...(m.name !== undefined ? { name: m.name } : {}),
    digests: digests(m.digest ?? {}),
    ...(url ? { url } : {}),
  };
}

/**
 * Every statement of the report once: verified ones first, unsigned claims (BuildKit's in-index
 * statements) and failed ones last, in the one severity order read from its good end; in the
 * order first met within a state.
 */
export function panelProvenance(report: ProvenanceReport, verification: ImageVerification | undefined, graph?: ImageGraph): PanelProvenance[] {
  const seen = new Map<string, PanelProvenance>();
  for (const platform of report.platforms) {
    for (const entry of platform.provenance) {
      const key = `${entry.format} ${entry.artifactDigest} ${entry.coversDigest}`;
      if (!seen.has(key)) seen.set(key, one(entry, seen.size, verification, graph));
    }
  }
  return [...seen.values()].sort((a, b) => severity(b.state) - severity(a.state));
}

function one(entry: ProvenanceEntry, index: number, verification: ImageVerification | undefined, graph: ImageGraph | undefined): PanelProvenance {
  const found = graph?.artifacts.find((a) => a.digest === entry.artifactDigest && a.format === entry.format);
  const verified = verification?.artifacts.find((a) => a.digest === entry.artifactDigest && a.format === entry.format && a.coversDigest === entry.coversDigest);
  const s = entry.summary;
  const p = s?.parameters;
  const statementJson = prettyJson(entry.statement);
  const external = prettyJson(p?.external);
  const internal = prettyJson(p?.internal);
  const runUrl = safeLink(s?.runUrl);
  const github = githubRunFacts(s, verified?.github);
  return {
    id: `provenance-${index}`,
    format: entry.format,
    formatLabel: formatLabel(found ?? { format: entry.format }),
    place: found ? artifactPlace(found) : artifactPlace({ format: entry.format }),
    coversDigest: entry.coversDigest,
    attachedTo: entry.attachedTo,
    artifactDigest: entry.artifactDigest,
    ...(entry.predicateType !== undefined ? { predicateType: entry.predicateType } : {}),
    state: artifactState(entry, verified),
    ...(s ? { slsaVersion: s.slsaVersion } : {}),
    ...(s?.builder.id !== undefined ? { builderId: s.builder.id } : {}),
    builderVersion: Object.entries(s?.builder.version ?? {}).map(([name, value]) => ({ name, value: text(value) })),
    ...(s?.buildType !== undefined ? { buildType: s.buildType } : {}),
    ...(s?.knownBuildType ? { buildTypeLabel: s.knownBuildType.label } : {}),
    ...(s?.source ? { source: source(s.source) } : {}),
    ...(s?.trigger !== undefined ? { trigger: s.trigger } : {}),
    ...(s?.workflow ? { workflow: { ...s.workflow } } : {}),
    ...(s?.invocationId !== undefined ? { invocationId: s.invocationId } : {}),
    ...(runUrl ? { runUrl } : {}),
    ...(github.length > 0 ? { github } : {}),
    ...(verified?.trustRoot ? { trustRoot: instanceName(verified.trustRoot.instance) } : {}),
    ...(s?.startedOn !== undefined ? { startedOn: s.startedOn } : {}),
    ...(s?.finishedOn !== undefined ? { finishedOn: s.finishedOn } : {}),
    ...(p?.frontend !== undefined ? { frontend: p.frontend } : {}),
    ...(p?.entryPoint !== undefined ? { entryPoint: p.entryPoint } : {}),
    buildArgs: pairs(p?.buildArgs ?? []),
    labels: pairs(p?.labels ?? []),
    otherArgs: pairs(p?.otherArgs ?? []),
    inputs: pairs(p?.inputs ?? []),
    secrets: [...(p?.secrets ?? [])],
    locals: [...(p?.locals ?? [])],
    ...(external !== undefined ? { externalParameters: external } : {}),
    ...(internal !== undefined ? { internalParameters: internal } : {}),
    materials: (s?.materials ?? []).map(material),
    materialsTruncated: s?.materialsTruncated ?? 0,
    ...(s?.reproducible !== undefined ? { reproducible: s.reproducible } : {}),
    ...(s?.hermetic !== undefined ? { hermetic: s.hermetic } : {}),
    subjects: (s?.subject ?? []).map((x) => ({ name: x.name ?? x.uri ?? '(unnamed)', value: digests(x.digest ?? {}).join(', ') })),
    warnings: entry.warnings.map((w) => w.message),
    // The field a note is about, when it is about one: "No source … is recorded." names none.
    notes: (s?.notes ?? []).map((n) => (n.field ? `${n.message} (${n.field})` : n.message)),
    ...(entry.error ? { error: { code: entry.error.code, message: entry.error.message } } : {}),
    ...(statementJson !== undefined ? { statementJson } : {}),
  };
}
