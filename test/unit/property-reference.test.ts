// Property tests of the reference parser (src/registry/reference.ts): whatever a goreleaser
// file, a setting or a pasted line holds, parsing ends in a reference that formats back to
// itself, or in REFERENCE_INVALID pointing inside the text; never another exception.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isLensError } from '../../src/core/errors';
import type { ImageReference } from '../../src/registry/reference';
import { formatReference, parseReference } from '../../src/registry/reference';
import type { ReferenceParts } from '../support/properties/references';
import { digest, referenceParts, referenceSoup, referenceText, tag } from '../support/properties/references';
import { holds, runFor } from '../support/properties/run';
import { anyText } from '../support/properties/text';

/** Parses, or returns the REFERENCE_INVALID error; anything else thrown fails the property. */
function parseOrInvalid(input: string): ImageReference | { invalid: number } {
  try {
    return parseReference(input);
  } catch (e) {
    if (!isLensError(e, 'REFERENCE_INVALID')) throw new Error(`${JSON.stringify(input)} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return { invalid: Number(e.details.position) };
  }
}

function stableOrInvalid(input: string): void {
  const r = parseOrInvalid(input);
  if ('invalid' in r) {
    // 1-based character position, or 0 when the whole reference is at fault (empty, too long).
    assert.ok(Number.isInteger(r.invalid) && r.invalid >= 0 && r.invalid <= input.length + 1, `position ${r.invalid} outside ${JSON.stringify(input)}`);
    return;
  }
  const text = formatReference(r);
  assert.deepEqual(parseReference(text), r, `${JSON.stringify(input)} -> ${text}`);
  assert.equal(formatReference(parseReference(text)), text);
}

/** What distribution/reference makes of the parts, Docker Hub normalisation included. */
function expected(p: ReferenceParts): ImageReference {
  let registry = p.domain ?? 'docker.io';
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  const repository = registry === 'docker.io' && p.path.length === 1 ? `library/${p.path[0]}` : p.path.join('/');
  return { kind: 'registry', registry, repository, ...(p.tag !== undefined ? { tag: p.tag } : {}), ...(p.digest !== undefined ? { digest: p.digest } : {}) };
}

describe('property: the reference parser', () => {
  test('arbitrary text: REFERENCE_INVALID with a position in the text, or a reference that formats back to itself', () => {
    holds(
      'arbitrary unicode',
      runFor(0x5eed01, 2000),
      fc.property(anyText(80), (s) => stableOrInvalid(s)),
    );
    holds(
      'reference soup',
      runFor(0x5eed02, 4000),
      fc.property(referenceSoup, (s) => stableOrInvalid(s)),
    );
    holds(
      'valid reference with an edit',
      runFor(0x5eed03, 2000),
      fc.property(referenceParts, fc.nat(), fc.string({ maxLength: 3 }), (p, at, insert) => {
        const text = referenceText(p);
        const i = at % (text.length + 1);
        stableOrInvalid(text.slice(0, i) + insert + text.slice(i));
        stableOrInvalid(text.slice(0, i) + text.slice(i + 1));
      }),
    );
  });

  test('generated valid references parse to their parts and round-trip', () => {
    // Without a domain, a first component that looks like a host ("a.b", "localhost") is read as
    // one, as distribution/reference does; those texts are left to the stability property.
    const parts = referenceParts.filter((p) => p.domain !== undefined || p.path.length === 1 || !(p.path[0]!.includes('.') || p.path[0] === 'localhost'));
    holds(
      'valid references',
      runFor(0x5eed04, 3000),
      fc.property(parts, fc.constantFrom('', ' ', '\t'), (p, pad) => {
        const text = referenceText(p);
        const want = expected(p);
        if (`${(want as { registry: string }).registry}/${(want as { repository: string }).repository}`.length > 255) {
          assert.deepEqual(parseOrInvalid(text), { invalid: 0 });
          return;
        }
        const got = parseReference(`${pad}${text}${pad}`);
        assert.deepEqual(got, want, text);
        assert.deepEqual(parseReference(formatReference(got)), got);
      }),
    );
  });

  test('generated OCI layout references keep their path, tag and digest', () => {
    // ":" and "@" may appear in directory names, not in the last segment (there they would
    // start a tag or digest); the last segment has no space (the reference is trimmed).
    const inner = fc.stringMatching(/^[\w.:@ -]{1,8}$/);
    const last = fc.stringMatching(/^[\w.-]{1,8}$/);
    const path = fc.tuple(fc.array(inner, { maxLength: 3 }), last).map(([dirs, name]) => `/${[...dirs, name].join('/')}`);
    const layout = fc.record({ path, tag, digest }, { requiredKeys: ['path'] });
    holds(
      'layout references',
      runFor(0x5eed05, 2000),
      fc.property(layout, (l) => {
        const suffix = l.digest !== undefined ? `@${l.digest}` : l.tag !== undefined ? `:${l.tag}` : '';
        const text = `oci-layout:${l.path}${suffix}`;
        const r = parseOrInvalid(text);
        if ('invalid' in r) assert.fail(`${text} is invalid at ${r.invalid}`);
        assert.deepEqual(
          r,
          { kind: 'oci-layout', path: l.path, ...(l.digest !== undefined ? { digest: l.digest } : l.tag !== undefined ? { tag: l.tag } : {}) },
          text,
        );
        assert.equal(formatReference(r), text);
      }),
    );
  });
});
