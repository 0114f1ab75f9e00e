/**
 * `WWW-Authenticate` challenges (RFC 7235 §4.1, https://www.rfc-editor.org/rfc/rfc7235#section-4.1):
 *
 *   WWW-Authenticate = 1#challenge
 *   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param       = token BWS "=" BWS ( token / quoted-string )
 *
 * One header may hold several challenges separated by commas, the same commas that separate
 * auth-params, so a name followed by "=" continues the current challenge and a bare name starts
 * a new one. Registries put commas inside quoted values (`scope="repository:a:pull,push"`), and
 * some send values unquoted that are not strict tokens, so the parser is lenient: it never throws,
 * skips what it cannot read, and lets the caller decide what a usable challenge is.
 */
export interface Challenge {
  /** Lowercased, since schemes are case-insensitive (RFC 7235 §2.1). */
  scheme: 'bearer' | 'basic' | (string & {});
  /** Parameter names lowercased (they are case-insensitive); values unquoted and unescaped. */
  params: Record<string, string>;
  /** The token68 form (`Negotiate <blob>`), when the challenge uses it instead of parameters. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*/y;

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function skipWs(s: string, i: number): number {
  while (isWs(s[i])) i++;
  return i;
}

function readToken(s: string, i: number): string {
  let j = i;
  while (j < s.length && TCHAR.test(s[j]!)) j++;
  return s.slice(i, j);
}

/** Skips to just past the next comma outside a quoted string (the end of a list element). */
function skipElement(s: string, i: number): number {
  let quoted = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) return i + 1;
  }
  return i;
}

function atElementEnd(s: string, i: number): boolean {
  const j = skipWs(s, i);
  return j >= s.length || s[j] === ',';
}

/** A quoted-string (with quoted-pair escapes, RFC 7230 §3.2.6) or an unquoted value up to "," or space. */
function readValue(s: string, i: number): [value: string, end: number] {
  if (s[i] !== '"') {
    let j = i;
    while (j < s.length && s[j] !== ',' && !isWs(s[j])) j++;
    return [s.slice(i, j), j];
  }
  let out = '';
  let j = i + 1;
  for (; j < s.length; j++) {
    const c = s[j]!;
    if (c === '\\' && j + 1 < s.length) out += s[++j];
    else if (c === '"') return [out, j + 1];
    else out += c;
  }
  // Unterminated: keep what was there rather than dropping the challenge.
  return [out, j];
}

/** Parses one or more `WWW-Authenticate` header values into challenges, in order. */
export function parseChallenges(header: string | readonly string[] | undefined): Challenge[] {
  // Several header fields are equivalent to one field with the values joined by commas (RFC 7230 §3.2.2).
  const s = typeof header === 'string' ? header : (header ?? []).join(', ');
  const out: Challenge[] = [];
  let current: Challenge | undefined;
  let i = 0;
  while (i < s.length) {
    // Empty list elements (",,") are allowed by the #rule.
    while (i < s.length && (isWs(s[i]) || s[i] === ',')) i++;
    if (i >= s.length) break;
    const name = readToken(s, i);
    if (name === '') {
      i = skipElement(s, i);
      continue;
    }
    const afterName = skipWs(s, i + name.length);
    if (s[afterName] === '=') {
      if (!current) {
        // A parameter before any scheme: nothing to attach it to.
        i = skipElement(s, afterName);
        continue;
      }
      const [value, end] = readValue(s, skipWs(s, afterName + 1));
      const key = name.toLowerCase();
      // Each parameter name may appear only once (RFC 7235 §2.2); keep the first.
      // `__proto__` would not be stored as a property of a plain object; no real scheme uses it.
      if (key !== '__proto__' && !Object.prototype.hasOwnProperty.call(current.params, key)) current.params[key] = value;
      i = atElementEnd(s, end) ? end : skipElement(s, end);
      continue;
    }
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
    i += name.length;
    if (isWs(s[i])) {
      const start = skipWs(s, i);
      TOKEN68.lastIndex = start;
      const m = TOKEN68.exec(s);
      // `abc=` followed by the end of the element is a token68; `realm="x"` or `a=b` is a parameter.
      if (m && atElementEnd(s, start + m[0].length)) {
        current.token68 = m[0];
        i = start + m[0].length;
      }
    }
  }
  return out;
}

/**
 * The token scope for a repository
 * (https://distribution.github.io/distribution/spec/auth/scope/): `repository:<name>:<action>[,<action>]`.
 */
export function scopeFor(repository: string, actions: readonly string[] = ['pull']): string {
  const unique = [...new Set(actions)];
  return `repository:${repository}:${(unique.length ? unique : ['pull']).join(',')}`;
}
