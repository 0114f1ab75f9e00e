// The editor and the Problems panel as the e2e tests read and drive them.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { Locator, Page } from 'playwright-core';
import { quickInput, runCommand } from './browser';

/** A Problems row whose text matches. */
export function problem(page: Page, text: string | RegExp): Locator {
  return page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
}

/** The editor line whose text matches (Monaco renders spaces as no-break spaces). */
export function editorLine(page: Page, text: RegExp): Locator {
  return page.locator('.monaco-editor .view-line', { hasText: text }).first();
}

/** Moves the cursor with "Go to Line/Column...": to `line`, and `column` when given. */
export async function goTo(page: Page, line: number, column?: number): Promise<void> {
  await runCommand(page, 'Go to Line/Column...');
  await quickInput(page).fill(column === undefined ? `:${line}` : `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
}

/**
 * Opens the light bulb's menu at the cursor (Ctrl+.) until it lists `title` (a string: that label
 * exactly; a RegExp: a label it matches), runs `whileOpen` (a screenshot of the menu, say), and
 * runs the action with the keyboard, as the menu's pointer block takes clicks while it settles.
 * Returns the label of the action run.
 */
export async function quickFix(page: Page, title: string | RegExp, whileOpen?: () => Promise<unknown>): Promise<string> {
  const row = page.locator('.action-widget .monaco-list-row.action', { hasText: title }).first();
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.keyboard.press('Control+.');
    if (
      await row.waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    await page.keyboard.press('Escape');
    await delay(1_000);
  }
  await whileOpen?.();
  const matches = (label: string): boolean => (typeof title === 'string' ? label === title : title.test(label));
  const focused = page.locator('.action-widget .monaco-list-row.action.focused');
  for (let i = 0; i < 10 && !matches((await focused.getAttribute('aria-label')) ?? ''); i++) await page.keyboard.press('ArrowDown');
  const chosen = (await focused.getAttribute('aria-label')) ?? '';
  if (typeof title === 'string') assert.equal(chosen, title);
  else assert.match(chosen, title);
  await page.keyboard.press('Enter');
  return chosen;
}

/** The file's text once `done` holds for it (an applied edit is saved a moment after), else its text after `ms`. */
export async function fileWhen(path: string, done: (text: string) => boolean, ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms;
  let text = '';
  while (Date.now() < deadline) {
    text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (done(text)) return text;
    await delay(200);
  }
  return text;
}
