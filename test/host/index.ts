// The in-host test runner: VS Code loads this file in the real extension host (the workbench's
// `&payload=` names it as extensionTestsPath, see test/e2e/support/code-server.ts) and awaits
// run(). It runs every `*.host.js` file beside it with mocha and writes the results as JSON to
// $PROVENANCE_LENS_HOST_RESULTS, because the host reports exit code 0 whatever happens.
// Host test files are named `*.host.ts`, not `*.test.ts`, so node's test runner never picks
// them up: they need the `vscode` module, which only exists in here.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { HOST_RESULTS_ENV } from './results';
import type { HostResults, HostTestResult } from './results';

const TEST_TIMEOUT_MS = 20_000;

function hostTestFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((e) => {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) return hostTestFiles(p);
      return p.endsWith('.host.js') ? [p] : [];
    })
    .sort();
}

function resultsPath(): string {
  // Without the variable (a suite started by hand), next to the other test artifacts.
  return process.env[HOST_RESULTS_ENV] ?? resolve(__dirname, '..', '..', '..', 'test-artifacts', 'host-results.json');
}

// Written to a temp name and renamed, so a reader polling for the file never sees half of it.
function writeResults(results: HostResults): void {
  const path = resultsPath();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(results, null, 2));
  renameSync(`${path}.tmp`, path);
}

function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function runMocha(files: readonly string[]): Promise<HostTestResult[]> {
  const mocha = new Mocha({ ui: 'bdd', timeout: TEST_TIMEOUT_MS, color: false, reporter: 'spec' });
  files.forEach((f) => mocha.addFile(f));
  const tests: HostTestResult[] = [];
  const record = (t: Mocha.Runnable, state: HostTestResult['state'], err?: unknown): void => {
    tests.push({ title: t.titlePath().join(' > '), state, durationMs: t.duration ?? 0, ...(err === undefined ? {} : { error: describeError(err) }) });
  };
  return new Promise((resolvePromise, reject) => {
    try {
      mocha
        .run(() => resolvePromise(tests))
        .on('pass', (t) => record(t, 'passed'))
        .on('fail', (t, err) => record(t, 'failed', err)) // hooks too: a failing before() counts
        .on('pending', (t) => record(t, 'pending'));
    } catch (e) {
      reject(e); // a test file that throws while loading
    }
  });
}

/** Called by the extension host; rejecting marks the run failed where the host honours it. */
export async function run(): Promise<void> {
  const files = hostTestFiles(__dirname);
  const shown = files.map((f) => relative(__dirname, f));
  let tests: HostTestResult[] = [];
  let error: string | undefined;
  try {
    if (files.length === 0) throw new Error(`no *.host.js files in ${__dirname}`);
    tests = await runMocha(files);
  } catch (e) {
    error = describeError(e);
  }
  const count = (s: HostTestResult['state']): number => tests.filter((t) => t.state === s).length;
  const results: HostResults = {
    vscodeVersion: vscode.version,
    files: shown,
    passed: count('passed'),
    failed: count('failed'),
    pending: count('pending'),
    tests,
    ...(error === undefined ? {} : { error }),
  };
  writeResults(results);
  if (error !== undefined || results.failed > 0) {
    throw new Error(`${results.failed} in-host test(s) failed${error ? `: ${error}` : ''}`);
  }
}
