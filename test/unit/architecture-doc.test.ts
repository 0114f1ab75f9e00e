// docs/ARCHITECTURE.md's layer table is the contributor's picture of what the linter enforces
// (eslint.config.mjs, `LAYERS`): this keeps the two the same, and every folder of src in one of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/repo-root';

/** `LAYERS` of eslint.config.mjs as written: one array of folder names per layer, lowest first. */
function lintLayers(): string[][] {
  const config = readFileSync(join(repoRoot, 'eslint.config.mjs'), 'utf8');
  const block = /const LAYERS = \[\n([\s\S]*?)\n\];/.exec(config);
  assert.ok(block, 'eslint.config.mjs no longer declares `const LAYERS = [ ... ];`');
  return block[1]!
    .split('\n')
    .map((line) => [...line.replace(/\/\/.*$/, '').matchAll(/'([^']+)'/g)].map((m) => m[1]!))
    .filter((l) => l.length > 0);
}

/** The layer table of docs/ARCHITECTURE.md: the folders of each row, in order. */
function docLayers(): string[][] {
  const doc = readFileSync(join(repoRoot, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Layers'), doc.indexOf('### The rooms'));
  return section
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((row) => [...row.split('|')[2]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

test("the layer table of docs/ARCHITECTURE.md is the linter's, row for row", () => {
  assert.deepEqual(docLayers(), lintLayers());
});

test('every folder and top-level file of src belongs to a layer', () => {
  const layered = new Set(lintLayers().flat());
  const entries = readdirSync(join(repoRoot, 'src'), { withFileTypes: true })
    .map((e) => e.name)
    .filter((n) => !n.endsWith('.d.ts'));
  assert.deepEqual(
    entries.filter((n) => !layered.has(n)),
    [],
    'add the folder to LAYERS in eslint.config.mjs and to docs/ARCHITECTURE.md',
  );
});
