/**
 * YAML with offsets for the references readers, through `yaml` (https://eemeli.org/yaml/), the
 * parser the GoReleaser reader uses: every document of a stream, aliases and `<<` merges resolved
 * by src/goreleaser/yaml-source.ts, so a value shared through an anchor is one node, at the anchor.
 */
import type { Document, Node, Scalar, YAMLMap } from 'yaml';
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Reached, YamlSource } from '../goreleaser/yaml-source';
import { deref, mapGet } from '../goreleaser/yaml-source';
import type { LineIndex } from './positions';
import { site } from './positions';
import type { FileProblem, ReferenceSite } from './types';

export interface YamlDocuments {
  readonly sources: readonly YamlSource[];
  readonly problems: readonly FileProblem[];
}

export function parseYamlDocuments(text: string, lines: LineIndex): YamlDocuments {
  const counter = new LineCounter();
  const parsed = withoutStacks(() => parseAllDocuments(text, { merge: true, uniqueKeys: false, prettyErrors: false, lineCounter: counter }));
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  const problems: FileProblem[] = [];
  for (const d of docs) {
    for (const e of d.errors) problems.push({ message: `YAML: ${e.message.split('\n')[0]}`, ...lines.at(e.pos[0]) });
  }
  return { sources: docs.map((doc) => ({ text, doc, lines: counter })), problems };
}

/**
 * Runs a parse with V8's stack capture off. A chart template that is YAML only once rendered makes
 * `yaml` build an error object per problem (dozens per file), and capturing their stacks costs more
 * than the parse itself; only their message and position are read. The limit is restored before
 * anything else runs (the parse is synchronous).
 */
function withoutStacks<T>(parse: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The text of a scalar as a string: strings as they are, other plain scalars as written. */
export function scalarText(n: Scalar): string | undefined {
  if (n.value === null || n.value === undefined) return undefined;
  return typeof n.value === 'string' ? n.value : (n.source ?? String(n.value));
}

/** Offsets of a scalar's content: inside the quotes of a quoted scalar. */
export function contentRange(n: Node): { start: number; end: number } {
  const [start, valueEnd] = n.range ?? [0, 0];
  const quoted = isScalar(n) && (n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE');
  return quoted ? { start: start + 1, end: Math.max(start + 1, valueEnd - 1) } : { start, end: valueEnd };
}

export function get(source: YamlSource, map: YAMLMap, key: string): Reached | undefined {
  return mapGet(source, map, key);
}

export function getMap(source: YamlSource, map: YAMLMap, key: string): YAMLMap | undefined {
  const r = mapGet(source, map, key);
  return r && isMap(r.node) ? r.node : undefined;
}

export function getScalar(source: YamlSource, map: YAMLMap, key: string): Scalar | undefined {
  const r = mapGet(source, map, key);
  return r && isScalar(r.node) ? r.node : undefined;
}

/** A key's scalar value as text, when it is a scalar. */
export function getText(source: YamlSource, map: YAMLMap, key: string): string | undefined {
  const n = getScalar(source, map, key);
  return n ? scalarText(n) : undefined;
}

/** Items of a sequence value, dereferenced; nothing for any other shape. */
export function items(source: YamlSource, node: Node | undefined): Node[] {
  if (!node || !isSeq(node)) return [];
  return node.items.map((i) => deref(source, i)?.node).filter((n): n is Node => n !== undefined);
}

/** Key-value pairs of a mapping with string keys (merge keys left out), values dereferenced. */
export function entries(source: YamlSource, map: YAMLMap): [string, Node][] {
  const out: [string, Node][] = [];
  for (const pair of map.items) {
    if (!isScalar(pair.key) || pair.key.value === '<<' || typeof pair.key.value !== 'string') continue;
    const v = deref(source, pair.value)?.node;
    if (v) out.push([pair.key.value, v]);
  }
  return out;
}

/** Collects sites once per node: an anchored value reached through several aliases counts once. */
export class SiteList {
  readonly sites: ReferenceSite[] = [];
  private readonly seen = new Set<number>();

  constructor(readonly lines: LineIndex) {}

  /** A scalar naming an image, its value substituted by `resolve` (identity by default). */
  add(node: Scalar, via: string, resolve?: (raw: string) => { reference: string | null; unresolved?: readonly string[] }): void {
    const raw = scalarText(node);
    const start = node.range?.[0];
    if (raw === undefined || raw.trim() === '' || start === undefined || this.seen.has(start)) return;
    this.seen.add(start);
    const r = resolve ? resolve(raw) : { reference: raw.trim() };
    this.sites.push(site(this.lines, { reference: r.reference, raw, ...contentRange(node), via, ...(r.unresolved ? { unresolved: r.unresolved } : {}) }));
  }

  once(start: number): boolean {
    if (this.seen.has(start)) return false;
    this.seen.add(start);
    return true;
  }
}
