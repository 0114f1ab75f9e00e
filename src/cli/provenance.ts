import type { CliCommand, CliIo } from './io';
import { Exit } from './io';
import { optionHelp, parseOptions } from './options';
import { LensError } from '../core/errors';
import { parseReference } from '../registry/reference';
import { buildGraph } from '../registry/graph';
import { openReference } from '../registry/open';
import { collectProvenance, selectPlatforms } from '../provenance/collect';
import type { ProvenanceEntry, ProvenanceReport } from '../provenance/collect';
import type { ProvenanceSummary } from '../provenance/types';
import { CREDENTIALS_NOTE, withRegistryClient, registryOptionSpec } from './registry-options';
import { terminalText, short } from './format';

const NOT_VERIFIED = 'not verified — run `provenance-lens verify`';

const OPTIONS = {
  platform: { type: 'string', value: 'os/arch[/variant]', help: 'only this platform; default: every platform' },
  json: { type: 'boolean', help: 'machine-readable output with each raw statement (shape: docs/provenance-json.md)' },
  ...registryOptionSpec,
} as const;

const usage = `Usage: provenance-lens provenance <reference> [options]

Shows the SLSA provenance (v0.2 and v1) of an image, per platform, from the three places it
lives: BuildKit attestations in the index, cosign .att attestations (sha256-<hex>.att) and OCI
referrers holding Sigstore bundles. Each statement is normalised into one view: builder, build
type, source repository / ref / commit, trigger and workflow, run, parameters (BuildKit frontend,
build args; GitHub inputs), materials and times. Provenance attached to the index is listed
under every platform.

Provenance is shown, ${NOT_VERIFIED} to check who signed it.

<reference>   registry/repository[:tag][@digest], or oci-layout:/path[:tag|@digest]

Options:
${optionHelp(OPTIONS)}
${CREDENTIALS_NOTE}`;

export const provenanceCommand: CliCommand = {
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(args, OPTIONS, 'provenance');
    if (positionals.length !== 1) throw new LensError('USAGE', `provenance takes exactly one reference.\n${usage}`);
    const ref = parseReference(positionals[0]!);
    return withRegistryClient(values, io, async (client, signal) => {
      const { source, target } = openReference(ref, client);
      const signatureRepository = values['signature-repository'];
      const graph = await buildGraph(source, target, { signal, signatureRepository });
      const platforms = selectPlatforms(graph, values.platform);
      if (values.platform !== undefined && platforms.length === 0) {
        const have = graph.platforms.map((p) => p.platform).join(', ') || 'none';
        throw new LensError('USAGE', `${graph.reference} has no platform ${values.platform}; it has: ${have}.`);
      }
      const report = await collectProvenance(source, graph, { platforms, signal, ...(signatureRepository ? { signatureRepository } : {}) });
      io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
      return Exit.ok;
    });
  },
};

/**
 * The report as text: provenance attached to the index once (it applies to every platform),
 * then each platform's own. Every registry-supplied string passes through terminalText (no control
 * or bidi characters reach the terminal).
 */
export function renderReport(r: ProvenanceReport): string {
  const out: string[] = [
    terminalText(r.reference),
    `${r.digest}  ${r.kind === 'index' ? 'image index' : 'image manifest'}`,
    `Provenance is shown, ${NOT_VERIFIED} to check signatures.`,
  ];
  const onIndex = r.platforms[0]?.provenance.filter((e) => e.attachedTo === 'index') ?? [];
  if (onIndex.length) {
    out.push('', `index ${short(r.digest)}  (applies to every platform)`);
    for (const e of onIndex) out.push(...renderEntry(e));
  }
  for (const p of r.platforms) {
    const own = p.provenance.filter((e) => e.attachedTo === 'platform');
    out.push('', `${terminalText(p.platform)}  ${short(p.digest)}`);
    if (own.length === 0)
      out.push(`  no SLSA provenance attached to this platform${onIndex.length ? ' (see the index above)' : r.kind === 'index' ? ' or to the index' : ''}`);
    for (const e of own) out.push(...renderEntry(e));
  }
  for (const x of r.problems) out.push('', `! could not read ${terminalText(x.at)}: ${terminalText(x.message)} [${x.code}] — provenance there is not shown`);
  return `${out.join('\n')}\n`;
}

const FORMAT: Record<ProvenanceEntry['format'], string> = {
  'buildkit-index': 'BuildKit attestation in the index (unsigned)',
  'cosign-tag': 'cosign .att (DSSE)',
  referrer: 'OCI referrer (Sigstore bundle)',
  'bundle-file': 'Sigstore bundle file',
  'github-api': "GitHub's attestations API (Sigstore bundle)",
};

function renderEntry(e: ProvenanceEntry): string[] {
  const where = e.attachedTo === 'index' ? 'attached to the index' : 'attached to this platform';
  const s = e.summary;
  const head = s ? `SLSA v${s.slsaVersion} provenance` : terminalText(e.predicateType ?? 'attestation');
  const lines = [`  ${head} · ${FORMAT[e.format]} · ${where} · ${NOT_VERIFIED}`];
  for (const w of e.warnings) lines.push(`    ! ${terminalText(w.message)}`);
  if (e.error) lines.push(`    ! could not read ${short(e.artifactDigest)}: ${terminalText(e.error.message)} [${e.error.code}]`);
  if (s) lines.push(...renderSummary(s));
  return lines;
}

function renderSummary(s: ProvenanceSummary): string[] {
  const rows: Array<[string, string | undefined]> = [];
  const t = (v: string | undefined) => (v === undefined ? undefined : terminalText(v));
  rows.push(['builder', s.builder.id === '' ? '(empty)' : t(s.builder.id)]);
  if (s.builder.version)
    rows.push([
      'builder version',
      Object.entries(s.builder.version)
        .map(([k, v]) => `${terminalText(k)} ${terminalText(v)}`)
        .join(', '),
    ]);
  rows.push([
    'build type',
    s.buildType === undefined
      ? undefined
      : s.knownBuildType
        ? `${s.knownBuildType.label} — ${terminalText(s.buildType)}`
        : `${terminalText(s.buildType)} (not a build type we know)`,
  ]);
  if (s.source) {
    const src = s.source;
    const parts = [t(src.repository) ?? '(repository unknown)'];
    if (src.ref) parts.push(`ref ${terminalText(src.ref)}`);
    if (src.commit) parts.push(`commit ${terminalText(src.commit)}`);
    rows.push(['source', `${parts.join('  ')}  [from ${src.from}]`]);
    if (src.path && !s.workflow?.path) rows.push(['config', t(src.path)]);
  } else {
    rows.push(['source', '(not recorded)']);
  }
  if (s.workflow)
    rows.push(['workflow', [t(s.workflow.path), s.workflow.ref ? `@ ${terminalText(s.workflow.ref)}` : undefined].filter(Boolean).join(' ') || undefined]);
  rows.push(['trigger', t(s.trigger)], ['invocation', t(s.invocationId)]);
  if (s.runUrl && s.runUrl !== s.invocationId) rows.push(['run', t(s.runUrl)]);
  rows.push(['started', t(s.startedOn)], ['finished', t(s.finishedOn)]);
  const p = s.parameters;
  rows.push(['frontend', t(p.frontend)]);
  if (p.buildArgs.length) rows.push(['build args', p.buildArgs.map((a) => `${terminalText(a.name)}=${terminalText(a.value)}`).join(', ')]);
  if (p.locals.length) rows.push(['locals', p.locals.map(terminalText).join(', ')]);
  if (p.inputs.length)
    rows.push([
      'inputs',
      p.inputs.map((a) => `${terminalText(a.name)}=${terminalText(typeof a.value === 'string' ? a.value : (JSON.stringify(a.value) ?? ''))}`).join(', '),
    ]);
  if (s.reproducible !== undefined) rows.push(['reproducible', s.reproducible ? 'yes' : 'no']);
  if (s.completeness)
    rows.push([
      'complete',
      Object.entries(s.completeness)
        .map(([k, v]) => `${terminalText(k)} ${v ? 'yes' : 'no'}`)
        .join(', '),
    ]);
  const total = s.materials.length + s.materialsTruncated;
  rows.push(['materials', String(total)]);
  const lines = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '').map(([k, v]) => `    ${k.padEnd(15)} ${v}`);
  const SHOWN = 10;
  for (const m of s.materials.slice(0, SHOWN)) {
    const digest = Object.entries(m.digest)[0];
    lines.push(
      `      - ${terminalText(m.uri ?? m.name ?? '(no uri)')}${digest ? `  ${terminalText(digest[0])}:${terminalText(digest[1].slice(0, 12))}…` : ''}`,
    );
  }
  if (total > SHOWN) lines.push(`      … and ${total - SHOWN} more (--json lists them)`);
  for (const n of s.notes) lines.push(`    note: ${terminalText(n.message)}`);
  return lines;
}
