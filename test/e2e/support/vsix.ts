// Builds (when stale) and packages the extension as a .vsix, as a user would install it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

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

/** Builds if stale and packages `outDir`/provenance-lens.vsix; returns its path (about 4 s). */
export function packageExtension(outDir: string): string {
  buildIfStale();
  const out = join(outDir, 'provenance-lens.vsix');
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
  return out;
}
