// The boundaries eslint.config.mjs keeps (layers, the verify rooms' doors, no vscode in pure
// folders, the page importing only the protocol's types) really fire: an import-x rule whose
// resolver cannot find a module passes it silently, so each rule is shown one import it must refuse
// and one it must let through. And no import cycle in src, type imports included (the lint's
// no-cycle follows run-time imports only). And a promise chain left with `void` handles its
// rejection; and nothing the repository holds points a reader outside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ESLint } from 'eslint';
import * as ts from 'typescript';
import { repoRoot } from '../support/repo-root';

const BOUNDARY_RULES = new Set([
  'import-x/no-restricted-paths',
  'import-x/no-cycle',
  'no-restricted-imports',
  '@typescript-eslint/no-restricted-imports',
  'no-restricted-syntax',
]);

// The project's own config, without type information (no program to build) and with only the
// boundary rules: the text is linted as if it were the file at `path`.
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: { languageOptions: { parserOptions: { project: null, projectService: false } } },
  ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
});

async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  assert.ok(result, `no lint result for ${path}`);
  return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

test('a layer imports only the layers below it', async () => {
  const up = (await boundaryErrors('src/core/errors.ts', "import { parseReference } from '../registry/reference';\nexport const p = parseReference;\n")).filter(
    (m) => m.startsWith('import-x/no-restricted-paths'),
  );
  assert.equal(up.length, 1, up.join('\n'));
  assert.match(up[0]!, /src\/core is in the src layer 0: it may import nothing else in src/);
  const sibling = await boundaryErrors(
    'src/references/yaml-nodes.ts',
    "import { previousReleaseTag } from '../diff/previous';\nexport const p = previousReleaseTag;\n",
  );
  assert.match(sibling.join('\n'), /^import-x\/no-restricted-paths: .*src\/references is in the src layer/);
  assert.deepEqual(await boundaryErrors('src/registry/reference.ts', "import { LensError } from '../core/errors';\nexport const e = LensError;\n"), []);
  // A lazy chunk is imported by the name of its compiled file.
  const lazy = await boundaryErrors('src/registry/reference.ts', "export const load = () => import('../verify/index.js');\n");
  assert.match(lazy.join('\n'), /src\/registry is in the src layer/);
  const tests = await boundaryErrors('src/registry/reference.ts', "import { repoRoot } from '../../test/support/repo-root';\nexport const r = repoRoot;\n");
  assert.match(tests.join('\n'), /src never imports the tests/);
});

test('the attestation readers sit below the registry and the verifier', async () => {
  const up = await boundaryErrors('src/claims/statement.ts', "import { parseDigest } from '../registry/digest';\nexport const p = parseDigest;\n");
  assert.match(up.join('\n'), /^import-x\/no-restricted-paths: .*src\/claims is in the src layer 2: it may import only core, model, protocol/m);
  assert.deepEqual(
    await boundaryErrors('src/claims/json.ts', "import { jsonShapeExceeds } from '../core/json-shape';\nexport const j = jsonShapeExceeds;\n"),
    [],
  );
  assert.deepEqual(
    await boundaryErrors('src/registry/graph.ts', "import { decodeAttestation } from '../claims/envelope';\nexport const d = decodeAttestation;\n"),
    [],
  );
  assert.deepEqual(
    await boundaryErrors('src/verify/image/slsa-checks.ts', "import { parseStatement } from '../../claims/statement';\nexport const p = parseStatement;\n"),
    [],
  );
});

test('nothing in src imports the command line', async () => {
  const errors = await boundaryErrors('src/host/log.ts', "import { runCli } from '../cli/run';\nexport const r = runCli;\n");
  assert.match(errors.join('\n'), /src\/cli is an entry point/);
});

test('outside src/verify, a room is imported through its door', async () => {
  const past = await boundaryErrors('src/cli/verify.ts', "import { readTrustRoot } from '../verify/trust/trust-root';\nexport const r = readTrustRoot;\n");
  assert.match(past.join('\n'), /^import-x\/no-restricted-paths: .*through its door, src\/verify\/trust\/index\.ts/m);
  const room = await boundaryErrors('src/verify/bundle/prehash.ts', "import { readTrustRoot } from '../trust/trust-root';\nexport const r = readTrustRoot;\n");
  assert.match(room.join('\n'), /through its door, src\/verify\/trust\/index\.ts/);
  const down = await boundaryErrors('src/verify/trust/trust-root.ts', "import { policyForImage } from '../policy';\nexport const p = policyForImage;\n");
  assert.match(down.join('\n'), /src\/verify\/trust is in the verify room layer/);
  assert.deepEqual(await boundaryErrors('src/cli/verify.ts', "import type { TrustRoot } from '../verify/trust';\nexport type T = TrustRoot;\n"), []);
});

test('a run-time import cycle is refused', async () => {
  // src/core/abort.ts imports ./errors at run time; errors importing abort back closes a cycle.
  assert.match(readFileSync(join(repoRoot, 'src/core/abort.ts'), 'utf8'), /^import \{ LensError \} from '\.\/errors';$/m);
  const errors = await boundaryErrors('src/core/errors.ts', "import { throwIfAborted } from './abort';\nexport const t = throwIfAborted;\n");
  assert.match(errors.join('\n'), /^import-x\/no-cycle: /m);
});

test('pure folders never import vscode', async () => {
  const errors = await boundaryErrors('src/registry/client.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n");
  assert.match(errors.join('\n'), /^no-restricted-imports: .*Pure folders must not import vscode/m);
});

test('the page imports only the protocol, and only its types', async () => {
  const other = await boundaryErrors('webview/dom.ts', "import type { LensError } from '../src/core/errors';\nexport type E = LensError;\n");
  assert.match(other.join('\n'), /^import-x\/no-restricted-paths: .*only the shared protocol/m);
  const value = await boundaryErrors(
    'webview/dom.ts',
    "import { PANEL_PROTOCOL_VERSION } from '../src/protocol/panel';\nexport const v = PANEL_PROTOCOL_VERSION;\n",
  );
  assert.match(value.join('\n'), /^@typescript-eslint\/no-restricted-imports: .*as types only/m);
  assert.deepEqual(await boundaryErrors('webview/dom.ts', "import type { PanelModel } from '../src/protocol/panel';\nexport type M = PanelModel;\n"), []);
});

test('a promise chain left with void handles its rejection', async () => {
  const lint = (line: string): Promise<string[]> => boundaryErrors('src/core/errors.ts', `declare const p: Promise<number>;\n${line}\n`);
  for (const unhandled of ['void p.then(() => 1);', 'void p.finally(() => 1);']) {
    assert.match((await lint(unhandled)).join('\n'), /^no-restricted-syntax: This rejection is not handled/m, unhandled);
  }
  for (const handled of ['void p.then(() => 1, () => 2);', 'void p.then(() => 1).catch(() => 2);', 'void p.catch(() => 2);']) {
    assert.deepEqual(await lint(handled), [], handled);
  }
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ''));
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/** Strongly connected components of more than one file (Tarjan), each a cycle or several. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

test('src has no import cycle, type imports included', () => {
  const files = sourceFiles(join(repoRoot, 'src'));
  assert.ok(files.length > 100, `only ${files.length} files under src`);
  const graph = new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      return [file, importedFiles.flatMap((i) => resolveImport(file, i.fileName) ?? [])];
    }),
  );
  assert.ok(
    [...graph.values()].some((targets) => targets.length > 0),
    'no import was resolved',
  );
  const cycles = importCycles(graph).map((c) =>
    c
      .map((f) => relative(repoRoot, f).split(sep).join('/'))
      .sort()
      .join(' <-> '),
  );
  assert.deepEqual(cycles, []);
  // The detector finds a cycle when there is one.
  assert.deepEqual(
    importCycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]),
    ).map((c) => c.sort()),
    [['a', 'b', 'c']],
  );
});

// What a contributor needs to read lives in the repository (docs/, test/fixtures/real/SOURCES.md)
// or at a public spec's URL: notes kept beside the checkout and issue numbers mean nothing to the
// next reader. Vendored fixtures are other projects' files, byte for byte, and are not searched.
const POINTERS_OUTSIDE: ReadonlyArray<{ what: string; pattern: RegExp }> = [
  { what: 'a path beside the checkout', pattern: new RegExp(['\\.\\.', 'shared', ''].join('/')) },
  { what: 'notes kept outside the repository', pattern: /\b(?:shared\/notes|(?:FORMATS|ENVIRONMENT|STYLE)\.md)\b/ },
  { what: 'an issue or pull request number', pattern: /\b(?:issue|pull request|PR) #?\d/i },
];
const TEXT = /\.(?:ts|mjs|cjs|js|sh|md|json|ya?ml)$|^run$/;
const SKIPPED = new Set(['test/fixtures', 'node_modules']);

function textFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (SKIPPED.has(path)) return [];
    return statSync(join(repoRoot, path)).isDirectory() ? textFiles(path) : TEXT.test(name) ? [path] : [];
  });
}

test('nothing points a reader outside the repository', () => {
  const files = [
    ...['src', 'webview', 'test', 'tools', 'bench', 'scripts', 'docs', '.ci'].flatMap(textFiles),
    ...['eslint.config.mjs', 'package.json', 'README.md', 'CONTRIBUTING.md', 'MARKETPLACE.md', 'CHANGELOG.md'],
  ];
  assert.ok(files.includes('test/unit/boundaries.test.ts') && files.length > 400, `${files.length} files searched`);
  const found = files.flatMap((file) =>
    readFileSync(join(repoRoot, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => POINTERS_OUTSIDE.filter(({ pattern }) => pattern.test(line)).map(({ what }) => `${file}:${i + 1}: ${what}: ${line.trim()}`)),
  );
  assert.deepEqual(found, []);
  // Each pattern finds what it is for.
  const samples = ['see ' + ['..', 'shared', 'notes', 'X.md'].join('/'), 'layouts per FORMATS' + '.md §4', 'as issue' + ' 6 item 1 asks'];
  assert.deepEqual(
    samples.map((line) => POINTERS_OUTSIDE.filter(({ pattern }) => pattern.test(line)).length > 0),
    [true, true, true],
  );
});

test('the pure files of the glue folders load without VS Code, and may not import it', async () => {
  const config = readFileSync(join(repoRoot, 'eslint.config.mjs'), 'utf8');
  const list = /const PURE_IN_GLUE = \[([\s\S]*?)\];/.exec(config);
  assert.ok(list, 'eslint.config.mjs declares no PURE_IN_GLUE list');
  const files = [...list[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  assert.ok(files.length > 20 && files.includes('src/host/verifier.ts'), files.join(', '));
  // This test runs compiled (out*/test/unit); the sources it names are compiled beside it.
  const compiled = join(__dirname, '..', '..');
  const failures: string[] = [];
  for (const f of files) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(join(compiled, f.replace(/\.ts$/, '.js')));
    } catch (e) {
      failures.push(`${f}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  assert.deepEqual(failures, [], 'a pure file now loads vscode (directly or through an import): keep the glue out of it');
  // And the lint refuses a vscode import in one of them.
  const errors = await boundaryErrors(files[0]!, "import * as vscode from 'vscode';\nexport const v = vscode.version;\n");
  assert.ok(
    errors.some((e) => e.startsWith('no-restricted-imports:')),
    errors.join('\n'),
  );
});
