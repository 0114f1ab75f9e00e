// The editor and the Problems panel as the e2e tests read and drive them.
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
