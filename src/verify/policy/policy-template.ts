import { escapeRegExp } from './policy-regexp';

/**
 * Placeholders in policy values (`identity`, `github.ref`, `slsa.source.ref`), filled per
 * image: `refs/tags/{{tag}}`. Deliberately not Go templates: four names, no logic, so the
 * value a maintainer reads is the value that is checked.
 */
export const TEMPLATE_VARIABLES = ['tag', 'registry', 'repository', 'builtIn'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export type TemplatePart = { literal: string } | { variable: TemplateVariable };

export type TemplateValues = { [K in TemplateVariable]?: string | undefined };

export interface TemplateProblem {
  offset: number;
  length: number;
  /** The name as written, for a did-you-mean. */
  name: string;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Splits text into literals and placeholders; unknown names are reported and kept as literals. */
export function parsePlaceholders(text: string): { parts: TemplatePart[]; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      // Kept in the text (the next literal runs over it); the diagnostic makes the file invalid anyway.
      problems.push({ offset: m.index, length: m[0].length, name });
      continue;
    }
    if (m.index > last) parts.push({ literal: text.slice(last, m.index) });
    parts.push({ variable: name as TemplateVariable });
    last = m.index + m[0].length;
  }
  if (last < text.length || parts.length === 0) parts.push({ literal: text.slice(last) });
  return { parts, problems };
}

export function usesVariables(parts: readonly TemplatePart[]): boolean {
  return parts.some((p) => 'variable' in p);
}

/**
 * The same text with every placeholder replaced by a group of the same length, so a
 * regexp template can be checked by `patternProblems` with offsets that still point
 * into what the user wrote.
 */
export function placeholderFreePattern(text: string): string {
  return text.replace(PLACEHOLDER, (m) => `(?:${'x'.repeat(Math.max(0, m.length - 4))})`);
}

/** The text with every placeholder filled, or undefined when a value is unknown. */
export function renderExact(parts: readonly TemplatePart[], values: TemplateValues): string | undefined {
  let out = '';
  for (const p of parts) {
    if ('literal' in p) out += p.literal;
    else if (values[p.variable] === undefined) return undefined;
    else out += values[p.variable];
  }
  return out;
}

/**
 * A regular expression for the template (not anchored; callers anchor). Literal parts are
 * escaped when `literals` is 'text' and kept when they are already a pattern; values are
 * always escaped. An unknown `tag` becomes one path segment (`[^/]+`); any other unknown
 * value makes the template unresolvable (undefined), never a wildcard.
 */
export function renderPattern(parts: readonly TemplatePart[], values: TemplateValues, literals: 'text' | 'pattern'): string | undefined {
  let out = '';
  for (const p of parts) {
    if ('literal' in p) {
      out += literals === 'text' ? escapeRegExp(p.literal) : p.literal;
    } else {
      const v = values[p.variable];
      if (v !== undefined) out += literals === 'text' ? escapeRegExp(v) : `(?:${escapeRegExp(v)})`;
      else if (p.variable === 'tag') out += '[^/]+';
      else return undefined;
    }
  }
  return out;
}
