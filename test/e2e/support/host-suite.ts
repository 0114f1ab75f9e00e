// Runs the in-host suite (test/host) in a real extension host of a running code-server and
// returns its results: opens the workbench with `&payload=` naming the checkout as the extension
// under development and out/test/host/index.js as the tests, then waits for the results file.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import type { HostResults } from '../../host/results';
import { openWorkbench } from './browser';
import { inHostTestPayload } from './code-server';
import type { CodeServer } from './code-server';
import { hostSuiteEntry, repoRoot } from './paths';

/** Every extension host log under the user data dir, for the failure message. */
function hostLogs(server: CodeServer): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/exthost/i.test(p) && p.endsWith('.log')) found.push(`--- ${p}\n${readFileSync(p, 'utf8').slice(-4000)}`);
    }
  };
  walk(join(server.userDataDir, 'logs'));
  return found.join('\n');
}

/**
 * How long runHostSuite waits for the results by default: the whole in-host suite, workbench
 * start and extension activation included. 90 s once proved too short on a loaded machine.
 * A node:test suite or test that calls it needs a timeout above this (plus its own work).
 */
export const HOST_SUITE_TIMEOUT_MS = 240_000;

/**
 * Runs the suite with `folder` open and returns what it wrote to server.hostResultsFile.
 * Throws when no results appear in time (with the extension host logs).
 */
export async function runHostSuite(server: CodeServer, browser: Browser, folder: string, timeoutMs = HOST_SUITE_TIMEOUT_MS): Promise<HostResults> {
  const resultsFile = server.hostResultsFile;
  rmSync(resultsFile, { force: true });
  const url = server.workbenchUrl(folder, inHostTestPayload(repoRoot, hostSuiteEntry));
  const page = await openWorkbench(browser, url);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (existsSync(resultsFile)) return JSON.parse(readFileSync(resultsFile, 'utf8')) as HostResults;
      await delay(200);
    }
    throw new Error(`the in-host suite wrote no results to ${resultsFile} in ${timeoutMs} ms\n${hostLogs(server)}\n--- code-server\n${server.logs()}`);
  } finally {
    await page.context().close();
  }
}
