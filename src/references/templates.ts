/**
 * Values that are templates, never guessed: Go templates as Helm renders them (`{{ .Values.x }}`,
 * https://helm.sh/docs/chart_template_guide/), and GitHub expressions (`${{ matrix.image }}`,
 * https://docs.github.com/en/actions/learn-github-actions/expressions). A value holding one is
 * reported with `reference: null` and what it waits for, the action as written.
 */
import type { LineIndex } from './positions';
import { site } from './positions';
import type { ReferenceSite } from './types';

const GO_ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/gs;
const GITHUB_EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/gs;

/** The actions of the Go templates in a value (`.Values.image.tag`), or none. */
export function goTemplateActions(value: string): string[] {
  return [...value.matchAll(GO_ACTION)].map((m) => m[1]!.trim());
}

/** The expressions of `${{ … }}` in a value (`matrix.image`), or none. */
export function githubExpressions(value: string): string[] {
  return [...value.matchAll(GITHUB_EXPRESSION)].map((m) => m[1]!.trim());
}

const IMAGE_LINE = /^([ \t]*(?:-[ \t]+)?)image:[ \t]*(.*)$/;

/** A value as written on one line: quotes removed, a trailing ` # comment` dropped. */
function lineValue(text: string): { value: string; offset: number } | undefined {
  const t = text.replace(/\s+$/, '');
  if (t === '' || t.startsWith('#') || t === '|' || t === '>' || t.startsWith('&') || t.startsWith('*')) return undefined;
  const q = t[0];
  if (q === '"' || q === "'") {
    const close = t.indexOf(q, 1);
    return close > 0 ? { value: t.slice(1, close), offset: 1 } : undefined;
  }
  const comment = t.search(/\s#/);
  return { value: comment < 0 ? t : t.slice(0, comment).trimEnd(), offset: 0 };
}

/**
 * `image:` values found line by line, for Helm chart templates that are not YAML until rendered:
 * each is unresolved when it holds a template action.
 */
export function scanImageLines(text: string, lines: LineIndex): ReferenceSite[] {
  const out: ReferenceSite[] = [];
  const re = /[^\r\n]*(\r\n|\n|\r|$)/g;
  for (let m = re.exec(text); m && m[0] !== ''; m = re.exec(text)) {
    const line = m[0].replace(/[\r\n]+$/, '');
    const hit = IMAGE_LINE.exec(line);
    if (!hit) continue;
    const valueAt = hit[1]!.length + 'image:'.length + (hit[2]!.length - hit[2]!.trimStart().length);
    const v = lineValue(hit[2]!.trimStart());
    if (!v) continue;
    const start = m.index + valueAt + v.offset;
    const actions = goTemplateActions(v.value);
    out.push(site(lines, { reference: actions.length ? null : v.value, raw: v.value, start, end: start + v.value.length, via: 'image', unresolved: actions }));
  }
  return out;
}
