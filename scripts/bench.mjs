// `npm run bench`: installs what benchmarks need (a real registry, skopeo), builds the CLI,
// compiles bench/ with the tests, and runs every benchmark bench/<name>.ts (as
// out/bench/<name>.js) in turn. `npm run bench -- inspect` runs only the named ones.
// Benchmarks print figures; a missed target is not a failure. The exit code is non-zero only
// when a step or a benchmark run breaks (the other benchmarks still run).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(join(dirname(fileURLToPath(import.meta.url)), '..'));

function step(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\nbench: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

step('bash', ['scripts/ensure-system.sh']);
step('node', ['scripts/build.mjs']);
step('npx', ['tsc', '-p', 'tsconfig.test.json']);

// From the sources, not from out/: a deleted benchmark's stale output must not run.
const only = process.argv.slice(2);
const names = readdirSync('bench')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();
if (names.length === 0) {
  console.error(only.length ? `bench: no benchmark named ${only.join(', ')} in bench/` : 'bench: no benchmarks in bench/');
  process.exit(1);
}

const failed = [];
for (const name of names) {
  const file = join('out', 'bench', `${name}.js`);
  console.log(`\n=== bench/${name}.ts ===`);
  if (!existsSync(file)) {
    console.error(`bench: ${file} was not produced by tsc`);
    failed.push(name);
    continue;
  }
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nbench: ${failed.length} of ${names.length} benchmark runs broke: ${failed.join(', ')}`);
  process.exit(1);
}
