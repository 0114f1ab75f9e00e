/**
 * Entry point for a .goreleaser.yaml: parse (never throws), read the image sections, list every
 * image reference template, and report what needs no context: YAML errors, unexpected shapes,
 * template syntax errors and the traps of traps.ts. Rendering with a tag and an environment is
 * resolve.ts's job.
 */
import type { GoreleaserConfig } from './config';
import { readConfig } from './config';
import { imageReferences } from './references';
import { templateSyntaxError } from './template';
import { staticDiagnostics } from './traps';
import type { GoreleaserDiagnostic, ImageTemplateRef, SourceRange, TemplateScalar } from './types';
import { parseYamlSource } from './yaml-source';

export interface GoreleaserAnalysis {
  readonly text: string;
  readonly config: GoreleaserConfig;
  readonly references: readonly ImageTemplateRef[];
  /** Sorted by position. */
  readonly diagnostics: readonly GoreleaserDiagnostic[];
}

/** Every template the model holds, once per scalar (anchors make many entries share one). */
export function configTemplates(config: GoreleaserConfig): TemplateScalar[] {
  const all: (TemplateScalar | undefined)[] = [
    ...config.env,
    ...config.dockers.flatMap((d) => [...d.imageTemplates, ...d.buildFlags, d.skipPush]),
    ...config.dockerManifests.flatMap((m) => [m.name, ...m.imageTemplates, m.skipPush]),
    ...config.dockersV2.flatMap((d) => [...d.images, ...d.tags, ...d.platforms, ...d.flags, d.sbom, d.disable]),
    ...config.kos.flatMap((k) => [...k.repositories, ...k.tags, ...k.platforms, k.disable]),
    ...config.dockerSigns.flatMap((s) => s.args),
  ];
  const seen = new Set<number>();
  const out: TemplateScalar[] = [];
  for (const t of all) {
    if (!t || t.defaulted || seen.has(t.range.start)) continue;
    seen.add(t.range.start);
    out.push(t);
  }
  return out;
}

/** The range of a template error inside its scalar, when the scalar is plain or single-line quoted. */
export function errorRange(text: string, scalar: TemplateScalar, offset: number): SourceRange {
  const r = scalar.range;
  const quote = text[r.start] === '"' || text[r.start] === "'" ? 1 : 0;
  const raw = text.slice(r.start + quote, r.end - quote);
  if (raw !== scalar.text || raw.includes('\n')) return r;
  const at = r.start + quote + offset;
  const line = r.line;
  return { start: at, end: Math.min(at + 1, r.end), line, column: r.column + quote + offset, endLine: line, endColumn: r.column + quote + offset + 1 };
}

export function analyzeGoreleaser(text: string): GoreleaserAnalysis {
  const { source, diagnostics } = parseYamlSource(text);
  const config = readConfig(source, diagnostics);
  for (const t of configTemplates(config)) {
    const error = templateSyntaxError(t.text);
    if (!error) continue;
    diagnostics.push({
      code: 'template-syntax',
      severity: 'error',
      range: t.range,
      message: `Template syntax error at ${error.line}:${error.column} of \`${t.text}\`: ${error.message}.`,
      related: [{ message: 'here', range: errorRange(text, t, error.offset) }],
    });
  }
  diagnostics.push(...staticDiagnostics(config));
  diagnostics.sort((a, b) => a.range.start - b.range.start);
  return { text, config, references: imageReferences(config), diagnostics };
}
