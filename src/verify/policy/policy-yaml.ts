import { isAlias, isMap, isNode, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Scalar } from 'yaml';
import type { DiagnosticSeverity, PolicyDiagnostic, PolicyDiagnosticCode } from './policy-types';
import type { PolicyObject } from './policy-shape';
import { POLICY_KEYS, closest } from './policy-shape';

const MAX_ALIASES = 1000;

/** A value node, or null for `key:` with nothing after it. */
export type ValueNode = Node | null;

export interface Field {
  key: Scalar;
  value: ValueNode;
}

/** Where to point when there is no node (a key without value): the key instead. */
export type Anchor = Node | Field;

/**
 * Reads the YAML syntax tree of a policy file with positions, collecting diagnostics
 * instead of throwing: the editor shows all of them at once, and a bad file never
 * crashes the verifier. Positions come from `yaml`'s node ranges through a LineCounter.
 */
export class PolicyReader {
  readonly diagnostics: PolicyDiagnostic[] = [];

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  private aliases = 0;

  /**
   * Follows `*alias` to the anchored node: anchors are how YAML files share a block. Each
   * alias re-reads its target, so their number is capped (a "billion laughs" file would
   * otherwise make the walk quadratic or worse).
   */
  deref(node: ValueNode): ValueNode {
    if (!isAlias(node)) return node;
    if (++this.aliases > MAX_ALIASES) {
      if (this.aliases === MAX_ALIASES + 1) this.error('YAML_SYNTAX', '', node, `More than ${MAX_ALIASES} aliases (*name); the rest are not followed.`);
      return null;
    }
    return (node.resolve(this.doc) as Node | undefined) ?? null;
  }

  /** Reports at the node (or a span inside a scalar's value, mapped back to the source). */
  report(
    severity: DiagnosticSeverity,
    code: PolicyDiagnosticCode,
    at: string,
    anchor: Anchor | [number, number],
    message: string,
    inValue?: { offset: number; length: number },
  ): void {
    let span: [number, number];
    if (Array.isArray(anchor)) span = anchor;
    else if (isNode(anchor)) span = offsetsOf(anchor);
    else span = offsetsOf(anchor.value ?? anchor.key);
    if (inValue !== undefined && !Array.isArray(anchor) && isScalar(anchor)) {
      const start = this.sourceOffset(anchor, inValue.offset);
      span = [start, Math.max(start + 1, this.sourceOffset(anchor, inValue.offset + inValue.length))];
    }
    const from = this.lines.linePos(span[0]);
    const to = this.lines.linePos(span[1]);
    this.diagnostics.push({ severity, code, message, file: this.file, line: from.line, column: from.col, endLine: to.line, endColumn: to.col, at });
  }

  error(code: PolicyDiagnosticCode, at: string, anchor: Anchor, message: string, inValue?: { offset: number; length: number }): void {
    this.report('error', code, at, anchor, message, inValue);
  }

  /** A mapping with only the keys of `object`; unknown keys are reported with a suggestion. */
  map(anchor: Anchor, written: ValueNode, at: string, object: PolicyObject): Map<string, Field> | undefined {
    const node = this.deref(written);
    if (!isMap(node)) {
      this.wrongType(anchor, node, at, 'a mapping (key: value lines)');
      return undefined;
    }
    const allowed: readonly string[] = POLICY_KEYS[object];
    const out = new Map<string, Field>();
    for (const pair of node.items) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
        this.error('WRONG_TYPE', at, (pair.key as Node | null) ?? node, 'Keys must be plain names.');
        continue;
      }
      const name = pair.key.value;
      if (!allowed.includes(name)) {
        const guess = closest(name, allowed);
        const hint = guess !== undefined ? ` Did you mean "${guess}"?` : ` Expected one of: ${allowed.join(', ')}.`;
        this.error('UNKNOWN_KEY', join(at, name), pair.key, `Unknown key "${name}" in ${describeObject(object)}.${hint}`);
        continue;
      }
      out.set(name, { key: pair.key, value: (pair.value as Node | null) ?? null });
    }
    return out;
  }

  list(anchor: Anchor, written: ValueNode, at: string): ValueNode[] | undefined {
    const node = this.deref(written);
    if (!isSeq(node)) {
      this.wrongType(anchor, node, at, 'a list (lines starting with "- ")');
      return undefined;
    }
    return node.items.map((n) => (n as Node | null) ?? null);
  }

  /** A non-empty string scalar. Numbers and booleans are refused: `ref: 1.10` would silently become "1.1". */
  string(anchor: Anchor, written: ValueNode, at: string): string | undefined {
    return this.scalar(anchor, written, at)?.value;
  }

  /** A non-empty string with its node, for diagnostics that point inside the value. */
  scalar(anchor: Anchor, written: ValueNode, at: string): { value: string; node: Scalar } | undefined {
    const node = this.deref(written);
    if (!isScalar(node) || typeof node.value !== 'string') {
      this.wrongType(anchor, node, at, 'a string', isScalar(node) && node.value !== null ? ' Put it in quotes.' : '');
      return undefined;
    }
    if (node.value.trim() === '') {
      this.error('INVALID_VALUE', at, node, `"${at}" is empty.`);
      return undefined;
    }
    return { value: node.value, node: node as Scalar };
  }

  boolean(anchor: Anchor, written: ValueNode, at: string): boolean | undefined {
    const node = this.deref(written);
    if (!isScalar(node) || typeof node.value !== 'boolean') {
      this.wrongType(anchor, node, at, 'true or false');
      return undefined;
    }
    return node.value;
  }

  /** 1-based line and column of a node's start. */
  position(node: Node): { line: number; column: number } {
    const p = this.lines.linePos(offsetsOf(node)[0]);
    return { line: p.line, column: p.col };
  }

  wrongType(anchor: Anchor, node: ValueNode, at: string, expected: string, hint = ''): void {
    this.error('WRONG_TYPE', at, node ?? anchor, `"${at}" must be ${expected}, not ${describeNode(node)}.${hint}`);
  }

  /**
   * Source offset of character `i` of a scalar's value, following the escapes of quoted
   * styles so a regexp error points at the character the user typed. Multi-line and block
   * scalars fold lines: those point at the scalar's start.
   */
  private sourceOffset(node: Scalar, i: number): number {
    const [start, end] = offsetsOf(node);
    const src = this.text.slice(start, end);
    if (src.includes('\n')) return start;
    if (node.type === 'PLAIN') return start + i;
    if (node.type !== 'QUOTE_SINGLE' && node.type !== 'QUOTE_DOUBLE') return start;
    let j = 1;
    for (let k = 0; k < i && j < src.length - 1; k++) {
      if (node.type === 'QUOTE_SINGLE') j += src.startsWith("''", j) ? 2 : 1;
      else if (src[j] === '\\') j += ({ x: 4, u: 6, U: 10 } as Record<string, number>)[src[j + 1] ?? ''] ?? 2;
      else j += 1;
    }
    return start + j;
  }
}

/** The node's start and end offsets in the text; `[0, 0]` for a node the parser placed nowhere. */
function offsetsOf(node: Node): [number, number] {
  const r = node.range;
  return r ? [r[0], r[1]] : [0, 0];
}

export function join(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return at === '' ? key : `${at}.${key}`;
}

function describeNode(node: ValueNode): string {
  if (node === null || (isScalar(node) && node.value === null)) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return `${typeof node.value === 'string' ? 'the string' : `the ${typeof node.value}`} ${JSON.stringify(node.value)}`;
  return 'an alias';
}

function describeObject(object: PolicyObject): string {
  switch (object) {
    case 'root':
      return 'the policy file';
    case 'image':
      return 'an image entry';
    case 'matcher':
      return 'a matcher (exact or regexp)';
    case 'source':
      return 'slsa.source';
    default:
      return `"${object}"`;
  }
}
