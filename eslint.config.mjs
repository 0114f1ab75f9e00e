// Lint rules that keep the architecture honest (the layers: README "Layout"): imports point one
// way, down the layer list below; no import cycles; outside src/verify only a room's door
// (index.ts) is imported; the pure layers never import `vscode`; promises are awaited or handed on.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createNodeResolver } from 'eslint-plugin-import-x/node-resolver';

// The folders of src, lowest first. A file may import its own folder and the folders of earlier
// layers, never a folder of its own layer or of a later one.
const LAYERS = [
  ['core'],
  ['model', 'protocol'], // domain types; the webview protocol (both sides import it, as types)
  ['claims'], // what attestations and certificates claim, read, never trusted: in-toto, DSSE, certificate fields
  ['registry'], // HTTP, sources, credentials, the graph walk
  ['provenance'], // SLSA provenance summaries: what the panel shows and the policy checks (below the verifier)
  ['verify'],
  ['goreleaser', 'attestations'],
  ['references', 'diff'],
  ['releases'], // the service the views call
  ['fixes'], // Problems entries and quick fixes of the release service's results
  ['cli', 'host'], // the command line; the VS Code glue from here on
  ['views'],
  ['panel'],
  ['commands'],
  ['hovers'],
  ['extension.ts', 'extension-boot.ts'], // the composition root; what VS Code loads, which loads it by path
];
// Entry points: nothing else in src imports them.
const ENTRY_POINTS = ['cli', 'extension.ts', 'extension-boot.ts'];
// Only these may import `vscode`.
const GLUE = ['host', 'views', 'panel', 'commands', 'hovers', 'extension.ts', 'extension-boot.ts'];
// Files of the glue folders that hold no VS Code glue (words, panel models, the verifier): the unit
// tests load them under plain Node. They stay pure: no `vscode` here, and nothing that imports it
// (test/unit/boundaries.test.ts loads each without VS Code).
const PURE_IN_GLUE = [
  'src/hovers/hover-content.ts',
  'src/hovers/load-within.ts',
  'src/hovers/pin-words.ts',
  'src/hovers/reference-drift.ts',
  'src/hovers/reference-hover-content.ts',
  'src/hovers/release-context.ts',
  'src/hovers/sign-gaps.ts',
  'src/hovers/site-reference.ts',
  'src/hovers/verdict-words.ts',
  'src/views/attestation-words.ts',
  'src/views/failure-words.ts',
  'src/views/image-name.ts',
  'src/views/nodes.ts',
  'src/views/signer-change-words.ts',
  'src/views/verdict-text.ts',
  'src/panel/diff-deps.ts',
  'src/panel/diff-title.ts',
  'src/panel/links.ts',
  'src/panel/message-guard.ts',
  'src/panel/model-checks.ts',
  'src/panel/model-diff.ts',
  'src/panel/model-github.ts',
  'src/panel/model-provenance.ts',
  'src/panel/model.ts',
  'src/panel/page-html.ts',
  'src/panel/panel-deps.ts',
  'src/host/ids.ts',
  'src/host/loaded-image.ts',
  'src/host/policy-load.ts',
  'src/host/release-diff.ts',
  'src/host/verifier.ts',
];
// src/verify: its rooms, each importing only those before it, and its top-level files. Outside
// src/verify and from another room, a room is imported only through its door (index.ts);
// verify's own top-level files may pass it (verify-image.ts reaches image/verify-graph so that the
// image door stays light: see src/verify/image/index.ts).
const VERIFY_ROOMS = [['checks.ts'], ['trust'], ['policy'], ['bundle'], ['image'], ['verify-image.ts', 'session.ts'], ['index.ts']];
const DOORS = ['trust', 'policy', 'bundle', 'image'];

/** no-restricted-paths zones for `layers` of the folder `base`, lowest first. */
function layerZones(base, layers, what) {
  const at = (name) => `./${base}/${name}`;
  return layers.flatMap((layer, i) =>
    layer
      .map((name) => {
        const above = layers.slice(i + 1).flat();
        const siblings = layer.filter((n) => n !== name);
        return {
          target: at(name),
          from: [...siblings, ...above].map(at),
          message: `${base}/${name} is in the ${what} layer ${i}: it may import ${i === 0 ? `nothing else in ${base}` : `only ${layers.slice(0, i).flat().join(', ')}`} (eslint.config.mjs).`,
        };
      })
      .filter((zone) => zone.from.length > 0),
  );
}

const srcNames = LAYERS.flat();
const zones = [
  ...layerZones('src', LAYERS, 'src'),
  ...layerZones('src/verify', VERIFY_ROOMS, 'verify room'),
  ...ENTRY_POINTS.map((entry) => ({
    target: srcNames.filter((n) => n !== entry).map((n) => `./src/${n}`),
    from: `./src/${entry}`,
    message: `src/${entry} is an entry point: nothing in src imports it.`,
  })),
  ...DOORS.map((room) => ({
    target: [...srcNames.filter((n) => n !== 'verify').map((n) => `./src/${n}`), ...DOORS.filter((n) => n !== room).map((n) => `./src/verify/${n}`)],
    from: `./src/verify/${room}`,
    except: ['./index.ts'],
    message: `Import the ${room} room through its door, src/verify/${room}/index.ts (export what you need there).`,
  })),
  {
    target: './src',
    from: ['./test', './bench', './tools', './scripts'],
    message: 'src never imports the tests, benchmarks, tools or scripts.',
  },
  {
    target: './webview',
    from: './src',
    except: ['./protocol'],
    message: 'The page imports only the shared protocol (src/protocol), as types.',
  },
];

const noVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: `Pure folders must not import vscode: put VS Code glue in ${GLUE.map((g) => `src/${g}`).join(', ')}.` }],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'out-*/**', 'node_modules/**', '.cache/**', '.vscode-test/**', 'test-artifacts/**', '**/*.mjs', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: {
        // Type information for the promise rules: the tests' project covers src, test, bench and
        // tools; the page has its own (DOM types).
        project: ['./tsconfig.test.json', './webview/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    settings: {
      // TypeScript modules are followed (no-cycle reads each imported file), imported without an extension.
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // `import('./x.js')` (the lazy chunks) names the .ts file it is compiled from.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        // `void` tells no-floating-promises a promise is left on purpose; it does not handle a
        // rejection, which then surfaces as an unhandled rejection (and kills a Node process).
        {
          selector:
            "UnaryExpression[operator='void'] > CallExpression:matches([callee.property.name='then'][arguments.length<2], [callee.property.name='finally'])",
          message: 'This rejection is not handled: end the chain with .catch(...) (or give .then a rejection handler), then void it.',
        },
      ],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones, basePath: import.meta.dirname }],
      // Type-only imports vanish at run time and are not followed.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../src/**'], allowTypeImports: true, message: 'The page imports the protocol as types only: nothing from src runs in the page.' },
          ],
        },
      ],
    },
  },
  {
    files: [...srcNames.filter((n) => !GLUE.includes(n)).map((n) => `src/${n}/**`), 'webview/**', ...PURE_IN_GLUE],
    rules: noVscode,
  },
);
