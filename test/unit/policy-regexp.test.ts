import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matches, MAX_MATCHED_VALUE } from '../../src/verify/policy/identity-policy';
import { escapeRegExp, patternProblems } from '../../src/verify/policy/policy-regexp';
import { parsePlaceholders, placeholderFreePattern, renderExact, renderPattern } from '../../src/verify/policy/policy-template';

const codes = (p: string): string[] => patternProblems(p).map((x) => `${x.code}@${x.offset}`);

describe("regexp checks: RE2 syntax, as cosign's, with the offset", () => {
  test('valid patterns have no problems, including RE2 syntax JavaScript lacks', () => {
    for (const p of [
      'https://github\\.com/org/repo/\\.github/workflows/[^/@]+@refs/tags/v[0-9.]+',
      '(\\d+\\.){3}\\d+',
      'a{2,5}',
      'x{',
      'a{,3}',
      '[]]',
      '[]a]',
      '(?:a|b)?c*',
      '\\(a+\\)+',
      '[(]+',
      '^*',
      '(?i)https://github\\.com/Org/.*',
      '\\Ahttps://x\\z',
      '(?P<name>a)',
      '[[:alpha:]]+',
      '\\Qa.b\\E',
    ])
      assert.deepEqual(codes(p), [], p);
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
    assert.deepEqual(codes('a**'), ['INVALID_REGEXP@1']);
    assert.deepEqual(codes('a{3,1}'), ['INVALID_REGEXP@1']);
    assert.deepEqual(codes('a{1001}'), ['INVALID_REGEXP@1']);
  });
  test("the reason is RE2's, naming the piece; what RE2 leaves out says so", () => {
    assert.deepEqual(patternProblems('a(?=b)'), [
      {
        code: 'INVALID_REGEXP',
        offset: 1,
        message: 'invalid or unsupported Perl syntax: "(?=" (RE2, the syntax cosign uses, has no lookarounds or back references)',
      },
    ]);
    assert.match(patternProblems('(a)\\1')[0]!.message, /invalid escape sequence: "\\1"/);
    assert.deepEqual(
      patternProblems('(?<a>x)(?<a>y)').map((p) => p.message),
      ['duplicate capture group name: "a"'],
    );
    assert.deepEqual(
      patternProblems('ab[c').map((p) => p.message),
      ['missing closing ]: "[c"'],
    );
  });
});

describe('regexp matching: the whole value, in linear time', () => {
  test('alternation cannot escape the whole-value match', () => {
    assert.equal(matches({ regexp: 'a|b' }, 'ab'), false);
    assert.equal(matches({ regexp: 'https://github\\.com/org/.*|x' }, 'evil https://github.com/org/a'), false);
    assert.equal(matches({ regexp: '(?i)https://github\\.com/org/.*' }, 'https://GitHub.com/Org/a'), true);
  });
  test('the (a+)+ shape, exponential for a backtracking engine, answers at once on a 4096-character near miss', () => {
    for (const p of ['(a+)+', 'x(a*)*', '(?:x*y)*', '([a-z]+\\.)+', '(a|a)*', '.*a.*a.*b']) {
      assert.deepEqual(codes(p), [], p);
      assert.equal(matches({ regexp: p }, `${'a'.repeat(MAX_MATCHED_VALUE - 1)}!`), false, p);
    }
  });
});

describe('templates and escaping', () => {
  test('escapeRegExp makes any text literal', () => {
    const text = 'a.b*c+d?e^f$g|h(i)j[k]l{m}n\\o/p-q';
    assert.ok(matches({ regexp: escapeRegExp(text) }, text));
    assert.ok(!matches({ regexp: escapeRegExp('a.b') }, 'aXb'));
  });
  test('placeholders: known names, spacing tolerated, unknown ones reported with their offset', () => {
    assert.deepEqual(parsePlaceholders('refs/tags/{{ tag }}').parts, [{ literal: 'refs/tags/' }, { variable: 'tag' }]);
    assert.deepEqual(parsePlaceholders('{{registry}}/{{repository}}').parts, [{ variable: 'registry' }, { literal: '/' }, { variable: 'repository' }]);
    assert.deepEqual(parsePlaceholders('a {{ .Tag }} b').problems, [{ offset: 2, length: 10, name: '.Tag' }]);
  });
  test('a regexp template is checked with offsets that still point into the text', () => {
    const t = 'x{{tag}}(';
    assert.equal(placeholderFreePattern(t).length, t.length);
    assert.deepEqual(codes(placeholderFreePattern(t)), ['INVALID_REGEXP@8']);
  });
  test('rendering: exact needs every value; patterns escape values and widen only an unknown tag', () => {
    const { parts } = parsePlaceholders('https://x/{{builtIn}}@{{tag}}');
    assert.equal(renderExact(parts, { builtIn: 'o/r', tag: 'v1' }), 'https://x/o/r@v1');
    assert.equal(renderExact(parts, { builtIn: 'o/r' }), undefined);
    assert.equal(renderPattern(parts, { builtIn: 'o/r' }, 'text'), 'https://x/o/r@[^/]+');
    assert.equal(renderPattern(parts, { tag: 'v1' }, 'text'), undefined);
    assert.equal(renderPattern(parsePlaceholders('a.{{tag}}').parts, { tag: 'v1.0' }, 'pattern'), 'a.(?:v1\\.0)');
  });
});

test('a certificate value longer than MAX_MATCHED_VALUE never matches a pattern', () => {
  const long = 'a'.repeat(MAX_MATCHED_VALUE + 1);
  assert.equal(matches({ regexp: 'a+' }, long), false);
  assert.equal(matches({ regexp: 'a+' }, 'a'.repeat(MAX_MATCHED_VALUE)), true);
  assert.equal(matches({ exact: long }, long), true);
});
