// The V8 code cache (src/core/code-cache.ts), in child processes: installing it changes how
// that process loads CommonJS files, which the test runner's own process must not inherit.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeCacheReport } from '../../src/core/code-cache';

const MODULE = join(__dirname, '..', '..', 'src', 'core', 'code-cache.js');

interface Run {
  report: CodeCacheReport;
  values: unknown[];
}

/** A folder with the scripts under `root/` and the cache in `cache/`. */
function setUp(scripts: Record<string, string>): { base: string; root: string; cache: string } {
  const base = mkdtempSync(join(tmpdir(), 'pl-code-cache-'));
  const root = join(base, 'root');
  mkdirSync(root);
  for (const [name, text] of Object.entries(scripts)) writeFileSync(join(root, name), text);
  return { base, root, cache: join(base, 'cache') };
}

/** Installs the cache in a new Node process, requires `files`, prints what happened. */
function run(base: string, files: string[], options: { maxFiles?: number; env?: NodeJS.ProcessEnv } = {}): Run {
  const program = `
    const { installCodeCache } = require(${JSON.stringify(MODULE)});
    const report = installCodeCache({ root: ${JSON.stringify(join(base, 'root'))}, dir: ${JSON.stringify(join(base, 'cache'))}${options.maxFiles ? `, maxFiles: ${options.maxFiles}` : ''} });
    const values = ${JSON.stringify(files)}.map((f) => require(require('node:path').join(${JSON.stringify(base)}, f)).value);
    process.on('exit', () => process.stdout.write(JSON.stringify({ report, values })));`;
  const env = { PATH: process.env.PATH, ...options.env };
  return JSON.parse(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8', env })) as Run;
}

const cacheFiles = (cache: string): string[] => readdirSync(cache).sort();
const caches = (r: Run): string[] => r.report.scripts.map((s) => s.cache);

describe('the V8 code cache of the CLI', () => {
  test('the first run compiles and writes the cache, the next one runs from it, with the same result', () => {
    const { base, cache } = setUp({ 'a.js': 'exports.value = [1, 2, 3].map((x) => x * 14).join("-");' });
    const first = run(base, ['root/a.js']);
    assert.equal(first.report.mode, 'vm-script');
    assert.deepEqual(caches(first), ['miss']);
    assert.equal(first.report.written, 1);
    assert.deepEqual(first.values, ['14-28-42']);
    const [file] = cacheFiles(cache);
    assert.match(file!, /^[0-9a-f]{40}\.v8$/);
    assert.equal(statSync(cache).mode & 0o777, 0o700);
    assert.equal(statSync(join(cache, file!)).mode & 0o777, 0o600);
    const second = run(base, ['root/a.js']);
    assert.deepEqual(caches(second), ['hit']);
    assert.equal(second.report.written, 0);
    assert.deepEqual(second.values, ['14-28-42']);
  });

  test('a changed script of the same length never runs the old code: the cache is keyed by the source', () => {
    const { base, root, cache } = setUp({ 'a.js': 'exports.value = "first build";' });
    assert.deepEqual(run(base, ['root/a.js']).values, ['first build']);
    writeFileSync(join(root, 'a.js'), 'exports.value = "other build";');
    const changed = run(base, ['root/a.js']);
    assert.deepEqual(caches(changed), ['miss']);
    assert.deepEqual(changed.values, ['other build']);
    assert.equal(cacheFiles(cache).length, 2);
  });

  test('a damaged cache file is not handed to V8: the script compiles from source and the file is written again', () => {
    const { base, cache } = setUp({ 'a.js': 'exports.value = Array.from({ length: 5 }, (_, i) => i * i);' });
    run(base, ['root/a.js']);
    const [file] = cacheFiles(cache);
    const bytes = readFileSync(join(cache, file!));
    bytes[bytes.length - 8]! ^= 0xff;
    writeFileSync(join(cache, file!), bytes);
    const damaged = run(base, ['root/a.js']);
    assert.deepEqual(caches(damaged), ['miss']);
    assert.deepEqual(damaged.values, [[0, 1, 4, 9, 16]]);
    assert.equal(damaged.report.written, 1);
    assert.deepEqual(caches(run(base, ['root/a.js'])), ['hit']);
  });

  test('only scripts under the root go through the cache', () => {
    const { base, cache } = setUp({ 'a.js': 'exports.value = "inside";' });
    writeFileSync(join(base, 'outside.js'), 'exports.value = "outside";');
    const r = run(base, ['outside.js', 'root/a.js']);
    assert.deepEqual(r.values, ['outside', 'inside']);
    assert.deepEqual(
      r.report.scripts.map((s) => s.file),
      [join(base, 'root', 'a.js')],
    );
    assert.equal(cacheFiles(cache).length, 1);
  });

  test('a cache folder others can write to is not used: cached data is code', () => {
    const { base, cache } = setUp({ 'a.js': 'exports.value = "safe";' });
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    const r = run(base, ['root/a.js']);
    assert.equal(r.report.mode, 'off');
    assert.equal(r.report.off, `${cache} can be written by other users`);
    assert.deepEqual(r.values, ['safe']);
    assert.deepEqual(cacheFiles(cache), []);
  });

  test('NODE_DISABLE_COMPILE_CACHE turns it off', () => {
    const { base } = setUp({ 'a.js': 'exports.value = 1;' });
    const r = run(base, ['root/a.js'], { env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    assert.equal(r.report.mode, 'off');
    assert.deepEqual(r.report.scripts, []);
    assert.deepEqual(r.values, [1]);
  });

  test("one file loaded through the cache (the extension): exports, require and __dirname as require gives them; Node's loader untouched", () => {
    const { root, cache } = setUp({
      'main.js': 'exports.value = [require("./helper.js").twice(21), require("node:path").basename(__dirname), module.filename === __filename];',
      'helper.js': 'exports.twice = (x) => x * 2;',
    });
    const program = `
      const { loadThroughCodeCache } = require(${JSON.stringify(MODULE)});
      const compile = require('node:module').Module.prototype._compile;
      const loaded = loadThroughCodeCache(${JSON.stringify(join(root, 'main.js'))}, ${JSON.stringify(cache)});
      const written = loaded.save();
      process.stdout.write(JSON.stringify({ value: loaded.exports.value, cache: loaded.cache, written, again: loaded.save(), loaderUntouched: require('node:module').Module.prototype._compile === compile }));`;
    const load = () =>
      JSON.parse(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8', env: { PATH: process.env.PATH } })) as Record<string, unknown>;
    assert.deepEqual(load(), { value: [42, 'root', true], cache: 'miss', written: 1, again: 0, loaderUntouched: true });
    assert.deepEqual(load(), { value: [42, 'root', true], cache: 'hit', written: 0, again: 0, loaderUntouched: true });
    assert.equal(cacheFiles(cache).length, 1, 'only the file asked for went through the cache');
  });

  test('the folder keeps the newest files only', () => {
    const { base, cache } = setUp({ 'a.js': 'exports.value = "a";', 'b.js': 'exports.value = "b";', 'c.js': 'exports.value = "c";' });
    run(base, ['root/a.js'], { maxFiles: 2 });
    run(base, ['root/b.js', 'root/c.js'], { maxFiles: 2 });
    assert.equal(cacheFiles(cache).length, 2);
    const r = run(base, ['root/a.js', 'root/b.js', 'root/c.js'], { maxFiles: 2 });
    assert.deepEqual(caches(r), ['miss', 'hit', 'hit']);
  });
});
