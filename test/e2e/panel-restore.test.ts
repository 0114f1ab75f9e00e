// The image panel comes back after "Developer: Reload Window", in a real
// VS Code (code-server + Chromium) with the packaged extension against a real registry: the
// panel is opened through "Provenance Lens: Verify Image", the window reloads, and VS Code hands
// the page's saved state to the extension's WebviewPanelSerializer (activation event
// onWebviewPanel:provenanceLens.image), which fetches again and re-renders the same reference.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pushReleaseFixture } from '../support/fixtures';
import type { ReleaseFixture } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import {
  launchBrowser,
  notification,
  openWorkbench,
  quickInput,
  runCommand,
  screenshot,
  screenshotOnFailure,
  stopAll,
  waitForWorkbench,
  webviewFrame,
} from './support/browser';
import { extensionLog, startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { KEY_SIGNED_FLEET, keyPolicy } from './support/team-fleet';

describe('image panel restore after a window reload (code-server + Chromium + a real registry)', { timeout: 300_000 }, () => {
  let registry: TestRegistry | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let fleet: ReleaseFixture;

  before(async () => {
    try {
      registry = await startRegistry();
      fleet = await pushReleaseFixture(registry, 'team/fleet', KEY_SIGNED_FLEET);
      server = await startCodeServer({
        vsix: 'package',
        colorTheme: 'Default Dark Modern',
        // No network here: verify with the embedded trusted root, never try a TUF refresh.
        settings: { 'provenanceLens.offline': true },
      });
      const workspace = server.makeWorkspace('restore', {
        '.provenance-lens.yaml': keyPolicy(registry.host),
        'cosign.pub': fleet.publicKeyPem,
        'README.md': '# restore\n',
      });
      browser = await launchBrowser();
      page = await openWorkbench(browser, server.workbenchUrl(workspace));
    } catch (e) {
      // Whatever started is stopped here, so a failed setup leaves no process behind.
      await stopAll(browser, server, registry);
      browser = undefined;
      server = undefined;
      registry = undefined;
      throw e;
    }
  });

  after(() => stopAll(browser, server, registry));

  it('the panel opened by "Verify image" is back after "Developer: Reload Window", same reference, re-rendered', () =>
    screenshotOnFailure(page, 'panel-restored', async () => {
      try {
        await verifyReloadAndRestore();
      } catch (e) {
        // What the extension did on both sides of the reload says why the page shows what it shows.
        console.log(
          `# the extension's log:\n${extensionLog(server!)
            .split('\n')
            .map((l) => `#   ${l}`)
            .join('\n')}`,
        );
        throw e;
      }
    }));

  async function verifyReloadAndRestore(): Promise<void> {
    const reference = `${registry!.host}/team/fleet:v1.0.0`;
    await runCommand(page, 'Provenance Lens: Verify Image');
    await quickInput(page).fill(reference);
    await page.keyboard.press('Enter');
    let view = webviewFrame(page);
    await view.locator('h1', { hasText: 'fleet:v1.0.0' }).waitFor({ timeout: 60_000 });
    await view.getByText(reference).first().waitFor();
    await view.locator('vscode-badge.verdict', { hasText: 'Verified' }).first().waitFor();
    await notification(page, 'Verifying').waitFor({ state: 'hidden', timeout: 60_000 });
    await screenshot(page, 'panel-before-reload');

    // A mark on the old window: gone once the window has really reloaded.
    await page.evaluate('window.__beforeReload = true');
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForFunction('window.__beforeReload === undefined', undefined, { timeout: 60_000, polling: 200 });
    await waitForWorkbench(page, 60_000);

    // The editor tab is restored with the panel's title, and its webview renders again.
    const tab = page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: /^fleet:v1\.0\.0$/ }) });
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    view = webviewFrame(page);
    await view.locator('h1', { hasText: 'fleet:v1.0.0' }).waitFor({ timeout: 60_000 });
    await view.getByText(reference).first().waitFor();
    await view.locator('vscode-badge.verdict', { hasText: 'Verified' }).first().waitFor({ timeout: 60_000 });
    const text = await view.locator('body').innerText();
    assert.match(text, new RegExp(reference.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(text, /Verified/);
    assert.equal(await page.locator('.tabs-container .tab').count(), 1, 'one editor tab: the restored panel');
    await page.mouse.move(700, 500);
    await screenshot(page, 'panel-restored');
  }
});
