// The workspace's image references in a real VS Code (code-server 4.100.3 + Chromium) with the
// packaged extension: a project whose Dockerfile, Kubernetes manifests and Helm values name images
// in the test registry (test/support/registry.ts) — org/app signed by the project's test Sigstore,
// org/base pushed unsigned, third/alpine that no policy entry names — beside a .goreleaser.yaml
// publishing org/app. The "Workspace images" release (grouped by file, nothing read until a file is
// expanded), hovers, CodeLenses, Problems (none for the image without a policy), pinning by the
// verified digest (and the digest `verify` then accepts), asking before pinning an unsigned image,
// and a drifted pin. Screenshots: docs/screenshots/workspace-images-*.png.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { cli } from '../support/cli';
import { pushMultiArchIndex } from '../support/fixtures';
import type { PushedIndex } from '../support/fixtures';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import type { SignedRelease } from '../support/sigstore/release';
import { pushSignedRelease } from '../support/sigstore/release';
import { startSigningRegistry } from '../support/signing-registry';
import type { SigningRegistry } from '../support/signing-registry';
import {
  expandRow,
  hoverUntil,
  launchBrowser,
  openWorkbench,
  quickInput,
  releasesRow,
  runCommand,
  screenshotOnFailure,
  widenSidebar,
  stopAll,
} from './support/browser';
import { extensionLog, startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { editorLine, fileWhen, goTo, problem, quickFix } from './support/editor';
import { SCREENSHOTS } from './support/demo-surfaces';

const TAG = 'v1.0.0';
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
// docs/screenshots only with UPDATE_SCREENSHOTS=1 (demo-surfaces.ts): a test run never rewrites tracked files.
const SHOTS = SCREENSHOTS;

/** A screenshot for the docs: docs/screenshots/workspace-images-<name>.png. */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `workspace-images-${name}.png`) });
}

async function openFile(page: Page, path: string, shows: RegExp): Promise<void> {
  await runCommand(page, 'Go to File...');
  await quickInput(page).fill(path);
  const name = path.split('/').pop()!;
  // The row whose label is the file's name and whose description is its folder (or none).
  const row = page
    .locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) })
    .first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  await quickInput(page).waitFor({ state: 'hidden' });
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ state: 'visible' });
  await editorLine(page, shows).waitFor({ state: 'visible' });
}

const deployment = (name: string, image: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: { name: ${name} }`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: ${image}`,
    '',
  ].join('\n');

describe('Workspace images: hovers, lenses, Problems, the tree and pinning by digest (code-server + Chromium + test registry)', { timeout: 900_000 }, () => {
  let signing: SigningRegistry | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  let trustedRoot: string;
  let app: SignedRelease;
  let old: PushedIndex;
  let base: PushedIndex;
  let identity: string;
  let h: string;

  before(async () => {
    signing = await startSigningRegistry('workspace-images');
    const { registry, sigstore } = signing;
    h = registry.host;
    trustedRoot = signing.trustedRoot;
    const signer = await sigstore.githubIdentity({ repository: 'org/app', ref: `refs/tags/${TAG}` });
    identity = signer.identity;
    // An older org/app the tag pointed to before (unsigned), then the signed release.
    old = await pushMultiArchIndex(registry, 'org/app', { tag: 'v0.9.0', platforms: PLATFORMS, contentSeed: 'old' });
    app = await pushSignedRelease(registry, 'org/app', { sigstore, tag: TAG, platforms: PLATFORMS, signer, sourceRepository: 'org/app' });
    base = await pushMultiArchIndex(registry, 'org/base', { tag: '1.0', platforms: PLATFORMS, contentSeed: 'base' });
    await pushMultiArchIndex(registry, 'third/alpine', { tag: '3.20', platforms: PLATFORMS, contentSeed: 'alpine' });
    server = await startCodeServer({
      vsix: 'package',
      settings: {
        'provenanceLens.trustedRoot': trustedRoot,
        'editor.minimap.enabled': false,
        'editor.stickyScroll.enabled': false,
        'editor.lightbulb.enabled': 'on',
        'files.autoSave': 'off',
        'workbench.startupEditor': 'none',
      },
    });
    mkdirSync(join(server.userDataDir, 'Machine'), { recursive: true });
    writeFileSync(
      join(server.userDataDir, 'Machine', 'settings.json'),
      JSON.stringify({ 'provenanceLens.trustedRoot': trustedRoot, 'provenanceLens.insecureRegistries': [h] }, null, 2),
    );
    workspace = server.makeWorkspace('project', {
      '.provenance-lens.yaml': [
        'version: 1',
        'defaults:',
        '  github: { repository: org/app, workflow: release.yml }',
        '  attestations: []',
        'images:',
        `  - image: ${h}/org/app`,
        `  - image: ${h}/org/base`,
        '',
      ].join('\n'),
      '.goreleaser.yaml': ['version: 2', 'project_name: app', 'dockers_v2:', '  - images:', `      - "${h}/org/app"`, '    tags:', `      - "${TAG}"`, ''].join(
        '\n',
      ),
      Dockerfile: [
        `FROM ${h}/third/alpine:3.20 AS build`,
        'RUN echo build > /out',
        `FROM ${h}/org/base:1.0`,
        'COPY --from=build /out /out',
        `FROM ${h}/org/app:${TAG}`,
        '',
      ].join('\n'),
      'deploy/app.yaml': deployment('app', `${h}/org/app:${TAG}`),
      'deploy/pinned.yaml': deployment('pinned', `${h}/org/app:${TAG}@${old.digest}`),
      'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\nappVersion: v1.0.0\n',
      'chart/values.yaml': ['image:', `  registry: ${h}`, '  repository: org/app', `  tag: ${TAG}`, '  digest: ""', ''].join('\n'),
      'config/settings.yaml': 'name: app\nimage: not/a-manifest:1\n',
    });
    browser = await launchBrowser();
  });

  after(() => stopAll(browser, server, signing));

  it('lists the workspace images by file without reading them; a file expanded reads its images; the status bar stays on the goreleaser release', async () => {
    page = await openWorkbench(browser!, server!.workbenchUrl(workspace), { viewport: { width: 1500, height: 1000 } });
    await screenshotOnFailure(page, 'workspace-images-tree', async () => {
      await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
      await widenSidebar(page, 640);
      const release = releasesRow(page, 'Workspace images');
      await release.waitFor({ state: 'visible', timeout: 60_000 });
      for (const file of ['Dockerfile', 'app.yaml', 'pinned.yaml', 'values.yaml'])
        await releasesRow(page, new RegExp(`^${file.replace('.', '\\.')}`)).waitFor({ state: 'visible' });
      assert.equal(await releasesRow(page, /^settings\.yaml/).count(), 0, 'a YAML file that is no manifest is not listed');
      assert.match(extensionLog(server!), /Workspace images: 4 of \d+ files name images/);
      // Listing reads nothing; expanding a file reads the images a policy names, and the image
      // without one only when its own node is expanded: its row shows no digest.
      await expandRow(releasesRow(page, /^Dockerfile/));
      await releasesRow(page, /org\/app.*verified/).waitFor({ state: 'visible', timeout: 90_000 });
      await releasesRow(page, /org\/base.*nothing is signed/).waitFor({ state: 'visible', timeout: 90_000 });
      const alpine = releasesRow(page, /third\/alpine.*no policy for this image/);
      await alpine.waitFor({ state: 'visible' });
      assert.doesNotMatch(await alpine.innerText(), /sha256/);
      const status = page.locator('.statusbar-item', { hasText: /app: verified/ }).first();
      await status.waitFor({ state: 'visible', timeout: 60_000 });
      assert.doesNotMatch(await page.locator('.part.statusbar').innerText(), /Workspace images/);
      await page.mouse.move(5, 700);
      await shot(page, 'tree');
    });
  });

  it('hovers a Dockerfile reference; CodeLenses above each image; a Problem for the unsigned image only', () =>
    screenshotOnFailure(page, 'workspace-images-hover', async () => {
      await runCommand(page, 'View: Show Explorer');
      await openFile(page, 'Dockerfile', /org\/base/);
      const lenses = page.locator('.monaco-editor .codelens-decoration');
      await lenses
        .filter({ hasText: /third\/alpine:3\.20: no policy for this image/ })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      await lenses
        .filter({ hasText: /org\/app:v1\.0\.0: ✓ verified/ })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      const hover = page.locator('.monaco-hover-content', { hasText: 'base image' }).first();
      const result = await hoverUntil(
        page,
        editorLine(page, /FROM.*org\/base/)
          .locator('span', { hasText: 'org/base' })
          .first(),
        hover,
        { accept: (t) => /unsigned/.test(t) && /Digest/.test(t) },
      );
      await shot(page, 'hover');
      assert.match(result.text, new RegExp(base.digest.replace(':', '.')));
      assert.match(result.text, /Verify · Show provenance · Reveal in Releases/);
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      await problem(page, /The image is not signed/).waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await problem(page, /alpine/).count(), 0, 'no Problem for an image no policy names');
      await shot(page, 'hover-problems');
      await page.keyboard.press('Escape');
    }));

  it('pins org/app in a manifest to its verified digest, and `verify` accepts the pinned reference', () =>
    screenshotOnFailure(page, 'workspace-images-pin', async () => {
      await openFile(page, 'deploy/app.yaml', /org\/app/);
      await goTo(page, 9, 20);
      await quickFix(page, /^Pin org\/app to its verified digest sha256:/, () => shot(page, 'pin-menu'));
      await runCommand(page, 'File: Save');
      const text = await fileWhen(join(workspace, 'deploy', 'app.yaml'), (t) => t.includes('@sha256:'));
      const pinned = `${h}/org/app:${TAG}@${app.index.digest}`;
      assert.ok(text.includes(`image: ${pinned}\n`), text);
      const r = await cli([
        'verify',
        pinned,
        '--insecure-registry',
        h,
        '--trusted-root',
        trustedRoot,
        '--certificate-identity',
        identity,
        '--certificate-oidc-issuer',
        GITHUB_ISSUER,
      ]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      // Helm values: the map's digest key is filled, the repository line left as it is.
      await openFile(page, 'chart/values.yaml', /repository/);
      await goTo(page, 3, 18);
      await quickFix(page, /^Pin org\/app to its verified digest/);
      await runCommand(page, 'File: Save');
      const values = await fileWhen(join(workspace, 'chart', 'values.yaml'), (t) => t.includes('sha256:'));
      assert.ok(values.includes(`  digest: "${app.index.digest}"\n`), values);
    }));

  it('asks before pinning the unsigned org/base, saying why', () =>
    screenshotOnFailure(page, 'workspace-images-ask', async () => {
      await openFile(page, 'Dockerfile', /org\/base/);
      await goTo(page, 3, 12);
      await quickFix(page, /^Pin org\/base to sha256:[0-9a-f]{12}… \(not verified\)/);
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      const asked = await dialog.innerText();
      assert.match(
        asked,
        /org\/base:1\.0 is not verified: unsigned: The image is not signed: no signature on its index or on linux\/amd64 and linux\/arm64\.\n/,
      );
      assert.match(asked, new RegExp(`Pin ${base.digest} anyway\\?`));
      await shot(page, 'pin-ask');
      await dialog.locator('.monaco-button', { hasText: 'Pin Anyway' }).click();
      await runCommand(page, 'File: Save');
      const text = await fileWhen(join(workspace, 'Dockerfile'), (t) => t.includes(`org/base:1.0@${base.digest}`));
      assert.ok(text.includes(`FROM ${h}/org/base:1.0@${base.digest}\n`), text);
    }));

  it('a pin its tag has moved away from is a digest drift, fixed by pinning to what the tag points to now', () =>
    screenshotOnFailure(page, 'workspace-images-drift', async () => {
      await openFile(page, 'deploy/pinned.yaml', /org\/app/);
      // Hovering reads the pinned image and what its tag points to now.
      const hover = page.locator('.monaco-hover-content', { hasText: 'container image' }).first();
      await hoverUntil(
        page,
        editorLine(page, /image:/)
          .locator('span', { hasText: 'org/app' })
          .first(),
        hover,
        { accept: (t) => /Digest drift/.test(t), timeoutMs: 60_000 },
      );
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      await problem(page, /Digest drift: .*org\/app:v1\.0\.0 now points to/).waitFor({ state: 'visible', timeout: 60_000 });
      await shot(page, 'drift');
      await page.keyboard.press('Escape');
      await openFile(page, 'deploy/pinned.yaml', /org\/app/);
      await goTo(page, 9, 20);
      await quickFix(page, /^Pin org\/app to its verified digest/);
      await runCommand(page, 'File: Save');
      const text = await fileWhen(join(workspace, 'deploy', 'pinned.yaml'), (t) => t.includes(app.index.digest));
      assert.ok(text.includes(`image: ${h}/org/app:${TAG}@${app.index.digest}\n`), text);
      await problem(page, /Digest drift/).waitFor({ state: 'hidden', timeout: 60_000 });
    }));
});
