/**
 * A .goreleaser.yaml's image references, exactly as `provenance-lens release` renders them: the
 * GoReleaser reader (src/goreleaser) analyses and resolves the file with the caller's context, and
 * each rendered image becomes a site at its template's first character.
 */
import { analyzeGoreleaser } from '../goreleaser/analyze';
import type { ResolvedImage } from '../goreleaser/resolve';
import { resolveRelease } from '../goreleaser/resolve';
import { contextFromTag } from '../goreleaser/template-context';
import type { LineIndex } from './positions';
import { site } from './positions';
import type { FileProblem, FileReferences, ReferenceOptions } from './types';

const ROLE: Record<ResolvedImage['role'], string> = { image: '', manifest: ' manifest', 'manifest-input': ' input' };

export function goreleaserReferences(text: string, lines: LineIndex, options: ReferenceOptions): FileReferences {
  const analysis = analyzeGoreleaser(text);
  const release = resolveRelease(analysis, options.goreleaser ?? contextFromTag(undefined));
  const problems: FileProblem[] = analysis.diagnostics
    .filter((d) => d.code === 'yaml-syntax')
    .map((d) => ({ message: d.message, line: d.range.line, column: d.range.column }));
  const references = release.images.map((i) => {
    const quoted = text[i.range.start] === '"' || text[i.range.start] === "'";
    const start = i.range.start + (quoted ? 1 : 0);
    const end = Math.max(start, i.range.end - (quoted ? 1 : 0));
    if (i.error) problems.push({ message: `${i.template}: ${i.error.message}`, line: i.error.range.line, column: i.error.range.column });
    return site(lines, { reference: i.reference, raw: i.template, start, end, via: `${i.section}[${i.index}]${ROLE[i.role]}`, unresolved: i.unresolved });
  });
  return { kind: 'goreleaser', references, problems };
}
