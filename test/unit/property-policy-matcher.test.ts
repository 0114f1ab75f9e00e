// Property tests of the identity policy matcher (src/verify/identity-policy.ts,
// src/verify/policy-regexp.ts): a pinned identity accepts exactly what the user wrote. An exact
// or escaped identity matches only itself; a pattern is anchored whatever its text; the
// exponential backtracking shape is refused; the patterns accepted stay fast on long inputs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isLensError } from '../../src/core/errors';
import { compilePattern, matches } from '../../src/verify/identity-policy';
import { policyFromFlags } from '../../src/verify/policy-flags';
import { escapeRegExp, patternProblems } from '../../src/verify/policy-regexp';
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
const nearMiss = (s: string) => fc.tuple(fc.constantFrom('prefix', 'suffix', 'insert', 'delete', 'replace'), fc.nat(), anyText(6).filter((x) => x !== '')).map(([edit, n, x]) => {
  const i = n % (s.length + 1);
  switch (edit) {
    case 'prefix': return x + s;
    case 'suffix': return s + x;
    case 'insert': return s.slice(0, i) + x + s.slice(i);
    case 'delete': return s.slice(0, i) + s.slice(i + 1);
    default: return s.slice(0, i) + x + s.slice(i + 1);
  }
});

describe('property: a literal identity matches only itself', () => {
  test('exact and escaped-regexp identities accept the identity and none of its near misses', () => {
    holds('literal identities', runFor(0x1d01, 1500), fc.property(identityLike.chain((id) => fc.tuple(fc.constant(id), nearMiss(id))), ([id, other]) => {
      const escaped = { regexp: escapeRegExp(id) };
      assert.ok(matches({ exact: id }, id));
      assert.ok(matches(escaped, id), `escaped ${JSON.stringify(id)} does not match itself`);
      if (other === id) return;
      assert.ok(!matches({ exact: id }, other));
      assert.ok(!matches(escaped, other), `escaped ${JSON.stringify(id)} matches ${JSON.stringify(other)}`);
    }));
  });

  test('a literal pattern never matches x+P or P+x for non-empty x', () => {
    holds('literal anchoring', runFor(0x1d02, 1500), fc.property(identityLike, anyText(12).filter((x) => x !== ''), (p, x) => {
      const m = { regexp: escapeRegExp(p) };
      assert.ok(!matches(m, x + p) && !matches(m, p + x) && !matches(m, x + p + x));
    }));
  });
});

describe('property: patterns are anchored whatever their text', () => {
  test('a pattern accepted by compilePattern is a regular expression on its own, so the anchors enclose all of it', () => {
    holds('regexp soup', runFor(0x1d03, 4000), fc.property(regexpSoup, (p) => {
      if (!accepted(p)) return;
      assert.doesNotThrow(() => new RegExp(p), `accepted ${JSON.stringify(p)} is not a regular expression by itself`);
    }));
  });

  test('text that closes the wrapping group and alternates out of it is refused, or still anchored', () => {
    const escape = fc.tuple(identityLike, fc.constantFrom(')|(?:.*', '.*)|(?:', ')|.*|(', ')|(?:'), fc.boolean());
    holds('anchor escapes', runFor(0x1d04, 1500), fc.property(escape, anyText(8).filter((x) => x !== ''), ([id, breakout, before], x) => {
      const p = before ? breakout + escapeRegExp(id) : escapeRegExp(id) + breakout;
      if (!accepted(p)) return;
      assert.ok(!matches({ regexp: p }, `${x}${id}${x}`), `${JSON.stringify(p)} matches ${JSON.stringify(`${x}${id}${x}`)}`);
    }));
  });

  test('regression: "a)|(?:b" (accepted before, then matching anything that starts with "a") is refused', () => {
    for (const p of ['a)|(?:b', 'https://github\\.com/org/repo/.*)|(?:.*', ')|(?:evil']) {
      assert.throws(() => compilePattern(p), (e: unknown) => isLensError(e, 'USAGE') && /Invalid regular expression/.test((e as Error).message), p);
    }
    assert.ok(!accepted('a)|(?:b'));
  });
});

describe('property: the backtracking heuristic', () => {
  test('a repeated group holding a variable-length repeat is flagged UNSAFE_REGEXP at the group', () => {
    holds('nested quantifiers', runFor(0x1d05, 1500), fc.property(nestedQuantifier, ({ pattern, at }) => {
      const unsafe = patternProblems(pattern).filter((p) => p.code === 'UNSAFE_REGEXP');
      assert.ok(unsafe.some((p) => p.offset === at), `${JSON.stringify(pattern)}: ${JSON.stringify(patternProblems(pattern))}`);
    }));
  });

  test('compilePattern, the path command-line patterns take, refuses every flagged pattern', () => {
    holds('flagged patterns refused', runFor(0x1d08, 500), fc.property(nestedQuantifier, ({ pattern }) => {
      assert.ok(!accepted(pattern), `${JSON.stringify(pattern)} was accepted`);
    }));
  });

  test('regression: --certificate-identity-regexp "(a+)+b" was accepted: a 30-character SAN took seconds to match, each more character doubling it', async () => {
    await assert.rejects(policyFromFlags({ 'certificate-identity-regexp': '(a+)+b' }), (e: unknown) => isLensError(e, 'USAGE') && /Unsafe regular expression "\(a\+\)\+b" at character 1/.test((e as Error).message));
    await assert.rejects(policyFromFlags({ 'certificate-oidc-issuer-regexp': 'https://(x[a-z]*)*\\.example' }), (e: unknown) => isLensError(e, 'USAGE'));
    // Safe patterns still pass, and stay anchored.
    const ok = await policyFromFlags({ 'certificate-identity-regexp': 'https://github\\.com/org/.*' });
    assert.deepEqual(ok.identity, { regexp: 'https://github\\.com/org/.*' });
  });

  // The heuristic refuses exponential shapes; it does not bound polynomial ones (k unbounded
  // repeats over overlapping text take ~n^k steps). With one unbounded repeat the work is
  // linear in the input, with two quadratic: asserted tight for one, measured for two.
  const LENGTH = 10_000;
  const timeOn = (s: PatternSample): { ms: number; input: string } => {
    const re = compilePattern(s.pattern);
    assert.ok(re.test(s.example(3)), `${JSON.stringify(s.pattern)} does not match its own example ${JSON.stringify(s.example(3))}`);
    let worst = { ms: 0, input: '' };
    for (const input of adversarialInputs(s, LENGTH)) {
      const start = process.hrtime.bigint();
      re.test(input);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (ms > worst.ms) worst = { ms, input };
    }
    return worst;
  };
  const accepts = (max: number, min = 0) => userPattern.filter((s) => s.unbounded >= min && s.unbounded <= max && patternProblems(s.pattern).length === 0);

  test('accepted patterns with one unbounded repeat match 10,000-character adversarial inputs in well under a second', () => {
    let slowest = { ms: 0, pattern: '' };
    holds('linear patterns are fast', runFor(0x1d06, 60), fc.property(accepts(1), (s) => {
      const { ms, input } = timeOn(s);
      if (ms > slowest.ms) slowest = { ms, pattern: s.pattern };
      assert.ok(ms < 300, `${JSON.stringify(s.pattern)} took ${ms.toFixed(0)} ms on ${JSON.stringify(input.slice(0, 40))}…`);
    }));
    console.log(`one unbounded repeat, ${LENGTH}-character adversarial input: slowest ${JSON.stringify(slowest.pattern)} ${slowest.ms.toFixed(1)} ms`);
  });

  test('accepted patterns with two unbounded repeats: quadratic, measured (and bounded, so an exponential regression fails)', () => {
    let slowest = { ms: 0, pattern: '' };
    holds('quadratic patterns finish', runFor(0x1d07, 6), fc.property(accepts(2, 2), (s) => {
      const { ms } = timeOn(s);
      if (ms > slowest.ms) slowest = { ms, pattern: s.pattern };
      assert.ok(ms < 8_000, `${JSON.stringify(s.pattern)} took ${ms.toFixed(0)} ms`);
    }));
    console.log(`two unbounded repeats, ${LENGTH}-character adversarial input: slowest ${JSON.stringify(slowest.pattern)} ${slowest.ms.toFixed(1)} ms`);
  });
});
