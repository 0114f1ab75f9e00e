// Property tests of the GoReleaser template renderer (src/goreleaser/template.ts): templates come
// from a goreleaser file in a cloned repository, so any text must render to a value (or the
// names it waits for) or to a typed error whose position lies in the text; never an exception,
// never a hang, never a crash of the extension host.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RenderResult } from '../../src/goreleaser/template';
import { renderTemplate } from '../../src/goreleaser/template';
import { contextFromTag } from '../../src/goreleaser/template-context';
import { MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_STEPS } from '../../src/goreleaser/template-limits';
import { MAX_TEMPLATE_NESTING } from '../../src/goreleaser/template-parser';
import { holds, runFor } from '../support/properties/run';
import { realFixtureDir } from '../support/real-fixtures';
import { actionSoup, editedTemplate, templateSoup, templatesIn } from '../support/properties/templates';
import { anyText } from '../support/properties/text';

const ctx = contextFromTag('v1.2.3', {
  commit: 'abcdef0123456789abcdef0123456789abcdef01',
  env: { REGISTRY: 'ghcr.io/org' },
  date: new Date('2025-01-02T03:04:05Z'),
});

/** Renders without throwing, and the result is one of the two documented shapes. */
function rendersWellFormed(text: string): RenderResult {
  let r: RenderResult;
  try {
    r = renderTemplate(text, ctx);
  } catch (e) {
    throw new Error(`${JSON.stringify(text)} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  if (r.ok) {
    assert.equal(r.value === null, r.unresolved.length > 0, 'value is null exactly when something is unresolved');
    assert.ok(r.unresolved.every((n) => typeof n === 'string' && n !== ''));
    return r;
  }
  const { kind, offset, line, column, message } = r.error;
  assert.ok(kind === 'syntax' || kind === 'exec');
  assert.ok(Number.isInteger(offset) && offset >= 0 && offset <= text.length, `offset ${offset} outside ${JSON.stringify(text)}`);
  const before = text.slice(0, offset);
  assert.equal(line, before.split('\n').length, 'line');
  assert.equal(column, offset - (before.lastIndexOf('\n') + 1) + 1, 'column');
  assert.ok(typeof message === 'string' && message !== '');
  return r;
}

const goreleaserConfigs = realFixtureDir('goreleaser');

describe('property: any template text renders or fails with a position in the text', () => {
  test('arbitrary text', () => {
    holds(
      'arbitrary text',
      runFor(0x7e01, 1500),
      fc.property(anyText(120), (t) => void rendersWellFormed(t)),
    );
  });

  test('token soup and actions of soup', () => {
    holds(
      'token soup',
      runFor(0x7e02, 3000),
      fc.property(templateSoup, (t) => void rendersWellFormed(t)),
    );
    holds(
      'action soup',
      runFor(0x7e03, 3000),
      fc.property(actionSoup, (t) => {
        // Rendering is a function of the text: the parse cache changes nothing.
        assert.deepEqual(rendersWellFormed(t), renderTemplate(t, ctx));
      }),
    );
  });

  test('the real templates of goreleaser configs, each with one edit', () => {
    const templates = templatesIn(goreleaserConfigs);
    assert.ok(templates.length >= 20, `only ${templates.length} templates found under ${goreleaserConfigs}`);
    holds(
      'edited real templates',
      runFor(0x7e04, 2000),
      fc.property(editedTemplate(templates), (t) => void rendersWellFormed(t)),
    );
  });

  test('an environment value is printed as written, never read as a template', () => {
    holds(
      'env values are data',
      runFor(0x7e05, 1000),
      fc.property(anyText(60), templateSoup, (value, soup) => {
        const env = { ...ctx, env: { ...ctx.env, X: value, Y: soup } };
        assert.deepEqual(renderTemplate('{{ .Env.X }}|{{ .Env.Y }}', env), { ok: true, value: `${value}|${soup}`, unresolved: [] });
      }),
    );
  });
});

describe('template renderer: hostile templates (regressions)', () => {
  test('nesting deeper than the limit is a syntax error at the opener that goes too deep, not a stack overflow', () => {
    const parens = (n: number) => `ab{{ ${'('.repeat(n)}1${')'.repeat(n)} }}`;
    const ifs = (n: number) => `${'{{ if true }}'.repeat(n)}x${'{{ end }}'.repeat(n)}`;
    assert.deepEqual(renderTemplate(parens(MAX_TEMPLATE_NESTING), ctx), { ok: true, value: 'ab1', unresolved: [] });
    assert.deepEqual(renderTemplate(ifs(MAX_TEMPLATE_NESTING), ctx), { ok: true, value: 'x', unresolved: [] });
    for (const [text, at] of [
      [parens(20_000), 5 + MAX_TEMPLATE_NESTING],
      [ifs(20_000), '{{ if true }}'.length * MAX_TEMPLATE_NESTING],
    ] as const) {
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
