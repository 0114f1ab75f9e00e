// Problems entries and their quick fixes on the demo release, in a real VS Code (code-server
// 4.100.3 + Chromium) with the packaged extension: the demo's registry and workspace
// (tools/demo-release.ts, demo-workspace.ts) plus a third image, rancher/fleet-staging, pushed
// unsigned and named through `{{ .Env.MIRROR_REGISTRY }}`, which has no value at first. Each fix
// is applied as a user would (the light bulb's menu, the Refactor Preview's Apply, input boxes) and
// the image is verified again: pinning the signer seen makes fleet-agent verified, the exception
// makes the staging image excepted. Also: the walkthrough opens, and a folder with only a plain
// YAML file does not activate the extension. Screenshots: test-artifacts/problems-*.png.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pushMultiArchIndex } from '../support/fixtures';
import { DEMO_PLATFORMS, DEMO_TAG, EXPECTED_REPOSITORY, WRONG_REPOSITORY, pushDemoRelease } from '../../tools/demo-release';
import type { DemoRelease } from '../../tools/demo-release';
import { writeDemoWorkspace } from '../../tools/demo-workspace';
import {
  expandRow,
  launchBrowser,
  openWorkbench,
  quickInput,
  quickPickRow,
  releasesRow,
  runCommand,
  setColorTheme,
  widenSidebar,
  screenshot,
  screenshotOnFailure,
  webviewFrame,
  stopAll,
} from './support/browser';
import { extensionLog, startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { runHostSuite } from './support/host-suite';
import { artifactsDir } from './support/paths';
import { git } from '../support/git';
import { startSigningRegistry } from '../support/signing-registry';
import type { SigningRegistry } from '../support/signing-registry';
import { editorLine, fileWhen, goTo, problem, quickFix } from './support/editor';

/** What the in-host part (test/host/problems.host.ts) learns about the seeded release. */
export const PROBLEMS_E2E_ENV = 'PROVENANCE_LENS_E2E_PROBLEMS';
const STAGING = 'rancher/fleet-staging';

/** A third image entry: the unsigned staging image, through a variable with no value yet. */
const STAGING_ENTRY = `
  - id: fleet-staging
    ids:
      - fleet-controller
    images:
      - "{{ .Env.MIRROR_REGISTRY }}/${STAGING}"
    tags:
      - "{{ .Tag }}"
    dockerfile: package/Dockerfile
`;

/**
 * The Refactor Preview: the change is shown unticked (it needs confirmation); tick the file, then
 * Apply.
 */
async function applyPreview(page: Page, shows: RegExp, shot: string): Promise<void> {
  const pane = page.locator('.bulk-edit-panel').first();
  await pane.waitFor({ state: 'visible', timeout: 15_000 });
  const change = pane.locator('.monaco-list-row', { hasText: shows }).first();
  await change.waitFor({ state: 'visible', timeout: 15_000 });
  const boxes = pane.locator('input.edit-checkbox');
  assert.deepEqual(
    await boxes.evaluateAll((all) => all.map((b) => (b as unknown as { checked: boolean }).checked)),
    [false, false],
    'nothing is ticked before the user ticks it',
  );
  await screenshot(page, shot);
  await boxes.first().click();
  assert.deepEqual(await boxes.evaluateAll((all) => all.map((b) => (b as unknown as { checked: boolean }).checked)), [true, true]);
  await page
    .locator('.bulk-edit-panel .monaco-button, .monaco-button', { hasText: /^Apply$/ })
    .first()
    .click();
  await pane.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** A part of the window as test-artifacts/walkthrough-<name>.png: what media/walkthrough/ is copied from. */
async function clip(page: Page, name: string, area: { x: number; y: number; width: number; height: number }): Promise<void> {
  await page.screenshot({ path: join(artifactsDir, `walkthrough-${name}.png`), clip: area });
}

describe('Problems and quick fixes on the demo release (code-server + Chromium + test registry)', { timeout: 600_000 }, () => {
  let signing: SigningRegistry | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let demo: DemoRelease;
  let goreleaser: string;

  before(async () => {
    const started = Date.now();
    signing = await startSigningRegistry('problems');
    const { registry, sigstore, trustedRoot } = signing;
    demo = await pushDemoRelease(registry, sigstore);
    const staging = await pushMultiArchIndex(registry, STAGING, { tag: DEMO_TAG, platforms: [...DEMO_PLATFORMS], contentSeed: 'staging' });
    const seeded = {
      registry: registry.host,
      tag: DEMO_TAG,
      fleet: demo.fleet.reference,
      agent: demo.agent.reference,
      staging: `${registry.host}/${STAGING}:${DEMO_TAG}`,
      stagingDigest: staging.digest,
    };
    server = await startCodeServer({
      vsix: 'package',
      colorTheme: 'Default Dark Modern',
      env: { [PROBLEMS_E2E_ENV]: JSON.stringify(seeded) },
      settings: {
        'provenanceLens.trustedRoot': trustedRoot,
        'editor.minimap.enabled': false,
        'editor.stickyScroll.enabled': false,
        'editor.lightbulb.enabled': 'on',
        'files.autoSave': 'off',
      },
    });
    // trustedRoot is a machine setting: startCodeServer writes it to Machine/settings.json too, where
    // it outlasts the workbench rewriting the user settings (a theme switch).
    assert.equal(JSON.parse(readFileSync(join(server.userDataDir, 'Machine', 'settings.json'), 'utf8'))['provenanceLens.trustedRoot'], trustedRoot);
    workspace = server.makeWorkspace('fleet');
    writeDemoWorkspace(workspace, { registryHost: registry.host });
    const config = readFileSync(join(workspace, '.goreleaser.yaml'), 'utf8').replace('\nbuilds:\n', `${STAGING_ENTRY}\nbuilds:\n`);
    assert.ok(config.includes('MIRROR_REGISTRY'));
    writeFileSync(join(workspace, '.goreleaser.yaml'), config);
    git(workspace, 'commit', '-q', '-am', 'staging image');
    git(workspace, 'tag', '-f', DEMO_TAG);
    goreleaser = config;
    browser = await launchBrowser();
    console.log(`# setup (registry, demo release + unsigned staging image, code-server): ${Date.now() - started} ms`);
  });

  after(() => stopAll(browser, server, signing));

  it('does not activate for a folder with only a plain YAML file open; a command activates it', async () => {
    assert.ok(server && browser);
    const plain = server.makeWorkspace('plain-yaml', { 'config.yaml': 'name: app\nimage: ghcr.io/org/app:v1\n' });
    const p = await openWorkbench(browser, server.workbenchUrl(plain));
    await screenshotOnFailure(p, 'problems-plain-yaml', async () => {
      await runCommand(p, 'View: Show Explorer');
      await p.locator('.explorer-folders-view .monaco-list-row', { hasText: 'config.yaml' }).first().click();
      await p.locator('.monaco-editor .view-line', { hasText: 'ghcr.io/org/app' }).first().waitFor({ state: 'visible' });
      // The YAML language is set on the open file: what onLanguage:yaml would have activated on.
      await p
        .locator('.statusbar-item', { hasText: /^YAML$/ })
        .first()
        .waitFor({ state: 'visible' });
      await delay(5_000);
      assert.equal(extensionLog(server!), '', 'the extension wrote its log: it was activated');
      await runCommand(p, 'Provenance Lens: Show Version');
      const deadline = Date.now() + 20_000;
      while (!/activated in \d+ ms/.test(extensionLog(server!)) && Date.now() < deadline) await delay(200);
      assert.match(extensionLog(server!), /Provenance Lens \S+ activated in \d+ ms/, 'the command activated it, and the log shows that');
    });
    await p.context().close();
  });

  it('lists each failed image in the Problems panel on its template, with the cause', async () => {
    assert.ok(server && browser);
    page = await openWorkbench(browser, server.workbenchUrl(workspace), { viewport: { width: 1500, height: 1000 } });
    await screenshotOnFailure(page, 'problems-entries', async () => {
      await runCommand(page, 'View: Show Explorer');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.goreleaser.yaml' }).first().click();
      await editorLine(page, /rancher\/fleet-agent/).waitFor({ state: 'visible' });
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const forkIdentity = `https://github.com/${WRONG_REPOSITORY}/.github/workflows/release.yml@refs/tags/${DEMO_TAG}`;
      await problem(page, 'linux/s390x is not signed.').waitFor({ state: 'visible', timeout: 90_000 });
      const agent = problem(page, forkIdentity);
      await agent.waitFor({ state: 'visible', timeout: 90_000 });
      const text = await agent.innerText();
      assert.ok(
        text.includes(`The index is signed by "${forkIdentity}", but the policy expects an identity matching ^https://github\\.com/${EXPECTED_REPOSITORY}/`),
        text,
      );
      assert.match(text, /IDENTITY_MISMATCH/);
      assert.match(await problem(page, 'linux/s390x is not signed.').innerText(), /NO_SIGNATURE/);
      await problem(page, /cannot be rendered without \.Env\.MIRROR_REGISTRY/).waitFor({ state: 'visible' });
      // Warnings by default (provenanceLens.diagnostics.severity).
      assert.equal(await agent.locator('.codicon-warning').count(), 1);
      await page.mouse.move(5, 500);
      await screenshot(page, 'problems-entries');
      const themes = [
        ['Light Modern', 'light', '.vs:not(.vs-dark)'],
        ['Dark High Contrast', 'hc', '.hc-black'],
        ['Dark Modern', '', '.vs-dark'],
      ] as const;
      for (const [theme, name, workbench] of themes) {
        await setColorTheme(page, theme);
        await page.locator(`.monaco-workbench${workbench}`).waitFor({ state: 'attached' });
        if (name === '') break;
        await page.mouse.move(5, 500);
        await screenshot(page, `problems-entries-${name}`);
      }
      // The same release in the Releases view (the walkthrough's picture of the demo).
      await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
      await widenSidebar(page, 620);
      await expandRow(releasesRow(page, /rancher\/fleet(?!-)/));
      await page.mouse.move(5, 500);
      await screenshot(page, 'problems-releases');
      await clip(page, 'demo', { x: 48, y: 38, width: 900, height: 300 });
      await runCommand(page, 'View: Show Explorer');
    });
  });

  it('sets MIRROR_REGISTRY through its quick fix; the staging image then shows as not signed', () =>
    screenshotOnFailure(page, 'problems-env-fix', async () => {
      const line = goreleaser.split('\n').findIndex((l) => l.includes('MIRROR_REGISTRY')) + 1;
      await goTo(page, line, 12);
      await quickFix(page, 'Set MIRROR_REGISTRY in provenanceLens.goreleaser.env…', () => screenshot(page, 'problems-env-fix-menu'));
      await quickInput(page).waitFor({ state: 'visible' });
      await quickInput(page).fill(signing!.registry.host);
      await page.keyboard.press('Enter');
      const settings = await fileWhen(join(workspace, '.vscode', 'settings.json'), (t) => t.includes('MIRROR_REGISTRY'));
      const env = (JSON.parse(settings) as Record<string, Record<string, string>>)['provenanceLens.goreleaser.env'];
      assert.deepEqual(env, { STAGE_REGISTRY: signing!.registry.host, MIRROR_REGISTRY: signing!.registry.host });
      await problem(page, /The image is not signed: no signature on its index or on linux\/amd64, linux\/arm64 and linux\/s390x\./).waitFor({
        state: 'visible',
        timeout: 90_000,
      });
      await problem(page, /cannot be rendered without \.Env\.MIRROR_REGISTRY/).waitFor({ state: 'hidden' });
    }));

  it('pins the signer seen for fleet-agent, after the Refactor Preview: fleet-agent is verified', () =>
    screenshotOnFailure(page, 'problems-pin', async () => {
      const line = goreleaser.split('\n').findIndex((l) => l.includes('/rancher/fleet-agent"')) + 1;
      await goTo(page, line, 12);
      await quickFix(page, `Pin ${WRONG_REPOSITORY}'s release.yml as the signer of rancher/fleet-agent in the policy…`, async () => {
        await screenshot(page, 'problems-pin-menu');
        await clip(page, 'goreleaser-problems', { x: 660, y: 250, width: 840, height: 560 });
      });
      await applyPreview(page, /fleet-fork/, 'problems-pin-preview');
      const policy = await fileWhen(join(workspace, '.provenance-lens.yaml'), (t) => t.includes('fleet-fork'));
      assert.ok(
        policy.endsWith(
          `  - image: "*/rancher/fleet-agent"\n    builtIn: ${EXPECTED_REPOSITORY}\n  - image: ${signing!.registry.host}/rancher/fleet-agent\n    builtIn: ${EXPECTED_REPOSITORY}\n    github:\n      repository: ${WRONG_REPOSITORY}\n      workflow: release.yml\n`,
        ),
        policy,
      );
      await problem(page, `${WRONG_REPOSITORY}/.github/workflows`).waitFor({ state: 'hidden', timeout: 90_000 });
      // Verified again under the new policy: its CodeLens says so.
      await page
        .locator('.monaco-editor .codelens-decoration', { hasText: /✓ verified · 3 platforms/ })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      await problem(page, 'linux/s390x is not signed.').waitFor({ state: 'visible' });
      await screenshot(page, 'problems-pinned');
    }));

  it('adds an exception with a reason for the unsigned staging image: it is excepted', () =>
    screenshotOnFailure(page, 'problems-exception', async () => {
      const line = goreleaser.split('\n').findIndex((l) => l.includes('MIRROR_REGISTRY')) + 1;
      await goTo(page, line, 12);
      await quickFix(page, 'Add an exception for rancher/fleet-staging to the policy, with a reason…', () => screenshot(page, 'problems-exception-menu'));
      await quickInput(page).waitFor({ state: 'visible' });
      await quickInput(page).fill('Staging image, signed when promoted.');
      await page.keyboard.press('Enter');
      await applyPreview(page, /Staging image/, 'problems-exception-preview');
      const policy = await fileWhen(join(workspace, '.provenance-lens.yaml'), (t) => t.includes('exception:'));
      assert.ok(
        policy.includes(`  - image: ${signing!.registry.host}/${STAGING}\n    exception:\n      reason: Staging image, signed when promoted.\n`),
        policy,
      );
      await problem(page, /The image is not signed/).waitFor({ state: 'hidden', timeout: 90_000 });
      await page
        .locator('.monaco-editor .codelens-decoration', { hasText: /unsigned, excepted by the policy/ })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      await screenshot(page, 'problems-excepted');
    }));

  it('opens the image panel from the fleet entry, with the panel icon on its tab', () =>
    screenshotOnFailure(page, 'problems-panel', async () => {
      const line = goreleaser.split('\n').findIndex((l) => l.includes('/rancher/fleet"')) + 1;
      await goTo(page, line, 12);
      await quickFix(page, 'Show rancher/fleet in the image panel');
      const tab = page.locator('.tabs-container .tab', { hasText: `fleet:${DEMO_TAG}` }).first();
      await tab.waitFor({ state: 'visible', timeout: 30_000 });
      // The icon is the tab label's ::before background (a tab shows no codicon for a webview).
      const icon = (await page.evaluate(`(() => {
      const tab = [...document.querySelectorAll('.tabs-container .tab')].find((e) => e.textContent.includes(${JSON.stringify(`fleet:${DEMO_TAG}`)}));
      const label = tab && tab.querySelector('.monaco-icon-label');
      return label ? getComputedStyle(label, '::before').backgroundImage : '';
    })()`)) as string;
      assert.match(icon, /panel-icon-dark\.svg/);
      await webviewFrame(page).locator('body', { hasText: 'linux/s390x' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot(page, 'problems-panel');
      await clip(page, 'verify-image', { x: 670, y: 35, width: 830, height: 600 });
    }));

  it('opens the walkthrough: verify an image, a goreleaser workspace, a policy; no demo step outside the repository', () =>
    screenshotOnFailure(page, 'problems-walkthrough', async () => {
      await runCommand(page, 'Welcome: Open Walkthrough...');
      await quickInput(page).fill('Provenance Lens');
      await quickPickRow(page, 'Get Started with Provenance Lens').first().click();
      const steps = page.locator('.gettingStartedContainer .getting-started-step .step-title');
      await steps.first().waitFor({ state: 'visible', timeout: 20_000 });
      assert.deepEqual(await steps.allInnerTexts(), ['Verify an image', 'Open a goreleaser workspace', 'Write a policy']);
      // The step's picture comes from the installed extension (media/walkthrough, in the .vsix).
      const picture = page.locator('.getting-started-media img[srcset*="verify-image.png"]').first();
      await picture.waitFor({ state: 'attached', timeout: 30_000 });
      assert.match(
        (await picture.getAttribute('srcset')) ?? '',
        /extensions%2Fprovenance-lens\.provenance-lens-[0-9.]+%2Fmedia%2Fwalkthrough%2Fverify-image\.png/,
      );
      await page.waitForFunction((el) => (el as unknown as { complete: boolean }).complete, await picture.elementHandle());
      // Decoded: VS Code serves it at 1.5x, so 830 pixels show as 553.
      assert.equal(await picture.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth), Math.round(830 / 1.5));
      await screenshot(page, 'problems-walkthrough');
    }));

  it('passes the in-host Problems suite (values, severity setting, offered fixes)', async () => {
    assert.ok(server && browser);
    assert.ok(existsSync(join(workspace, '.provenance-lens.yaml')));
    const results = await runHostSuite(server, browser, workspace, 240_000);
    const mine = results.tests.filter((t) => t.title.startsWith('Problems of the demo release'));
    for (const t of mine) console.log(`# in-host: ${t.title} ${t.state} ${t.durationMs} ms`);
    const failures = mine.filter((t) => t.state !== 'passed').map((t) => `${t.title} [${t.state}]\n${t.error ?? ''}`);
    assert.equal(results.error, undefined, results.error);
    assert.deepEqual(failures, []);
    assert.ok(mine.length >= 3, `${mine.length} in-host Problems tests`);
  });
});
