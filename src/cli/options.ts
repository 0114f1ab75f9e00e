import { parseArgs } from 'node:util';
import { closest } from '../core/closest';
import { LensError, describeError } from '../core/errors';
import { wrap } from './cause-line';

/**
 * A command-line option: what `parseArgs` reads (type, repeatable, short name) and what `--help`
 * says of it. Each command's help is made from these (`optionHelp`), so it lists every option the
 * command accepts and cannot drift from what is parsed.
 */
export interface OptionDoc {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** The value's name in help: `FILE`, `host:port`, `vX.Y.Z`. */
  readonly value?: string;
  /** What it does, one sentence or a few; wrapped to the help's width. */
  readonly help: string;
}

export type OptionDocs = Readonly<Record<string, OptionDoc>>;

/** Help lines are wrapped to this many columns. */
const HELP_WIDTH = 100;
/** Descriptions start at most this far right; a longer flag puts its description on the next line. */
const MAX_COLUMN = 40;

/** `  --flag VALUE    description`, in aligned columns, one entry per option in the order given. */
export function optionHelp(docs: OptionDocs): string {
  const flags = Object.entries(docs).map(([name, d]) => `${d.short ? `-${d.short}, ` : ''}--${name}${d.value ? ` ${d.value}` : ''}`);
  const column = Math.min(MAX_COLUMN, 2 + Math.max(...flags.map((f) => f.length)) + 2);
  const lines: string[] = [];
  Object.values(docs).forEach((d, i) => {
    const flag = `  ${flags[i]!}`;
    const pad = ' '.repeat(column);
    const text = wrap(`${pad}${d.help}`, HELP_WIDTH, pad);
    if (flag.length + 2 <= column) text[0] = `${flag.padEnd(column)}${text[0]!.slice(column)}`;
    else text.unshift(flag);
    lines.push(...text);
  });
  return lines.join('\n');
}

/**
 * The options parsed with node's `parseArgs`; a usage error (exit 2) in one line when they do not
 * parse: an unknown option with the closest known one ("did you mean --json?"), a value missing.
 */
export function parseOptions<T extends OptionDocs>(args: string[], docs: T, command: string) {
  try {
    return parseArgs({ args, options: docs, allowPositionals: true, strict: true });
  } catch (e) {
    throw new LensError('USAGE', optionError(e, docs, command));
  }
}

function optionError(e: unknown, docs: OptionDocs, command: string): string {
  const help = `\`provenance-lens ${command} --help\` lists its options`;
  const code = (e as { code?: string }).code;
  const named = /'(-[^' =]*)/.exec(describeError(e))?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named !== undefined) {
    const known = Object.entries(docs).flatMap(([name, d]) => [`--${name}`, ...(d.short ? [`-${d.short}`] : [])]);
    const guess = closest(named, known);
    return `unknown option ${named}${guess ? `; did you mean ${guess}?` : ''} (${help}).`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named !== undefined) {
    const name = named.replace(/^-+/, '');
    const doc = docs[name] ?? Object.values(docs).find((d) => d.short === name);
    return doc?.type === 'boolean' ? `${named} takes no value (${help}).` : `${named} needs a value${doc?.value ? ` (${doc.value})` : ''} (${help}).`;
  }
  return `${describeError(e).replace(/\.?$/, '')} (${help}).`;
}
