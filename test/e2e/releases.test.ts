// The release tree and the commands in a real VS Code, against real registries: a git workspace
// tagged v1.0.0 whose .goreleaser.yaml renders to images in a test registry (one signed with
// cosign signatures, attestations, referrers and BuildKit statements; one with nothing) and in a
// second registry that wants a password. Each scenario saves a screenshot in test-artifacts/.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pushMultiArchIndex, pushReleaseFixture, PREDICATE } from '../support/fixtures';
import type { ReleaseFixture } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import {
  clickUntilShown,
  expandRow as expand,
  hoverUntil,
  launchBrowser,
  releasesRow as row,
  widenSidebar,
  notification,
  openWorkbench,
  quickInput,
  quickPickRow,
  runCommand,
  screenshot,
  screenshotOnFailure,
  setColorTheme,
  stopAll,
  webviewFrame,
} from './support/browser';
import { extensionLog, startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { rowLabelled } from './support/demo-surfaces';
import { runHostSuite } from './support/host-suite';
import { commitAndTag } from '../support/git';
import { TEAM_FLEET_GORELEASER, keyPolicy } from './support/team-fleet';

/** What the in-host suite (test/host/releases.host.ts) learns about the seeded release. */
export const RELEASE_ENV = 'PROVENANCE_LENS_E2E_RELEASE';

const GORELEASER = `${TEAM_FLEET_GORELEASER}  - id: private
    images: ["{{ .Env.PRIVATE_REGISTRY }}/team/private"]
    tags: ["{{ .Tag }}"]
`;

describe('Release tree and commands (code-server + Chromium + real registries)', { timeout: 480_000 }, () => {
  let registry: TestRegistry | undefined;
  let privateRegistry: TestRegistry | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let fleet: ReleaseFixture;

  before(async () => {
    const started = Date.now();
    [registry, privateRegistry] = await Promise.all([startRegistry(), startRegistry({ auth: 'htpasswd' })]);
    fleet = await pushReleaseFixture(registry, 'team/fleet', {
      tag: 'v1.0.0',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/s390x'],
      cosignFor: ['index'],
      referrersFor: ['linux/amd64'],
      sbom: true,
      dockerListTag: null,
      singleArchTag: null,
    });
    await pushMultiArchIndex(registry, 'team/fleet', { tag: 'v0.9.0', platforms: ['linux/amd64', 'linux/arm64'] });
    const agent = await pushMultiArchIndex(registry, 'team/fleet-agent', { tag: 'v1.0.0', platforms: ['linux/amd64', 'linux/arm64'], predicateTypes: [] });
    const priv = await pushMultiArchIndex(privateRegistry, 'team/private', { tag: 'v1.0.0', platforms: ['linux/amd64'], predicateTypes: [PREDICATE.slsaV1] });
    const description = {
      registry: registry.host,
      privateRegistry: privateRegistry.host,
      tag: 'v1.0.0',
      fleet: {
        reference: `${registry.host}/team/fleet:v1.0.0`,
        digest: fleet.index.digest,
        platforms: fleet.index.platforms.map((p) => ({ platform: p.key, digest: p.digest })),
      },
      agent: { reference: `${registry.host}/team/fleet-agent:v1.0.0`, digest: agent.digest },
      private: { reference: `${privateRegistry.host}/team/private:v1.0.0`, digest: priv.digest },
    };
    server = await startCodeServer({
      vsix: 'package',
      colorTheme: 'Default Dark Modern',
      env: { [RELEASE_ENV]: JSON.stringify(description) },
      // No network here: verify with the embedded trusted root, never try a TUF refresh.
      settings: { 'provenanceLens.goreleaser.env': { REGISTRY: registry.host, PRIVATE_REGISTRY: privateRegistry.host }, 'provenanceLens.offline': true },
    });
    // The release policy: fleet is signed with the release key (no transparency log here);
    // nothing is said about the others, so their signatures, if any, would be "unpinned".
    const policy = keyPolicy(registry.host);
    workspace = server.makeWorkspace('fleet', {
      '.goreleaser.yaml': GORELEASER,
      '.provenance-lens.yaml': policy,
      'cosign.pub': fleet.publicKeyPem,
      'README.md': '# fleet\n',
    });
    commitAndTag(workspace, 'v1.0.0');
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.workbenchUrl(workspace));
    console.log(`# setup (2 registries, fixtures, code-server, workbench): ${Date.now() - started} ms`);
  });

  after(() => stopAll(browser, server, registry, privateRegistry));

  it('expands the release to a platform and its attestations', () =>
    screenshotOnFailure(page, 'releases-tree', async () => {
      const started = Date.now();
      await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
      await row(page, /^\s*fleet/).waitFor({ state: 'visible' });
      await widenSidebar(page, 760);
      // The repository leads the row (the tag is the release's); the host follows the verdict.
      const image = rowLabelled(page, 'team/fleet');
      // The image resolves on its own: its verdict replaces "loading…".
      await image.locator('.label-description', { hasText: `verified · ${registry!.host}` }).waitFor({ state: 'visible', timeout: 30_000 });
      console.log(`# first image resolved ${Date.now() - started} ms after opening the view`);
      await expand(image);
      await row(page, 'Signature').waitFor({ state: 'visible' });
      const amd64 = rowLabelled(page, 'linux/amd64');
      await amd64.locator('.label-description', { hasText: /^verified · sha256:[0-9a-f]{8} · \d/ }).waitFor({ state: 'visible' });
      await expand(amd64);
      await row(page, 'SLSA provenance v1').waitFor({ state: 'visible' });
      await row(page, 'BuildKit, in the index · unsigned').waitFor({ state: 'visible' });
      await row(page, 'OCI referrer (tag schema)').waitFor({ state: 'visible' });
      // The image without anything attached says so, not "loading" forever.
      await rowLabelled(page, 'team/fleet-agent')
        .getByText(/nothing is signed/)
        .waitFor({ state: 'visible', timeout: 30_000 });
      await page.mouse.move(700, 500);
      await screenshot(page, 'releases-tree-dark');
      // The extension's own figures (its log channel): activation, and each image as it settled.
      const log = extensionLog(server!);
      assert.match(log, /\[info\] .*inspected in \d+ ms/, 'one line per image at the default level');
      // One line per request is for the debug level (the CLI's -v): a release makes hundreds.
      assert.doesNotMatch(log, /\] (GET|HEAD) http/, 'no request lines at the default level');
      for (const line of log.split('\n').filter((l) => /activated in|inspected in/.test(l))) console.log(`# log: ${line.replace(/^\S+ /, '')}`);
    }));

  it('shows "Sign in to <registry>" for the image of a registry that wants a password', () =>
    screenshotOnFailure(page, 'releases-sign-in-node', async () => {
      const signIn = row(page, `Sign in to ${privateRegistry!.host}`);
      await signIn.waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot(page, 'releases-sign-in-node');
    }));

  it('runs "Verify image" from the palette with a typed reference', () =>
    screenshotOnFailure(page, 'releases-verify-palette', async () => {
      await runCommand(page, 'Provenance Lens: Verify Image');
      await quickInput(page).fill(`${registry!.host}/team/fleet:v1.0.0 x`);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'whitespace is not allowed' }).waitFor({ state: 'visible' });
      await screenshot(page, 'releases-verify-invalid-reference');
      await quickInput(page).fill(`${registry!.host}/team/fleet:v1.0.0`);
      await page.keyboard.press('Enter');
      // The result is the image panel: the verdict, then a field of the provenance.
      const view = webviewFrame(page);
      await view.locator('h1', { hasText: 'fleet:v1.0.0' }).waitFor({ timeout: 60_000 });
      await view.locator('vscode-badge.verdict', { hasText: 'Verified' }).first().waitFor();
      await view.locator('vscode-tab-header', { hasText: 'Provenance' }).click();
      await view.getByText('dockerfile.v0', { exact: true }).first().waitFor();
      await notification(page, 'Verifying').waitFor({ state: 'hidden' });
      await screenshot(page, 'releases-verify-result');
    }));

  it('passes the in-host release suite against the seeded registries', async () => {
    assert.ok(server && browser);
    // The whole in-host suite runs (the panel's tests too); only this file's are judged here.
    const results = await runHostSuite(server, browser, workspace, 240_000);
    const mine = results.tests.filter((t) => t.title.startsWith('release view'));
    // The trust-lock test writes a workspace setting and a policy file, then removes them.
    for (const t of mine) console.log(`# in-host: ${t.title} ${t.state} ${t.durationMs} ms`);
    const failures = mine.filter((t) => t.state !== 'passed').map((t) => `${t.title} [${t.state}]\n${t.error ?? ''}`);
    assert.equal(results.error, undefined, results.error);
    assert.deepEqual(failures, []);
    assert.ok(mine.length >= 18, `only ${mine.length} release view tests ran`);
  });

  it('signs in from the node: user name and password, and the image loads', () =>
    screenshotOnFailure(page, 'releases-signed-in', async () => {
      assert.equal(privateRegistry!.auth.mode, 'htpasswd');
      const auth = privateRegistry!.auth as { username: string; password: string };
      await clickUntilShown(page, row(page, `Sign in to ${privateRegistry!.host}`), quickInput(page));
      await quickInput(page).fill(auth.username);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: '(2/2)' }).waitFor({ state: 'visible' });
      assert.equal(await quickInput(page).getAttribute('type'), 'password');
      await quickInput(page).fill(auth.password);
      await page.keyboard.press('Enter');
      await notification(page, `Signed in to ${privateRegistry!.host}`).waitFor({ state: 'visible' });
      await rowLabelled(page, 'team/private')
        .locator('.label-description')
        .filter({ hasNotText: /sign-in required|loading/ })
        .waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot(page, 'releases-signed-in');
    }));

  it('switches the release to another tag from the tag picker', () =>
    screenshotOnFailure(page, 'releases-tag-picker', async () => {
      const release = row(page, /^\s*fleet/);
      const switchTag = release.locator('.action-label[aria-label^="Switch Tag"]');
      await hoverUntil(page, release, switchTag);
      await switchTag.click();
      await quickPickRow(page, 'v0.9.0').waitFor({ state: 'visible', timeout: 20_000 });
      await screenshot(page, 'releases-tag-picker');
      await quickPickRow(page, 'v0.9.0').click();
      await row(page, /^\s*fleet\s*v0\.9\.0/).waitFor({ state: 'visible', timeout: 20_000 });
      // And back: the release view as it was.
      await hoverUntil(page, release, switchTag);
      await switchTag.click();
      await quickPickRow(page, 'v1.0.0').click();
      await row(page, /^\s*fleet\s*v1\.0\.0/).waitFor({ state: 'visible', timeout: 20_000 });
      await rowLabelled(page, 'team/fleet')
        .locator('.label-description', { hasText: `verified · ${registry!.host}` })
        .waitFor({ state: 'visible', timeout: 20_000 });
    }));

  it('looks native in the light theme', () =>
    screenshotOnFailure(page, 'releases-light', async () => {
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Notifications: Clear All Notifications');
      await setColorTheme(page, 'Light Modern');
      await page.locator('.monaco-workbench.vs:not(.vs-dark)').waitFor({ state: 'attached' });
      await expand(rowLabelled(page, 'team/fleet'));
      await expand(rowLabelled(page, 'linux/amd64'));
      await expand(rowLabelled(page, 'team/private'));
      await page.mouse.move(700, 500);
      await screenshot(page, 'releases-tree-light');
    }));
});
