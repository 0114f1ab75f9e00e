// The main job (`npm run demo`): installs what it needs (Debian's registry, Chromium's and
// code-server's system packages, code-server itself), builds, compiles, then runs
// out/tools/demo.js: a local registry with a signed demo release, and code-server with the
// packaged extension and a demo workspace. It prints the URL to open; Ctrl-C stops it all.
import { spawn, spawnSync } from 'node:child_process';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

run('bash', ['scripts/ensure-system.sh']);
// Prints code-server's entry point on stdout: not for the user.
run('bash', ['scripts/e2e/setup.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
run('node', ['scripts/build.mjs']);
run('npx', ['tsc', '-p', 'tsconfig.test.json']);

// The demo cleans up on SIGINT/SIGTERM/SIGHUP: pass them on and wait for it, rather than die first.
const demo = spawn(process.execPath, ['out/tools/demo.js'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => demo.kill(signal));
// `kill <npm's pid>` ends npm and its shell without passing the signal on: orphaned, stop too.
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid !== parent) demo.kill('SIGTERM');
}, 1000);
demo.on('exit', (code, signal) => {
  clearInterval(watch);
  process.exit(code ?? (signal ? 1 : 0));
});
