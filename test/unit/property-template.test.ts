// Property tests of the GoReleaser template renderer (src/goreleaser/template.ts): templates come
// from a goreleaser file in a cloned repository, so any text must render to a value (or the
// names it waits for) or to a typed error whose position lies in the text; never an exception,
// never a hang, never a crash of the extension host.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate } from '../../src/goreleaser/template';
import { contextFromTag } from '../../src/goreleaser/template-context';
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
});
