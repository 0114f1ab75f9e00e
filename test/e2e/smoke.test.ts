// The extension in a real VS Code: code-server with the packaged .vsix installed, driven by
// Chromium, then the in-host suite (test/host) run by a real extension host.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, notification, openWorkbench, runCommand, screenshot, screenshotOnFailure, setColorTheme, viewPane } from './support/browser';
import { startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { HOST_SUITE_TIMEOUT_MS, runHostSuite } from './support/host-suite';
import { repoRoot } from './support/paths';

const VERSION = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

// The suite's timeout bounds all its tests together (node:test): the in-host suite's own
// bound (runHostSuite's default) plus the workbench scenarios before it.
describe('VS Code smoke (code-server 4.100.3 + Chromium)', { timeout: HOST_SUITE_TIMEOUT_MS + 180_000 }, () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;

  before(async () => {
    server = await startCodeServer({ vsix: 'package', colorTheme: 'Default Dark Modern' });
    workspace = server.makeWorkspace('smoke', {
      '.goreleaser.yaml': 'version: 2\ndockers:\n  - image_templates: ["127.0.0.1:5000/fleet:{{ .Version }}"]\n',
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl(workspace));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  it('runs "Provenance Lens: Show Version" from the command palette', () =>
    screenshotOnFailure(page, 'smoke-show-version', async () => {
      await runCommand(page, 'Provenance Lens: Show Version');
      const toast = notification(page, `Provenance Lens ${VERSION} (VS Code 1.100.3)`);
      await toast.waitFor({ state: 'visible' });
      await screenshot(page, 'smoke-show-version');
    }));

  it('shows the Releases view in its own container, with the goreleaser release of the workspace', () =>
    screenshotOnFailure(page, 'smoke-releases-view', async () => {
      await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
      const pane = viewPane(page, 'Releases');
      await pane.locator('.monaco-list-row', { hasText: 'smoke' }).waitFor({ state: 'visible' });
      // No tag in this workspace's git: the template waits for it, and says so.
      await pane.locator('.monaco-list-row', { hasText: '127.0.0.1:5000/fleet:<.Version>' }).getByText('needs .Version').waitFor({ state: 'visible' });
      await screenshot(page, 'smoke-releases-view-dark');
    }));

  it('follows a theme change (light)', () =>
    screenshotOnFailure(page, 'smoke-light', async () => {
      await setColorTheme(page, 'Light Modern');
      await page.locator('.monaco-workbench.vs:not(.vs-dark)').waitFor({ state: 'attached' });
      await screenshot(page, 'smoke-releases-view-light');
    }));

  it('passes the in-host suite in a real extension host', async () => {
    assert.ok(server && browser);
    const results = await runHostSuite(server, browser, workspace);
    const failures = results.tests.filter((t) => t.state === 'failed').map((t) => `${t.title}\n${t.error ?? ''}`);
    assert.equal(results.error, undefined, results.error);
    assert.deepEqual(failures, []);
    assert.equal(results.vscodeVersion, '1.100.3');
    assert.ok(results.passed >= 4, `only ${results.passed} in-host tests passed`);
  });
});
