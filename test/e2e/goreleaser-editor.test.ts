// Hovers, CodeLenses and Problems on fleet's real .goreleaser.yaml (test/fixtures/real) in a real
// VS Code (code-server 4.100.3 + Chromium): the workspace is a git checkout tagged v1.0.0 whose
// `{{ .Env.STAGE_REGISTRY }}` points at a test registry holding a signed rancher/fleet (mini
// Sigstore, GitHub workflow identity of rancher/fleet) and an unsigned rancher/fleet-agent. It is
// a hotfix release (IS_HOTFIX=true), so the public Docker Hub images are not pushed and nothing
// leaves the machine. Screenshots go to test-artifacts/goreleaser-*.png; the in-host part
// (test/host/goreleaser.host.ts) asserts the values through the providers.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { pushMultiArchIndex } from '../support/fixtures';
import { realFixture } from '../support/real-fixtures';
import { pushSignedRelease } from '../support/sigstore/release';
import { hoverUntil, launchBrowser, openWorkbench, runCommand, screenshot, screenshotOnFailure, stopAll } from './support/browser';
import { startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { runHostSuite } from './support/host-suite';
import { commitAndTag } from '../support/git';
import { startSigningRegistry } from '../support/signing-registry';
import type { SigningRegistry } from '../support/signing-registry';
import { editorLine, goTo } from './support/editor';

const FLEET = realFixture('goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml');
const TAG = 'v1.0.0';
/** What the in-host suite (test/host/goreleaser.host.ts) learns about the seeded registry. */
export const GORELEASER_E2E_ENV = 'PROVENANCE_LENS_E2E_GORELEASER';

/** Lines of every extension host log of the code-server's user data dir, and how many logs there were. */
function extensionHostLogLines(userDataDir: string): { files: number; lines: string[] } {
  const out = { files: 0, lines: [] as string[] };
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/exthost/i.test(p) && p.endsWith('.log')) {
        out.files++;
        out.lines.push(...readFileSync(p, 'utf8').split('\n'));
      }
    }
  };
  walk(join(userDataDir, 'logs'));
  return out;
}

describe("goreleaser editor features on fleet's real config (code-server + Chromium + test registry)", { timeout: 300_000 }, () => {
  let signing: SigningRegistry | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let fleetReference: string;
  let fleetDigest: string;

  before(async () => {
    const started = Date.now();
    signing = await startSigningRegistry('goreleaser');
    const { registry, sigstore, trustedRoot } = signing;
    const platforms = ['linux/amd64', 'linux/arm64'];
    const fleet = await pushSignedRelease(registry, 'rancher/fleet', { sigstore, tag: TAG, platforms, sourceRepository: 'rancher/fleet' });
    const agent = await pushMultiArchIndex(registry, 'rancher/fleet-agent', { tag: TAG, platforms });
    fleetReference = `${registry.host}/rancher/fleet:${TAG}`;
    fleetDigest = fleet.index.digest;
    const seeded = {
      registry: registry.host,
      tag: TAG,
      fleet: { reference: fleetReference, digest: fleetDigest },
      agent: { reference: `${registry.host}/rancher/fleet-agent:${TAG}`, digest: agent.digest },
    };
    server = await startCodeServer({
      vsix: 'package',
      colorTheme: 'Default Dark Modern',
      env: { [GORELEASER_E2E_ENV]: JSON.stringify(seeded) },
      settings: {
        'provenanceLens.goreleaser.env': { STAGE_REGISTRY: registry.host, PRIME_REGISTRY: 'registry.suse.com', IS_HOTFIX: 'true' },
        'provenanceLens.trustedRoot': trustedRoot,
        'editor.hover.delay': 200,
        'editor.minimap.enabled': false,
        'editor.stickyScroll.enabled': false,
      },
    });
    workspace = server.makeWorkspace('fleet', { '.goreleaser.yaml': readFileSync(FLEET, 'utf8') });
    commitAndTag(workspace, TAG);
    browser = await launchBrowser();
    // Tall enough for the staging entries and both docker_signs entries at once.
    page = await openWorkbench(browser, server.workbenchUrl(workspace), { viewport: { width: 1400, height: 1150 } });
    console.log(`# setup (registry, signed fleet + unsigned agent, code-server, workbench): ${Date.now() - started} ms`);
  });

  after(() => stopAll(browser, server, signing));

  it('shows a CodeLens with the verdict above each image entry and each docker_signs entry', () =>
    screenshotOnFailure(page, 'goreleaser-codelens', async () => {
      await runCommand(page, 'View: Show Explorer');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.goreleaser.yaml' }).first().click();
      await page.locator('.monaco-editor .view-line').first().waitFor({ state: 'visible' });
      await goTo(page, 178);
      const lens = (text: string) => page.locator('.monaco-editor .codelens-decoration', { hasText: text }).first();
      // Each image loads and verifies on its own; its lens follows.
      await lens('signed, signer not pinned · 2 platforms').waitFor({ state: 'visible', timeout: 60_000 });
      await lens('unsigned · 2 platforms').waitFor({ state: 'visible', timeout: 60_000 });
      await lens('signs 1 image · ✗ 1 without a verified signature').waitFor({ state: 'visible', timeout: 60_000 });
      await page.mouse.move(5, 450);
      await screenshot(page, 'goreleaser-codelens');
    }));

  it('hovers the staging image template: rendered for v1.0.0, with digest, platforms and verdict from the registry', () =>
    screenshotOnFailure(page, 'goreleaser-hover', async () => {
      await goTo(page, 157);
      const line = editorLine(page, /STAGE_REGISTRY[\s\u00a0]}}\/rancher\/fleet"/);
      const target = line.locator('span', { hasText: 'rancher/fleet' }).last();
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'Template:' }).first();
      // The first hover may say "reading the registry"; the load goes on and the next hover answers from it.
      const { text } = await hoverUntil(page, target, hover, {
        perTryMs: 10_000,
        timeoutMs: 120_000,
        accept: (t) => t.includes(fleetDigest) && !t.includes('verifying'),
      });
      assert.match(text, /Template: \{\{ \.Env\.STAGE_REGISTRY \}\}\/rancher\/fleet:\{\{ \.Tag \}\}/);
      assert.ok(text.includes(`Reference: ${fleetReference}`), text);
      assert.match(text, new RegExp(`Digest: ${fleetDigest}\\s+2 platforms: linux/amd64, linux/arm64`));
      assert.match(text, /signed, signer not pinned/);
      // Our links, then VS Code's own for the Problem on this line (the image is signed by nobody the
      // policy names), which proves the diagnostic is there.
      const links = await hover.locator('a').allInnerTexts();
      assert.deepEqual(links.slice(0, 3), ['Verify', 'Show provenance', 'Reveal in Releases']);
      // "Quick Fix..." joins once VS Code has asked for the line's code actions, which may be later.
      assert.equal(links[3]?.replace(/\s*\(.*\)$/, ''), 'View Problem', links.join(', '));
      assert.ok(
        links.slice(4).every((l) => /^(Quick Fix\.\.\.|Checking for quick fixes)/.test(l)),
        links.join(', '),
      );
      await screenshot(page, 'goreleaser-hover');
    }));

  it('lists the unsigned staging image docker_signs should have signed in the Problems panel', () =>
    screenshotOnFailure(page, 'goreleaser-problems', async () => {
      await page.mouse.move(5, 450);
      await page.keyboard.press('Escape');
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'docker_signs[1] (prime-fleet-agent) should sign' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      await screenshot(page, 'goreleaser-problems');
    }));

  it('passes the in-host goreleaser suite against the seeded registry', async () => {
    assert.ok(server && browser);
    const results = await runHostSuite(server, browser, workspace, 180_000);
    const mine = results.tests.filter((t) => t.title.startsWith("goreleaser editor: fleet's config against the test registry"));
    for (const t of mine) console.log(`# in-host: ${t.title} ${t.state} ${t.durationMs} ms`);
    const failures = mine.filter((t) => t.state !== 'passed').map((t) => `${t.title} [${t.state}]\n${t.error ?? ''}`);
    assert.equal(results.error, undefined, results.error);
    assert.deepEqual(failures, []);
    assert.equal(mine.length, 4);
  });

  it('reads provenanceLens.goreleaser.env per file: no "resource scoped configuration without a resource" warning in the host logs', () => {
    assert.ok(server);
    const logs = extensionHostLogLines(server.userDataDir);
    assert.ok(logs.files > 0, 'no extension host log found');
    assert.deepEqual(
      logs.lines.filter((l) => /without providing a resource/.test(l) && /provenanceLens\./.test(l)),
      [],
    );
  });
});
