// Restricted Mode in a real VS Code (code-server + Chromium, workspace trust on, the folder
// never trusted): the user's own setting `provenanceLens.policyFile: relaxed.yaml` is relative,
// and the untrusted folder ships a relaxed.yaml that pins the release to a key the folder also
// ships. Resolved into the folder, that policy would make the release "verified" on the
// workspace's word. The view must not show it verified, and must say what was ignored and why, the log
// too; once the user trusts the folder, the same setting applies and the release verifies.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pushReleaseFixture } from '../support/fixtures';
import type { ReleaseFixture } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { launchBrowser, openWorkbench, runCommand, screenshot, screenshotOnFailure, stopAll, viewPane, widenSidebar } from './support/browser';
import { rowLabelled } from './support/demo-surfaces';
import { extensionLog, startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { KEY_SIGNED_FLEET, keyPolicy } from './support/team-fleet';

// A literal tag: git facts (and so `{{ .Tag }}`) are not read in Restricted Mode.
const GORELEASER = `version: 2
project_name: fleet
dockers_v2:
  - id: fleet
    images: ["{{ .Env.REGISTRY }}/team/fleet"]
    tags: ["v1.0.0"]
`;

describe('Restricted Mode: no file of the untrusted workspace through a setting (code-server + Chromium)', { timeout: 300_000 }, () => {
  let registry: TestRegistry | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let fleet: ReleaseFixture;

  before(async () => {
    registry = await startRegistry();
    fleet = await pushReleaseFixture(registry, 'team/fleet', KEY_SIGNED_FLEET);
    server = await startCodeServer({
      vsix: 'package',
      disableWorkspaceTrust: false,
      settings: {
        // No trust prompt: the folder opens in Restricted Mode, as when a user picks "Don't trust".
        'security.workspace.trust.startupPrompt': 'never',
        'provenanceLens.policyFile': 'relaxed.yaml',
        'provenanceLens.goreleaser.env': { REGISTRY: registry.host },
        'provenanceLens.offline': true,
      },
    });
    workspace = server.makeWorkspace('untrusted', {
      '.goreleaser.yaml': GORELEASER,
      'relaxed.yaml': keyPolicy(registry.host),
      'cosign.pub': fleet.publicKeyPem,
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl(workspace));
  });

  after(() => stopAll(browser, server, registry));

  const ignored = (): string =>
    `provenanceLens.policyFile points into this untrusted workspace (relaxed.yaml, relative to ${workspace}); ignored in Restricted Mode. Trust the workspace to use it.`;

  it('ignores the relative user setting: the release does not verify, and the view and the log say why', () =>
    screenshotOnFailure(page, 'restricted-mode-untrusted', async () => {
      await page.locator('.part.statusbar').getByText('Restricted Mode').waitFor({ state: 'visible' });
      await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
      await widenSidebar(page, 760);
      await viewPane(page, 'Releases').getByText(ignored()).waitFor({ state: 'visible', timeout: 30_000 });
      // Without a policy nothing is pinned and a log entry is required (the default), which these
      // key-only signatures lack: verification fails. relaxed.yaml would have waived both.
      // The repository leads the row (no git tag here: with the image's own tag); failed: the error icon.
      const fleetRow = rowLabelled(page, 'team/fleet:v1.0.0');
      await fleetRow.locator('.codicon-error').waitFor({ state: 'visible', timeout: 60_000 });
      assert.doesNotMatch(await fleetRow.innerText(), /\bverified\b/);
      await screenshot(page, 'restricted-mode-untrusted');
      const log = extensionLog(server!);
      assert.ok(log.includes(ignored()), log.slice(-3000));
      assert.ok(!log.includes(`Policy: ${workspace}/relaxed.yaml`), 'the workspace policy was never loaded');
    }));

  it('applies the same setting once the workspace is trusted: verified under relaxed.yaml', () =>
    screenshotOnFailure(page, 'restricted-mode-trusted', async () => {
      await runCommand(page, 'Workspaces: Manage Workspace Trust');
      await page.getByRole('button', { name: 'Trust', exact: true }).click();
      await page.locator('.part.statusbar').getByText('Restricted Mode').waitFor({ state: 'hidden' });
      await rowLabelled(page, 'team/fleet:v1.0.0')
        .getByText(/^verified · /)
        .waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await viewPane(page, 'Releases').getByText('Restricted mode', { exact: false }).count(), 0);
      await screenshot(page, 'restricted-mode-trusted');
      assert.ok(extensionLog(server!).includes(`Policy: ${workspace}/relaxed.yaml`));
    }));
});
