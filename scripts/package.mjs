// `npm run package`: the production bundles, then the .vsix (provenance-lens-<version>.vsix).
// What goes in is .vscodeignore's allowlist; the Marketplace page is MARKETPLACE.md (the
// repository's README.md is for people working on the project, and keeps its set-up commands),
// with its images inlined (scripts/marketplace-readme.mjs says why).
// Not named README.<something>: npm pack ships every README* file at the root, and the CLI's
// package has no use for it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeMarketplaceReadme } from './marketplace-readme.mjs';

/** `vsce package` arguments for a README written by writeMarketplaceReadme (also test/e2e). */
export function vscePackageArgs(readme) {
  return [
    'package',
    '--readme-path',
    readme,
    // The bundles hold every dependency (scripts/build.mjs): no node_modules in the package.
    '--no-dependencies',
    // The project has no public home yet: package.json names no repository, so vsce can neither
    // link one nor turn the README's relative paths into URLs (its images are inlined instead).
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
  ];
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run('node', ['scripts/build.mjs', '--production']);
  run('npx', ['vsce', ...vscePackageArgs(writeMarketplaceReadme(process.cwd())), ...process.argv.slice(2)]);
}
