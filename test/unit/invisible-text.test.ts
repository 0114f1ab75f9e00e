// One set of invisible and direction-changing characters (src/core/invisible.ts) for every surface:
// the terminal, the tree, hovers and the image panel's page each replace them in their own way,
// but none lets through one another would catch. The page keeps its own copy of the set (it may
// import only the panel protocol); here every UTF-16 unit is put through both.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalText } from '../../src/cli/format';
import { isInvisible, replaceInvisible } from '../../src/core/invisible';
import { visibleText } from '../../src/goreleaser/hover-markdown';
import { hasInvisible, segments } from '../../webview/text';

const all = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c));
const invisible = all.filter(isInvisible);

describe('one set of invisible characters', () => {
  test('the set: controls, bidi embeddings, overrides and isolates, zero-width and format characters', () => {
    for (const c of [
      0x00, 0x07, 0x0a, 0x1b, 0x7f, 0x85, 0x9f, 0xad, 0x61c, 0x180e, 0x200b, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2060, 0x2066, 0x2069, 0x206f,
      0xfeff, 0xfff9, 0xfffb,
    ]) {
      assert.ok(isInvisible(String.fromCharCode(c)), `U+${c.toString(16)} is in the set`);
    }
    for (const s of ['a', ' ', '/', 'ש', 'م', '日', '\u00a0', '\u2010', '\u2070', '\ufff8', '\ufffc', '\ufffd'])
      assert.equal(isInvisible(s), false, JSON.stringify(s));
    assert.equal(
      invisible.length,
      32 + 33 + 1 + 1 + 1 + 5 + 7 + 16 + 1 + 3,
      'C0, DEL and C1, SHY, ALM, MVS, ZW*/LRM/RLM, LS..RLO, U+2060-U+206F, BOM, U+FFF9-U+FFFB',
    );
  });

  test("the page's copy covers exactly the same characters", () => {
    const differ = all.filter((c) => isInvisible(c) !== hasInvisible(c));
    assert.deepEqual(
      differ.map((c) => `U+${c.charCodeAt(0).toString(16)}`),
      [],
    );
    for (const c of invisible) assert.equal(segments(`a${c}b`).length, 3, `the page marks U+${c.charCodeAt(0).toString(16)}`);
  });

  test('every surface replaces each of them: terminal `?`, hover U+FFFD, and keeps other text', () => {
    const sample = invisible.join('');
    assert.equal(terminalText(`x${sample}y`), `x${'?'.repeat(invisible.length)}y`);
    // Hovers turn line breaks and tabs (\t, \n, \r) into spaces first; everything else in the set is U+FFFD.
    assert.equal(visibleText(`x${sample}y`, 10_000), `x${'\ufffd'.repeat(9)}  ${'\ufffd'.repeat(2)} ${'\ufffd'.repeat(invisible.length - 14)}y`);
    assert.equal(terminalText('ghcr.io/org/app:v1 שלום 👍🏽'), 'ghcr.io/org/app:v1 שלום 👍🏽');
    assert.equal(replaceInvisible('a\n\tb\u202e', '·', '\n\t'), 'a\n\tb·', 'kept characters stay');
  });
});
