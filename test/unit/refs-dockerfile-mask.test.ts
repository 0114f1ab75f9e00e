// The Dockerfile mask (src/references/dockerfile-mask.ts): instructions that cannot name an image
// get their keyword replaced so dockerfile-ast does not parse their arguments. The references of
// every real Dockerfile here, and of snippets that put here-documents, continuations, comments and
// escape directives in the way, are the same with and without the mask.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { maskUnusedInstructions } from '../../src/references/dockerfile-mask';
import { dockerfileReferences } from '../../src/references/dockerfile';
import { LineIndex } from '../../src/references/positions';
import { realFixture } from '../support/real-fixtures';

const both = (text: string) => {
  const lines = new LineIndex(text);
  return { masked: dockerfileReferences(text, lines), whole: dockerfileReferences(text, lines, { mask: false }) };
};

const REAL = [
  ['docker-buildx', 'Dockerfile'],
  ['moby-buildkit', 'Dockerfile'],
  ['rancher-fleet', 'Dockerfile'],
  ['rancher-fleet', 'Dockerfile.agent'],
];

test('real Dockerfiles: the same references, positions and raw text with the mask as without', () => {
  for (const path of REAL) {
    const text = readFileSync(realFixture('dockerfile', ...path), 'utf8');
    const { masked, whole } = both(text);
    assert.ok(whole.length > 0, path.join('/'));
    assert.deepEqual(masked, whole, path.join('/'));
  }
});

test('the mask keeps the length and every line break, and changes only keywords and kept RUN commands', () => {
  const text = readFileSync(realFixture('dockerfile', 'moby-buildkit', 'Dockerfile'), 'utf8');
  const masked = maskUnusedInstructions(text);
  assert.equal(masked.length, text.length);
  assert.deepEqual(
    masked.split('\n').map((l) => l.length),
    text.split('\n').map((l) => l.length),
  );
  const written = text.split('\n');
  const changed = masked
    .split('\n')
    .map((l, i) => [l, written[i]!] as const)
    .filter(([l, w]) => l !== w);
  assert.ok(changed.length >= 40, `only ${changed.length} lines masked`);
  // A keyword made Zs, or a kept RUN's command made blanks (its flags and line ends kept).
  for (const [l, w] of changed)
    assert.ok(
      [...l].every((c, k) => c === w[k] || c === 'Z' || c === ' '),
      `${w}\n=> ${l}`,
    );
  assert.ok(changed.some(([l]) => /^\s*Z+\s/.test(l)));
  assert.ok(
    changed.some(([l]) => /^ +\\?$/.test(l)),
    'the command of a kept RUN is blanked',
  );
  // Kept: the instructions that can name an image or feed one a variable.
  assert.ok(masked.includes('COPY --link --from=tonistiigi/binfmt'));
  assert.ok(!/^\s*Z+ --mount=from=/m.test(masked));
});

test('here-documents: a RUN or COPY that opens one is kept, and its body is never read as instructions', () => {
  const cases = [
    ['FROM alpine AS base', 'RUN <<EOF', 'FROM evil/one', 'RUN echo hi \\', 'EOF', 'FROM base', 'COPY --from=golang:1.22 /x /y'],
    ['FROM alpine', 'RUN apt-get update \\', '  && apt-get install -y \\', '  <<EOT bash', 'FROM evil/two', 'EOT', 'FROM busybox'],
    ['FROM alpine', 'ONBUILD RUN <<EOF', 'FROM evil/three', 'EOF', 'FROM busybox'],
    ['FROM alpine', 'COPY <<-EOF /a', '\tFROM evil/four', '\tEOF', 'RUN echo done', 'FROM busybox'],
    ['FROM alpine', 'RUN cat <<"END" > /x', 'FROM evil/five', 'END', 'FROM nginx:1.27'],
  ];
  for (const lines of cases) {
    const text = `${lines.join('\n')}\n`;
    const { masked, whole } = both(text);
    assert.deepEqual(masked, whole, lines.join(' / '));
    assert.ok(!masked.some((s) => s.raw.startsWith('evil/')), `a here-document body was read as a FROM: ${lines.join(' / ')}`);
  }
});

test('continuations, comments inside them, CRLF and an escape directive: the same references', () => {
  const cases = [
    'ARG BASE=alpine:3.20\nFROM $BASE\nENV PATH=/x \\\n    RUN=1\nRUN echo $RUN \\\n  # a comment inside\n\n  && echo done\nFROM golang:1.22\n',
    'FROM alpine\r\nRUN echo a \\\r\n  b\r\nCOPY --link \\\r\n  --from=node:20 /a /b\r\nLABEL x=y\r\n',
    '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\nFROM mcr.microsoft.com/powershell\n',
    'FROM alpine\nRUN --mount=type=cache,target=/c \\\n    --mount=from=tonistiigi/xx:1.6,src=/x,target=/y true\nCMD ["sh"]\n',
  ];
  for (const text of cases) {
    const { masked, whole } = both(text);
    assert.ok(whole.length > 0);
    assert.deepEqual(masked, whole, JSON.stringify(text));
  }
  // With an escape directive nothing is masked: continuations would be read with another character.
  assert.equal(maskUnusedInstructions(cases[2]!), cases[2]);
});
