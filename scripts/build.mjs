// Bundles with esbuild: the CLI and the extension host (Node, CommonJS) and, once it
// exists, the webview page (browser, IIFE). `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { existsSync, chmodSync, cpSync, mkdirSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

// Packages only some runs need, each bundled into a file of its own that the program requires
// the first time it uses it, so that loading the extension (activation) or the CLI does not
// read and parse them. esbuild's `splitting` would do this, but needs ESM output, and the
// extension host loads CommonJS. Only third-party packages are split off, never our own
// modules: each module then exists once per program, so no module state is duplicated (the
// redaction list in src/core/redact.ts, LensError's class identity).
// - @sigstore/tuf: the TUF client and its HTTP stack (make-fetch-happen), about 1 MB minified,
//   for a trusted-root refresh only (src/verify/trust-refresh.ts imports it dynamically);
// - undici: the registry HTTP client, about 0.5 MB, in the extension only, where the registry
//   engines load on the first image read (src/host/engines.ts). The CLI needs it at start.
// A new file here must be added to .vscodeignore's allowlist.
// - re2js: the RE2 engine for identity patterns and goreleaser's filter functions (src/core/re2.ts
//   requires it on first use), in the CLI and the extension.
const LAZY = { '@sigstore/tuf': 'tuf.js', undici: 'undici.js', re2js: 're2js.js' };
const lazy = (packages) => ({
  name: 'lazy-packages',
  setup(b) {
    // An import of the package becomes a stub module that requires the file: a stub and not the
    // file marked external, because esbuild would keep an external `import()` as a real ESM
    // import(), which sees no named exports in a CommonJS file. The stub is evaluated when the
    // code that imports the package first runs (dynamic imports, and modules esbuild wraps to
    // initialise lazily), so the require happens then, not when the bundle loads.
    for (const name of packages) {
      const filter = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      b.onResolve({ filter }, () => ({ path: name, namespace: 'lazy-package' }));
    }
    // Relative to the bundle that requires it: dist/extension.js, dist/cli.js.
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (a) => ({ contents: `module.exports = require(${JSON.stringify(`./${LAZY[a.path]}`)});`, loader: 'js' }));
    b.onResolve({ filter: /.*/, namespace: 'lazy-package' }, (a) => ({ path: a.path, external: true }));
  },
});
// jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow: its ES module build bundles.
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' } };

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const targets = [
  // `provenance-lens --version` says the version of the package it was built from (src/cli/run.ts).
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, define: { __VERSION__: JSON.stringify(version) }, plugins: [lazy(['@sigstore/tuf', 're2js'])] },
  ...Object.entries(LAZY).map(([name, file]) => ({ ...node, entryPoints: [name], outfile: `dist/${file}` })),
];
if (existsSync('src/extension.ts')) {
  targets.push({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazy(Object.keys(LAZY))] });
}
if (existsSync('webview/main.ts')) {
  targets.push({ ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', target: 'es2022', format: 'iife' });
  // The codicon font for the page's icons (vscode-elements' <vscode-icon> links this stylesheet).
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
}

if (watch) {
  for (const t of targets) await (await context(t)).watch();
} else {
  await Promise.all(targets.map((t) => build(t)));
  chmodSync('dist/cli.js', 0o755);
}
