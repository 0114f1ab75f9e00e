/**
 * A .goreleaser.yaml read with `yaml` (https://eemeli.org/yaml/) keeping offsets: every value the
 * model holds points back at its scalar. Aliases (`*tags`) and merge keys (`<<: *base`,
 * https://yaml.org/type/merge.html, which GoReleaser's go-yaml v3 honours) are resolved here, so the
 * range of a shared value is the one of the original scalar, and the alias that led to it is kept.
 */
import type { Alias, Document, Node, Pair, YAMLMap } from 'yaml';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { GoreleaserDiagnostic, SourceRange, TemplateScalar } from './types';

export interface YamlSource {
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export function parseYamlSource(text: string): { source: YamlSource; diagnostics: GoreleaserDiagnostic[] } {
  const lines = new LineCounter();
  // go-yaml v3 (GoReleaser) rejects duplicate keys and resolves `<<`; so do we.
  const doc = parseDocument(text, { keepSourceTokens: true, merge: true, uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  const source: YamlSource = { text, doc, lines };
  const diagnostics: GoreleaserDiagnostic[] = [];
  for (const e of doc.errors) {
    const range = rangeAt(source, e.pos[0], e.pos[1]);
    if (e.code === 'MULTIPLE_DOCS') {
      // go-yaml's Decode reads the first document; GoReleaser ignores the rest.
      diagnostics.push({
        code: 'yaml-warning',
        severity: 'warning',
        message: 'Only the first YAML document is read, as by GoReleaser; the following ones are ignored.',
        range,
      });
    } else {
      diagnostics.push({ code: 'yaml-syntax', severity: 'error', message: `YAML: ${e.message}`, range });
    }
  }
  // `yaml` resolves aliases lazily; go-yaml refuses an alias without an anchor before it.
  visit(doc, {
    Alias(_, node) {
      if (!resolveAlias(doc, node)) {
        const range = node.range ? rangeAt(source, node.range[0], node.range[1]) : rangeAt(source, 0, 0);
        diagnostics.push({ code: 'yaml-syntax', severity: 'error', message: `YAML: unknown anchor '${node.source}' referenced`, range });
      }
    },
  });
  for (const w of doc.warnings) {
    diagnostics.push({ code: 'yaml-warning', severity: 'warning', message: `YAML: ${w.message}`, range: rangeAt(source, w.pos[0], w.pos[1]) });
  }
  return { source, diagnostics };
}

export function rangeAt(source: YamlSource, start: number, end: number): SourceRange {
  const s = Math.max(0, Math.min(start, source.text.length));
  const e = Math.max(s, Math.min(end, source.text.length));
  const a = source.lines.linePos(s);
  const b = source.lines.linePos(e);
  return { start: s, end: e, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

export function rangeOf(source: YamlSource, node: Node | Pair): SourceRange {
  if ('range' in node && node.range) return rangeAt(source, node.range[0], node.range[1]);
  const key = (node as Pair).key as Node | null;
  const value = (node as Pair).value as Node | null;
  const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
  return rangeAt(source, start, value?.range?.[1] ?? key?.range?.[1] ?? start);
}

const aliasTargets = new WeakMap<Document, Map<Alias, Node | undefined>>();

/**
 * The node an alias stands for: the last node anchored with its name before it, in document order
 * (YAML 1.2, 3.2.2.2: https://yaml.org/spec/1.2.2/#alias-nodes), as `Alias.resolve` finds it. That
 * method walks the whole document for each alias; a compose file whose twenty services each merge
 * `<<: *common` would walk it hundreds of times, so every alias of a document is resolved in one
 * walk, once, and kept with the document (which nothing edits after it is parsed).
 */
export function resolveAlias(doc: Document, alias: Alias): Node | undefined {
  let targets = aliasTargets.get(doc);
  if (!targets) {
    const found = new Map<Alias, Node | undefined>();
    const last = new Map<string, Node>();
    visit(doc, {
      Node(_, node) {
        if (isAlias(node)) found.set(node, last.get(node.source));
        else if (typeof node.anchor === 'string') last.set(node.anchor, node);
      },
    });
    aliasTargets.set(doc, found);
    targets = found;
  }
  return targets.has(alias) ? targets.get(alias) : (alias.resolve(doc) as Node | undefined);
}

/** A value with the alias (if any) that led to it. */
export interface Reached {
  readonly node: Node;
  readonly alias?: SourceRange;
}

/** Follows aliases to the anchored node; keeps the range of the first alias. */
export function deref(source: YamlSource, node: unknown, alias?: SourceRange): Reached | undefined {
  let n = node;
  let via = alias;
  for (let depth = 0; isAlias(n) && depth < 32; depth++) {
    via ??= rangeOf(source, n);
    n = resolveAlias(source.doc, n);
  }
  if (!n || isAlias(n)) return undefined;
  return { node: n as Node, ...(via ? { alias: via } : {}) };
}

const isMergeKey = (key: unknown): boolean => isScalar(key) && (key.value === '<<' || key.source === '<<' || String(key.value) === 'Symbol(<<)');

/** The value of `key` in a mapping: its own keys first, then merged mappings in order (YAML merge). */
export function mapGet(source: YamlSource, map: YAMLMap, key: string, alias?: SourceRange, depth = 0): Reached | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && !isMergeKey(pair.key) && String(pair.key.value) === key)
      return pair.value === null ? undefined : deref(source, pair.value, alias);
  }
  if (depth > 16) return undefined;
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const merged = deref(source, pair.value, alias);
    const maps = merged && isSeq(merged.node) ? merged.node.items.map((i) => deref(source, i, merged.alias)) : [merged];
    for (const m of maps) {
      if (m && isMap(m.node)) {
        const found = mapGet(source, m.node, key, m.alias ?? alias, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** The range of the key `key` itself, when the mapping has it (for CodeLens above a section). */
export function keyRange(source: YamlSource, map: YAMLMap, key: string): SourceRange | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return pair && isScalar(pair.key) ? rangeOf(source, pair.key) : undefined;
}

/** Items of a sequence, each dereferenced; anything else has none (the caller reports the shape). */
export function seqItems(source: YamlSource, reached: Reached | undefined): Reached[] {
  if (!reached) return [];
  if (!isSeq(reached.node)) return [];
  const out: Reached[] = [];
  for (const item of reached.node.items) {
    const r = deref(source, item, reached.alias);
    if (r) out.push(r);
  }
  return out;
}

/**
 * A scalar as GoReleaser reads it into a string field: strings as they are, other plain scalars
 * (`1.0`, `true`) as written in the source.
 */
export function templateScalar(source: YamlSource, reached: Reached | undefined): TemplateScalar | undefined {
  if (!reached || !isScalar(reached.node)) return undefined;
  const n = reached.node;
  if (n.value === null) return undefined;
  const text = typeof n.value === 'string' ? n.value : (n.source ?? String(n.value));
  return { text, range: rangeOf(source, n), ...(reached.alias ? { aliasRange: reached.alias } : {}) };
}

export function isMapNode(r: Reached | undefined): r is Reached & { node: YAMLMap } {
  return r !== undefined && isMap(r.node);
}

export function isSeqNode(r: Reached | undefined): boolean {
  return r !== undefined && isSeq(r.node);
}
