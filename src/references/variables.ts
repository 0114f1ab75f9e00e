/**
 * Shell-style variable substitution as Dockerfiles and compose files write it: `$NAME`, `${NAME}`,
 * `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}`, `${NAME+alt}`, `${NAME:?err}`, `${NAME?err}`,
 * defaults nesting further variables.
 *
 * - Dockerfile: BuildKit's shell lexer (https://docs.docker.com/reference/dockerfile/#environment-replacement),
 *   where the escape character (`\`, or the one `# escape=` names) makes `$` literal.
 * - compose: https://github.com/compose-spec/compose-spec/blob/main/12-interpolation.md, where `$$` is a literal `$`.
 *
 * A variable whose value is not known (an ARG without default, a name no `.env` sets) is reported,
 * never guessed; a default written beside it is what the build or compose would use, so it applies.
 * Forms this file does not evaluate (`${NAME#pattern}`, `${NAME/a/b}`) leave the value unresolved.
 */

export interface Expansion {
  /** The substituted text; null when a variable it needs is not known. */
  readonly value: string | null;
  /** Names whose values were needed and not known, in order of appearance. */
  readonly unresolved: readonly string[];
  /** The substituted text with each unknown part as `HOLE`, for matching (stage names). */
  readonly pattern: string;
}

/** Stands for an unknown part in `Expansion.pattern`. */
export const HOLE = '\u0000';

/** A variable's value; undefined when it is not set (or has no value the file can know). */
export type Lookup = (name: string) => string | undefined;

export type EscapeRule = { readonly kind: 'dollar' } | { readonly kind: 'char'; readonly char: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', ':+', ':?', '-', '+', '?'] as const;

export function expand(text: string, lookup: Lookup, escape: EscapeRule): Expansion {
  const unresolved: string[] = [];
  const pattern = new Expander(text, lookup, escape, unresolved).run();
  return { value: unresolved.length ? null : pattern, unresolved: [...new Set(unresolved)], pattern };
}

class Expander {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly lookup: Lookup,
    private readonly escape: EscapeRule,
    private readonly unresolved: string[],
  ) {}

  /** Reads until the end, or until an unmatched `}` when inside a `${…}` word. */
  run(inWord = false): string {
    let out = '';
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i]!;
      if (inWord && c === '}') return out;
      if (this.escape.kind === 'char' && c === this.escape.char && t[this.i + 1] === '$') {
        out += '$';
        this.i += 2;
        continue;
      }
      if (c !== '$') {
        out += c;
        this.i++;
        continue;
      }
      if (this.escape.kind === 'dollar' && t[this.i + 1] === '$') {
        out += '$';
        this.i += 2;
        continue;
      }
      out += this.variable();
    }
    return out;
  }

  private variable(): string {
    const t = this.text;
    if (t[this.i + 1] !== '{') {
      const name = NAME.exec(t.slice(this.i + 1))?.[0];
      if (!name) {
        this.i++;
        return '$';
      }
      this.i += 1 + name.length;
      return this.value(name);
    }
    const name = NAME.exec(t.slice(this.i + 2))?.[0];
    if (!name) {
      // `${` without a name: not a substitution either tool accepts; keep it as written.
      this.i++;
      return '$';
    }
    this.i += 2 + name.length;
    if (t[this.i] === '}') {
      this.i++;
      return this.value(name);
    }
    const op = OPERATORS.find((o) => t.startsWith(o, this.i));
    if (!op) {
      this.skipWord();
      return this.missing(name);
    }
    this.i += op.length;
    const mark = this.unresolved.length;
    const word = this.run(true);
    if (t[this.i] === '}') this.i++;
    const wordUnresolved = this.unresolved.splice(mark);
    const v = this.lookup(name);
    const set = v !== undefined;
    const nonEmpty = set && v !== '';
    const use = (w: string): string => {
      this.unresolved.push(...wordUnresolved);
      return w;
    };
    switch (op) {
      case ':-':
        return nonEmpty ? v! : use(word);
      case '-':
        return set ? v! : use(word);
      case ':+':
        return nonEmpty ? use(word) : '';
      case '+':
        return set ? use(word) : '';
      case ':?':
        return nonEmpty ? v! : this.missing(name);
      case '?':
        return set ? v! : this.missing(name);
    }
  }

  private value(name: string): string {
    const v = this.lookup(name);
    return v === undefined ? this.missing(name) : v;
  }

  private missing(name: string): string {
    this.unresolved.push(name);
    return HOLE;
  }

  /** Skips to the `}` closing the current `${`, nested braces included. */
  private skipWord(): void {
    let depth = 0;
    for (; this.i < this.text.length; this.i++) {
      const c = this.text[this.i];
      if (c === '{') depth++;
      else if (c === '}' && depth-- === 0) {
        this.i++;
        return;
      }
    }
  }
}

/**
 * A matcher for an expansion's pattern, its unknown parts as wildcards: a Dockerfile stage named
 * `binaries-$TARGETOS` names one of the earlier stages `binaries-linux`, `binaries-darwin`…
 * BuildKit compares stage names case-insensitively.
 */
export function wildcardPattern(pattern: string): RegExp {
  const parts = pattern.split(HOLE);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}
