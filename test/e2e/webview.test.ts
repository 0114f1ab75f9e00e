// The image panel in a real VS Code (code-server 4.100.3 + Chromium): the page as a user sees
// it in dark, light and high-contrast themes (screenshots in test-artifacts/), and the page as
// an attack surface: a provenance full of <script>, javascript: URLs, bidi
// controls and 1 MiB strings renders as inert text, nothing runs, nothing navigates, links go
// only through the host, and the page stays responsive. Panels are opened through the in-host
// API by test/e2e/support/webview-scenario.ts, which reports what the host sees.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import { BIDI, IDENTITY, JS_URL, LOG_INDEX, ONE_MIB, SCRIPT } from '../support/panel-fixtures';
import { launchBrowser, openWorkbench, runCommand, screenshot, screenshotOnFailure, setColorTheme } from './support/browser';
import { inHostTestPayload, startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { repoRoot } from './support/paths';
import { buildIfStale } from './support/vsix';
import { SCENARIO_ENV } from './support/webview-scenario-types';
import type { ScenarioEvent, ScenarioRequest } from './support/webview-scenario-types';

// Compiled beside this file (out/ or out-<name>/).
const ENTRY = join(__dirname, 'support', 'webview-scenario.js');

/** The host side of the scenario: requests in, events out (files in a scratch folder). */
class Scenario {
  private next = 1;
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'requests'), { recursive: true });
  }

  events(): Array<ScenarioEvent & { at: number }> {
    const file = join(this.dir, 'events.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ScenarioEvent & { at: number });
  }

  async waitFor(what: string, match: (e: ScenarioEvent) => boolean, timeoutMs = 30_000, since = 0): Promise<ScenarioEvent & { at: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events().slice(since).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} in ${timeoutMs} ms; events: ${JSON.stringify(this.events().slice(-10))}`);
      await delay(100);
    }
  }

  async request(r: Omit<Extract<ScenarioRequest, { action: 'open' }>, 'id'> | { action: 'finish' }): Promise<void> {
    const id = this.next++;
    writeFileSync(join(this.dir, 'requests', `${String(id).padStart(4, '0')}.json`), JSON.stringify({ ...r, id }));
    const done = await this.waitFor(`request ${id} done`, (e) => (e.kind === 'done' || e.kind === 'failed') && e.id === id);
    if (done.kind === 'failed') throw new Error(String(done.error));
  }
}

/** The page's frame (inner `#active-frame` of the last webview), for evaluate(). */
async function pageFrame(page: Page): Promise<Frame> {
  const outer = await page.locator('iframe.webview.ready').last().elementHandle();
  const outerFrame = await outer?.contentFrame();
  const inner = await outerFrame?.locator('#active-frame').elementHandle();
  const frame = await inner?.contentFrame();
  assert.ok(frame, 'the webview content frame');
  return frame;
}

function webview(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

/** What the page's DOM holds, read inside the webview (a string: the tests compile without DOM types). */
interface DomProbe {
  readonly pwned: unknown;
  readonly images: number;
  readonly scripts: string[];
  readonly handlers: number;
  readonly hrefs: string[];
  readonly location: string;
  readonly ctl: string[];
  readonly bidi: string;
}
const DOM_PROBE = `(() => ({
  pwned: window.__pwned,
  images: document.querySelectorAll('img').length,
  scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src') ?? ('inline:' + (s.textContent ?? '').slice(0, 40))),
  handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  hrefs: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
  location: location.href.slice(0, 60),
  ctl: [...document.querySelectorAll('.ctl')].map((e) => e.textContent),
  bidi: getComputedStyle(document.querySelector('.value')).unicodeBidi,
}))()`;

/** Scrolls the page to the top, or `selector` to the top of the view, before a screenshot. */
async function scrollTo(page: Page, selector?: string): Promise<void> {
  const frame = await pageFrame(page);
  await frame.evaluate(selector === undefined ? 'window.scrollTo(0, 0)' : `document.querySelector(${JSON.stringify(selector)}).scrollIntoView()`);
  await delay(200);
}

async function openTab(view: FrameLocator, title: string): Promise<void> {
  await view.locator('vscode-tab-header', { hasText: title }).click();
}

describe('image webview in VS Code (code-server 4.100.3 + Chromium)', { timeout: 300_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let scenario: Scenario;
  let scratch: string;
  const dialogs: string[] = [];
  const consoleLines: string[] = [];

  before(async () => {
    buildIfStale();
    assert.ok(existsSync(ENTRY), `${ENTRY} missing: compile the tests first`);
    scratch = mkdtempSync(join(tmpdir(), 'provenance-lens-webview-'));
    scenario = new Scenario(scratch);
    server = await startCodeServer({ colorTheme: 'Default Dark Modern', env: { [SCENARIO_ENV]: scratch } });
    const workspace = server.makeWorkspace('webview');
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl(workspace, inHostTestPayload(repoRoot, ENTRY)));
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    await scenario.waitFor('the in-host scenario to start', (e) => e.kind === 'started', 60_000);
    await runCommand(page, 'View: Close Primary Side Bar');
  });

  after(async () => {
    await scenario?.request({ action: 'finish' }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('shows an image: verdict, coverage, checks with evidence, provenance (dark, light, high contrast)', () =>
    screenshotOnFailure(page, 'webview-image', async () => {
      await scenario.request({ action: 'open', fixture: 'nice' });
      await scenario.waitFor('the model sent to the page', (e) => e.kind === 'posted' && e.fixture === 'nice' && e.type === 'show');
      const view = webview(page);
      await view.locator('h1', { hasText: 'fleet-agent:v0.13.0' }).waitFor();
      await view.locator('vscode-badge.verdict', { hasText: 'Verified' }).first().waitFor();
      await view.getByText(/^index signed by https:\/\/github\.com\/rancher\/fleet/).waitFor();
      await screenshot(page, 'webview-image-dark');

      // Keyboard: from the title, Tab reaches Refresh, then the first copy action; Enter copies.
      await view.locator('h1').click();
      await page.keyboard.press('Tab');
      assert.equal(await (await pageFrame(page)).evaluate<string>('document.activeElement.tagName'), 'VSCODE-BUTTON');
      await page.keyboard.press('Tab');
      assert.equal(
        await (await pageFrame(page)).evaluate<string>('document.activeElement.tagName + " " + document.activeElement.getAttribute("label")'),
        'VSCODE-ICON Copy reference',
      );
      const beforeCopy = scenario.events().length;
      await page.keyboard.press('Enter');
      const copied = await scenario.waitFor('clipboard', (e) => e.kind === 'clipboard', 10_000, beforeCopy);
      assert.equal(copied.head, '127.0.0.1:5000/rancher/fleet-agent:v0.13.0');

      await view.locator('vscode-collapsible', { hasText: 'Signature' }).first().click();
      await view.getByText(IDENTITY, { exact: true }).first().waitFor();
      await scrollTo(page, '.tabs');
      await screenshot(page, 'webview-checks-dark');

      // The log entry links to its public search page, opened by the host.
      const since = scenario.events().length;
      await view
        .locator('a.link', { hasText: `${LOG_INDEX} in https://rekor.sigstore.dev` })
        .first()
        .click();
      const opened = await scenario.waitFor('openExternal', (e) => e.kind === 'openExternal', 10_000, since);
      assert.equal(opened.url, `https://search.sigstore.dev/?logIndex=${LOG_INDEX}`);

      await openTab(view, 'Provenance');
      await view.getByText('BuildKit (https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md)').first().waitFor();
      // The repository as the policy compares it: the material's `.git` suffix is not part of its name.
      await view
        .locator('a.link', { hasText: /^https:\/\/github\.com\/rancher\/fleet$/ })
        .first()
        .waitFor();
      await view.getByText('dockerfile.v0', { exact: true }).first().waitFor();
      await scrollTo(page, '.tabs');
      await screenshot(page, 'webview-provenance-dark');

      await openTab(view, 'SBOM');
      await view.getByText('SPDX', { exact: true }).first().waitFor();
      await view.locator('ul.plain-list', { hasText: 'https://spdx.dev/Document' }).waitFor();
      await scrollTo(page, '.tabs');
      await screenshot(page, 'webview-sbom-dark');
      await openTab(view, 'Provenance');

      await setColorTheme(page, 'Light Modern');
      await page.locator('.monaco-workbench.vs:not(.vs-dark)').waitFor({ state: 'attached' });
      await delay(500);
      await screenshot(page, 'webview-provenance-light');
      await openTab(view, 'Signatures and attestations');
      await scrollTo(page);
      await screenshot(page, 'webview-image-light');
      await scrollTo(page, '.tabs');
      await screenshot(page, 'webview-checks-light');

      await setColorTheme(page, 'Dark High Contrast');
      await page.locator('.monaco-workbench.hc-black').waitFor({ state: 'attached' });
      await delay(500);
      await scrollTo(page);
      await screenshot(page, 'webview-image-high-contrast');
      await scrollTo(page, '.tabs');
      await screenshot(page, 'webview-checks-high-contrast');
      await setColorTheme(page, 'Light High Contrast');
      await page.locator('.monaco-workbench.hc-light').waitFor({ state: 'attached' });
      await delay(500);
      await screenshot(page, 'webview-checks-high-contrast-light');
      await setColorTheme(page, 'Dark Modern');
    }));

  it('the platform switcher shows another platform and tells the host', () =>
    screenshotOnFailure(page, 'webview-platform', async () => {
      const view = webview(page);
      const since = scenario.events().length;
      await view.locator('vscode-single-select#platform').click();
      await view.locator('vscode-single-select#platform li', { hasText: 'linux/arm64' }).first().click();
      await view.locator('.platform-facts h2', { hasText: 'linux/arm64' }).waitFor();
      await scenario.waitFor('selectPlatform', (e) => e.kind === 'received' && e.type === 'selectPlatform', 10_000, since);
      // A failing signature is open from the start, its reason first.
      await openTab(view, 'Signatures and attestations');
      await view
        .locator('.notice.error', { hasText: /does not match the policy/ })
        .first()
        .waitFor();
      await scrollTo(page, '.tabs');
      await screenshot(page, 'webview-platform-arm64-dark');
    }));

  it('an image that cannot be read: the reason and its code, and Try again asks the host', () =>
    screenshotOnFailure(page, 'webview-error', async () => {
      const since = scenario.events().length;
      await scenario.request({ action: 'open', fixture: 'unauthorized' });
      await scenario.waitFor('the error sent', (e) => e.kind === 'posted' && e.fixture === 'unauthorized' && e.type === 'error', 30_000, since);
      const view = webview(page);
      await view.locator('.notice.error', { hasText: 'asks for credentials' }).waitFor();
      await view.getByText('[UNAUTHORIZED]').waitFor();
      await screenshot(page, 'webview-error-dark');
      const before = scenario.events().length;
      await view.locator('vscode-button', { hasText: 'Try again' }).click();
      await scenario.waitFor('refresh', (e) => e.kind === 'received' && e.fixture === 'unauthorized' && e.type === 'refresh', 10_000, before);
    }));

  it('hostile provenance renders as inert text: nothing runs, nothing navigates, the page stays responsive', () =>
    screenshotOnFailure(page, 'webview-hostile', async () => {
      const since = scenario.events().length;
      await scenario.request({ action: 'open', fixture: 'hostile' });
      const shown = await scenario.waitFor('the hostile model sent', (e) => e.kind === 'posted' && e.fixture === 'hostile' && e.type === 'show', 30_000, since);
      const view = webview(page);
      await view.locator('h1', { hasText: 'fleet-agent:v0.13.0-hostile' }).waitFor();
      const rendered = Date.now();
      assert.ok(rendered - shown.at < 10_000, `rendered ${rendered - shown.at} ms after the model was sent`);
      const frame = await pageFrame(page);

      await openTab(view, 'Provenance');
      // Markup is text: the literal characters are on screen, no element was made from them.
      await view.getByText(SCRIPT, { exact: true }).first().waitFor();
      await view.getByText('<img src=x onerror="window.__pwned=1;alert(1)">', { exact: true }).first().waitFor();
      await view.getByText(JS_URL, { exact: true }).first().waitFor();
      const dom = await frame.evaluate<DomProbe>(DOM_PROBE);
      assert.equal(dom.pwned, undefined);
      assert.equal(dom.images, 0);
      assert.equal(dom.handlers, 0);
      assert.ok(
        dom.scripts.every((s) => s.endsWith('/dist/webview.js') || !s.includes('pwned')),
        JSON.stringify(dom.scripts),
      );
      assert.ok(dom.hrefs.length > 0 && dom.hrefs.every((h) => h.startsWith('https://')), JSON.stringify(dom.hrefs));
      assert.ok(dom.ctl.includes('RLO') && dom.ctl.includes('LRI') && dom.ctl.includes('ZWSP') && dom.ctl.includes('U+0007'), JSON.stringify(dom.ctl));
      assert.equal(dom.bidi, 'isolate');

      // A javascript: value is not a link: clicking it does nothing, asks the host for nothing.
      const before = scenario.events().length;
      await view.getByText(JS_URL, { exact: true }).first().click();
      await delay(500);
      assert.equal(await frame.evaluate<string>('location.href.slice(0, 60)'), dom.location);
      assert.deepEqual(
        scenario
          .events()
          .slice(before)
          .filter((e) => e.kind === 'openExternal' || e.kind === 'received'),
        [],
      );
      // The one https link with bidi controls in its text goes to the host, percent-encoded.
      await view.locator('a.link').filter({ hasText: 'txt.exe' }).first().click();
      const opened = await scenario.waitFor('openExternal', (e) => e.kind === 'openExternal', 10_000, before);
      assert.equal(opened.encoded, 'https://github.com/rancher/fleet%E2%80%AEtxt.exe%E2%81%A6hidden%E2%81%A9');
      void BIDI;

      // 1 MiB: shown cut, copied whole through the host.
      const huge = view.locator('vscode-table-row', { hasText: 'HUGE' }).first();
      await huge.getByText(/more characters \(1,048,6\d\d in all\)/).waitFor();
      const beforeCopy = scenario.events().length;
      await huge.locator('vscode-icon.copy').first().click();
      const copied = await scenario.waitFor('clipboard', (e) => e.kind === 'clipboard', 10_000, beforeCopy);
      assert.equal(copied.length, ONE_MIB.length + SCRIPT.length);
      assert.equal(copied.tail, `${'A'.repeat(200 - SCRIPT.length)}${SCRIPT}`);
      await huge.scrollIntoViewIfNeeded();
      await screenshot(page, 'webview-hostile-long-value-dark');
      await scrollTo(page, '.tabs');
      await screenshot(page, 'webview-hostile-provenance-dark');
      await openTab(view, 'Signatures and attestations');
      await scrollTo(page);
      await screenshot(page, 'webview-hostile-checks-dark');

      // Responsive: the raw JSON of a multi-MB statement opens, and the page answers at once after.
      await openTab(view, 'Raw JSON');
      const started = Date.now();
      await view.locator('vscode-collapsible', { hasText: 'Provenance statement' }).first().click();
      await view
        .getByText(/more characters: copy to see them all/)
        .first()
        .waitFor({ timeout: 10_000 });
      const t0 = Date.now();
      await frame.evaluate<number>('document.body.childElementCount');
      assert.ok(Date.now() - t0 < 1000, `the page took ${Date.now() - t0} ms to answer`);
      assert.ok(Date.now() - started < 10_000);
      await screenshot(page, 'webview-hostile-raw-dark');

      // Back to the first image's tab: its page was thrown away when hidden (no retained context);
      // the rebuilt page says ready and the host sends the model it kept, without fetching again.
      const beforeSwitch = scenario.events().length;
      await page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: /^fleet-agent:v0\.13\.0$/ }) }).click();
      await scenario.waitFor('ready again', (e) => e.kind === 'received' && e.fixture === 'nice' && e.type === 'ready', 15_000, beforeSwitch);
      await scenario.waitFor('the kept model', (e) => e.kind === 'posted' && e.fixture === 'nice' && e.type === 'show', 15_000, beforeSwitch);
      await webview(page)
        .locator('h1', { hasText: /^fleet-agent:v0\.13\.0$/ })
        .waitFor();
      // The platform chosen before is restored (host state and the page's saved state).
      await webview(page).locator('.platform-facts h2', { hasText: 'linux/arm64' }).waitFor();

      assert.deepEqual(dialogs, []);
      assert.deepEqual(
        scenario.events().filter((e) => e.kind === 'refused'),
        [],
      );
      const csp = consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l));
      assert.deepEqual(csp, []);
    }));
});
