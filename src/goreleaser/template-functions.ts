/**
 * Functions a GoReleaser template can call: text/template's builtins
 * (https://pkg.go.dev/text/template#hdr-Functions) and GoReleaser's FuncMap (internal/tmpl/tmpl.go,
 * https://goreleaser.com/customization/templates/#functions). `and`/`or` are evaluated lazily by the
 * executor; every other function receives evaluated arguments, and an unknown argument makes the
 * result unknown before the function runs.
 */
import type { RE2JS } from 're2js';
import { re2 } from '../core/re2';
import { formatGoTime } from './go-time';
import { incrementVersion } from './semver';
import { sprint, sprintf, sprintln } from './template-printf';
import type { Value } from './template-values';
import { EnvMap, RootData, Unknown, goType, isMap, truth } from './template-values';

/** Thrown by a function; the executor adds the position and "error calling <name>:" like Go. */
export class FunctionError extends Error {
  constructor(
    message: string,
    readonly bare = false,
  ) {
    super(message);
  }
}

export interface CallEnv {
  readonly root: RootData;
  /** GoReleaser's `time` formats time.Now(); here the clock is part of the context. */
  readonly now?: Date;
}

interface Fn {
  /** Exact count, or [min, max]. */
  readonly arity: number | readonly [number, number];
  call(args: Value[], env: CallEnv): Value;
}

const str = (v: Value): string => {
  if (typeof v !== 'string') throw new FunctionError(`wrong type for value; expected string; got ${goType(v)}`, true);
  return v;
};

const strFn = (arity: number, f: (...s: string[]) => Value): Fn => ({ arity, call: (args) => f(...args.map(str)) });

const basic = (v: Value): 'string' | 'number' | 'bool' | 'nil' | 'other' =>
  v === null || v === undefined ? 'nil' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'other';

function eq(args: Value[]): boolean {
  const [a, ...rest] = args;
  for (const b of rest) {
    const ka = basic(a);
    const kb = basic(b);
    if (ka !== kb) {
      if (ka !== 'nil' && kb !== 'nil') throw new FunctionError('incompatible types for comparison');
      continue;
    }
    if (ka === 'other') throw new FunctionError(`non-comparable type ${goString1(b)}: ${goType(b)}`);
    if (a === b) return true;
  }
  return false;
}

const goString1 = (v: Value): string => sprint([v]);

function less(a: Value, b: Value): boolean {
  const ka = basic(a);
  const kb = basic(b);
  if (ka !== 'string' && ka !== 'number') throw new FunctionError('invalid type for comparison');
  if (ka !== kb) throw new FunctionError('incompatible types for comparison');
  return (a as string | number) < (b as string | number);
}

function index(item: Value, keys: Value[]): Value {
  let v = item;
  for (const k of keys) {
    if (v instanceof EnvMap) v = v.get(str(k)) ?? '';
    else if (v instanceof RootData) v = Object.hasOwn(v.fields, str(k)) ? v.fields[str(k)] : v.names.has(str(k)) ? new Unknown([`.${str(k)}`]) : null;
    else if (Array.isArray(v) || typeof v === 'string') {
      if (typeof k !== 'number' || !Number.isInteger(k)) throw new FunctionError(`cannot index slice/array with type ${goType(k)}`);
      const len = typeof v === 'string' ? Buffer.byteLength(v) : v.length;
      if (k < 0 || k >= len) throw new FunctionError(`index out of range: ${k}`);
      v = typeof v === 'string' ? Buffer.from(v)[k]! : (v as Value[])[k];
    } else if (isMap(v)) v = Object.hasOwn(v, str(k)) ? v[str(k)] : '';
    else if (v === null || v === undefined) throw new FunctionError('index of untyped nil');
    else throw new FunctionError(`can't index item of type ${goType(v)}`);
    if (v instanceof Unknown) return v;
  }
  return v;
}

function length(v: Value): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (v instanceof EnvMap) return Object.keys(v.known).length;
  if (isMap(v)) return Object.keys(v).length;
  throw new FunctionError(v === null || v === undefined ? 'len of nil pointer' : `len of type ${goType(v)}`);
}

function slice(item: Value, bounds: Value[]): Value {
  if (typeof item !== 'string' && !Array.isArray(item)) throw new FunctionError(`can't slice item of type ${goType(item)}`);
  const len = typeof item === 'string' ? Buffer.byteLength(item) : item.length;
  const [lo = 0, hi = len] = bounds.map((b) => {
    if (typeof b !== 'number' || !Number.isInteger(b)) throw new FunctionError(`cannot index slice/array with type ${goType(b)}`);
    return b;
  });
  if (lo < 0 || hi < lo || hi > len) throw new FunctionError(`index out of range: ${hi > len ? hi : lo}`);
  return typeof item === 'string' ? Buffer.from(item).subarray(lo, hi).toString() : item.slice(lo, hi);
}

const escapeWith =
  (table: Record<string, string>) =>
  (s: string): string =>
    s.replace(
      new RegExp(
        `[${Object.keys(table)
          .map((c) => `\\${c}`)
          .join('')}]`,
        'g',
      ),
      (c) => table[c]!,
    );
const htmlEscape = escapeWith({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' });
const jsEscape = (s: string): string =>
  // eslint-disable-next-line no-control-regex -- Go's JSEscapeString escapes control characters as \uXXXX
  s.replace(/[\\'"<>&=\u0000-\u001f]/g, (c) =>
    c === '\\' || c === "'" || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
const percent =
  (keep: RegExp) =>
  (s: string): string =>
    [...Buffer.from(s)]
      .map((b) => {
        const c = String.fromCharCode(b);
        return keep.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
      })
      .join('');
const queryEscape = (s: string): string => percent(/[A-Za-z0-9\-_.~ ]/)(s).replace(/ /g, '+');
const pathEscape = percent(/[A-Za-z0-9\-_.~$&+:=@]/);
const mdv2 = escapeWith(Object.fromEntries([...'_*[]()~`>#+-=|{}.!'].map((c) => [c, `\\${c}`])));

function cleanPath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !abs) out.push(part);
  }
  return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
}

function base(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** cases.Title(language.English): first letter of each word upper, the rest lower. */
const title = (s: string): string => s.replace(/[\p{L}\p{N}_']+/gu, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());

/**
 * GoReleaser's filter functions take Go regular expressions, which RE2 (re2js) compiles the same
 * way and matches in linear time: a goreleaser file from a cloned repository cannot stall the
 * editor with a backtracking pattern.
 */
function regexp(exp: string): RE2JS {
  try {
    return re2().compile(exp);
  } catch (e) {
    throw new FunctionError(`regexp: Compile(${JSON.stringify(exp)}): ${(e as Error).message}`);
  }
}

// regexp.MatchString: a match anywhere in the line, as Go's.
const filterLines =
  (reverse: boolean) =>
  (content: string, exp: string): string => {
    const re = regexp(exp);
    return content
      .split('\n')
      .filter((l) => re.matcher(l).find() !== reverse)
      .join('\n');
  };

const inc =
  (part: 'major' | 'minor' | 'patch') =>
  (v: string): string => {
    const next = incrementVersion(v, part);
    if (next === undefined) throw new FunctionError('Invalid Semantic Version');
    return next;
  };

const envLookup = (env: CallEnv, name: string): string | Unknown | undefined => env.root.env.get(name);

export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  // text/template builtins
  not: { arity: 1, call: ([a]) => !truth(a) },
  eq: {
    arity: [1, Infinity],
    call: (args) => {
      if (args.length < 2) throw new FunctionError('missing argument for comparison');
      return eq(args);
    },
  },
  ne: { arity: 2, call: (args) => !eq(args) },
  lt: { arity: 2, call: ([a, b]) => less(a, b) },
  le: { arity: 2, call: ([a, b]) => less(a, b) || eq([a, b]) },
  gt: { arity: 2, call: ([a, b]) => !less(a, b) && !eq([a, b]) },
  ge: { arity: 2, call: ([a, b]) => !less(a, b) },
  len: { arity: 1, call: ([a]) => length(a) },
  index: { arity: [1, Infinity], call: ([item, ...keys]) => index(item, keys) },
  slice: { arity: [1, 4], call: ([item, ...bounds]) => slice(item, bounds) },
  print: { arity: [0, Infinity], call: (args) => sprint(args) },
  println: { arity: [0, Infinity], call: (args) => sprintln(args) },
  printf: { arity: [1, Infinity], call: ([format, ...args]) => sprintf(str(format), args) },
  html: { arity: [0, Infinity], call: (args) => htmlEscape(args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args)) },
  js: { arity: [0, Infinity], call: (args) => jsEscape(args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args)) },
  urlquery: { arity: [0, Infinity], call: (args) => queryEscape(args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args)) },
  // GoReleaser
  replace: strFn(3, (s, o, n) => s.split(o).join(n)),
  split: strFn(2, (s, sep) => (sep === '' ? [...s] : s.split(sep))),
  contains: strFn(2, (s, sub) => s.includes(sub)),
  tolower: strFn(1, (s) => s.toLowerCase()),
  toupper: strFn(1, (s) => s.toUpperCase()),
  trim: strFn(1, (s) => s.trim()),
  trimprefix: strFn(2, (s, p) => (p && s.startsWith(p) ? s.slice(p.length) : s)),
  trimsuffix: strFn(2, (s, p) => (p && s.endsWith(p) ? s.slice(0, -p.length) : s)),
  title: strFn(1, title),
  dir: strFn(1, (p) => cleanPath(p.slice(0, p.lastIndexOf('/') + 1))),
  base: strFn(1, base),
  // Depends on the working directory of the release run: not known here.
  abs: strFn(1, () => new Unknown(['abs'])),
  incmajor: strFn(1, inc('major')),
  incminor: strFn(1, inc('minor')),
  incpatch: strFn(1, inc('patch')),
  filter: strFn(2, filterLines(false)),
  reverseFilter: strFn(2, filterLines(true)),
  mdv2escape: strFn(1, mdv2),
  urlPathEscape: strFn(1, pathEscape),
  time: { arity: 1, call: ([layout], env) => (env.now ? formatGoTime(env.now, str(layout)) : new Unknown(['time'])) },
  isEnvSet: {
    arity: 1,
    call: ([name], env) => {
      const v = envLookup(env, str(name));
      return v instanceof Unknown ? v : v !== undefined && v !== '';
    },
  },
  envOrDefault: { arity: 2, call: ([name, dflt], env) => envLookup(env, str(name)) ?? str(dflt) },
  map: {
    arity: [0, Infinity],
    call: (args) => {
      if (args.length % 2 !== 0) throw new FunctionError(`map expects even number of arguments, got ${args.length}`);
      const m: Record<string, string> = {};
      for (let i = 0; i < args.length; i += 2) m[str(args[i])] = str(args[i + 1]);
      return m;
    },
  },
  indexOrDefault: {
    arity: 3,
    call: ([m, name, dflt]) => {
      if (!isMap(m)) throw new FunctionError(`wrong type for value; expected map[string]string; got ${goType(m)}`, true);
      const v = m[str(name)];
      return v === undefined ? str(dflt) : v;
    },
  },
};

/** Names a template may call: the executor's special forms plus every function above. */
export const FUNCTION_NAMES: ReadonlySet<string> = new Set(['and', 'or', 'call', ...Object.keys(FUNCTIONS)]);
