/**
 * Checks a user's regular expression before it is ever compiled for a verification:
 * where it is malformed (with the offset, which V8's messages do not give) and whether it
 * has the one shape that makes backtracking engines take exponential time.
 *
 * The patterns are JavaScript regular expressions without flags, as `compilePattern`
 * (identity-policy.ts) compiles them: anchored `^(?:...)$`, no unicode mode.
 *
 * Heuristic for catastrophic backtracking ("nested quantifiers"): a group that contains a
 * variable-length quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > n) and is itself repeated
 * without bound (`*`, `+`, `{n,}`), e.g. `(a+)+`, `(?:x*y?)*`, `([a-z]+\.)+`. It is
 * deliberately simple: it rejects some safe patterns (the last one is linear because the
 * dot separates the repetitions; write `[a-z.]+` instead) and misses ambiguous
 * alternations such as `(a|a)*`. Bounded outer repetition (`(\d+\.){3}`) is polynomial and
 * allowed.
 */
export interface PatternProblem {
  code: 'INVALID_REGEXP' | 'UNSAFE_REGEXP';
  /** Offset in the pattern text (0-based) the problem points at. */
  offset: number;
  message: string;
}

interface Frame {
  start: number;
  /** Something inside repeats a variable number of times. */
  variable: boolean;
}

interface Quantifier {
  length: number;
  variable: boolean;
  unbounded: boolean;
}

/** A quantifier starting at `i`, or undefined when the text there is not one (then `{` is a literal). */
function quantifierAt(p: string, i: number): Quantifier | undefined {
  const c = p[i];
  let length: number;
  let variable: boolean;
  let unbounded: boolean;
  if (c === '*' || c === '+') {
    length = 1;
    variable = true;
    unbounded = true;
  } else if (c === '?') {
    length = 1;
    variable = false;
    unbounded = false;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (m === null) return undefined;
    length = m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    variable = max > min;
    unbounded = max === Infinity;
  } else {
    return undefined;
  }
  if (p[i + length] === '?') length += 1; // lazy: same shape
  return { length, variable, unbounded };
}

/** Length of the group opener at `i` (`(`, `(?:`, `(?=`, `(?<name>` ...). */
function groupOpenerLength(p: string, i: number): number {
  if (p[i + 1] !== '?') return 1;
  const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(p.slice(i));
  if (named !== null) return named[0].length;
  if (p.startsWith('(?<=', i) || p.startsWith('(?<!', i)) return 4;
  return 3; // (?: (?= (?!
}

/** Problems with a pattern, first the structural ones; an empty list means it compiles and passes the heuristic. */
export function patternProblems(pattern: string): PatternProblem[] {
  const out: PatternProblem[] = [];
  const stack: Frame[] = [{ start: -1, variable: false }];
  // Whether the previous token can take a quantifier (an atom or a closed group).
  let atom = false;
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    const frame = stack[stack.length - 1]!;
    if (c === '\\') {
      if (i + 1 >= pattern.length) {
        out.push({ code: 'INVALID_REGEXP', offset: i, message: 'the pattern ends with a lone backslash' });
        return out;
      }
      i += 2;
      atom = true;
    } else if (c === '[') {
      // In JavaScript the class ends at the first unescaped "]" ("[]" is an empty class).
      let j = i + 1 + (pattern[i + 1] === '^' ? 1 : 0);
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) {
        out.push({ code: 'INVALID_REGEXP', offset: i, message: 'this character class is never closed with "]"' });
        return out;
      }
      i = j + 1;
      atom = true;
    } else if (c === '(') {
      stack.push({ start: i, variable: false });
      i += groupOpenerLength(pattern, i);
      atom = false;
    } else if (c === ')') {
      if (stack.length === 1) {
        out.push({ code: 'INVALID_REGEXP', offset: i, message: 'this ")" closes no group' });
        return out;
      }
      const group = stack.pop()!;
      const q = quantifierAt(pattern, i + 1);
      if (q?.unbounded && group.variable) {
        out.push({
          code: 'UNSAFE_REGEXP',
          offset: group.start,
          message: 'this group repeats something of variable length and is itself repeated without bound (the "(a+)+" shape), which can take exponential time on a non-matching input; repeat a character class instead, e.g. "[a-z.]+"',
        });
      }
      const parent = stack[stack.length - 1]!;
      parent.variable ||= group.variable || (q?.variable ?? false);
      i += 1 + (q?.length ?? 0);
      atom = q === undefined;
    } else if (c === '|') {
      i += 1;
      atom = false;
    } else if (quantifierAt(pattern, i) !== undefined) {
      const q = quantifierAt(pattern, i)!;
      if (!atom) {
        out.push({ code: 'INVALID_REGEXP', offset: i, message: `"${pattern.slice(i, i + q.length)}" has nothing to repeat` });
        return out;
      }
      const m = /^\{(\d+),(\d+)\}/.exec(pattern.slice(i));
      if (m !== null && Number(m[1]) > Number(m[2])) {
        out.push({ code: 'INVALID_REGEXP', offset: i, message: `the repetition "${m[0]}" has its numbers out of order` });
        return out;
      }
      frame.variable ||= q.variable;
      i += q.length;
      atom = false;
    } else {
      // "^" and "$" are assertions, not atoms; JavaScript rejects "^*".
      atom = c !== '^' && c !== '$';
      i += 1;
    }
  }
  if (stack.length > 1) {
    out.push({ code: 'INVALID_REGEXP', offset: stack[stack.length - 1]!.start, message: 'this group is never closed with ")"' });
    return out;
  }
  // Whatever the scan does not model (back references to unknown names, duplicate
  // group names...): V8 has the last word, without an offset.
  try {
    new RegExp(`^(?:${pattern})$`);
  } catch (e) {
    out.push({ code: 'INVALID_REGEXP', offset: 0, message: (e instanceof Error ? e.message : String(e)).replace(/^Invalid regular expression: /, '') });
  }
  return out;
}

/**
 * Escapes text for use as a literal inside a regular expression (outside a character
 * class, which is the only place we put it). "/" and "-" need no escape there.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
