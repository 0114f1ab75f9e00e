/**
 * Lexer for Go text/template (https://pkg.go.dev/text/template, "Text and spaces", "Actions"),
 * after text/template/parse/lex.go: `{{`/`}}` delimiters, `{{- ` and ` -}}` trim markers, comments
 * `{{/* … *\/}}`, and the tokens of actions. Spaces inside actions separate operands, so each token
 * records whether a space came before it (`.A.B` is one chain, `.A .B` two operands).
 */
export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'string'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Text of the token: for strings, the unquoted value; for fields and variables, the name without `.`. */
  readonly value: string;
  readonly pos: number;
  readonly spaceBefore: boolean;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block']);
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);

export function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let trimNext = false;
  while (i <= src.length) {
    const open = src.indexOf('{{', i);
    let text = src.slice(i, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    const trimLeft = open >= 0 && src[open + 2] === '-' && isSpace(src[open + 3]);
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) tokens.push({ type: 'text', value: text, pos: i, spaceBefore: false });
    if (open < 0) break;
    const start = open + (trimLeft ? 4 : 2);
    const { end, trimRight } = src.startsWith('/*', start) ? comment(src, open, start) : action(src, open, start, tokens);
    i = end;
    trimNext = trimRight;
  }
  tokens.push({ type: 'eof', value: '', pos: src.length, spaceBefore: false });
  return tokens;
}

/** A comment must fill its action: `{{/* c *\/}}` or `{{- /* c *\/ -}}`. */
function comment(src: string, open: number, start: number): { end: number; trimRight: boolean } {
  const close = src.indexOf('*/', start + 2);
  if (close < 0) throw new LexError('unclosed comment', open);
  const after = close + 2;
  if (isSpace(src[after]) && src.startsWith('-}}', after + 1)) return { end: after + 4, trimRight: true };
  if (src.startsWith('}}', after)) return { end: after + 2, trimRight: false };
  throw new LexError('comment ends before closing delimiter', open);
}

function action(src: string, open: number, start: number, out: Token[]): { end: number; trimRight: boolean } {
  out.push({ type: 'leftDelim', value: '{{', pos: open, spaceBefore: false });
  let j = start;
  let space = false;
  let parens = 0;
  const push = (type: TokenType, value: string, pos: number): void => {
    out.push({ type, value, pos, spaceBefore: space });
    space = false;
  };
  for (;;) {
    if (j >= src.length) throw new LexError('unclosed action', open);
    const c = src[j]!;
    if (isSpace(c)) {
      const k = j;
      while (isSpace(src[j])) j++;
      // " -}}" closes the action and trims the text after it.
      if (src.startsWith('-}}', j)) {
        if (parens > 0) throw new LexError('unclosed left paren', k);
        out.push({ type: 'rightDelim', value: '}}', pos: j, spaceBefore: true });
        return { end: j + 3, trimRight: true };
      }
      space = true;
      continue;
    }
    if (src.startsWith('}}', j)) {
      if (parens > 0) throw new LexError('unclosed left paren', j);
      push('rightDelim', '}}', j);
      return { end: j + 2, trimRight: false };
    }
    const at = j;
    switch (c) {
      case '|':
        push('pipe', c, at);
        j++;
        continue;
      case ',':
        push('comma', c, at);
        j++;
        continue;
      case '=':
        push('assign', c, at);
        j++;
        continue;
      case '(':
        parens++;
        push('leftParen', c, at);
        j++;
        continue;
      case ')':
        if (--parens < 0) throw new LexError('unexpected right paren', at);
        push('rightParen', c, at);
        j++;
        continue;
      case ':':
        if (src[j + 1] !== '=') throw new LexError('expected :=', at);
        push('declare', ':=', at);
        j += 2;
        continue;
      case '"': {
        const s = quoted(src, j);
        push('string', s.value, at);
        j = s.end;
        continue;
      }
      case '`': {
        const close = src.indexOf('`', j + 1);
        if (close < 0) throw new LexError('unterminated raw quoted string', at);
        push('string', src.slice(j + 1, close), at);
        j = close + 1;
        continue;
      }
      case "'": {
        const s = charConstant(src, j);
        push('number', s.value, at);
        j = s.end;
        continue;
      }
      case '$': {
        let k = j + 1;
        while (isAlnum(src[k])) k++;
        push('variable', src.slice(j, k), at);
        j = k;
        continue;
      }
      case '.': {
        if (/[0-9]/.test(src[j + 1] ?? '')) break;
        let k = j + 1;
        while (isAlnum(src[k])) k++;
        if (k === j + 1) push('dot', '.', at);
        else push('field', src.slice(j + 1, k), at);
        j = k;
        continue;
      }
    }
    if (c === '.' || c === '+' || c === '-' || /[0-9]/.test(c)) {
      let k = j + 1;
      while (/[0-9a-zA-Z_.+-]/.test(src[k] ?? '') && !(/[+-]/.test(src[k]!) && !/[eEpP]/.test(src[k - 1]!))) k++;
      const text = src.slice(j, k);
      if (Number.isNaN(numberValue(text))) throw new LexError(`bad number syntax: "${text}"`, at);
      push('number', text, at);
      j = k;
      continue;
    }
    if (isAlnum(c)) {
      let k = j;
      while (isAlnum(src[k])) k++;
      const word = src.slice(j, k);
      if (word === 'true' || word === 'false') push('bool', word, at);
      else if (word === 'nil') push('nil', word, at);
      else push(KEYWORDS.has(word) ? 'keyword' : 'identifier', word, at);
      j = k;
      continue;
    }
    throw new LexError(`unrecognized character in action: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`, at);
  }
}

/** Go number literals: decimal, hex, octal, binary, floats, underscores between digits. */
export function numberValue(text: string): number {
  const t = text.replace(/_/g, '');
  if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$/.test(t)) {
    const neg = t.startsWith('-');
    const v = Number(t.replace(/^[+-]/, ''));
    return neg ? -v : v;
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return NaN;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** An interpreted string literal, with Go's escapes (https://go.dev/ref/spec#String_literals). */
function quoted(src: string, start: number): { value: string; end: number } {
  let value = '';
  let j = start + 1;
  for (;;) {
    const c = src[j];
    if (c === undefined || c === '\n') throw new LexError('unterminated quoted string', start);
    if (c === '"') return { value, end: j + 1 };
    if (c !== '\\') {
      value += c;
      j++;
      continue;
    }
    const e = src[j + 1] ?? '';
    if (e in ESCAPES) {
      value += ESCAPES[e];
      j += 2;
      continue;
    }
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const digits = src.slice(j + 2, j + 2 + hex);
    if (hex && /^[0-9a-fA-F]+$/.test(digits) && digits.length === hex) {
      value += String.fromCodePoint(parseInt(digits, 16));
      j += 2 + hex;
      continue;
    }
    throw new LexError(`invalid syntax: unknown escape sequence \\${e}`, j);
  }
}

function charConstant(src: string, start: number): { value: string; end: number } {
  const close = src.indexOf("'", start + 2);
  if (close < 0) throw new LexError('unterminated character constant', start);
  const body = src.slice(start + 1, close);
  const ch = body.startsWith('\\') ? (ESCAPES[body.slice(1)] ?? '') : body;
  if ([...ch].length !== 1) throw new LexError(`malformed character constant: '${body}'`, start);
  return { value: String(ch.codePointAt(0)), end: close + 1 };
}
