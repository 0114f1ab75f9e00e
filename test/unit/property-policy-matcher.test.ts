// Property tests of the identity policy matcher (src/verify/policy/identity-policy.ts,
// src/verify/policy/policy-regexp.ts): a pinned identity accepts exactly what the user wrote. An exact
// or escaped identity matches only itself; a pattern matches whole values whatever its text;
// patterns are RE2, matched in linear time, so even the shape that makes a backtracking engine
// take exponential time answers at once; where JavaScript and RE2 both read a pattern, they agree.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isLensError } from '../../src/core/errors';
import { RE2JS } from 're2js';
import { compilePattern, matches, MAX_MATCHED_VALUE } from '../../src/verify/policy/identity-policy';
import { escapeRegExp, patternProblems } from '../../src/verify/policy/policy-regexp';
import { policyFromFlags } from '../../src/cli/policy-flags';
import type { PatternSample } from '../support/properties/patterns';
import { adversarialInputs, nestedQuantifier, regexpSoup, userPattern } from '../support/properties/patterns';
import { holds, runFor } from '../support/properties/run';
import { anyText } from '../support/properties/text';

/** Accepted by compilePattern (the path CLI flags take), or refused with USAGE; nothing else. */
function accepted(pattern: string): boolean {
  try {
    compilePattern(pattern);
    return true;
  } catch (e) {
    if (!isLensError(e, 'USAGE')) throw e;
    return false;
  }
}

const identityLike = fc.oneof(
  anyText(40),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.emailAddress(),
  fc.constantFrom('https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1.0.0', 'a.b*c+d?e^f$g|h(i)j[k]l{m}n\\o/p-q', ''),
);

/** Strings that differ from `s` by one edit: something before, after or inside, a character dropped or changed. */
const nearMiss = (s: string) =>
  fc
    .tuple(
      fc.constantFrom('prefix', 'suffix', 'insert', 'delete', 'replace'),
      fc.nat(),
      anyText(6).filter((x) => x !== ''),
    )
    .map(([edit, n, x]) => {
      const i = n % (s.length + 1);
      switch (edit) {
        case 'prefix':
          return x + s;
        case 'suffix':
          return s + x;
        case 'insert':
          return s.slice(0, i) + x + s.slice(i);
        case 'delete':
          return s.slice(0, i) + s.slice(i + 1);
        default:
          return s.slice(0, i) + x + s.slice(i + 1);
      }
    });

describe('property: a literal identity matches only itself', () => {
  test('exact and escaped-regexp identities accept the identity and none of its near misses', () => {
    holds(
      'literal identities',
      runFor(0x1d01, 1500),
      fc.property(
        identityLike.chain((id) => fc.tuple(fc.constant(id), nearMiss(id))),
        ([id, other]) => {
          const escaped = { regexp: escapeRegExp(id) };
          assert.ok(matches({ exact: id }, id));
          assert.ok(matches(escaped, id), `escaped ${JSON.stringify(id)} does not match itself`);
          if (other === id) return;
          assert.ok(!matches({ exact: id }, other));
          assert.ok(!matches(escaped, other), `escaped ${JSON.stringify(id)} matches ${JSON.stringify(other)}`);
        },
      ),
    );
  });

  test('a literal pattern never matches x+P or P+x for non-empty x', () => {
    holds(
      'literal anchoring',
      runFor(0x1d02, 1500),
      fc.property(
        identityLike,
        anyText(12).filter((x) => x !== ''),
        (p, x) => {
          const m = { regexp: escapeRegExp(p) };
          assert.ok(!matches(m, x + p) && !matches(m, p + x) && !matches(m, x + p + x));
        },
      ),
    );
  });
});

describe('property: patterns are anchored whatever their text', () => {
  test('a pattern accepted by compilePattern is an RE2 expression on its own: nothing is wrapped around it to break out of', () => {
    holds(
      'regexp soup',
      runFor(0x1d03, 4000),
      fc.property(regexpSoup, (p) => {
        assert.equal(accepted(p), patternProblems(p).length === 0, JSON.stringify(p));
        if (accepted(p)) assert.doesNotThrow(() => RE2JS.compile(p), `accepted ${JSON.stringify(p)} is not an RE2 expression by itself`);
      }),
    );
  });

  test('text that closes the wrapping group and alternates out of it is refused, or still anchored', () => {
    const escape = fc.tuple(identityLike, fc.constantFrom(')|(?:.*', '.*)|(?:', ')|.*|(', ')|(?:'), fc.boolean());
    holds(
      'anchor escapes',
      runFor(0x1d04, 1500),
      fc.property(
        escape,
        anyText(8).filter((x) => x !== ''),
        ([id, breakout, before], x) => {
          const p = before ? breakout + escapeRegExp(id) : escapeRegExp(id) + breakout;
          if (!accepted(p)) return;
          assert.ok(!matches({ regexp: p }, `${x}${id}${x}`), `${JSON.stringify(p)} matches ${JSON.stringify(`${x}${id}${x}`)}`);
        },
      ),
    );
  });

  test('regression: "a)|(?:b" (accepted before, then matching anything that starts with "a") is refused', () => {
    for (const p of ['a)|(?:b', 'https://github\\.com/org/repo/.*)|(?:.*', ')|(?:evil']) {
      assert.throws(
        () => compilePattern(p),
        (e: unknown) => isLensError(e, 'USAGE') && /Invalid regular expression/.test((e as Error).message),
        p,
      );
    }
    assert.ok(!accepted('a)|(?:b'));
  });
});

describe('property: RE2, linear whatever the pattern', () => {
  test('the nested-quantifier shape (exponential for a backtracking engine) is accepted and answers a long near miss at once', () => {
    holds(
      'nested quantifiers',
      runFor(0x1d05, 300),
      fc.property(nestedQuantifier, ({ pattern }) => {
        assert.ok(accepted(pattern), `${JSON.stringify(pattern)}: ${JSON.stringify(patternProblems(pattern))}`);
        for (const input of ['a'.repeat(4000) + '\u0000', 'x'.repeat(4000) + '!', `https://${'a.'.repeat(2000)}`]) compilePattern(pattern).test(input);
      }),
    );
  });

  test('regression: --certificate-identity-regexp "(a+)+b" took seconds on a 30-character SAN (JavaScript engine); now answered, and only a whole match passes', async () => {
    const p = await policyFromFlags({ 'certificate-identity-regexp': '(a+)+b' });
    assert.deepEqual(p.identity, { regexp: '(a+)+b' });
    assert.equal(matches(p.identity!, `${'a'.repeat(MAX_MATCHED_VALUE - 1)}c`), false);
    assert.equal(matches(p.identity!, 'aaab'), true);
    assert.equal(matches(p.identity!, 'aaabx'), false);
    await assert.rejects(
      policyFromFlags({ 'certificate-oidc-issuer-regexp': 'https://(?=x)' }),
      (e: unknown) => isLensError(e, 'USAGE') && /no lookarounds/.test((e as Error).message),
    );
  });

  test('where JavaScript and RE2 both read a pattern users write, they give the same answer (examples, pumped and near misses)', () => {
    holds(
      'JavaScript and RE2 agree',
      runFor(0x1d09, 400),
      fc.property(userPattern, fc.integer({ min: 0, max: 4 }), (s, n) => {
        const js = new RegExp(`^(?:${s.pattern})$`);
        const re2 = compilePattern(s.pattern);
        const text = s.example(n);
        for (const v of [text, s.example(1), `${text}!`, text.slice(0, -1), `x${text}`]) {
          // Short values only: JavaScript's engine backtracks, exponentially on nested repeats.
          if (v.length > 14) continue;
          assert.equal(re2.test(v), js.test(v), `${JSON.stringify(s.pattern)} on ${JSON.stringify(v)}`);
        }
      }),
    );
  });

  // Linear matching: every accepted pattern, however many unbounded or nested repeats, answers
  // 10,000-character inputs built to make a backtracking engine work hardest. The bound is loose
  // (a regression to exponential time would take minutes), not a speed figure: see npm run bench.
  const LENGTH = 10_000;
  test('accepted patterns answer 10,000-character adversarial inputs quickly, nested repeats included', () => {
    let slowest = { ms: 0, pattern: '' };
    holds(
      'linear matching',
      runFor(0x1d06, 60),
      fc.property(userPattern, (s: PatternSample) => {
        const re = compilePattern(s.pattern);
        assert.ok(re.test(s.example(3)), `${JSON.stringify(s.pattern)} does not match its own example ${JSON.stringify(s.example(3))}`);
        for (const input of adversarialInputs(s, LENGTH)) {
          const start = process.hrtime.bigint();
          re.test(input);
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          if (ms > slowest.ms) slowest = { ms, pattern: s.pattern };
          assert.ok(ms < 2_000, `${JSON.stringify(s.pattern)} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 40))}…`);
        }
      }),
    );
    console.log(`${LENGTH}-character adversarial inputs: slowest ${JSON.stringify(slowest.pattern)} ${slowest.ms.toFixed(1)} ms`);
  });
});
