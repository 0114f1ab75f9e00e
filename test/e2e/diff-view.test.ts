// "What changed since the last release?" in a real VS Code (code-server 4.100.3 + Chromium)
// against a real registry: a goreleaser workspace tagged v1.1.0 whose fleet-agent image was
// signed at v1.0.0 by the project's release workflow and at v1.1.0 by a fork's, one platform
// fewer and every platform rebuilt; fleet is signed by its own workflow at both tags. No policy
// pins a signer, so the release row warns of the new signer (as `verify --release` would), and
// "Compare with Previous Release" on the image's node opens the diff view: the warnings first,
// every platform's manifest digests, the signers old and new. Screenshots of the view beside the
// tree in the dark, light and high-contrast themes go to docs/screenshots/panel-diff-*.png with
// UPDATE_SCREENSHOTS=1 (else test-artifacts/screenshots/).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pushSignedRelease } from '../support/sigstore/release';
import type { SignedRelease } from '../support/sigstore/release';
import { expandRow, launchBrowser, openWorkbench, releasesRow, runCommand, screenshotOnFailure, webviewFrame, widenSidebar, stopAll } from './support/browser';
import { startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { dismissHovers, inEachTheme, rowLabelled, showReleases, surfaceScreenshot } from './support/demo-surfaces';
import { commitAndTag } from '../support/git';
import { TEAM_FLEET_GORELEASER } from './support/team-fleet';
import { startSigningRegistry } from '../support/signing-registry';
import type { SigningRegistry } from '../support/signing-registry';

const FORK = 'fleet-fork/fleet';
const workflow = (repository: string, tag: string): string => `https://github.com/${repository}/.github/workflows/release.yml@refs/tags/${tag}`;

/** Runs an item of a Releases row's context menu, as a right click does. */
async function contextMenu(page: Page, row: ReturnType<typeof rowLabelled>, item: string): Promise<void> {
  await row.click({ button: 'right' });
  const action = page.locator('.context-view .monaco-menu .action-item', { hasText: item }).first();
  await action.waitFor({ state: 'visible' });
  await action.click();
  // A click that lands while the menu is still settling leaves it open with the item highlighted: Enter runs it.
  const menu = page.locator('.context-view .monaco-menu');
  if (
    !(await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(
      () => true,
      () => false,
    ))
  ) {
    await action.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }
}

/** The rows of the diff view's platform table as the page shows them: platform, change, old digest, new digest. */
async function platformRows(page: Page): Promise<string[][]> {
  const rows = webviewFrame(page).locator('#diff-platforms vscode-table-body vscode-table-row');
  await rows.first().waitFor();
  const out: string[][] = [];
  for (const row of await rows.all()) out.push((await row.locator('vscode-table-cell').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim()));
  return out;
}

describe('diff view: compare a release with the previous one (code-server + Chromium + a real registry)', { timeout: 480_000 }, () => {
  let signing: SigningRegistry | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let oldAgent: SignedRelease;
  let newAgent: SignedRelease;

  before(async () => {
    signing = await startSigningRegistry('diff-view');
    const { registry, sigstore, trustedRoot } = signing;
    const common = { sigstore, cosignSignatures: ['index'], cosignAttestations: ['index'] };
    // fleet: its own release workflow at each release's tag, the same signer.
    await pushSignedRelease(registry, 'team/fleet', {
      ...common,
      tag: 'v1.0.0',
      platforms: ['linux/amd64', 'linux/arm64'],
      sourceRepository: 'team/fleet',
      contentSeed: 'fleet-1.0',
    });
    await pushSignedRelease(registry, 'team/fleet', {
      ...common,
      tag: 'v1.1.0',
      platforms: ['linux/amd64', 'linux/arm64'],
      sourceRepository: 'team/fleet',
      contentSeed: 'fleet-1.1',
    });
    // fleet-agent: v1.1.0 signed by a fork's workflow, without linux/s390x.
    oldAgent = await pushSignedRelease(registry, 'team/fleet-agent', {
      ...common,
      tag: 'v1.0.0',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/s390x'],
      sourceRepository: 'team/fleet',
      contentSeed: 'agent-1.0',
    });
    const fork = await sigstore.githubIdentity({ repository: FORK, ref: 'refs/tags/v1.1.0' });
    newAgent = await pushSignedRelease(registry, 'team/fleet-agent', {
      ...common,
      tag: 'v1.1.0',
      platforms: ['linux/amd64', 'linux/arm64'],
      sourceRepository: FORK,
      signer: fork,
      contentSeed: 'agent-1.1',
    });
    assert.equal(oldAgent.signer.identity, workflow('team/fleet', 'v1.0.0'));
    assert.equal(newAgent.signer.identity, workflow(FORK, 'v1.1.0'));

    server = await startCodeServer({
      vsix: 'package',
      colorTheme: 'Default Dark Modern',
      // No network here: the mini Sigstore's root, never a TUF refresh. No policy: nobody is pinned.
      settings: { 'provenanceLens.goreleaser.env': { REGISTRY: registry.host }, 'provenanceLens.offline': true, 'provenanceLens.trustedRoot': trustedRoot },
    });
    const workspace = server.makeWorkspace('fleet', { '.goreleaser.yaml': TEAM_FLEET_GORELEASER, 'README.md': '# fleet\n' });
    commitAndTag(workspace, 'v1.1.0');
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl(workspace));
  });

  after(() => stopAll(browser, server, signing));

  it('the release row warns that fleet-agent is signed by other signers than v1.0.0; the image says so first', () =>
    screenshotOnFailure(page, 'diff-view-tree', async () => {
      await showReleases(page);
      await widenSidebar(page, 560);
      const release = releasesRow(page, /^\s*fleet\s*v1\.1\.0/);
      await release.locator('.label-description', { hasText: 'signer changed since v1.0.0' }).waitFor({ timeout: 90_000 });
      const agent = rowLabelled(page, 'team/fleet-agent');
      await expandRow(agent);
      await rowLabelled(page, 'Signed by other signers than v1.0.0').waitFor();
      // fleet's own workflow signs each release at its own tag: no note under it.
      const fleet = rowLabelled(page, 'team/fleet');
      await expandRow(fleet);
      await rowLabelled(page, 'linux/amd64').waitFor();
      assert.equal(await rowLabelled(page, 'Signed by other signers than v1.0.0').count(), 1);
    }));

  it('"Compare with Previous Release" opens the diff view: the warnings, every platform\'s digests, the signers old and new', () =>
    screenshotOnFailure(page, 'diff-view-compare', async () => {
      await contextMenu(page, rowLabelled(page, 'team/fleet-agent'), 'Compare with Previous Release');
      const view = webviewFrame(page);
      await view.locator('h1', { hasText: 'Compare fleet-agent:v1.0.0 ↔ fleet-agent:v1.1.0' }).waitFor({ timeout: 60_000 });
      await view.locator('#diff-warnings').waitFor();

      // The two images by digest.
      const digests = (await view.locator('.diff-image dl.facts dd:nth-of-type(2)').allInnerTexts()).map((t) => t.replace(/\s+/g, ''));
      assert.deepEqual(digests, [oldAgent.index.digest, newAgent.index.digest]);

      // Warnings first, in the engine's words.
      const warnings = await view.locator('.diff-warning').allInnerTexts();
      assert.deepEqual(
        warnings.map((w) => w.trim().split(/\s/)[0]),
        ['SIGNER_CHANGED', 'PLATFORM_REMOVED'],
      );
      assert.equal(
        warnings[0]!.replace(/\s+/g, ' ').trim(),
        `SIGNER_CHANGED The new image is signed by ${workflow(FORK, 'v1.1.0')} (issuer https://token.actions.githubusercontent.com), and no longer by ${workflow('team/fleet', 'v1.0.0')} (issuer https://token.actions.githubusercontent.com).`,
      );
      assert.match(warnings[1]!, /linux\/s390x is in the old image and not in the new one/);

      // Every platform with its manifest digests, as the registry holds them.
      const digest = (r: SignedRelease, platform: string): string => r.index.platforms.find((p) => p.key === platform)!.digest;
      assert.equal(await view.locator('#diff-platforms .part-summary').innerText(), '2 rebuilt, 1 removed');
      assert.deepEqual(await platformRows(page), [
        ['linux/amd64', 'rebuilt', digest(oldAgent, 'linux/amd64'), digest(newAgent, 'linux/amd64')],
        ['linux/arm64', 'rebuilt', digest(oldAgent, 'linux/arm64'), digest(newAgent, 'linux/arm64')],
        ['linux/s390x', 'removed', digest(oldAgent, 'linux/s390x'), '—'],
      ]);

      // Who signed which.
      const signers = await view.locator('#diff-signers li.diff-row').allInnerTexts();
      assert.deepEqual(
        signers.map((s) => s.replace(/\s+/g, ' ').trim()),
        [
          `signed the old image only ${workflow('team/fleet', 'v1.0.0')} (issuer https://token.actions.githubusercontent.com)`,
          `signs the new image only ${workflow(FORK, 'v1.1.0')} (issuer https://token.actions.githubusercontent.com)`,
        ],
      );
      // The provenance names the fork as the source now.
      const provenance = await view.locator('#diff-provenance').innerText();
      assert.match(provenance, /source\.repository\s+\S*github\.com\/team\/fleet\S*\s+\S*github\.com\/fleet-fork\/fleet/);

      // Beside the tree, in each theme.
      const settings = join(server!.userDataDir, 'User', 'settings.json');
      await inEachTheme(page, settings, async (theme) => {
        await runCommand(page, 'Notifications: Clear All Notifications');
        await showReleases(page);
        // A reload (the theme) reads the release again: the shot waits for the tree to say it again.
        await releasesRow(page, /^\s*fleet\s*v1\.1\.0/)
          .locator('.label-description', { hasText: 'signer changed since v1.0.0' })
          .waitFor({ timeout: 90_000 });
        await expandRow(rowLabelled(page, 'team/fleet-agent'));
        await rowLabelled(page, 'Signed by other signers than v1.0.0').waitFor();
        await view.locator('#diff-warnings').waitFor({ timeout: 30_000 });
        await view.locator('body').evaluate('document.fonts.ready.then(() => document.fonts.status)');
        await dismissHovers(page);
        return [await surfaceScreenshot(page, `panel-diff-${theme.name}`)];
      });
    }));

  it('Refresh in the view compares again, reading both images anew', () =>
    screenshotOnFailure(page, 'diff-view-refresh', async () => {
      const view = webviewFrame(page);
      await view.locator('vscode-button.refresh').click();
      await view.locator('#diff-warnings .diff-warning').first().waitFor({ timeout: 60_000 });
      assert.deepEqual(
        (await platformRows(page)).map((r) => r.slice(0, 2)),
        [
          ['linux/amd64', 'rebuilt'],
          ['linux/arm64', 'rebuilt'],
          ['linux/s390x', 'removed'],
        ],
      );
    }));
});
