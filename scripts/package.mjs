// `npm run package`: the production bundles, then the .vsix (provenance-lens-<version>.vsix).
// What goes in is .vscodeignore's allowlist; the Marketplace page is MARKETPLACE.md (the
// repository's README.md is for people working on the project, and keeps its set-up commands).
// Not named README.<something>: npm pack ships every README* file at the root, and the CLI's
// package has no use for it.
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

run('node', ['scripts/build.mjs', '--production']);
run('npx', [
  'vsce', 'package',
  '--readme-path', 'MARKETPLACE.md',
  // The bundles hold every dependency (scripts/build.mjs): no node_modules in the package.
  '--no-dependencies',
  // The project has no public home yet: package.json names no repository, so vsce can neither
  // link one nor turn the README's relative image paths into URLs. The images are in the package
  // (media/screenshots), where VS Code's extension page loads them from.
  '--allow-missing-repository',
  '--no-rewrite-relative-links',
  ...process.argv.slice(2),
]);
