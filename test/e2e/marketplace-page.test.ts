// The extension's page in VS Code's Extensions view, from a .vsix packaged the way
// `npm run package` packages it (scripts/package.mjs: MARKETPLACE.md with its screenshots
// inlined): the README's screenshots load (the page allows only https: and data: images), the
// icon is the project's, the categories are shown. The bundles are the checkout's own build.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, screenshot, screenshotOnFailure } from './support/browser';
import { startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { repoRoot } from './support/paths';

/** What the page's <img> elements tell (the tests compile without the DOM library). */
interface Picture {
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly naturalHeight: number;
}

/** Width and height of a PNG (its IHDR chunk, https://www.w3.org/TR/png/#11IHDR). */
function pngSize(path: string): [number, number] {
  const bytes = readFileSync(path);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('the extension page in VS Code (code-server 4.100.3 + Chromium)', { timeout: 240_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    // The .vsix as `npm run package` makes it (the Marketplace README): what every e2e test installs.
    server = await startCodeServer({ vsix: 'package' });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl(server.makeWorkspace('marketplace')));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  it('shows the README with every screenshot loaded, the icon and the categories', () =>
    screenshotOnFailure(page, 'marketplace-page', async () => {
      await page.keyboard.press('Control+Shift+X');
      await page.locator('.extensions-viewlet .suggest-input-container').click();
      await page.keyboard.type('@installed Provenance Lens');
      await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Provenance Lens' }).first().click();

      const editor = page.locator('.extension-editor');
      await editor.locator('.header .name', { hasText: 'Provenance Lens' }).waitFor({ state: 'visible' });
      const icon = editor.locator('.header img.icon');
      await icon.waitFor({ state: 'visible' });
      await page.waitForFunction((el) => (el as unknown as Picture).complete && (el as unknown as Picture).naturalWidth > 0, await icon.elementHandle());
      assert.equal(await icon.evaluate((el) => (el as unknown as Picture).naturalWidth), pngSize(join(repoRoot, 'media', 'icon.png'))[0]);
      for (const category of ['Linters', 'Visualization']) await editor.locator('.categories .category', { hasText: category }).waitFor({ state: 'visible' });

      // The README's screenshots, in order, each loaded at its own size.
      const source = readFileSync(join(repoRoot, 'MARKETPLACE.md'), 'utf8');
      const expected = [...source.matchAll(/!\[[^\]]*\]\((media\/[^)\s]+\.png)\)/g)].map((m) => pngSize(join(repoRoot, m[1]!)));
      assert.ok(expected.length >= 4, 'MARKETPLACE.md shows its screenshots');
      const readme = page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
      await readme
        .locator('img')
        .nth(expected.length - 1)
        .waitFor({ state: 'attached' });
      const images = readme.locator('img');
      await images.last().scrollIntoViewIfNeeded();
      const loaded = async () => images.evaluateAll((els) => els.map((e) => [(e as unknown as Picture).naturalWidth, (e as unknown as Picture).naturalHeight]));
      const deadline = Date.now() + 15_000;
      let sizes = await loaded();
      while (sizes.some(([w]) => w === 0) && Date.now() < deadline) {
        await page.waitForTimeout(250);
        sizes = await loaded();
      }
      assert.deepEqual(sizes, expected);
      await images.first().scrollIntoViewIfNeeded();
      await screenshot(page, 'marketplace-page');
    }));
});
