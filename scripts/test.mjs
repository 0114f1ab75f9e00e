// The one test command (`npm test`): runs `npm run check` (type-checks src, the tests and the
// page, then lints), installs what the tests need, builds, compiles the tests and runs them with
// node's test runner. Unit tests run first; integration tests start their own real registry.
// With suite names (`node scripts/test.mjs unit`, `npm run test:unit`) it runs only those suites
// and skips the check; `unit` alone installs nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function testFiles(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(testFiles(p));
    else if (p.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

const SUITES = ['unit', 'integration', 'e2e'];
const only = process.argv.slice(2);
const unknown = only.filter((s) => !SUITES.includes(s));
if (unknown.length) {
  console.error(`Unknown test suite ${unknown.join(', ')}: the suites are ${SUITES.join(', ')}.`);
  process.exit(2);
}
const suites = only.length ? only : SUITES;
// The check (package.json: typecheck + lint) first: it needs nothing installed and fails fastest.
if (only.length === 0) run('npm', ['run', 'check']);
if (suites.some((s) => s !== 'unit')) {
  // A real registry, skopeo, htpasswd and openssl from Debian, installed when missing.
  run('bash', ['scripts/ensure-system.sh']);
} else if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) {
  // The unit tests' own Sigstore makes its certificates with the openssl command; nothing else
  // outside Node is needed, and nothing is installed for them.
  console.error('The unit tests need the openssl command (Debian package openssl): install it, or run scripts/ensure-system.sh as root.');
  process.exit(2);
}
// code-server and Chromium for the real-VS-Code suite: installed up front, not inside a test hook.
if (suites.includes('e2e')) run('bash', ['scripts/e2e/setup.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
run('node', ['scripts/build.mjs']);
// Compiled tests from a previous run could include files since deleted: start clean.
rmSync('out', { recursive: true, force: true });
if (suites.length === 1 && suites[0] === 'unit') {
  // Only the unit tests and what they import (src, test/support): half the compile time of the
  // whole test project. Same options and output layout (rootDir, outDir come from the base).
  mkdirSync('out');
  writeFileSync(join('out', 'tsconfig.unit.json'), JSON.stringify({ extends: '../tsconfig.test.json', include: ['../test/unit/**/*.ts'] }));
  run('npx', ['tsc', '-p', join('out', 'tsconfig.unit.json')]);
} else {
  run('npx', ['tsc', '-p', 'tsconfig.test.json']);
}

const files = suites.flatMap((s) => testFiles(join('out', 'test', s)));
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
const tap = join('out', 'test-results.tap');
const r = spawnSync(
  'node',
  [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
// One plain closing line, whatever the reporter: "N passed, N failed, N skipped".
let summary = '';
try {
  const text = readFileSync(tap, 'utf8');
  const count = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  summary = `${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped`;
} catch {
  summary = 'no test results were written';
}
console.log(`\ntests: ${summary}`);
process.exit(r.status ?? 1);
