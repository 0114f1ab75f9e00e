import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeRegExp, patternProblems } from '../../src/verify/policy-regexp';
import { MAX_MATCHED_VALUE, matches } from '../../src/verify/identity-policy';
import { parseTemplate, placeholderFreePattern, renderExact, renderPattern } from '../../src/verify/policy-template';

const codes = (p: string): string[] => patternProblems(p).map((x) => `${x.code}@${x.offset}`);

describe('regexp checks: structure, with the offset', () => {
  test('valid patterns have no problems', () => {
    for (const p of [
      'https://github\\.com/org/repo/\\.github/workflows/[^/@]+@refs/tags/v[0-9.]+',
      '(\\d+\\.){3}\\d+', 'a{2,5}', 'x{', 'a{,3}', '[]]', '[^]', '(?:a|b)?c*', '(?<name>a)\\k<name>', '(?=a)a', '(?<!b)a', '\\(a+\\)+', '[(]+',
    ]) assert.deepEqual(codes(p), [], p);
  });
  test('malformed patterns point at the character', () => {
    assert.deepEqual(codes('ab(cd'), ['INVALID_REGEXP@2']);
    assert.deepEqual(codes('a(b(c)d'), ['INVALID_REGEXP@1']);
    assert.deepEqual(codes('ab)c'), ['INVALID_REGEXP@2']);
    assert.deepEqual(codes('ab[c'), ['INVALID_REGEXP@2']);
    assert.deepEqual(codes('ab\\'), ['INVALID_REGEXP@2']);
    assert.deepEqual(codes('*a'), ['INVALID_REGEXP@0']);
    assert.deepEqual(codes('a|+b'), ['INVALID_REGEXP@2']);
    assert.deepEqual(codes('(+)'), ['INVALID_REGEXP@1']);
    assert.deepEqual(codes('a**'), ['INVALID_REGEXP@2']);
    assert.deepEqual(codes('a{3,1}'), ['INVALID_REGEXP@1']);
    assert.deepEqual(codes('^*'), ['INVALID_REGEXP@1']);
  });
  test('what the scan does not model, V8 reports (at the start)', () => {
    const p = patternProblems('(?<a>x)(?<a>y)');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.offset, 0);
    assert.match(p[0]!.message, /[Dd]uplicate capture group name/);
  });
});

describe('regexp checks: nested quantifiers', () => {
  test('the (a+)+ shape is refused, at the group', () => {
    for (const [p, at] of [['(a+)+', 0], ['x(a*)*', 1], ['(?:x*y)*', 0], ['([a-z]+\\.)+', 0], ['(a{1,3})+', 0], ['((a+)b)+', 0], ['(a+){2,}', 0], ['(a+)+?', 0], ['((a)+)*', 0]] as const) {
      assert.deepEqual(codes(p), [`UNSAFE_REGEXP@${at}`], p);
    }
  });
  test('bounded or fixed repetition is allowed', () => {
    for (const p of ['(a+){3}', '(a+)?', '(a?)+', '(ab)+', '(a{2})+', '(a+)b+', '[a+]+', '(\\d+\\.){1,4}']) assert.deepEqual(codes(p), [], p);
  });
  test('it is a heuristic: overlapping alternatives are not caught (documented)', () => {
    assert.deepEqual(codes('(a|a)*'), []);
  });
});

describe('templates and escaping', () => {
  test('escapeRegExp makes any text literal', () => {
    const text = 'a.b*c+d?e^f$g|h(i)j[k]l{m}n\\o/p-q';
    assert.ok(new RegExp(`^${escapeRegExp(text)}$`).test(text));
    assert.ok(!new RegExp(`^${escapeRegExp('a.b')}$`).test('aXb'));
  });
  test('placeholders: known names, spacing tolerated, unknown ones reported with their offset', () => {
    assert.deepEqual(parseTemplate('refs/tags/{{ tag }}').parts, [{ literal: 'refs/tags/' }, { variable: 'tag' }]);
    assert.deepEqual(parseTemplate('{{registry}}/{{repository}}').parts, [{ variable: 'registry' }, { literal: '/' }, { variable: 'repository' }]);
    assert.deepEqual(parseTemplate('a {{ .Tag }} b').problems, [{ offset: 2, length: 10, name: '.Tag' }]);
  });
  test('a regexp template is checked with offsets that still point into the text', () => {
    const t = 'x{{tag}}(';
    assert.equal(placeholderFreePattern(t).length, t.length);
    assert.deepEqual(codes(placeholderFreePattern(t)), ['INVALID_REGEXP@8']);
  });
  test('rendering: exact needs every value; patterns escape values and widen only an unknown tag', () => {
    const { parts } = parseTemplate('https://x/{{builtIn}}@{{tag}}');
    assert.equal(renderExact(parts, { builtIn: 'o/r', tag: 'v1' }), 'https://x/o/r@v1');
    assert.equal(renderExact(parts, { builtIn: 'o/r' }), undefined);
    assert.equal(renderPattern(parts, { builtIn: 'o/r' }, 'text'), 'https://x/o/r@[^/]+');
    assert.equal(renderPattern(parts, { tag: 'v1' }, 'text'), undefined);
    assert.equal(renderPattern(parseTemplate('a.{{tag}}').parts, { tag: 'v1.0' }, 'pattern'), 'a.(?:v1\\.0)');
  });
});

test('a certificate value longer than MAX_MATCHED_VALUE never reaches a pattern (polynomial patterns stay bounded)', () => {
  const long = 'a'.repeat(MAX_MATCHED_VALUE + 1);
  const started = performance.now();
  assert.equal(matches({ regexp: '.*a.*a.*b' }, long), false);
  assert.ok(performance.now() - started < 50);
  assert.equal(matches({ regexp: 'a+' }, 'a'.repeat(MAX_MATCHED_VALUE)), true);
  assert.equal(matches({ exact: long }, long), true);
});
