// Debian's Chromium driven by playwright-core (never `playwright install`: it downloads a
// browser), and the few workbench gestures the scenarios need. Selectors are VS Code 1.100's DOM.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { artifactsDir } from './paths';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox', // root, and no user namespaces in containers
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium (about 1 s). Close it in an `after` hook (stopAll). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

/**
 * Stops what a suite started, in the order given (the browser first, then code-server, then what
 * it talks to), skipping what never started; a browser that is already gone is no error.
 */
export async function stopAll(...parts: ReadonlyArray<Browser | { stop(): Promise<void> } | undefined>): Promise<void> {
  for (const part of parts) {
    if (part === undefined) continue;
    if ('stop' in part) await part.stop();
    else await part.close().catch(() => undefined);
  }
}

export interface WorkbenchOptions {
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Wait this long for the workbench to come up. Default 60 s. */
  readonly timeoutMs?: number;
}

/** Opens a workbench URL (CodeServer.workbenchUrl) in a fresh context and waits until it is usable. */
export async function openWorkbench(browser: Browser, url: string, options: WorkbenchOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  await waitForWorkbench(page, options.timeoutMs ?? 60_000);
  return page;
}

/** Waits for the workbench shell and the explorer of the opened folder to be rendered. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The quick input box (command palette, quick picks, input boxes). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-box input');
}

/** Opens the command palette: F1 until the quick input shows (the first press can be lost while the workbench settles). */
export async function openPalette(page: Page): Promise<void> {
  const input = quickInput(page);
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 1000 });
      return;
    } catch {
      /* try again */
    }
  }
  throw new Error('the command palette did not open');
}

/** A row of the open quick pick whose label is exactly `label`. */
export function quickPickRow(page: Page, label: string): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly(label) }) });
}

/**
 * Runs a command by its palette title, e.g. `Provenance Lens: Show Version`. The palette lists
 * the commands known when it opens, and extensions' contributions arrive a few seconds after
 * the workbench shows, so a palette without the row is closed and opened again.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await openPalette(page);
    await quickInput(page).fill(`>${title}`);
    const row = quickPickRow(page, title).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 2000 });
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`no command titled "${title}" in the palette after ${timeoutMs} ms`, { cause: e });
      await page.keyboard.press('Escape');
      continue;
    }
    await row.click();
    return;
  }
}

/**
 * Switches the color theme through "Preferences: Color Theme", as a user would; `label` is the
 * picker's (`Light Modern`, `Dark Modern`, `Light High Contrast`, `Dark High Contrast`).
 * (Editing settings.json does not reach an open code-server workbench; see updateSettings.)
 */
export async function setColorTheme(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await quickInput(page).fill(label);
  await quickPickRow(page, label).first().click();
  await quickInput(page).waitFor({ state: 'hidden' });
}

/** A notification toast containing `text` (string: substring; RegExp: match). */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/**
 * A view's pane in the side bar by its title (as shown, case-insensitive), e.g. `Releases`.
 * Its `.pane-body` holds the tree or the welcome content.
 */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header .title', { hasText: new RegExp(`^${title}$`, 'i') }) });
}

/**
 * The content of a webview panel: VS Code nests the page in two iframes. `index` picks one
 * when several webviews are open (default the last one, usually the newest).
 */
export function webviewFrame(page: Page, index?: number): FrameLocator {
  const outer = page.locator('iframe.webview.ready');
  return (index === undefined ? outer.last() : outer.nth(index)).contentFrame().frameLocator('#active-frame');
}

/** Saves a full-window PNG as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Runs `fn`; when it throws, saves test-artifacts/<name>-failed.png first, to see why. */
export async function screenshotOnFailure<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    await screenshot(page, `${name}-failed`).catch(() => undefined);
    throw e;
  }
}

/**
 * Clicks a row after dismissing any hover: a tree item's tooltip (a `.context-view`) left under the
 * mouse by the previous click can sit over the next row and take the click on a slow machine.
 */
export async function clickClear(page: Page, target: Locator): Promise<void> {
  await page.mouse.move(1, 1);
  await page
    .locator('.context-view .monaco-hover, .context-view p')
    .first()
    .waitFor({ state: 'hidden', timeout: 3_000 })
    .catch(() => undefined);
  await target.click();
}

/**
 * Clicks `target` (clear of hovers) until `shown` is visible, for up to `timeoutMs`: a click on a
 * tree row can land while the list re-renders it for a redraw and be lost (a CI run waited 20 s
 * on an input box that a lost click on "Sign in to …" never opened). Waits `perTryMs` after each
 * click before judging it lost, so a slow answer is not clicked twice.
 */
export async function clickUntilShown(page: Page, target: Locator, shown: Locator, o: { perTryMs?: number; timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (let clicks = 1; ; clicks++) {
    await clickClear(page, target);
    const perTry = Math.max(1, Math.min(o.perTryMs ?? 5_000, deadline - Date.now()));
    if (
      await shown.waitFor({ state: 'visible', timeout: perTry }).then(
        () => true,
        () => false,
      )
    )
      return;
    if (Date.now() >= deadline) throw new Error(`${clicks} clicks in ${timeoutMs} ms did not show ${String(shown)}`);
  }
}

export interface HoverOptions {
  /** How long one hover may take to show before the mouse leaves and comes back. Default 3 s. */
  readonly perTryMs?: number;
  /** Give up after this long in all. Default 30 s. */
  readonly timeoutMs?: number;
  /** Whether the shown hover is the answer wanted (e.g. it has the digest); default any. */
  readonly accept?: (text: string) => boolean;
  /** Where the mouse goes between tries (away from every hover target). */
  readonly away?: { readonly x: number; readonly y: number };
}

export interface HoverResult {
  readonly text: string;
  /** 1 when the first hover answered. */
  readonly attempts: number;
  /** From the mouse move of the try that answered to its answer. */
  readonly answeredMs: number;
}

/**
 * Hovers `target` until `hover` shows an accepted answer. A mouse move can be lost while the
 * workbench is busy (an editor still revealing a line, a closing quick input), and the editor only
 * asks again after the mouse leaves, so the mouse leaves and comes back; every try counts.
 */
export async function hoverUntil(page: Page, target: Locator, hover: Locator, o: HoverOptions = {}): Promise<HoverResult> {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  const away = o.away ?? { x: 5, y: 450 };
  let last = '';
  for (let attempts = 1; ; attempts++) {
    await page.mouse.move(away.x, away.y);
    const tryStart = performance.now();
    await target.hover();
    const perTry = Math.max(1, Math.min(o.perTryMs ?? 3_000, deadline - Date.now()));
    const shown = await hover.waitFor({ state: 'visible', timeout: perTry }).then(
      () => true,
      () => false,
    );
    if (shown) {
      last = await hover.innerText().catch(() => '');
      if (!o.accept || o.accept(last)) return { text: last, attempts, answeredMs: performance.now() - tryStart };
    }
    if (Date.now() >= deadline)
      throw new Error(`no accepted hover after ${attempts} tries in ${o.timeoutMs ?? 30_000} ms; the last one said:\n${last || '(nothing shown)'}`);
    await page.waitForTimeout(250);
  }
}

/** The first row of the Releases view showing `text`. */
export function releasesRow(page: Page, text: string | RegExp): Locator {
  return viewPane(page, 'Releases').locator('.monaco-list-row', { hasText: text }).first();
}

/** Expands a tree row (a click when collapsed) and waits until the tree says it is expanded. */
export function expandRow(r: Locator): Promise<void> {
  return setRowExpanded(r, true);
}

/** Collapses a tree row (a click when expanded) and waits until the tree says it is collapsed. */
export function collapseRow(r: Locator): Promise<void> {
  return setRowExpanded(r, false);
}

/**
 * Clicks a row until its `aria-expanded` reads `expanded`, looking the row up afresh each time.
 * Why not one click and a wait on its element: the list re-renders rows as the tree's paced
 * redraws arrive, so a click can land on a row being replaced (lost), and a handle taken before
 * the redraw watches a detached element that never changes (a CI run timed out so).
 */
async function setRowExpanded(r: Locator, expanded: boolean): Promise<void> {
  const want = String(expanded);
  const deadline = Date.now() + 20_000;
  let seen: string | null = null;
  for (;;) {
    await r.waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) });
    seen = await r.getAttribute('aria-expanded');
    if (seen === want) return;
    if (Date.now() >= deadline) throw new Error(`the tree row stayed aria-expanded=${seen} after clicks for 20 s (wanted ${want})`);
    await clickClear(r.page(), r);
    // Give the click time to take effect before judging it lost: a second click would undo a late one.
    for (const settle = Date.now() + 3_000; Date.now() < settle;) {
      if ((await r.getAttribute('aria-expanded').catch(() => null)) === want) return;
      await r.page().waitForTimeout(100);
    }
  }
}

/** Drags the side bar's edge so the tree's descriptions are readable (in the screenshots too). */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}
