// `npm run demo`, end to end: runs out/tools/demo.js exactly as scripts/demo.mjs does (the
// build steps are this suite's), waits for the URL it prints, opens it in Chromium, reads the
// release tree (fleet fails on its unsigned platform, fleet-agent is signed by a fork's
// workflow), takes the screenshots the README uses in dark and light themes, then presses
// Ctrl-C (SIGINT) and checks that nothing the demo started is left: no process, no port, no
// scratch folder.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { freePort } from '../support/ports';
import { portIsFree } from '../../tools/demo-code-server';
import { DEMO_PLATFORMS, DEMO_TAG, EXPECTED_REPOSITORY, UNSIGNED_PLATFORM, WRONG_REPOSITORY } from '../../tools/demo-release';
import { expandRow as expand, hoverUntil, launchBrowser, releasesRow as row, widenSidebar, openWorkbench, runCommand, screenshot, screenshotOnFailure, setColorTheme } from './support/browser';
import { repoRoot } from './support/paths';

const DEMO = join(repoRoot, 'out', 'tools', 'demo.js');
const URL_LINE = /^Open (http:\/\/127\.0\.0\.1:(\d+)\/\?folder=(\S+))$/m;
/** A process as /proc knows it: pid and start time, so a reused pid is not mistaken for it. */
interface Proc { readonly pid: number; readonly start: string; readonly cmd: string }

function stat(pid: number): { ppid: number; state: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state ppid ... field 22 is the start time.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), start: fields[19]! };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root`. */
function descendants(root: number): Proc[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    const pid = Number(e);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: Proc[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    const s = stat(pid);
    if (!s) continue;
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(); } catch { /* gone */ }
    out.push({ pid, start: s.start, cmd });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function alive(p: Proc): boolean {
  const s = stat(p.pid);
  return s !== undefined && s.start === p.start && s.state !== 'Z';
}

/** The local addresses listening on TCP `port` (IPv4 and IPv6), from /proc/net/tcp{,6}. */
function listeners(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue;
      const [addr, hexPort] = local.split(':');
      if (parseInt(hexPort!, 16) !== port) continue;
      // IPv4 is one little-endian word; anything else (IPv6) is shown raw.
      out.push(addr!.length === 8 ? addr!.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.') : addr!);
    }
  }
  return out;
}

/** A platform row: `linux/amd64 · sha256:1a2b3c4d · 398 B`. */
function platformRow(page: Page, platform: string): Locator {
  return row(page, new RegExp(`^\\s*${platform.replace(/\//g, '\\/')} · sha256:[0-9a-f]{8}`));
}

describe('npm run demo (out/tools/demo.js, code-server + Chromium)', { timeout: 420_000 }, () => {
  let demo: ChildProcess | undefined;
  let output = '';
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let browser: Browser | undefined;
  let page: Page;
  let port: number;
  let url: string;
  let folder: string;

  before(async () => {
    const started = Date.now();
    port = await freePort();
    demo = spawn(process.execPath, [DEMO], { cwd: repoRoot, env: { ...process.env, DEMO_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const child = demo;
    exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    const deadline = Date.now() + 240_000;
    while (!URL_LINE.test(output)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the demo exited (${child.exitCode ?? child.signalCode}) before printing its URL:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no URL from the demo after 240 s:\n${output}`);
      await delay(100);
    }
    const m = URL_LINE.exec(output)!;
    url = m[1]!;
    folder = decodeURIComponent(m[3]!);
    console.log(`# demo ready in ${Date.now() - started} ms`);
    browser = await launchBrowser();
    page = await openWorkbench(browser, url, { viewport: { width: 1600, height: 900 } });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    // Only when a test failed before Ctrl-C: stop the demo, the hard way if it does not stop.
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      const left = descendants(demo.pid!);
      demo.kill('SIGINT');
      await Promise.race([exit, delay(15_000, undefined, { ref: false })]);
      for (const p of left.filter(alive)) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
      demo.kill('SIGKILL');
    }
  });

  it('prints the workbench URL on DEMO_PORT, bound to 127.0.0.1, and what to look at', () => {
    assert.equal(URL_LINE.exec(output)![2], String(port));
    const registryPort = Number(/^Registry http:\/\/127\.0\.0\.1:(\d+)/m.exec(output)?.[1]);
    assert.deepEqual(listeners(port), ['127.0.0.1'], 'code-server listens on loopback only');
    assert.deepEqual(listeners(registryPort), ['127.0.0.1'], 'the registry listens on loopback only');
    assert.ok(existsSync(join(folder, '.goreleaser.yaml')), `no .goreleaser.yaml in ${folder}`);
    assert.ok(existsSync(join(folder, '.provenance-lens.yaml')), `no .provenance-lens.yaml in ${folder}`);
    assert.match(output, /^What to look at: .*Provenance Lens view.*$/m);
    assert.match(output, new RegExp(`${UNSIGNED_PLATFORM}.*${WRONG_REPOSITORY}`));
    assert.match(output, /Press Ctrl-C to stop\./);
  });

  it('shows fleet failing on its unsigned platform and fleet-agent signed by the wrong identity', () => screenshotOnFailure(page, 'demo-tree', async () => {
    const started = Date.now();
    await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
    await row(page, /^\s*fleet/).waitFor({ state: 'visible' });
    await widenSidebar(page, 760);
    const fleet = row(page, `/rancher/fleet:${DEMO_TAG}`);
    const agent = row(page, `/rancher/fleet-agent:${DEMO_TAG}`);
    await fleet.getByText('verification failed').waitFor({ state: 'visible', timeout: 60_000 });
    await agent.getByText('verification failed').waitFor({ state: 'visible', timeout: 60_000 });
    console.log(`# both images verified ${Date.now() - started} ms after opening the view`);
    // The release sums its images up: both failed, however it words it.
    await row(page, /^\s*fleet\s*v0\.13\.0 · 2 images · .*failed/).waitFor({ state: 'visible' });

    await expand(fleet);
    for (const p of DEMO_PLATFORMS) await platformRow(page, p).waitFor({ state: 'visible' });
    // Every platform but the one the signing step skipped is verified.
    for (const p of DEMO_PLATFORMS) {
      const verdict = await platformRow(page, p).locator('.label-description').innerText();
      assert.equal(verdict, p === UNSIGNED_PLATFORM ? 'unsigned' : 'verified', `${p}: ${verdict}`);
    }

    // fleet-agent: its index signature names the fork's workflow, and says why that fails.
    await expand(agent);
    const forkIdentity = `https://github.com/${WRONG_REPOSITORY}/.github/workflows/release.yml@refs/tags/${DEMO_TAG}`;
    const signature = row(page, /Signature\s*cosign \.sig tag/);
    assert.ok((await signature.innerText()).includes(`by ${forkIdentity}`), await signature.innerText());
    const tooltip = page.locator('.monaco-hover', { hasText: 'Failed IDENTITY' }).first();
    const { text } = await hoverUntil(page, signature, tooltip, { away: { x: 300, y: 700 } });
    assert.ok(text.includes(`Failed IDENTITY: The certificate identity "${forkIdentity}"; expected the pattern`), text);
    assert.ok(text.includes(`expected "https://github.com/${EXPECTED_REPOSITORY}"`), text);
    await page.mouse.move(300, 700);
    await tooltip.waitFor({ state: 'hidden' });
  }));

  it('reads well in the dark and light themes (README screenshot)', () => screenshotOnFailure(page, 'demo-themes', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.goreleaser.yaml' }).first().click();
    await page.locator('.monaco-editor .codelens-decoration').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
    await row(page, `/rancher/fleet:${DEMO_TAG}`).waitFor({ state: 'visible' });
    await page.mouse.move(300, 700);
    await screenshot(page, 'demo-dark');
    await setColorTheme(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs:not(.vs-dark)').waitFor({ state: 'attached' });
    await page.mouse.move(300, 700);
    await screenshot(page, 'demo-light');
  }));

  it('stops everything it started on Ctrl-C (SIGINT)', async () => {
    assert.ok(demo?.pid);
    await browser?.close();
    browser = undefined;
    const started = descendants(demo.pid);
    assert.ok(started.some((p) => /docker-registry/.test(p.cmd)), `no registry among the demo's processes:\n${started.map((p) => p.cmd).join('\n')}`);
    assert.ok(started.some((p) => /code-server/.test(p.cmd)), 'no code-server among the demo\'s processes');
    const registryPort = Number(/^Registry http:\/\/127\.0\.0\.1:(\d+)/m.exec(output)?.[1]);
    assert.ok(registryPort > 0, output);

    const t0 = Date.now();
    demo.kill('SIGINT');
    const result = await Promise.race([exit, delay(30_000, undefined, { ref: false }).then(() => undefined)]);
    assert.ok(result, `the demo did not exit within 30 s of SIGINT:\n${output}`);
    console.log(`# stopped ${Date.now() - t0} ms after SIGINT`);
    assert.deepEqual(result, { code: 0, signal: null }, output);
    assert.match(output, /Stopped: /);
    const left = started.filter(alive);
    assert.deepEqual(left.map((p) => `${p.pid} ${p.cmd}`), []);
    assert.ok(await portIsFree(port), `code-server's port ${port} is still taken`);
    assert.ok(await portIsFree(registryPort), `the registry's port ${registryPort} is still taken`);
    assert.ok(!existsSync(dirname(folder)), `the scratch folder ${dirname(folder)} is still there`);
  });
});
