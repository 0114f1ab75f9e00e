// Builds (when stale) and packages the extension as a .vsix, as a user would install it: the
// one helper the end-to-end tests, the demo and the benches package with.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { repoRoot } from './paths';

const execFileAsync = promisify(execFile);

function run(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, e) => Math.max(max, newestMtime(join(path, e))), st.mtimeMs);
}

/**
 * Runs `node scripts/build.mjs` unless dist/extension.js is newer than every source file.
 * `npm test` has just built, and rebuilding while other suites run the CLI bundle would race
 * with them, so a fresh bundle is reused.
 */
export function buildIfStale(): void {
  const bundle = join(repoRoot, 'dist', 'extension.js');
  const sources = Math.max(newestMtime(join(repoRoot, 'src')), newestMtime(join(repoRoot, 'webview')), newestMtime(join(repoRoot, 'package.json')));
  if (newestMtime(bundle) > sources) return;
  run(process.execPath, ['scripts/build.mjs']);
}

type PackageScripts = {
  vscePackageArgs: (readme: string) => string[];
  writeMarketplaceReadme: (root: string) => string;
};

/** scripts/package.mjs and scripts/marketplace-readme.mjs (ES modules), as `npm run package` runs them. */
async function packageScripts(): Promise<PackageScripts> {
  const load = (name: string): Promise<Partial<PackageScripts>> =>
    import(pathToFileURL(join(repoRoot, 'scripts', name)).href) as Promise<Partial<PackageScripts>>;
  const [{ vscePackageArgs }, { writeMarketplaceReadme }] = await Promise.all([load('package.mjs'), load('marketplace-readme.mjs')]);
  if (!vscePackageArgs || !writeMarketplaceReadme)
    throw new Error('scripts/package.mjs or scripts/marketplace-readme.mjs no longer exports what packaging needs');
  return { vscePackageArgs, writeMarketplaceReadme };
}

/**
 * Packages the bundles already built under `root` (the checkout, or a copy of it) into `out`,
 * exactly as `npm run package` does after its build: vsce with scripts/package.mjs's options and
 * the Marketplace README, so what the tests, the demo and the benches install is what users get.
 * The one place that calls vsce outside scripts/.
 */
export async function packageBuilt(out: string, root = repoRoot): Promise<string> {
  const { vscePackageArgs, writeMarketplaceReadme } = await packageScripts();
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  try {
    await execFileAsync(process.execPath, [vsce, ...vscePackageArgs(writeMarketplaceReadme(root)), '--out', out], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    const r = e as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`vsce package failed (exit ${r.code ?? '?'}):\n${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  }
  return out;
}

/** Builds (the development bundles) if stale and packages `outDir`/provenance-lens.vsix; returns its path (about 4 s). */
export function packageExtension(outDir: string): Promise<string> {
  buildIfStale();
  return packageBuilt(join(outDir, 'provenance-lens.vsix'));
}
