/**
 * Values a template works with, and Go's rules for them: truth (https://pkg.go.dev/text/template#hdr-Actions:
 * "false, 0, any nil pointer or interface value, and any array, slice, map, or string of length zero"),
 * printing (fmt's %v), and Go type names for error messages.
 *
 * `Unknown` stands for a value the context does not have (a variable not set, no git tag): it flows
 * through functions and fields, and printing it makes the result unresolved, naming what is missing.
 */
import { formatGoTime } from './go-time';

export type TemplateValue = string | number | boolean | null | Date | readonly TemplateValue[] | { readonly [key: string]: TemplateValue };

export class Unknown {
  /** `names`: what is missing, as written in templates (`.Tag`, `.Env.REGISTRY`, `time`). */
  constructor(
    readonly names: readonly string[],
    readonly preview?: string,
  ) {}

  static of(values: readonly unknown[]): Unknown | undefined {
    const unknown = values.filter((v): v is Unknown => v instanceof Unknown);
    if (unknown.length === 0) return undefined;
    return new Unknown([...new Set(unknown.flatMap((u) => u.names))]);
  }
}

/** `.Env`: a map[string]string whose absent names are unresolved rather than empty. */
export class EnvMap {
  constructor(
    readonly known: Readonly<Record<string, string>>,
    readonly unknown: Readonly<Record<string, readonly string[]>>,
  ) {}

  get(name: string): string | Unknown | undefined {
    if (Object.hasOwn(this.known, name)) return this.known[name]!;
    if (Object.hasOwn(this.unknown, name)) return new Unknown(this.unknown[name]!);
    return undefined;
  }
}

/** A value the executor passes around (context wrappers included). */
export type Value = TemplateValue | Unknown | EnvMap | RootData | undefined;

/** The data templates execute with: GoReleaser's field map (`tmpl.Fields`). */
export class RootData {
  constructor(
    readonly fields: Readonly<Record<string, TemplateValue>>,
    /** Names that exist in this context; absent from `fields` means unresolved. */
    readonly names: ReadonlySet<string>,
    readonly env: EnvMap,
  ) {}
}

export function isMap(v: Value): v is { readonly [key: string]: TemplateValue } {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof Unknown) &&
    !(v instanceof EnvMap) &&
    !(v instanceof RootData)
  );
}

export function truth(v: Value): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof EnvMap) return Object.keys(v.known).length + Object.keys(v.unknown).length > 0;
  if (v instanceof Date || v instanceof RootData) return true;
  return Object.keys(v).length > 0;
}

/** Go type names, for messages that read like GoReleaser's. */
export function goType(v: Value): string {
  if (v === undefined || v === null) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (Array.isArray(v)) return '[]string';
  if (v instanceof Date) return 'time.Time';
  if (v instanceof EnvMap) return 'context.Env';
  if (v instanceof RootData) return 'tmpl.Fields';
  return 'map[string]string';
}

/** fmt.Sprint of one value, as text/template prints it. */
export function goString(v: Value): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatNumber(v);
  if (v instanceof Date) return `${formatGoTime(v, '2006-01-02 15:04:05.999999999 -0700 MST')}`;
  if (v instanceof Unknown) return v.preview ?? `<${v.names.join(', ')}>`;
  if (Array.isArray(v)) return `[${v.map((x) => goString(x)).join(' ')}]`;
  const entries: [string, Value][] = v instanceof EnvMap ? Object.entries(v.known) : v instanceof RootData ? Object.entries(v.fields) : Object.entries(v);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, x]) => `${k}:${goString(x)}`).join(' ')}]`;
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // %v of a float64 is %g: shortest representation, exponent with a sign and two digits.
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}
