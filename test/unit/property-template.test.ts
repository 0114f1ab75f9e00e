// Property tests of the GoReleaser template renderer (src/goreleaser/template.ts): templates come
// from a goreleaser file in a cloned repository, so any text must render to a value (or the
// names it waits for) or to a typed error whose position lies in the text; never an exception,
// never a hang, never a crash of the extension host.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate } from '../../src/goreleaser/template';
import { contextFromTag } from '../../src/goreleaser/template-context';
import { MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_STEPS } from '../../src/goreleaser/template-limits';
import { MAX_TEMPLATE_NESTING } from '../../src/goreleaser/template-parser';

const ctx = contextFromTag('v1.2.3', { commit: 'abcdef0123456789abcdef0123456789abcdef01', env: { REGISTRY: 'ghcr.io/org' }, date: new Date('2025-01-02T03:04:05Z') });

describe('template renderer: hostile templates (regressions)', () => {
  test('nesting deeper than the limit is a syntax error at the opener that goes too deep, not a stack overflow', () => {
    const parens = (n: number) => `ab{{ ${'('.repeat(n)}1${')'.repeat(n)} }}`;
    const ifs = (n: number) => `${'{{ if true }}'.repeat(n)}x${'{{ end }}'.repeat(n)}`;
    assert.deepEqual(renderTemplate(parens(MAX_TEMPLATE_NESTING), ctx), { ok: true, value: 'ab1', unresolved: [] });
    assert.deepEqual(renderTemplate(ifs(MAX_TEMPLATE_NESTING), ctx), { ok: true, value: 'x', unresolved: [] });
    for (const [text, at] of [[parens(20_000), 5 + MAX_TEMPLATE_NESTING], [ifs(20_000), '{{ if true }}'.length * MAX_TEMPLATE_NESTING]] as const) {
      const r = renderTemplate(text, ctx);
      assert.ok(!r.ok, 'refused');
      assert.equal(r.error.kind, 'syntax');
      assert.equal(r.error.offset, at);
      assert.match(r.error.message, /nests deeper than 100 levels/);
    }
  });

  test('work and output are bounded: a range over 100,000,000, amplifying replaces and huge printf widths end in an exec error at the node, quickly', () => {
    const bounded = (text: string, at: number, message: RegExp) => {
      const start = Date.now();
      const r = renderTemplate(text, ctx);
      assert.ok(Date.now() - start < 5_000, `${text.slice(0, 60)} took ${Date.now() - start} ms`);
      assert.ok(!r.ok, `${text.slice(0, 60)} rendered`);
      assert.deepEqual([r.error.kind, r.error.offset], ['exec', at], text.slice(0, 60));
      assert.match(r.error.message, message);
    };
    // Before: the range materialised 10^8 entries and the process died out of memory.
    bounded('x{{ range 100000000 }}{{ end }}', 1, new RegExp(`more than ${MAX_TEMPLATE_STEPS} steps`));
    bounded('{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}', 18, /steps/);
    bounded('{{ range 2000000 }}abcdefghij{{ end }}', 19, new RegExp(`more than ${MAX_TEMPLATE_OUTPUT} characters`));
    // Each replace multiplies the length by 10: the sixth from inside (the fourth "replace"
    // written, at offset 4 + 3 * 9) is the first over the bound, the ninth would be 2 * 10^9.
    const amplify = Array.from({ length: 9 }).reduce<string>((inner) => `(replace ${inner} "a" "aaaaaaaaaa")`, '"aa"');
    bounded(`{{ ${amplify} }}`, 31, /error calling replace: the result is longer than/);
    // Before: RangeError "Invalid string length" thrown out of renderTemplate.
    bounded('{{ printf "%999999999d" 1 }}', 3, /error calling printf: the width 999999999 is over 1000000/);
    bounded('{{ printf "%.200f" 1.5 }}', 3, /error calling printf:/);
    // A speculative branch (on an unset variable) is bounded too, and its error is not swallowed.
    bounded('{{ if .Env.UNSET }}{{ range 100000000 }}{{ end }}{{ end }}', 19, /steps/);
    assert.deepEqual(renderTemplate('{{ range 3 }}{{ . }}{{ end }}', ctx), { ok: true, value: '012', unresolved: [] });
  });
});
