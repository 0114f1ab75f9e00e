/**
 * Rendering GoReleaser templates (https://goreleaser.com/customization/templates/), which are Go
 * text/template (https://pkg.go.dev/text/template) with GoReleaser's functions and
 * `missingkey=error`. No Go, no dependency: lexer, parser and executor live next to this file.
 *
 * The result is a value, or `null` with the names it waits for (`unresolved`), or an error with its
 * position in the template. Nothing is guessed: an unset variable is named, not rendered empty.
 */
import type { Operand, Pipeline, TemplateError, TemplateNode } from './template-ast';
import type { TemplateContext } from './template-context';
import { GORELEASER_FIELDS } from './template-context';
import type { ExecResult } from './template-exec';
import { execute } from './template-exec';
import { FUNCTION_NAMES } from './template-functions';
import type { ParseResult, ParsedTemplate } from './template-parser';
import { parseTemplate } from './template-parser';
import { EnvMap, RootData } from './template-values';

export type { TemplateError } from './template-ast';
export type { ParsedTemplate } from './template-parser';

/** `value` is `null` exactly when `unresolved` is not empty; `preview` then shows the value with `<.Env.X>` holes where it can. */
export type RenderResult = ExecResult;

const cache = new Map<string, ParseResult>();

/** Parses once per distinct text (configs repeat the same templates many times). */
export function parseGoTemplate(text: string): ParseResult {
  let parsed = cache.get(text);
  if (!parsed) {
    if (cache.size > 2000) cache.clear();
    parsed = parseTemplate(text, FUNCTION_NAMES);
    cache.set(text, parsed);
  }
  return parsed;
}

export function renderTemplate(text: string, context: TemplateContext): RenderResult {
  const parsed = parseGoTemplate(text);
  return parsed.ok ? renderParsed(parsed.template, context) : parsed;
}

export function renderParsed(template: ParsedTemplate, context: TemplateContext): RenderResult {
  const root = new RootData(context.fields, new Set(context.fieldNames ?? GORELEASER_FIELDS), new EnvMap(context.env, context.unknownEnv ?? {}));
  return execute(template, { root, ...(context.now ? { now: context.now } : {}) });
}

/** The syntax error of `text`, if any. */
export function templateSyntaxError(text: string): TemplateError | undefined {
  const parsed = parseGoTemplate(text);
  return parsed.ok ? undefined : parsed.error;
}

/**
 * The variables a template reads, as written (`.Tag`, `.Env.REGISTRY`, `time`), in order of first
 * use: what a hover lists next to the template. Fields of `$` and of the top-level dot only.
 */
export function templateVariables(template: ParsedTemplate): string[] {
  const found = new Set<string>();
  const operand = (o: Operand, atRoot: boolean): void => {
    // `.Env` alone is a map handed to a function (`index .Env "X"`, counted by the caller).
    if ((o.kind === 'field' || o.kind === 'variable') && o.names.length === 1 && o.names[0] === 'Env') return;
    if (o.kind === 'field' && atRoot) found.add(o.names[0] === 'Env' && o.names[1] ? `.Env.${o.names[1]}` : `.${o.names[0]}`);
    else if (o.kind === 'variable' && o.name === '$' && o.names[0]) found.add(o.names[0] === 'Env' && o.names[1] ? `.Env.${o.names[1]}` : `.${o.names[0]}`);
    else if (o.kind === 'function' && (o.name === 'time' || o.name === 'abs')) found.add(o.name);
    else if (o.kind === 'pipe') pipeline(o.pipe, atRoot);
  };
  const pipeline = (p: Pipeline, atRoot: boolean): void =>
    p.cmds.forEach((c) => {
      const [head, a1, a2] = c.args;
      // isEnvSet "X", envOrDefault "X" "d" and index .Env "X" read the environment too.
      if (head?.kind === 'function' && (head.name === 'isEnvSet' || head.name === 'envOrDefault') && a1?.kind === 'string') found.add(`.Env.${a1.value}`);
      if (head?.kind === 'function' && head.name === 'index' && a1?.kind === 'field' && a1.names.join('.') === 'Env' && a2?.kind === 'string')
        found.add(`.Env.${a2.value}`);
      c.args.forEach((a) => operand(a, atRoot));
    });
  const walk = (nodes: readonly TemplateNode[], atRoot: boolean): void => {
    for (const n of nodes) {
      if (n.type === 'action') pipeline(n.pipe, atRoot);
      else if (n.type === 'if' || n.type === 'with' || n.type === 'range') {
        pipeline(n.pipe, atRoot);
        // Inside `with` and `range`, dot is something else.
        walk(n.list, atRoot && n.type === 'if');
        if (n.elseList) walk(n.elseList, atRoot);
      }
    }
  };
  walk(template.nodes, true);
  return [...found];
}
