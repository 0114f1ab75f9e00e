/**
 * Parser for Go text/template, after text/template/parse/parse.go
 * (https://pkg.go.dev/text/template#hdr-Actions, #hdr-Pipelines, #hdr-Variables).
 * Supports text, actions, pipelines, variables, parenthesized pipelines, field chains,
 * `if`/`else if`/`else`/`with`/`range`/`break`/`continue`/`end`. `define`, `template` and `block`
 * are reported as unsupported: GoReleaser configs have no use for them.
 * Errors carry the offset of the offending token; messages follow Go's where they exist.
 */
import type { Command, Operand, Pipeline, TemplateError, TemplateNode } from './template-ast';
import { templateError } from './template-ast';
import type { Token } from './template-lexer';
import { LexError, lex, numberValue } from './template-lexer';

export interface ParsedTemplate {
  readonly text: string;
  readonly nodes: readonly TemplateNode[];
}

export type ParseResult = { readonly ok: true; readonly template: ParsedTemplate } | { readonly ok: false; readonly error: TemplateError };

class ParseError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

/** Parses `text`; `functions` are the names a template may call (as Go's Funcs + builtins). */
export function parseTemplate(text: string, functions: ReadonlySet<string>): ParseResult {
  try {
    const p = new Parser(lex(text), functions);
    return { ok: true, template: { text, nodes: p.root() } };
  } catch (e) {
    if (e instanceof ParseError || e instanceof LexError) return { ok: false, error: templateError('syntax', text, e.pos, e.message) };
    throw e;
  }
}

type Stop = 'end' | 'else' | 'eof';

/**
 * Deepest nesting of `{{if}}`/`{{with}}`/`{{range}}` blocks and parentheses. Real templates nest
 * a few levels; a hostile config nesting thousands would overflow the stack of this recursive
 * parser (and of the executor and hovers that walk the tree), so it is a syntax error instead.
 */
export const MAX_TEMPLATE_NESTING = 100;

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly functions: ReadonlySet<string>,
  ) {}

  root(): TemplateNode[] {
    const { nodes, stop, pos } = this.list();
    if (stop !== 'eof') throw new ParseError(`unexpected {{${stop}}}`, pos);
    return nodes;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private expect(type: Token['type'], context: string): Token {
    const t = this.next();
    if (t.type !== type) throw this.unexpected(t, context);
    return t;
  }

  private unexpected(t: Token, context: string): ParseError {
    if (t.type === 'eof') return new ParseError(`unexpected EOF in ${context}`, t.pos);
    const shown = t.type === 'string' ? JSON.stringify(t.value) : t.type === 'field' ? `.${t.value}` : t.type === 'rightDelim' ? '"}}"' : `"${t.value}"`;
    return new ParseError(`unexpected ${shown} in ${context}`, t.pos);
  }

  /** Nodes until `{{end}}`, `{{else …}}` or the end of the text; the stopping keyword is left after `{{`. */
  private list(): { nodes: TemplateNode[]; stop: Stop; pos: number } {
    const nodes: TemplateNode[] = [];
    for (;;) {
      const t = this.next();
      if (t.type === 'eof') return { nodes, stop: 'eof', pos: t.pos };
      if (t.type === 'text') {
        nodes.push({ type: 'text', pos: t.pos, text: t.value });
        continue;
      }
      // leftDelim
      const k = this.peek();
      if (k.type === 'keyword' && (k.value === 'end' || k.value === 'else')) {
        this.next();
        return { nodes, stop: k.value, pos: t.pos };
      }
      nodes.push(this.action(t.pos));
    }
  }

  private action(pos: number): TemplateNode {
    const k = this.peek();
    if (k.type === 'keyword') {
      this.next();
      switch (k.value) {
        case 'if':
        case 'with':
        case 'range':
          return this.control(k.value, pos);
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) throw new ParseError(`{{${k.value}}} outside {{range}}`, k.pos);
          this.expect('rightDelim', k.value);
          return { type: k.value, pos };
        default:
          throw new ParseError(`{{${k.value}}} is not supported in GoReleaser templates here`, k.pos);
      }
    }
    return { type: 'action', pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  /** Runs `parse` one nesting level deeper, refusing to go past MAX_TEMPLATE_NESTING. */
  private nested<T>(pos: number, parse: () => T): T {
    if (++this.depth > MAX_TEMPLATE_NESTING) throw new ParseError(`the template nests deeper than ${MAX_TEMPLATE_NESTING} levels`, pos);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private control(type: 'if' | 'with' | 'range', pos: number): TemplateNode {
    return this.nested(pos, () => this.block(type, pos));
  }

  private block(type: 'if' | 'with' | 'range', pos: number): TemplateNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(type, 'rightDelim');
    if (type === 'range') this.rangeDepth++;
    const body = this.list();
    if (type === 'range') this.rangeDepth--;
    let elseList: TemplateNode[] | undefined;
    if (body.stop === 'else') {
      const k = this.peek();
      if (type !== 'range' && k.type === 'keyword' && k.value === type) {
        // `{{else if …}}` is `{{else}}{{if …}}…{{end}}}` sharing the outer {{end}}.
        this.next();
        elseList = [this.control(type, k.pos)];
      } else {
        this.expect('rightDelim', 'else');
        const rest = this.list();
        if (rest.stop !== 'end') throw new ParseError(rest.stop === 'else' ? 'expected end; found {{else}}' : `unexpected EOF in {{${type}}}`, rest.pos);
        elseList = rest.nodes;
        this.expect('rightDelim', 'end');
      }
    } else if (body.stop === 'end') {
      this.expect('rightDelim', 'end');
    } else {
      throw new ParseError(`unexpected EOF: {{${type}}} has no {{end}}`, pos);
    }
    this.vars.length = mark;
    return { type, pos, pipe, list: body.nodes, ...(elseList ? { elseList } : {}) };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipeline {
    const pos = this.peek().pos;
    const decl: string[] = [];
    let assign = false;
    if (this.peek().type === 'variable') {
      const v0 = this.peek();
      const after = this.peek(1);
      if (after.type === 'declare' || after.type === 'assign') {
        this.i += 2;
        assign = after.type === 'assign';
        decl.push(v0.value);
      } else if (after.type === 'comma' && context === 'range' && this.peek(2).type === 'variable' && this.peek(3).type === 'declare') {
        decl.push(v0.value, this.peek(2).value);
        this.i += 4;
      } else if (after.type === 'comma') {
        throw new ParseError(`too many declarations in ${context}`, after.pos);
      }
      if (assign && !this.vars.includes(v0.value)) throw new ParseError(`undefined variable "${v0.value}"`, v0.pos);
    }
    const cmds: Command[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === end) {
        this.next();
        break;
      }
      if (['bool', 'number', 'dot', 'field', 'identifier', 'nil', 'string', 'variable', 'leftParen'].includes(t.type)) {
        cmds.push(this.command(end));
        if (this.peek().type === 'pipe') this.next();
        continue;
      }
      throw this.unexpected(this.next(), context);
    }
    if (cmds.length === 0) throw new ParseError(`missing value for ${context}`, pos);
    cmds.forEach((c, n) => {
      const head = c.args[0]!;
      if (n > 0 && ['bool', 'dot', 'nil', 'number', 'pipe', 'string'].includes(head.kind)) {
        throw new ParseError(`non executable command in pipeline stage ${n + 1}`, c.pos);
      }
    });
    if (!assign) for (const d of decl) if (d !== '$') this.vars.push(d);
    return { pos, decl, assign, cmds };
  }

  private command(end: 'rightDelim' | 'rightParen'): Command {
    const pos = this.peek().pos;
    const args: Operand[] = [];
    for (;;) {
      args.push(this.operand());
      const t = this.peek();
      if (t.type === 'pipe' || t.type === end) break;
      if (!t.spaceBefore) throw this.unexpected(t, 'operand');
      if (t.type === 'rightDelim' || t.type === 'rightParen') break;
    }
    return { pos, args };
  }

  private operand(): Operand {
    const node = this.term();
    const names: string[] = [];
    while (this.peek().type === 'field' && !this.peek().spaceBefore) names.push(this.next().value);
    if (names.length === 0) return node;
    switch (node.kind) {
      case 'field':
        return { ...node, names: [...node.names, ...names] };
      case 'variable':
        return { ...node, names: [...node.names, ...names] };
      case 'pipe':
        return { ...node, names: [...node.names, ...names] };
      default:
        throw new ParseError(`unexpected . after term "${node.kind}"`, node.pos);
    }
  }

  private term(): Operand {
    const t = this.next();
    switch (t.type) {
      case 'identifier':
        if (!this.functions.has(t.value)) throw new ParseError(`function "${t.value}" not defined`, t.pos);
        return { kind: 'function', pos: t.pos, name: t.value };
      case 'dot':
        return { kind: 'dot', pos: t.pos };
      case 'nil':
        return { kind: 'nil', pos: t.pos };
      case 'bool':
        return { kind: 'bool', pos: t.pos, value: t.value === 'true' };
      case 'string':
        return { kind: 'string', pos: t.pos, value: t.value };
      case 'number':
        return { kind: 'number', pos: t.pos, value: numberValue(t.value), text: t.value };
      case 'field': {
        const names = [t.value];
        while (this.peek().type === 'field' && !this.peek().spaceBefore) names.push(this.next().value);
        return { kind: 'field', pos: t.pos, names };
      }
      case 'variable':
        if (!this.vars.includes(t.value)) throw new ParseError(`undefined variable "${t.value}"`, t.pos);
        return { kind: 'variable', pos: t.pos, name: t.value, names: [] };
      case 'leftParen': {
        const pipe = this.nested(t.pos, () => this.pipeline('parenthesized pipeline', 'rightParen'));
        return { kind: 'pipe', pos: t.pos, pipe, names: [] };
      }
      default:
        throw this.unexpected(t, 'operand');
    }
  }
}
