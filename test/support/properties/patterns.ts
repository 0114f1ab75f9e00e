// Arbitraries for identity patterns: the shapes users write (literal segments, classes,
// `.*`, optional and alternative parts), the shape that backtracks exponentially (a repeated
// group holding a variable-length repeat), regexp text to break the anchoring with, and for
// each safe pattern an input built to make a backtracking engine work hardest.
import fc from 'fast-check';
import { escapeRegExp } from '../../../src/verify/policy/policy-regexp';

/** A pattern, and a way to write text it matches with every unbounded repeat taken `n` times. */
export interface PatternSample {
  pattern: string;
  example: (n: number) => string;
  /** Unbounded quantifiers (`*`, `+`, `{n,}`) in the pattern with bounded repeats written out. */
  unbounded: number;
}

const LITERALS = ['a', 'b', 'x', '/', '.', '@', '-', ':', '_'];
/** An atom and a character it accepts (chosen to overlap with other atoms and the literals). */
const ATOMS: ReadonlyArray<[text: string, accepts: string]> = [
  ['[a-z]', 'a'],
  ['[^/]', 'a'],
  ['.', '/'],
  ['\\d', '1'],
  ['[a-z0-9.-]', '.'],
  ['\\w', '_'],
  ['[^/@]', 'x'],
  ['.', 'a'],
];
/** A quantifier, and how many times an example takes its atom for a given `n`. */
const QUANTIFIERS: ReadonlyArray<[text: string, times: (n: number) => number, unbounded: boolean]> = [
  ['', () => 1, false],
  ['*', (n) => n, true],
  ['+', (n) => n, true],
  ['?', () => 1, false],
  ['{1,3}', () => 3, false],
  ['{2}', () => 2, false],
  ['{1,}', (n) => n, true],
  ['*?', (n) => n, true],
];

const literal: fc.Arbitrary<PatternSample> = fc.constantFrom(...LITERALS).map((c) => ({ pattern: escapeRegExp(c), example: () => c, unbounded: 0 }));
const quantified: fc.Arbitrary<PatternSample> = fc
  .tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS))
  .map(([[atom, c], [q, times, unbounded]]) => ({
    pattern: `${atom}${q}`,
    example: (n) => c.repeat(times(n)),
    unbounded: unbounded ? 1 : 0,
  }));

const join = (parts: readonly PatternSample[]): PatternSample => ({
  pattern: parts.map((p) => p.pattern).join(''),
  example: (n) => parts.map((p) => p.example(n)).join(''),
  unbounded: parts.reduce((k, p) => k + p.unbounded, 0),
});

/**
 * Patterns of the kind users write, groups included (repeated or not, so the heuristic sees
 * nested quantifiers too). Alternation appears only in groups repeated a bounded number of
 * times: `(a|a)*` is the heuristic's documented blind spot (policy-regexp.test.ts).
 */
export const userPattern: fc.Arbitrary<PatternSample> = fc.letrec<{ piece: PatternSample; seq: PatternSample }>((tie) => ({
  piece: fc.oneof(
    { depthSize: 'small' },
    { weight: 3, arbitrary: literal },
    { weight: 4, arbitrary: quantified },
    {
      weight: 1,
      arbitrary: fc.tuple(tie('seq'), fc.constantFrom(...QUANTIFIERS)).map(([inner, [q, times, unbounded]]) => ({
        pattern: `(?:${inner.pattern})${q}`,
        // A repeated group's example repeats the inner example (taken once: no n*n blow-up).
        example: (n: number) => (unbounded ? inner.example(1).repeat(n) : inner.example(n).repeat(times(n))),
        // `{1,3}` writes its group out up to three times: so many more repeats to split text between.
        unbounded: inner.unbounded * (unbounded ? 1 : times(1)) + (unbounded ? 1 : 0),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(tie('seq'), tie('seq'), fc.constantFrom('', '?', '{1,2}')).map(([a, b, q]) => ({
        pattern: `(?:${a.pattern}|${b.pattern})${q}`,
        example: (n: number) => b.example(n),
        unbounded: a.unbounded + b.unbounded,
      })),
    },
  ),
  seq: fc.array(tie('piece'), { minLength: 1, maxLength: 6 }).map(join),
})).seq;

/**
 * The shape that takes exponential time: a group holding a variable-length repeat, itself
 * repeated without bound, e.g. `(a+)+`, `(?:x[a-z]*)*`, `((a{1,3})b?)+?`. Surrounded by
 * arbitrary safe text. `at` is where the repeated group starts.
 */
export const nestedQuantifier: fc.Arbitrary<{ pattern: string; at: number }> = fc
  .tuple(
    fc.constantFrom('(', '(?:', '(?<g>'),
    fc.constantFrom(...ATOMS).map(([a]) => a),
    fc.constantFrom('*', '+', '{1,}', '{0,5}', '{2,3}', '*?'),
    fc.constantFrom('', 'x', '\\.', '[a-z]?', 'b{2}'),
    fc.constantFrom('*', '+', '{1,}', '{3,}', '*?', '+?'),
    fc.integer({ min: 0, max: 2 }),
    fc.constantFrom('', 'https://', 'a\\.b/', '[0-9]{2}'),
    fc.constantFrom('', '$', '/x', '[a-z]+'),
  )
  .map(([open, atom, innerQ, tail, outerQ, wrap, prefix, suffix]) => {
    // Optionally bury the variable repeat in further (unrepeated) groups inside the repeated one.
    const inner = `${'(?:'.repeat(wrap)}${atom}${innerQ}${tail}${')'.repeat(wrap)}`;
    return { pattern: `${prefix}${open}${inner})${outerQ}${suffix}`, at: prefix.length };
  });

/** Regexp text whose pieces try to close the wrapping group early and alternate out of the anchors. */
export const regexpSoup: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      '.',
      '*',
      '+',
      '?',
      '|',
      '(',
      ')',
      '(?:',
      ')|(?:',
      ')|',
      '|(?:',
      '[',
      ']',
      '\\',
      '\\)',
      '^',
      '$',
      '{2}',
      '.*',
      '[)]',
      '(?=',
      '(?<n>',
      '\\k<n>',
      '\\1',
    ),
    { maxLength: 10 },
  )
  .map((a) => a.join(''));

/**
 * Inputs of at least `length` characters that make a backtracking matcher work hardest: text
 * the pattern matches with its repeats pumped, then one character it refuses (the anchor `$`
 * then fails at the very end, after every split of the repeats was tried), and the same text
 * cut short by one character.
 */
export function adversarialInputs(s: PatternSample, length: number): string[] {
  let n = 1;
  while (s.example(n).length < length && n < length) n *= 2;
  const text = s.example(n);
  return [`${text}\u0000`, text.slice(0, -1), `${text}${text.slice(-1)}`];
}
