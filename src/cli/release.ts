import { readFile } from 'node:fs/promises';
import { LensError } from '../core/errors';
import { analyzeGoreleaser } from '../goreleaser/analyze';
import type { ResolvedImage, ResolvedRelease } from '../goreleaser/resolve';
import { resolveRelease } from '../goreleaser/resolve';
import { variableSource } from '../goreleaser/template-context';
import type { GoreleaserDiagnostic } from '../goreleaser/types';
import { terminalText } from './format';
import { goreleaserContext, goreleaserOptionSpec } from './goreleaser-context';
import type { CliCommand, CliIo } from './io';
import { Exit } from './io';
import { optionHelp, parseOptions } from './options';

const options = { ...goreleaserOptionSpec, json: { type: 'boolean', help: 'machine-readable output (shape: docs/release-json.md)' } } as const;

const usage = `Usage: provenance-lens release <goreleaser file> [options]

Lists every image reference the release publishes, rendered as GoReleaser renders it:
dockers[].image_templates, docker_manifests (name_template and the images it assembles),
dockers_v2 images x tags, kos repositories x tags (named as ko names them, from the import path of
main and the module of the go.mod beside the file; KO_DOCKER_REPO replaces the repositories);
what docker_signs signs and the identity it claims; and the configuration's traps (docker_manifests of attested images, unresolved templates).

Options:
${optionHelp(options)}
A value that cannot be rendered is never guessed: it is listed as unresolved, with its variables.`;

const HOW_TO_SET: Record<ReturnType<typeof variableSource>, string> = {
  env: 'set it with --env NAME=VALUE',
  tag: 'give --tag, or run next to a tagged git checkout',
  git: 'give --commit/--branch, or run in a git checkout',
  config: 'set project_name in the file',
  module: 'put the go.mod of the Go module beside the file',
  clock: 'known only when the release runs',
  release: 'known only when the release runs',
};

const at = (r: { line: number; column: number }) => ({ line: r.line, column: r.column });

function imageJson(i: ResolvedImage) {
  return {
    section: i.section,
    index: i.index,
    ...(i.id !== undefined ? { id: i.id } : {}),
    role: i.role,
    template: i.template,
    reference: i.reference,
    unresolved: i.unresolved,
    ...(i.preview !== undefined ? { preview: i.preview } : {}),
    ...at(i.range),
    ...(i.pair
      ? {
          image: { template: i.pair.image.text, ...at(i.pair.image.range) },
          tag: { template: i.pair.tag.text, ...(i.pair.tag.defaulted ? { defaulted: true } : at(i.pair.tag.range)) },
        }
      : {}),
    ...(i.published !== undefined ? { published: i.published } : {}),
    ...(i.skip ? { skip: i.skip } : {}),
    platforms: i.platforms,
    ...(i.error ? { error: { message: i.error.message, ...at(i.error.range) } } : {}),
  };
}

const diagnosticJson = (d: GoreleaserDiagnostic) => ({
  code: d.code,
  severity: d.severity,
  message: d.message,
  line: d.range.line,
  column: d.range.column,
  endLine: d.range.endLine,
  endColumn: d.range.endColumn,
  ...(d.variables ? { variables: d.variables } : {}),
});

function toJson(file: string, tag: string | undefined, commit: string | undefined, release: ResolvedRelease, diagnostics: readonly GoreleaserDiagnostic[]) {
  return {
    file,
    tag: tag ?? null,
    commit: commit ?? null,
    images: release.images.map(imageJson),
    signs: release.signs.map((s) => ({
      index: s.index,
      id: s.id,
      artifacts: s.artifacts,
      references: s.signs.map((i) => i.reference),
      ...(s.identity ? { identity: { template: s.identity.text, ...at(s.identity.range) } } : {}),
      claims: s.claims,
    })),
    diagnostics: diagnostics.map(diagnosticJson),
  };
}

function status(i: ResolvedImage): string {
  if (i.role === 'manifest-input') return 'input';
  if (i.skip) return `skip (${i.skip})`;
  return i.published === null ? 'push?' : 'push';
}

function shown(i: ResolvedImage): string {
  if (i.reference !== null) return i.reference;
  if (i.error) return `error: ${i.error.message}`;
  if (i.skip === 'empty') return `(renders empty: ${i.template})`;
  return `${i.preview ?? i.template}  [unresolved: ${i.unresolved.join(', ')}]`;
}

function toTable(file: string, tag: string | undefined, release: ResolvedRelease, diagnostics: readonly GoreleaserDiagnostic[]): string {
  const lines: string[] = [`${file}: ${release.images.length} image reference${release.images.length === 1 ? '' : 's'}${tag ? ` for ${tag}` : ' (no tag)'}`];
  if (release.images.length) {
    const rows = release.images.map((i) => [
      `${i.section}[${i.index}]${i.role === 'manifest-input' ? ' input' : ''}`,
      `${i.range.line}:${i.range.column}`,
      status(i),
      shown(i),
    ]);
    const head = ['SECTION', 'LINE:COL', 'STATUS', 'REFERENCE'];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    lines.push('', ...[head, ...rows].map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')));
  }
  for (const s of release.signs) {
    lines.push('', `docker_signs[${s.index}] ${s.id}: signs ${s.signs.length} reference${s.signs.length === 1 ? '' : 's'}`);
    s.claims.forEach((c, n) =>
      lines.push(
        `  ${s.signs[n]!.reference ?? s.signs[n]!.preview ?? s.signs[n]!.template} -> claims ${c.identity ?? `${c.preview ?? '?'} [unresolved: ${c.unresolved.join(', ')}]`}`,
      ),
    );
  }
  if (diagnostics.length) {
    lines.push('', 'Diagnostics:');
    for (const d of diagnostics) lines.push(`  ${d.range.line}:${d.range.column} ${d.severity} [${d.code}] ${d.message}`);
  }
  const missing = [...new Set(release.images.flatMap((i) => i.unresolved))];
  if (missing.length) lines.push('', `Unresolved: ${missing.map((m) => `${m} (${HOW_TO_SET[variableSource(m)]})`).join('; ')}.`);
  return `${lines.map(terminalText).join('\n')}\n`;
}

export const releaseCommand: CliCommand = {
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(args, options, 'release');
    if (positionals.length !== 1) throw new LensError('USAGE', `release takes exactly one GoReleaser file.\n${usage}`);
    const file = positionals[0]!;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new LensError('USAGE', `Cannot read the GoReleaser file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
    }
    const { tag, commit, context } = await goreleaserContext(file, values, io.env, usage);
    const analysis = analyzeGoreleaser(text);
    const release = resolveRelease(analysis, context);
    const diagnostics = [...analysis.diagnostics, ...release.diagnostics].sort((a, b) => a.range.start - b.range.start);
    io.stdout.write(values.json ? `${JSON.stringify(toJson(file, tag, commit, release, diagnostics), null, 2)}\n` : toTable(file, tag, release, diagnostics));
    return Exit.ok;
  },
};
