// The main job (`npm start`): build, then inspect a demo release in a real local registry.
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
run('bash', ['scripts/ensure-system.sh']);
run('node', ['scripts/build.mjs']);
run('npx', ['tsc', '-p', 'tsconfig.test.json']);
run('node', ['out/tools/inspect-demo.js']);
