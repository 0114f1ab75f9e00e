/**
 * Identity and issuer patterns are RE2 regular expressions, the syntax cosign's
 * `--certificate-identity-regexp` takes (Go's regexp package, https://github.com/google/re2/wiki/Syntax),
 * so a pattern written for cosign means the same here. They run on re2js, a port of RE2 whose
 * matching takes time linear in the input: no pattern, however written, backtracks
 * catastrophically on a certificate an attacker made. What RE2 leaves out (lookarounds, back
 * references) is refused with its reason.
 *
 * Matching is always against the WHOLE value (RE2's `matches`, as if written `^(?:...)$`).
 */
import type { RE2JS } from 're2js';
import { re2 } from '../../core/re2';

export interface PatternProblem {
  code: 'INVALID_REGEXP';
  /** Offset in the pattern text (0-based) the problem points at, as near as RE2 tells. */
  offset: number;
  message: string;
}

const compiled = new Map<string, RE2JS>();

/** The compiled pattern, or the problem that stops it compiling. */
function compileOrProblem(pattern: string): RE2JS | PatternProblem {
  const known = compiled.get(pattern);
  if (known !== undefined) return known;
  try {
    const re = re2().compile(pattern);
    compiled.set(pattern, re);
    return re;
  } catch (e) {
    const error = e as { error?: unknown; input?: unknown; message?: unknown };
    const reason = typeof error.error === 'string' ? error.error : String(error.message ?? e);
    const input = typeof error.input === 'string' && error.input !== '' ? error.input : undefined;
    // RE2 names the offending piece of the pattern, not where it is. For parentheses the piece
    // is the whole pattern, so the group is found here; otherwise the first place the piece
    // occurs is the best pointer there is.
    const paren = /missing closing \)|unexpected \)/.test(reason) ? unbalancedParen(pattern) : undefined;
    const at = paren ?? (/trailing backslash/.test(reason) ? pattern.length - 1 : input !== undefined ? pattern.indexOf(input) : -1);
    const unsupported = /invalid or unsupported Perl syntax/.test(reason) ? ' (RE2, the syntax cosign uses, has no lookarounds or back references)' : '';
    return { code: 'INVALID_REGEXP', offset: Math.max(0, at), message: `${reason}${input !== undefined ? `: "${input}"` : ''}${unsupported}` };
  }
}

/** Where the parentheses fail to balance: the first ")" closing nothing, else the innermost "(" never closed. */
function unbalancedParen(pattern: string): number | undefined {
  const open: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') {
      // In RE2 a "]" right after "[" or "[^" is a literal; the class ends at the next one.
      let j = i + 1 + (pattern[i + 1] === '^' ? 1 : 0);
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '(') open.push(i);
    else if (c === ')' && open.pop() === undefined) return i;
  }
  return open.at(-1);
}

/** Problems with a pattern; an empty list means it compiles. */
export function patternProblems(pattern: string): PatternProblem[] {
  const r = compileOrProblem(pattern);
  return 'code' in r ? [r] : [];
}

/** The compiled pattern; throws the problem's message when there is one (callers check first). */
export function compileRe2(pattern: string): RE2JS {
  const r = compileOrProblem(pattern);
  if ('code' in r) throw new Error(r.message);
  return r;
}

/**
 * Escapes text for use as a literal inside a regular expression (outside a character
 * class, which is the only place we put it). "/" and "-" need no escape there.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
