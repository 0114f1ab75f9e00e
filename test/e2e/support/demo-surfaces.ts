// The places of the workbench where the demo says why an image failed, read as a user reads them:
// the first line of a Releases tooltip, of an editor hover, a CodeLens title, the image panel's
// header. And the user setting that chooses the colour theme, for the screenshots of each surface.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { hoverUntil, quickInput, runCommand, viewPane, webviewFrame } from './browser';
import { artifactsDir, repoRoot } from './paths';

/** The first line with text. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

/** Where the mouse rests: the title bar's empty middle, over no hover target. */
const AWAY = { x: 250, y: 16 };

/** The first line of the tooltip of a Releases row, once it says `hasText`. */
export async function treeTooltipFirstLine(page: Page, row: Locator, hasText: string | RegExp): Promise<string> {
  const tooltip = page.locator('.monaco-hover:not(.hidden)', { hasText }).first();
  const { text } = await hoverUntil(page, row, tooltip, { away: AWAY, timeoutMs: 60_000 });
  return firstLine(text);
}

/** Moves the mouse off every hover target and waits for hovers to close. */
export async function dismissHovers(page: Page): Promise<void> {
  await page.mouse.move(AWAY.x, AWAY.y);
  await page.keyboard.press('Escape');
  await page
    .locator('.monaco-hover:not(.hidden)')
    .first()
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => undefined);
}

/** The editor line whose text matches (Monaco renders spaces as no-break spaces). */
export function editorLine(page: Page, text: RegExp): Locator {
  return page.locator('.monaco-editor .view-line', { hasText: text }).first();
}

/** The 1-based line of `file` (its path) that first holds `needle`. */
export function lineOf(file: string, needle: string): number {
  const line =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(needle)) + 1;
  if (line === 0) throw new Error(`${needle} is not in ${file}`);
  return line;
}

/** Scrolls the editor to center line `line` (Go to Line, as a user would). */
export async function goToLine(page: Page, line: number): Promise<void> {
  await runCommand(page, 'Go to Line/Column...');
  await quickInput(page).fill(`:${line}`);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
}

/**
 * The first line of our hover over `needle` (text of a line the editor shows; Monaco renders its
 * spaces as no-break spaces), over the span holding `word`, once it carries a verdict.
 */
export async function editorHoverFirstLine(page: Page, needle: string, word: string, verdict: RegExp): Promise<string> {
  const line = new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ /g, '[\\s\u00a0]'));
  const target = editorLine(page, line).locator('span', { hasText: word }).last();
  // Our part of the hover (a Problems entry on the same text has its own part, above it).
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden) .markdown-hover', { hasText: 'Template:' }).first();
  const { text } = await hoverUntil(page, target, hover, { away: AWAY, perTryMs: 5_000, timeoutMs: 90_000, accept: (t) => verdict.test(firstLine(t)) });
  return firstLine(text);
}

/**
 * The links of our part of the shown hover that lie inside its visible box (a hover is cut at its
 * height limit and scrolls; what lies below the cut is not seen).
 */
export async function hoverLinksInView(page: Page): Promise<string[]> {
  const box = await page.locator('.monaco-editor .monaco-hover:not(.hidden)').first().boundingBox();
  if (!box) return [];
  const seen: string[] = [];
  for (const link of await page.locator('.monaco-editor .monaco-hover:not(.hidden) .markdown-hover a').all()) {
    const b = await link.boundingBox();
    if (b && b.y >= box.y && b.y + b.height <= box.y + box.height) seen.push((await link.innerText()).trim());
  }
  return seen;
}

/** The titles of every CodeLens of the visible editor, once `count` of them match `ready`. */
export async function codeLensTitles(page: Page, ready: RegExp, count: number): Promise<string[]> {
  const lenses = page.locator('.monaco-editor .codelens-decoration');
  const deadline = Date.now() + 90_000;
  for (;;) {
    const titles = (await lenses.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').trim());
    if (titles.filter((t) => ready.test(t)).length >= count) return titles;
    if (Date.now() > deadline) throw new Error(`no ${count} CodeLens matching ${String(ready)} in 90 s; they read:\n${titles.join('\n')}`);
    await page.waitForTimeout(250);
  }
}

/** Clicks the verdict of the CodeLens that matches (it runs Verify and opens the image panel). */
export async function clickCodeLens(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.monaco-editor .codelens-decoration', { hasText: text }).first().locator('a').first().click();
}

/** The image panel's header line (the cause) and the platform it shows, once its title is `name`. */
export async function panelHeader(page: Page, name: string): Promise<{ cause: string; platform: string }> {
  const view = webviewFrame(page);
  await view.locator('h1', { hasText: name }).waitFor({ timeout: 60_000 });
  // The codicon font (icons of the badge, the buttons, the copy actions) loads after the text.
  await view.locator('body').evaluate('document.fonts.ready.then(() => document.fonts.status)');
  const cause = await view.locator('header .cause').first().innerText();
  const platform = await view.locator('.platform-facts h2').first().innerText();
  return { cause: cause.trim(), platform: platform.trim() };
}

/** Scrolls the open image panel's page to `selector` (top of the view), or to the top. */
export async function scrollPanel(page: Page, selector?: string): Promise<void> {
  const body = webviewFrame(page).locator('body');
  await body.evaluate(selector === undefined ? 'window.scrollTo(0, 0)' : `document.querySelector(${JSON.stringify(selector)}).scrollIntoView()`);
}

/** Shows the Releases view (its activity bar icon toggles the side bar: clicked only when the view is hidden). */
export async function showReleases(page: Page): Promise<void> {
  const pane = viewPane(page, 'Releases');
  // A workbench still restoring its layout can show the view just as the icon is clicked, and the
  // click then hides it again: look, click only when hidden, and look again, a few times.
  for (let attempt = 0; attempt < 4; attempt++) {
    if (!(await pane.isVisible())) await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
    if (
      await pane.waitFor({ state: 'visible', timeout: 7_500 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  await pane.waitFor({ state: 'visible' });
}

/** The first Releases row whose label is exactly `label` (a platform's is the platform alone: expand one image at a time). */
export function rowLabelled(page: Page, label: string): Locator {
  const exactly = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*$`);
  return viewPane(page, 'Releases')
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly }) })
    .first();
}

export interface Theme {
  /** File name part: `dark`, `light`, `high-contrast`. */
  readonly name: string;
  /** The `workbench.colorTheme` value. */
  readonly setting: string;
  /** What the workbench looks like once it applies. */
  readonly selector: string;
}

export const THEMES: readonly Theme[] = [
  { name: 'dark', setting: 'Default Dark Modern', selector: '.monaco-workbench.vs-dark' },
  { name: 'light', setting: 'Default Light Modern', selector: '.monaco-workbench.vs:not(.vs-dark)' },
  { name: 'high-contrast', setting: 'Default High Contrast', selector: '.monaco-workbench.hc-black' },
];

/**
 * Sets `workbench.colorTheme` in the user settings.json of the code-server (`settingsFile`); when
 * the open workbench does not pick the file change up in a few seconds, it is reloaded, and reads
 * it at start.
 */
export async function useTheme(page: Page, settingsFile: string, theme: Theme): Promise<void> {
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'workbench.colorTheme': theme.setting }, null, 2)}\n`);
  const applied = await page
    .locator(theme.selector)
    .waitFor({ state: 'attached', timeout: 5_000 })
    .then(
      () => true,
      () => false,
    );
  if (applied) return;
  await page.reload();
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator(theme.selector).waitFor({ state: 'attached', timeout: 15_000 });
}

/**
 * Switches to each theme of THEMES in turn and runs `shoot`, which returns the screenshots it
 * took there; prints them all, and puts the first theme back.
 */
export async function inEachTheme(page: Page, settingsFile: string, shoot: (theme: Theme) => Promise<string[]>): Promise<void> {
  const shots: string[] = [];
  for (const theme of THEMES) {
    await useTheme(page, settingsFile, theme);
    shots.push(...(await shoot(theme)));
  }
  console.log(`# screenshots:\n${shots.map((s) => `#   ${s}`).join('\n')}`);
  await useTheme(page, settingsFile, THEMES[0]!);
}

/**
 * Where the screenshots of the surfaces go: test-artifacts/screenshots/<name>.png, or, with
 * `UPDATE_SCREENSHOTS=1`, docs/screenshots/<name>.png, the pictures the documentation shows (a
 * test run must not rewrite tracked files).
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(repoRoot, 'docs', 'screenshots') : join(artifactsDir, 'screenshots');

export async function surfaceScreenshot(page: Page, name: string): Promise<string> {
  // Hovers fade in: let the animation end.
  await page.waitForTimeout(400);
  const path = join(SCREENSHOTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  return path;
}
