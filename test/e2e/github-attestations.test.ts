// GitHub artifact attestations added to an image in a real VS Code (code-server 4.100.3 +
// Chromium) against a real registry: "Add Attestation File…" on the image's node in the Releases
// view, the file picked in VS Code's own open dialog, and the real files GitHub's tools write
// (a private repository's attestation from GitHub's Sigstore instance, as `gh attestation
// download` saves it, and a public-good one made by a reusable workflow). Both are about Python
// wheels, not this image: they fail as attestations of it, naming what they are about, and the
// panel still says whose run made them and which instance signed. The panel's screenshots in the
// dark, light and high-contrast themes go to docs/screenshots/panel-github-*.png with
// UPDATE_SCREENSHOTS=1 (else test-artifacts/screenshots/). VS Code's GitHub sign-in cannot be
// had here (no GitHub to sign in to): that path is test/unit/github-attestations-editor.test.ts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pushMultiArchIndex } from '../support/fixtures';
import { realFixture } from '../support/real-fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import {
  expandRow,
  launchBrowser,
  notification,
  openWorkbench,
  quickInput,
  runCommand,
  screenshotOnFailure,
  stopAll,
  webviewFrame,
  widenSidebar,
} from './support/browser';
import { startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { dismissHovers, inEachTheme, rowLabelled, scrollPanel, showReleases, surfaceScreenshot } from './support/demo-surfaces';

const GITHUB_FILE = 'github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl';
const PUBLIC_GOOD_FILE = 'reusable-workflow-attestation.sigstore.json';
const WHEEL = 'sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b';

/** The `dt`/`dd` pairs of the first fact list in `section`, read in the page as the user sees them. */
async function factsOf(page: Page, section: string): Promise<Record<string, string>> {
  const block = webviewFrame(page)
    .locator('section.block', { has: page.locator('h3', { hasText: section }) })
    .first();
  await block.waitFor({ timeout: 30_000 });
  const list = block.locator('dl.facts').first();
  const [labels, values] = await Promise.all([list.locator('dt').allInnerTexts(), list.locator('dd').allInnerTexts()]);
  return Object.fromEntries(labels.map((l, i) => [l.trim(), (values[i] ?? '').trim()]));
}

/** Runs an item of a Releases row's context menu, as a right click does. */
async function contextMenu(page: Page, row: ReturnType<typeof rowLabelled>, item: string): Promise<void> {
  await row.click({ button: 'right' });
  const action = page.locator('.context-view .monaco-menu .action-item', { hasText: item }).first();
  await action.waitFor({ state: 'visible' });
  // A menu ignores a click that comes right after it opened (the right button's release): again, until it closes.
  for (let attempt = 0; attempt < 5; attempt++) {
    await action.click();
    if (
      await action.waitFor({ state: 'hidden', timeout: 1_000 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new Error(`the context menu item ${item} did not run`);
}

/**
 * Picks `path` in VS Code's open dialog (code-server's own: a path typed into a quick input, the
 * folder's files listed under it). The dialog ignores Enter while it is still listing the folder
 * typed (it is busy), so Enter is pressed once the file's row is listed, and again if it was lost.
 */
async function pickFile(page: Page, path: string): Promise<void> {
  // The workbench keeps an earlier quick input (Add Image's) hidden beside it: the shown one only.
  const input = page.locator('.quick-input-widget .quick-input-box input:visible');
  await input.waitFor({ state: 'visible' });
  // It opens on a folder of its choosing, filled in once listed: typed before that, a path is overwritten.
  for (let i = 0; i < 100 && !(await input.inputValue()).endsWith('/'); i++) await page.waitForTimeout(100);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'visible' });
  await input.fill(path);
  const name = path.slice(path.lastIndexOf('/') + 1);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible' });
  for (let attempt = 0; attempt < 10; attempt++) {
    assert.equal(await input.inputValue(), path);
    await page.keyboard.press('Enter');
    if (
      await input.waitFor({ state: 'detached', timeout: 2_000 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new Error(`the open dialog did not take ${path}`);
}

describe('GitHub attestation files on an image (code-server + Chromium + a real registry)', { timeout: 480_000 }, () => {
  let registry: TestRegistry | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let reference: string;
  let indexDigest: string;

  before(async () => {
    registry = await startRegistry();
    const index = await pushMultiArchIndex(registry, 'actions/attest-demo', { tag: 'v1', platforms: ['linux/amd64', 'linux/arm64'], predicateTypes: [] });
    reference = `${registry.host}/actions/attest-demo:v1`;
    indexDigest = index.digest;
    server = await startCodeServer({
      vsix: 'package',
      colorTheme: 'Default Dark Modern',
      // No network here: the embedded roots, never a TUF refresh. The owner as gh's --owner.
      settings: { 'provenanceLens.offline': true, 'provenanceLens.github.owner': 'actions' },
    });
    workspace = server.makeWorkspace('attest-demo', {
      [`attestations/${GITHUB_FILE}`]: readFileSync(realFixture('sigstore-bundles', 'gh-cli', GITHUB_FILE), 'utf8'),
      [`attestations/${PUBLIC_GOOD_FILE}`]: readFileSync(realFixture('sigstore-bundles', 'gh-cli', PUBLIC_GOOD_FILE), 'utf8'),
      'README.md': '# attest-demo\n',
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl(workspace), { viewport: { width: 1280, height: 900 } });
    await runCommand(page, 'Provenance Lens: Add Image to the Releases View');
    await quickInput(page).fill(reference);
    await page.keyboard.press('Enter');
    await showReleases(page);
    await widenSidebar(page, 420);
  });

  after(() => stopAll(browser, server, registry));

  it("adds GitHub's own attestation file from the image's node: the panel shows the run and GitHub's instance", () =>
    screenshotOnFailure(page, 'github-attestation-file', async () => {
      const image = rowLabelled(page, 'actions/attest-demo:v1');
      await image.locator('.label-description', { hasText: 'nothing is signed' }).waitFor({ timeout: 60_000 });
      await contextMenu(page, image, 'Add Attestation File…');
      await pickFile(page, join(workspace, 'attestations', GITHUB_FILE));

      // What the attestation did, in the command's words, with the way to the panel.
      const toast = notification(page, `${GITHUB_FILE}: 1 attestation for actions/attest-demo:v1, verification failed.`);
      await toast.waitFor({ timeout: 60_000 });
      assert.match(await toast.innerText(), new RegExp(WHEEL.slice('sha256:'.length)));
      // The tree (the command revealed the image, open): the bundle file's attestation under it, failed.
      await rowLabelled(page, 'SLSA provenance v1')
        .locator('.label-description', { hasText: /^bundle file · / })
        .waitFor();
      await toast.locator('.monaco-button', { hasText: 'Show Image' }).click();

      const view = webviewFrame(page);
      await view.locator('h1', { hasText: 'attest-demo:v1' }).waitFor({ timeout: 60_000 });
      const header = await view.locator('header dl.facts').first().innerText();
      assert.match(header, /Trusted root\s+Sigstore public-good; GitHub's Sigstore instance for 1 artifact/);

      await view.locator('vscode-tab-header', { hasText: 'Provenance' }).click();
      const card = view.locator('vscode-collapsible.provenance').first();
      await card.locator('h3.title', { hasText: /^SLSA v1 provenance · GitHub Actions workflow/ }).waitFor();
      await view
        .locator('.notice.warn', { hasText: `does not include ${indexDigest}` })
        .first()
        .waitFor();
      assert.deepEqual(await factsOf(page, 'GitHub Actions run'), {
        Repository: 'https://github.com/actions/attest-demo',
        Workflow: '.github/workflows/build-python.yml @ refs/heads/main',
        Run: 'https://github.com/actions/attest-demo/actions/runs/8788389601/attempts/1',
        Trigger: 'workflow_dispatch',
        'Runner environment': 'github-hosted',
        'Visibility at signing': 'private',
      });
      const summary = await card.locator('dl.facts').first().innerText();
      assert.match(summary, /Sigstore instance\s+GitHub's Sigstore instance/);
      assert.match(summary, new RegExp(`Found as\\s+bundle file ${join(workspace, 'attestations', GITHUB_FILE).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));

      // The same bundle on the Signatures tab: why it fails, first; the certificate's account of the run.
      await view.locator('vscode-tab-header', { hasText: 'Signatures and attestations' }).click();
      const artifact = view.locator('vscode-collapsible.artifact', { hasText: 'bundle file' }).first();
      await artifact.locator('.notice.error').waitFor();
      const evidence = await artifact.locator('dl.facts').first().innerText();
      assert.match(evidence, /Sigstore instance\s+GitHub's Sigstore instance/);
      assert.match(evidence, /Visibility at signing\s+private/);
      assert.match(evidence, /Commit\s+a6c23b9806c593664f68637c8f9d45dfcf98b2db/);

      // The panel beside the tree, in each theme: the GitHub Actions run of the attestation.
      const settings = join(server!.userDataDir, 'User', 'settings.json');
      await inEachTheme(page, settings, async (theme) => {
        await runCommand(page, 'Notifications: Clear All Notifications');
        await showReleases(page);
        // The image open in the tree, its bundle file's attestation under it (a reload closes it).
        const row = rowLabelled(page, 'actions/attest-demo:v1');
        await expandRow(row);
        await rowLabelled(page, 'SLSA provenance v1').waitFor();
        await view.locator('vscode-tab-header', { hasText: 'Provenance' }).click();
        await view.locator('body').evaluate('document.fonts.ready.then(() => document.fonts.status)');
        await scrollPanel(page, '.tabs');
        await dismissHovers(page);
        return [await surfaceScreenshot(page, `panel-github-${theme.name}`)];
      });
    }));

  it('a public-good attestation made by a reusable workflow: its card says public-good and the workflow that signed', () =>
    screenshotOnFailure(page, 'github-attestation-public-good', async () => {
      await contextMenu(page, rowLabelled(page, 'actions/attest-demo:v1'), 'Add Attestation File…');
      await pickFile(page, join(workspace, 'attestations', PUBLIC_GOOD_FILE));
      await notification(page, `${PUBLIC_GOOD_FILE}: 1 attestation for actions/attest-demo:v1, verification failed.`).waitFor({ timeout: 60_000 });
      // The open panel takes the new verification: both files' statements, each with its instance.
      const view = webviewFrame(page);
      await view.locator('header dl.facts', { hasText: "Sigstore public-good; GitHub's Sigstore instance for 1 artifact" }).waitFor({ timeout: 30_000 });
      await view.locator('vscode-tab-header', { hasText: 'Provenance' }).click();
      const cards = view.locator('vscode-collapsible.provenance');
      await cards.nth(1).waitFor({ timeout: 30_000 });
      const reusable = view.locator('vscode-collapsible.provenance', { hasText: PUBLIC_GOOD_FILE }).first();
      await reusable.click();
      const run = await reusable.locator('section.block', { hasText: 'GitHub Actions run' }).locator('dl.facts').innerText();
      assert.match(run, /Repository\s+https:\/\/github\.com\/malancas\/attest-demo/);
      assert.match(
        run,
        /Signed by workflow\s+https:\/\/github\.com\/github\/artifact-attestations-workflows\/\.github\/workflows\/attest\.yml @ 09b495c3f12c7881b3cc17209a327792065c1a1d/,
      );
      assert.match(run, /Visibility at signing\s+public/);
      assert.match(await reusable.locator('dl.facts').first().innerText(), /Sigstore instance\s+Sigstore public-good/);
    }));

  it('removes the files: the image is read without them', () =>
    screenshotOnFailure(page, 'github-attestation-remove', async () => {
      await runCommand(page, 'Notifications: Clear All Notifications');
      await contextMenu(page, rowLabelled(page, 'actions/attest-demo:v1'), 'Remove Attestation Files');
      await notification(page, `Removed ${GITHUB_FILE}, ${PUBLIC_GOOD_FILE} from ${reference}.`).waitFor({ timeout: 30_000 });
      await rowLabelled(page, 'actions/attest-demo:v1').locator('.label-description', { hasText: 'nothing is signed' }).waitFor({ timeout: 30_000 });
      await rowLabelled(page, 'SLSA provenance v1').waitFor({ state: 'detached', timeout: 30_000 });
      // The open panel takes the new verification: only the public-good root is left.
      const header = webviewFrame(page).locator('header dl.facts').first();
      for (let i = 0; i < 60 && !/Trusted root\s+Sigstore public-good\s*$/.test(await header.innerText().catch(() => '')); i++) await page.waitForTimeout(500);
      assert.match(await header.innerText(), /Trusted root\s+Sigstore public-good\s*$/);
      assert.equal(await webviewFrame(page).locator('vscode-collapsible.provenance').count(), 0);
    }));
});
