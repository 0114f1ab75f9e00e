// `npm run demo`, end to end: runs out/tools/demo.js exactly as scripts/demo.mjs does (the
// build steps are this suite's), waits for the URL it prints, opens it in Chromium, and checks
// that every surface says first why each image failed, in the engine's words: for fleet-agent
// (signed by a fork's workflow) the signer seen and the identity expected, for fleet "linux/s390x
// is not signed" — the first line of the tree's tooltip, of the hover, the CodeLens, the Problems
// entry and the image panel's header. It takes the screenshots of each surface at the side bar's default width
// in the dark, light and high-contrast themes (docs/screenshots/), then presses Ctrl-C (SIGINT)
// and checks that nothing the demo started is left: no process, no port, no scratch folder.
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
import {
  clickUntilShown,
  collapseRow as collapse,
  expandRow as expand,
  launchBrowser,
  releasesRow as row,
  openWorkbench,
  runCommand,
  screenshotOnFailure,
  webviewFrame,
} from './support/browser';
import {
  THEMES,
  clickCodeLens,
  codeLensTitles,
  dismissHovers,
  editorHoverFirstLine,
  firstLine,
  goToLine,
  hoverLinksInView,
  lineOf,
  panelHeader,
  rowLabelled,
  scrollPanel,
  showReleases,
  surfaceScreenshot,
  treeTooltipFirstLine,
  useTheme,
} from './support/demo-surfaces';
import { repoRoot } from './support/paths';

// The demo compiled beside this file (out/ or out-<name>/), as scripts/demo.mjs runs it.
const DEMO = join(__dirname, '..', '..', 'tools', 'demo.js');
/** The image templates of the demo's .goreleaser.yaml (tools/demo-workspace.ts). */
const FLEET_TEMPLATE = '}}/rancher/fleet"';
const AGENT_TEMPLATE = '}}/rancher/fleet-agent"';
const URL_LINE = /^Open (http:\/\/127\.0\.0\.1:(\d+)\/\?folder=(\S+))$/m;
/** A process as /proc knows it: pid and start time, so a reused pid is not mistaken for it. */
interface Proc {
  readonly pid: number;
  readonly start: string;
  readonly cmd: string;
}

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
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      /* gone */
    }
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
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue;
      const [addr, hexPort] = local.split(':');
      if (parseInt(hexPort!, 16) !== port) continue;
      // IPv4 is one little-endian word; anything else (IPv6) is shown raw.
      out.push(
        addr!.length === 8
          ? addr!
              .match(/../g)!
              .reverse()
              .map((b) => parseInt(b, 16))
              .join('.')
          : addr!,
      );
    }
  }
  return out;
}

/** A row of the Problems panel holding `text`. */
function problemRow(page: Page, text: string): Locator {
  return page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
}

/**
 * Whether `text` names the signer seen (the fork's workflow) and the identity expected (rancher/fleet's
 * release workflow, as the policy's pattern or in a few words: `expected rancher/fleet` on a CodeLens).
 */
function namesBothSigners(text: string, short: boolean): boolean {
  if (short) return text.includes(`signed by ${WRONG_REPOSITORY}, expected ${EXPECTED_REPOSITORY}`);
  const fork = `https://github.com/${WRONG_REPOSITORY}/.github/workflows/release.yml@refs/tags/${DEMO_TAG}`;
  const expected = `https://github.com/${EXPECTED_REPOSITORY}/.github/workflows/release.yml@refs/tags/${DEMO_TAG}`;
  const [seen, wanted] = text.split(/but the policy expects/);
  return wanted !== undefined && seen!.includes(fork) && wanted.replace(/\\/g, '').includes(expected);
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
  /** Scrolls .goreleaser.yaml so that both image entries show: their CodeLenses and image templates. */
  const showEntries = async (): Promise<void> => {
    const file = join(folder, '.goreleaser.yaml');
    await goToLine(page, Math.round((lineOf(file, '- id: fleet') + lineOf(file, AGENT_TEMPLATE)) / 2));
  };

  before(async () => {
    const started = Date.now();
    port = await freePort();
    demo = spawn(process.execPath, [DEMO], { cwd: repoRoot, env: { ...process.env, DEMO_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const child = demo;
    exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const deadline = Date.now() + 240_000;
    while (!URL_LINE.test(output)) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the demo exited (${child.exitCode ?? child.signalCode}) before printing its URL:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no URL from the demo after 240 s:\n${output}`);
      await delay(100);
    }
    const m = URL_LINE.exec(output)!;
    url = m[1]!;
    folder = decodeURIComponent(m[3]!);
    console.log(`# demo ready in ${Date.now() - started} ms`);
    browser = await launchBrowser();
    // A laptop's window: the side bar keeps its default width in every scenario and screenshot.
    page = await openWorkbench(browser, url, { viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    // Only when a test failed before Ctrl-C: stop the demo, the hard way if it does not stop.
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      const left = descendants(demo.pid!);
      demo.kill('SIGINT');
      await Promise.race([exit, delay(15_000, undefined, { ref: false })]);
      for (const p of left.filter(alive))
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
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

  it('says why each image failed, first, on every surface: tree, hover, CodeLens, Problems, panel', () =>
    screenshotOnFailure(page, 'demo-why', async () => {
      const started = Date.now();
      await showReleases(page);
      await row(page, /^\s*fleet/).waitFor({ state: 'visible' });
      // At the side bar's default width: the repository leads each row (the tag is the release's), the why follows.
      const fleet = rowLabelled(page, 'rancher/fleet');
      const agent = rowLabelled(page, 'rancher/fleet-agent');
      await fleet.getByText(`${UNSIGNED_PLATFORM} is not signed`).waitFor({ state: 'visible', timeout: 60_000 });
      await agent.getByText(`signed by ${WRONG_REPOSITORY}, expected ${EXPECTED_REPOSITORY}`).waitFor({ state: 'visible', timeout: 60_000 });
      console.log(`# both images verified ${Date.now() - started} ms after opening the view`);
      await row(page, /^\s*fleet\s*v0\.13\.0 · 2 images · .*failed/).waitFor({ state: 'visible' });

      // The tree's tooltips start with the cause.
      const wrongSigner = await treeTooltipFirstLine(page, agent, WRONG_REPOSITORY);
      await dismissHovers(page);
      const said: Record<string, Record<'wrongSigner' | 'unsigned', string>> = {
        tree: { wrongSigner, unsigned: await treeTooltipFirstLine(page, fleet, 'is not signed') },
      };
      await dismissHovers(page);
      // Each platform row says why: the unsigned one, and fleet-agent's, which fail through the index.
      await expand(fleet);
      for (const p of DEMO_PLATFORMS) {
        const description = await rowLabelled(page, p).locator('.label-description').innerText();
        assert.match(description, p === UNSIGNED_PLATFORM ? /^not signed · sha256:[0-9a-f]{8}/ : /^verified · sha256:[0-9a-f]{8}/, `${p}: ${description}`);
      }
      const s390x = firstLine(await treeTooltipFirstLine(page, rowLabelled(page, UNSIGNED_PLATFORM), 'Unsigned'));
      assert.ok(s390x.includes(`${UNSIGNED_PLATFORM} is not signed`), s390x);
      await dismissHovers(page);
      await collapse(fleet);
      await expand(agent);
      const agentPlatform = await rowLabelled(page, 'linux/amd64').locator('.label-description').innerText();
      assert.match(agentPlatform, new RegExp(`^signed by ${WRONG_REPOSITORY}, expected ${EXPECTED_REPOSITORY} · sha256:`));
      await collapse(agent);

      // The editor: a CodeLens per image, each naming its own failure; hovers lead with the answer.
      await runCommand(page, 'View: Show Explorer');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.goreleaser.yaml' }).first().click();
      await showEntries();
      const lenses = await codeLensTitles(page, /^✗ /, 2);
      said.lens = {
        wrongSigner: lenses.find((t) => t.includes(WRONG_REPOSITORY)) ?? lenses.join(' / '),
        unsigned: lenses.find((t) => t.includes(UNSIGNED_PLATFORM)) ?? lenses.join(' / '),
      };
      said.hover = {
        wrongSigner: await editorHoverFirstLine(page, AGENT_TEMPLATE, 'rancher/fleet-agent', /verification failed/),
        unsigned: await editorHoverFirstLine(page, FLEET_TEMPLATE, 'rancher/fleet', /verification failed/),
      };
      // Its actions are in view, under the Problems entries VS Code shows above it, not cut off below.
      assert.deepEqual(await hoverLinksInView(page), ['Verify', 'Show provenance', 'Reveal in Releases']);
      await dismissHovers(page);
      // The Problems panel: an entry per failed image, worded as its first cause.
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      said.problems = {
        wrongSigner: firstLine(await problemRow(page, `"https://github.com/${WRONG_REPOSITORY}/`).innerText()),
        unsigned: firstLine(await problemRow(page, `${UNSIGNED_PLATFORM} is not signed`).innerText()),
      };
      await runCommand(page, 'View: Hide Panel');

      // The panel: opened from the lens, the cause is its header's line; fleet opens on linux/s390x.
      await clickCodeLens(page, WRONG_REPOSITORY);
      const agentPanel = await panelHeader(page, `fleet-agent:${DEMO_TAG}`);
      await clickCodeLens(page, UNSIGNED_PLATFORM).catch(async () => {
        await runCommand(page, 'View: Show Explorer');
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.goreleaser.yaml' }).first().click();
        await showEntries();
        await clickCodeLens(page, UNSIGNED_PLATFORM);
      });
      const fleetPanel = await panelHeader(page, `fleet:${DEMO_TAG}`);
      said.panel = { wrongSigner: agentPanel.cause, unsigned: fleetPanel.cause };
      assert.equal(fleetPanel.platform, UNSIGNED_PLATFORM, 'a failed image opens on the platform that fails');
      // Both sizes in one unit (it read "406 B (config and layers), manifest 401 bytes").
      assert.match(await webviewFrame(page).locator('.platform-facts').innerText(), /\b\d+ B \(config and layers\), manifest \d+ B\b/);

      for (const [surface, words] of Object.entries(said)) {
        // Where a row or a line is short (the CodeLens, the hover's first line): both in a few words.
        assert.ok(namesBothSigners(words.wrongSigner, surface === 'lens' || surface === 'hover'), `${surface} (wrong signer): ${words.wrongSigner}`);
        assert.ok(words.unsigned.includes(`${UNSIGNED_PLATFORM} is not signed`), `${surface} (unsigned platform): ${words.unsigned}`);
      }
      console.log(
        `# what each surface says first:\n${Object.entries(said)
          .map(([k, v]) => `#   ${k}: ${v.wrongSigner}\n#   ${k}: ${v.unsigned}`)
          .join('\n')}`,
      );

      // Selecting a platform in the tree shows it in the open panel.
      await showReleases(page);
      await expand(fleet);
      await clickUntilShown(page, rowLabelled(page, 'linux/amd64'), webviewFrame(page).locator('.platform-facts h2', { hasText: 'linux/amd64' }));
      await collapse(fleet);
    }));

  it('shows each surface at the default width in the dark, light and high-contrast themes (docs/screenshots)', () =>
    screenshotOnFailure(page, 'demo-themes', async () => {
      const settings = join(dirname(folder), 'user-data', 'User', 'settings.json');
      const shots: string[] = [];
      for (const theme of THEMES) {
        await useTheme(page, settings, theme);
        await dismissHovers(page);
        await runCommand(page, 'View: Close All Editors');
        // The tree, both images open, the wrong signer's tooltip shown.
        await showReleases(page);
        const agent = rowLabelled(page, 'rancher/fleet-agent');
        await agent.locator('.label-description', { hasText: `signed by ${WRONG_REPOSITORY}` }).waitFor({ state: 'attached', timeout: 60_000 });
        await expand(rowLabelled(page, 'rancher/fleet'));
        await expand(agent);
        await treeTooltipFirstLine(page, agent, WRONG_REPOSITORY);
        shots.push(await surfaceScreenshot(page, `tree-${theme.name}`));
        await dismissHovers(page);
        // The editor: the CodeLenses, and the hover over fleet-agent's image.
        await runCommand(page, 'View: Show Explorer');
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.goreleaser.yaml' }).first().click();
        await showEntries();
        await codeLensTitles(page, /^✗ /, 2);
        await editorHoverFirstLine(page, AGENT_TEMPLATE, 'rancher/fleet-agent', /verification failed/);
        shots.push(await surfaceScreenshot(page, `editor-${theme.name}`));
        await dismissHovers(page);
        // The Problems panel under the editor.
        await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
        await problemRow(page, `${UNSIGNED_PLATFORM} is not signed`).waitFor({ state: 'visible', timeout: 30_000 });
        shots.push(await surfaceScreenshot(page, `problems-${theme.name}`));
        await runCommand(page, 'View: Hide Panel');
        // The panel of each image, opened from its CodeLens, beside the tree.
        await clickCodeLens(page, WRONG_REPOSITORY);
        await panelHeader(page, `fleet-agent:${DEMO_TAG}`);
        await showReleases(page);
        await dismissHovers(page);
        shots.push(await surfaceScreenshot(page, `panel-wrong-signer-${theme.name}`));
        // Its signatures and attestations: each closed row says its format and signer.
        await scrollPanel(page, '.tabs');
        shots.push(await surfaceScreenshot(page, `panel-checks-${theme.name}`));
        await runCommand(page, 'View: Close All Editors');
        await runCommand(page, 'View: Show Explorer');
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.goreleaser.yaml' }).first().click();
        await showEntries();
        await codeLensTitles(page, /^✗ /, 2);
        await clickCodeLens(page, UNSIGNED_PLATFORM);
        await panelHeader(page, `fleet:${DEMO_TAG}`);
        await showReleases(page);
        await dismissHovers(page);
        shots.push(await surfaceScreenshot(page, `panel-unsigned-${theme.name}`));
        // A verified platform picked in the tree, its provenance: the signed statement first, BuildKit's claim after.
        await expand(rowLabelled(page, 'rancher/fleet'));
        await clickUntilShown(page, rowLabelled(page, 'linux/amd64'), webviewFrame(page).locator('.platform-facts h2', { hasText: 'linux/amd64' }));
        await webviewFrame(page).locator('vscode-tab-header', { hasText: 'Provenance' }).click();
        await scrollPanel(page, '.tabs');
        await dismissHovers(page);
        shots.push(await surfaceScreenshot(page, `panel-provenance-${theme.name}`));
        await webviewFrame(page).locator('vscode-tab-header', { hasText: 'Signatures and attestations' }).click();
      }
      console.log(`# screenshots:\n${shots.map((s) => `#   ${s}`).join('\n')}`);
      await useTheme(page, settings, THEMES[0]!);
    }));

  it('stops everything it started on Ctrl-C (SIGINT)', async () => {
    assert.ok(demo?.pid);
    await browser?.close();
    browser = undefined;
    const started = descendants(demo.pid);
    assert.ok(
      started.some((p) => /docker-registry/.test(p.cmd)),
      `no registry among the demo's processes:\n${started.map((p) => p.cmd).join('\n')}`,
    );
    assert.ok(
      started.some((p) => /code-server/.test(p.cmd)),
      "no code-server among the demo's processes",
    );
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
    assert.deepEqual(
      left.map((p) => `${p.pid} ${p.cmd}`),
      [],
    );
    assert.ok(await portIsFree(port), `code-server's port ${port} is still taken`);
    assert.ok(await portIsFree(registryPort), `the registry's port ${registryPort} is still taken`);
    assert.ok(!existsSync(dirname(folder)), `the scratch folder ${dirname(folder)} is still there`);
  });
});
