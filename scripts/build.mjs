// Bundles with esbuild: the CLI and the extension host (Node, CommonJS) and, once it
// exists, the webview page (browser, IIFE). `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { existsSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
// read and parse them. In the extension, only third-party packages are split off, never our own
// modules: each module then exists once per program, so no module state is duplicated (the
// redaction list in src/core/redact.ts, LensError's class identity). The CLI splits its own
// modules too, keeping that rule another way (see `cli` below).
// - @sigstore/tuf: the TUF client and its HTTP stack (make-fetch-happen), about 1 MB minified,
//   for a trusted-root refresh only (src/verify/trust/trust-refresh.ts imports it dynamically);
// - undici: the registry HTTP client, about 0.3 MB (see ENTRIES), loaded on the first image read
//   (the extension's src/host/engines.ts, the CLI's commands that talk to a registry);
// - re2js: the RE2 engine for identity patterns and goreleaser's filter functions (src/core/re2.ts
//   requires it on first use), in the CLI and the extension.
// A new file here must be added to .vscodeignore's allowlist (and .npmignore's, for the CLI).
const LAZY = { '@sigstore/tuf': 'tuf.js', undici: 'undici.js', re2js: 're2js.js' };
// undici: only what src/registry uses, the Agent and request() (src/registry/transport.ts calls it
// with a URL and its own dispatcher, always). The package's index also loads fetch, WebSocket, the
// caches and the mocks, and reads `globalThis.Headers`, which makes Node load its own internal
// copy of undici: 0.53 MB and 45 ms to load, against 0.30 MB and 21 ms. A new value imported from
// 'undici' in src/ must be exported here.
const ENTRIES = {
  undici: `const Agent = require('undici/lib/dispatcher/agent');
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
Object.assign(Dispatcher.prototype, require('undici/lib/api'));
exports.Agent = Agent;
exports.request = (url, options) => options.dispatcher.request({ ...options, origin: url.origin, path: url.pathname + url.search });
`,
};
const exact = (name) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
const lazy = (packages) => ({
  name: 'lazy-packages',
  setup(b) {
    // An import of the package becomes a stub module that requires the file: a stub and not the
    // file marked external, because esbuild would keep an external `import()` as a real ESM
    // import(), which sees no named exports in a CommonJS file. The stub is evaluated when the
    // code that imports the package first runs (dynamic imports, and modules esbuild wraps to
    // initialise lazily), so the require happens then, not when the bundle loads.
    for (const name of packages) b.onResolve({ filter: exact(name) }, () => ({ path: name, namespace: 'lazy-package' }));
    // Relative to the bundle that requires it: dist/extension-main.js.
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (a) => ({
      contents: `module.exports = require(${JSON.stringify(`./${LAZY[a.path]}`)});`,
      loader: 'js',
    }));
    b.onResolve({ filter: /.*/, namespace: 'lazy-package' }, (a) => ({ path: a.path, external: true }));
  },
});
// jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow: its ES module build bundles.
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' } };

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const targets = [
  // The program: a few kB that set up the code cache and require dist/cli/main.js (src/cli/boot.ts).
  { ...node, entryPoints: ['src/cli/boot.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  ...Object.entries(LAZY).map(([name, file]) => ({
    ...node,
    outfile: `dist/${file}`,
    ...(ENTRIES[name]
      ? { stdin: { contents: ENTRIES[name], resolveDir: process.cwd(), sourcefile: `${name}-entry.js`, loader: 'js' } }
      : { entryPoints: [name] }),
  })),
];
if (existsSync('src/extension.ts')) {
  // What VS Code loads is a few kB (src/extension-boot.ts): it loads the extension itself through
  // a V8 code cache, which VS Code would not (the activation time counts loading the code).
  targets.push({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension-main.js', external: ['vscode'], plugins: [lazy(Object.keys(LAZY))] });
  targets.push({ ...node, entryPoints: ['src/extension-boot.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
  // The worker threads that read the workspace's Dockerfiles and YAML for its image references
  // (src/references/worker-reader.ts), off the extension host's thread.
  targets.push({ ...node, entryPoints: ['src/references/index-worker.ts'], outfile: 'dist/references-worker.js' });
}
if (existsSync('webview/main.ts')) {
  targets.push({ ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', target: 'es2022', format: 'iife' });
  // The codicon font for the page's icons (vscode-elements' <vscode-icon> links this stylesheet).
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
}

// The CLI's commands, dist/cli/: each command loads only its own modules (src/cli/commands.ts
// imports them dynamically), so `--version` and `--help` read a few kB, not 1.2 MB, and `inspect`
// never parses the verifier. esbuild splits only ESM output (https://esbuild.github.io/api/#splitting),
// in which every module lands in exactly one chunk: one copy of each module's state (the secrets
// of src/core/redact.ts, LensError's class). A second pass turns each chunk into CommonJS on its
// own, the other chunks left as require() calls; the code cache (src/core/code-cache.ts) hooks
// CommonJS loading, which Node 20 offers no ESM equivalent of. The pass checks that no chunk
// took in anything but itself: a module in two chunks would be two modules. The LAZY packages
// are plain externals here (`../tuf.js`): the second pass turns their import() into a require()
// too, which sees a CommonJS file's named exports.
const CLI_DIR = 'dist/cli';
const cliSplit = {
  ...node,
  format: 'esm',
  splitting: true,
  minify: false,
  sourcemap: production ? false : 'linked',
  entryPoints: ['src/cli/main.ts'],
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  define: { __VERSION__: JSON.stringify(version) },
};
async function cliToCommonJs(esmDir) {
  const files = readdirSync(esmDir).filter((f) => f.endsWith('.js'));
  rmSync(CLI_DIR, { recursive: true, force: true });
  const result = await build({
    ...node,
    entryPoints: files.map((f) => join(esmDir, f)),
    outdir: CLI_DIR,
    entryNames: '[name]',
    metafile: true,
    supported: { 'dynamic-import': false },
    plugins: [
      {
        name: 'chunks-stay-apart',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (a) => (a.kind === 'entry-point' ? undefined : { path: a.path, external: true }));
        },
      },
    ],
  });
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    const inputs = Object.keys(meta.inputs);
    if (out.endsWith('.js') && inputs.length > 1) throw new Error(`${out} bundles ${inputs.join(', ')}: each CLI chunk must hold itself only`);
  }
}
const cliChunks = (esmDir) => ({
  name: 'cli-chunks',
  setup(b) {
    b.onEnd(async (r) => {
      if (r.errors.length === 0) await cliToCommonJs(esmDir);
    });
  },
});
const esmDir = mkdtempSync(join(tmpdir(), 'provenance-lens-cli-esm-'));
const packagesBeside = {
  name: 'packages-beside',
  setup(b) {
    for (const [name, file] of Object.entries(LAZY)) b.onResolve({ filter: exact(name) }, () => ({ path: `../${file}`, external: true }));
  },
};
const cli = { ...cliSplit, outdir: esmDir, plugins: [packagesBeside, cliChunks(esmDir)] };

if (watch) {
  for (const t of [...targets, cli]) await (await context(t)).watch();
} else {
  try {
    await Promise.all([...targets, cli].map((t) => build(t)));
  } finally {
    rmSync(esmDir, { recursive: true, force: true });
  }
  chmodSync('dist/cli.js', 0o755);
}
