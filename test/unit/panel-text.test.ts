// The page's text handling (webview/text.ts is pure, so it runs here too) and a guard over the
// page's sources: no HTML parsing of anything, ever.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clip, flatten, formatBytes, groupDigits, hasInvisible, segments, shortDigest } from '../../webview/text';

const repoRoot = resolve(__dirname, '..', '..', '..');

describe('invisible characters are made visible', () => {
  test('bidi overrides and isolates become named markers', () => {
    assert.deepEqual(segments('https://github.com/x\u202Etxt.exe\u2066y\u2069'), [
      'https://github.com/x',
      { marker: 'RLO', code: 'U+202E' },
      'txt.exe',
      { marker: 'LRI', code: 'U+2066' },
      'y',
      { marker: 'PDI', code: 'U+2069' },
    ]);
    for (const c of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      assert.ok(hasInvisible(`a${String.fromCharCode(c)}b`), c.toString(16));
    }
  });

  test('zero-width characters and controls too; newlines and tabs only in multi-line text', () => {
    assert.deepEqual(segments('a\u200Bb\u0007c\u001b'), [
      'a',
      { marker: 'ZWSP', code: 'U+200B' },
      'b',
      { marker: 'U+0007', code: 'U+0007' },
      'c',
      { marker: 'U+001B', code: 'U+001B' },
    ]);
    assert.deepEqual(segments('a\nb\tc'), ['a', { marker: 'U+000A', code: 'U+000A' }, 'b', { marker: 'U+0009', code: 'U+0009' }, 'c']);
    assert.deepEqual(segments('a\nb\tc', true), ['a\nb\tc']);
    assert.deepEqual(segments('{\n  "x": "\u202E"\n}', true), ['{\n  "x": "', { marker: 'RLO', code: 'U+202E' }, '"\n}']);
  });

  test('ordinary text, including right-to-left scripts and emoji, is left alone', () => {
    for (const s of ['plain', 'שלום', 'مرحبا', '日本語', '👍🏽', '<script>alert(1)</script>']) {
      assert.deepEqual(segments(s), [s]);
      assert.equal(hasInvisible(s), false);
    }
  });

  test('flatten: markers inline for places that take a plain string', () => {
    assert.equal(flatten('admin\u202Enimda'), 'admin⟨RLO⟩nimda');
    assert.equal(flatten('x'.repeat(300), 10), `${'x'.repeat(10)}…`);
  });
});

describe('long values', () => {
  test('clip keeps the first characters and counts the rest', () => {
    const big = 'A'.repeat(1024 * 1024);
    assert.deepEqual(clip(big, 400), { text: 'A'.repeat(400), omitted: 1024 * 1024 - 400 });
    assert.deepEqual(clip('short', 400), { text: 'short', omitted: 0 });
  });

  test('clip never splits a surrogate pair', () => {
    const s = `${'a'.repeat(9)}😀b`;
    assert.deepEqual(clip(s, 10), { text: 'a'.repeat(9), omitted: 3 });
  });

  test('numbers for people', () => {
    assert.equal(groupDigits(1048576), '1,048,576');
    assert.equal(groupDigits(12), '12');
    assert.equal(formatBytes(31_457_280), '31 MB');
    assert.equal(formatBytes(1_234_567), '1.2 MB');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(shortDigest('sha256:1a2b3c4d5e6f7a8b9c0d'), 'sha256:1a2b3c4d5e6f');
  });
});

describe('the page never parses HTML', () => {
  const dir = join(repoRoot, 'webview');
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);

  test('no innerHTML, outerHTML, insertAdjacentHTML, document.write, eval or Function', () => {
    assert.ok(sources.length >= 5);
    for (const [file, text] of sources) {
      const code = text.replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
      assert.doesNotMatch(
        code,
        /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(|DOMParser|createContextualFragment|srcdoc/,
        file,
      );
    }
  });

  test('imports from src are types only', () => {
    for (const [file, text] of sources) {
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*from\s+'(\.\.\/src\/[^']+)'/gm)) {
        assert.ok(m[1], `${file} imports ${m[2]} at runtime`);
      }
    }
  });
});
