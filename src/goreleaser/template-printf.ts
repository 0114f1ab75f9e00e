/**
 * fmt.Sprint, Sprintln and a useful part of Sprintf (https://pkg.go.dev/fmt#hdr-Printing), for the
 * `print`, `println` and `printf` template builtins. Verbs: %v %s %d %q %t %x %X %f %%, with
 * width, precision and the `-`/`0` flags. Misuse prints as Go does: `%!d(string=x)`, `%!s(MISSING)`.
 */
import type { Value } from './template-values';
import { goString, goType } from './template-values';

export function sprint(args: readonly Value[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goString(a);
  });
  return out;
}

export function sprintln(args: readonly Value[]): string {
  return `${args.map((a) => goString(a)).join(' ')}\n`;
}

const VERB = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;

export function sprintf(format: string, args: readonly Value[]): string {
  let n = 0;
  let out = format.replace(VERB, (whole, flags: string, width?: string, precision?: string, verb?: string) => {
    if (verb === '%') return '%';
    if (n >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[n++];
    const text = formatOne(arg, verb!, precision === undefined ? undefined : Number(precision));
    if (text === undefined) return `%!${verb}(${goType(arg)}=${goString(arg)})`;
    return padTo(text, width === undefined ? 0 : Number(width), flags);
  });
  if (n < args.length)
    out += `%!(EXTRA ${args
      .slice(n)
      .map((a) => `${goType(a)}=${goString(a)}`)
      .join(', ')})`;
  return out;
}

function formatOne(arg: Value, verb: string, precision: number | undefined): string | undefined {
  switch (verb) {
    case 'v':
      return goString(arg);
    case 's':
      if (typeof arg === 'number' || typeof arg === 'boolean') return undefined;
      return precision === undefined ? goString(arg) : [...goString(arg)].slice(0, precision).join('');
    case 'q':
      return typeof arg === 'string' ? JSON.stringify(arg) : undefined;
    case 'd':
      return typeof arg === 'number' && Number.isInteger(arg) ? String(arg) : undefined;
    case 't':
      return typeof arg === 'boolean' ? String(arg) : undefined;
    case 'f':
      return typeof arg === 'number' ? arg.toFixed(precision ?? 6) : undefined;
    case 'x':
    case 'X': {
      let s: string | undefined;
      if (typeof arg === 'number' && Number.isInteger(arg)) s = arg.toString(16);
      else if (typeof arg === 'string') s = Buffer.from(arg).toString('hex');
      return s === undefined ? undefined : verb === 'X' ? s.toUpperCase() : s;
    }
    default:
      return undefined;
  }
}

/** fmt's own bound on widths and precisions ("tooLarge" in fmt/print.go). */
const MAX_WIDTH = 1e6;

function padTo(text: string, width: number, flags: string): string {
  if (text.length >= width) return text;
  if (width > MAX_WIDTH) throw new RangeError(`the width ${width} is over ${MAX_WIDTH}`);
  if (flags.includes('-')) return text.padEnd(width);
  if (flags.includes('0') && /^-?\d/.test(text)) {
    const neg = text.startsWith('-');
    return (neg ? '-' : '') + text.slice(neg ? 1 : 0).padStart(width - (neg ? 1 : 0), '0');
  }
  return text.padStart(width);
}
