// No secret anywhere a VS Code session leaves traces: the packaged extension
// in a real VS Code (code-server + Chromium) against three registries that want credentials,
// each behind a loopback proxy: htpasswd (its blobs redirected to pre-signed URLs on another
// host), a token service (every token it issues recorded), and htpasswd again, signed in to with
// a wrong password (401). A user signs in by typing into the input boxes, browses the tree,
// verifies an image into the panel, reads its provenance, hovers the goreleaser file, opens the
// log, and signs out. Then every secret form (test/support/secrets-scan.ts) is searched for in:
// every file code-server's scratch root holds (the log channel's file, the extension host and
// server logs, settings.json, globalStorage, workspaceStorage, the workspace, HOME/XDG), what the
// server printed, every message between the workbench and the webviews (both directions,
// recorded in the browser), the DOM text of every frame at each step (saved as this test's
// artifacts instead of reading screenshots), and the browser's storage (localStorage,
// sessionStorage, IndexedDB). VS Code's secret storage is the one place allowed to hold them:
// signing out of the registry makes it ask for credentials again.
import * as assert from 'node:assert/strict';
import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startFaultProxy } from '../support/fault-proxy';
import type { FaultProxy } from '../support/fault-proxy';
import { createSigner, pushReleaseFixture, TWO_PLATFORM_RELEASE } from '../support/fixtures';
import type { ReleaseFixture } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { SecretScan, describeFindings, startTokenRecorder } from '../support/secrets-scan';
import type { Finding, TokenRecorder } from '../support/secrets-scan';
import {
  clickClear,
  clickUntilShown,
  expandRow,
  hoverUntil,
  launchBrowser,
  notification,
  quickInput,
  quickPickRow,
  runCommand,
  screenshot,
  screenshotOnFailure,
  viewPane,
  waitForWorkbench,
  webviewFrame,
} from './support/browser';
import { rowLabelled } from './support/demo-surfaces';
import { startCodeServer } from './support/code-server';
import type { CodeServer } from './support/code-server';
import { artifactsDir } from './support/paths';
import { commitAndTag } from '../support/git';

const TAG = TWO_PLATFORM_RELEASE.tag;
const USER = 'pl-e2e-secret-user';
const secret = (what: string): string => `${what}+${randomBytes(9).toString('base64url')}/x=y&z!`;
const ARTIFACTS = join(artifactsDir, 'secrets-session');

const GORELEASER = `version: 2
project_name: fleet
dockers_v2:
  - id: fleet
    images: ["{{ .Env.BASIC_REGISTRY }}/team/fleet"]
    tags: ["{{ .Tag }}"]
  - id: agent
    images: ["{{ .Env.TOKEN_REGISTRY }}/team/agent"]
    tags: ["{{ .Tag }}"]
  - id: private
    images: ["{{ .Env.WRONG_REGISTRY }}/team/private"]
    tags: ["{{ .Tag }}"]
`;

// Every frame records each message it sees or sends (window messages and the MessagePorts the
// workbench and its webviews talk over), so both directions are kept whatever route they take.
const RECORD_MESSAGES = `(() => {
  const log = (dir, data) => {
    let text;
    try { text = typeof data === 'string' ? data : JSON.stringify(data); } catch { text = String(data); }
    (window.__plMessages ??= []).push(dir + ' ' + text);
  };
  window.addEventListener('message', (e) => log('in', e.data), true);
  const post = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (data, ...rest) { log('port-out', data); return post.call(this, data, ...rest); };
  const add = MessagePort.prototype.addEventListener;
  MessagePort.prototype.addEventListener = function (type, fn, ...rest) {
    if (type === 'message') add.call(this, 'message', (e) => log('port-in', e.data));
    return add.call(this, type, fn, ...rest);
  };
  const on = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    configurable: true, get() { return on.get.call(this); },
    set(fn) { on.set.call(this, typeof fn === 'function' ? function (e) { log('port-in', e.data); return fn.call(this, e); } : fn); },
  });
})();`;

/** Everything the browser keeps for the workbench's origin: localStorage, sessionStorage, IndexedDB (run in the page). */
const DUMP_STORAGE = `(async () => {
  const out = [];
  const localKeys = [];
  for (const [name, s] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (name === 'localStorage') localKeys.push(k);
      out.push(name + ' ' + k + '=' + s.getItem(k));
    }
  }
  const decode = (v) => {
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) return new TextDecoder().decode(v);
    try { return JSON.stringify(v); } catch { return String(v); }
  };
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await request(indexedDB.open(info.name));
    for (const store of Array.from(db.objectStoreNames)) {
      const tx = db.transaction(store, 'readonly');
      const keys = await request(tx.objectStore(store).getAllKeys());
      const values = await request(tx.objectStore(store).getAll());
      keys.forEach((k, i) => out.push('indexedDB ' + info.name + '/' + store + ' ' + decode(k) + '=' + decode(values[i])));
    }
    db.close();
  }
  return { text: out.join('\\n'), localKeys, sealedSecrets: localStorage.getItem('secrets.provider') };
})()`;

interface BrowserStorage {
  readonly text: string;
  readonly localKeys: string[];
  /** code-server's secret storage: localStorage `secrets.provider`, sealed. */
  readonly sealedSecrets: string | null;
}

/**
 * Opens code-server's secret storage as its workbench does (LocalStorageSecretStorageProvider):
 * base64 of a client key half, an IV and AES-256-GCM ciphertext; the key is the client half XOR
 * the server half code-server keeps in `<user-data>/serve-web-key-half`. Returns the entries
 * (key: `{"extensionId":...,"key":...}`, value: what the extension stored).
 */
function openSecretStorage(sealed: string, serverHalf: Buffer): Record<string, string> {
  const bytes = Buffer.from(sealed, 'base64');
  const client = bytes.subarray(0, 32);
  const iv = bytes.subarray(32, 44);
  const body = bytes.subarray(44);
  const key = Buffer.from(client.map((b, i) => b ^ serverHalf[i]!));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(body.subarray(body.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8')) as Record<string, string>;
}

/** The credential the extension stored for `registry`, if any. */
function storedCredential(entries: Record<string, string>, registry: string): unknown {
  const key = Object.keys(entries).find((k) => k.includes('provenance-lens.provenance-lens') && k.includes(`provenanceLens.registry/${registry}`));
  return key === undefined ? undefined : (JSON.parse(entries[key]!) as unknown);
}

describe('secrets: a whole VS Code session with credentials leaves none behind (code-server + Chromium + 3 registries)', { timeout: 600_000 }, () => {
  const scan = new SecretScan();
  const password = secret('basic-pw');
  const tokenPassword = secret('token-pw');
  const wrongPassword = secret('wrong-pw');
  const rightForWrong = secret('never-typed-pw');
  const texts: { where: string; text: string }[] = [];
  let basicReg: TestRegistry | undefined;
  let tokenReg: TestRegistry | undefined;
  let wrongReg: TestRegistry | undefined;
  let basic: FaultProxy;
  let token: FaultProxy;
  let wrong: FaultProxy;
  let recorder: TokenRecorder | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let fleet: ReleaseFixture;
  let step = 0;
  /** Session steps that ran to the end: a search after a broken session would prove nothing. */
  const completed = new Set<string>();

  const row = (text: string | RegExp): Locator => viewPane(page, 'Releases').locator('.monaco-list-row', { hasText: text }).first();
  const image = (p: FaultProxy, repo: string): string => `${p.host}/team/${repo}:${TAG}`;
  /** An image's row: the repository leads (the tag is the release's), the registry is in the description. */
  const imageRow = (p: FaultProxy, repo: string): Locator => rowLabelled(page, `team/${repo}`).filter({ hasText: p.host });
  /** Its description once the image is read (no longer waiting for a sign-in or loading). */
  const loaded = (p: FaultProxy, repo: string): Locator =>
    imageRow(p, repo)
      .locator('.label-description')
      .filter({ hasNotText: /sign-in required|loading/ });

  /** The DOM text and markup of every frame, kept as an artifact and searched. */
  async function captureDom(name: string): Promise<void> {
    const parts: string[] = [];
    const markup: string[] = [];
    for (const f of page.frames()) {
      try {
        parts.push(`--- frame ${f.url()}\n${await f.evaluate<string>('document.body ? document.body.innerText : ""')}`);
        markup.push(`<!-- frame ${f.url()} -->\n${await f.evaluate<string>('document.documentElement ? document.documentElement.outerHTML : ""')}`);
      } catch {
        /* a frame that went away */
      }
    }
    const base = join(ARTIFACTS, `${String(++step).padStart(2, '0')}-${name}`);
    writeFileSync(`${base}.txt`, parts.join('\n'));
    writeFileSync(`${base}.html`, markup.join('\n'));
  }

  /** What every frame recorded so far (frames of closed webviews take theirs with them: called before closing). */
  async function collectMessages(name: string): Promise<number> {
    let count = 0;
    for (const f of page.frames()) {
      try {
        const messages = await f.evaluate<string[]>('window.__plMessages || []');
        count += messages.length;
        texts.push({ where: `webview messages (${name}, frame ${f.url().slice(0, 120)})`, text: messages.join('\n') });
        appendFileSync(join(ARTIFACTS, 'webview-messages.txt'), `--- ${name}, frame ${f.url()}\n${messages.join('\n')}\n`);
      } catch {
        /* gone */
      }
    }
    return count;
  }

  /** What the extension logged (its log channel's file), for failure messages. */
  function extensionLog(): string {
    const file = scan.tree(join(server!.userDataDir, 'logs')).files.find((f) => f.endsWith('Provenance Lens.log'));
    return file ? readFileSync(file, 'utf8') : '(no log file yet)';
  }

  /** The image's "Sign in to <registry>" node, expanding the image when it was not revealed. */
  async function signInNode(p: FaultProxy, repo: string): Promise<Locator> {
    const node = row(`Sign in to ${p.host}`);
    const deadline = Date.now() + 90_000;
    while (!(await node.isVisible())) {
      const img = imageRow(p, repo);
      if ((await img.isVisible()) && (await img.getAttribute('aria-expanded')) === 'false') await clickClear(page, img);
      if (Date.now() > deadline) throw new Error(`no "Sign in to ${p.host}" node; the extension's log:\n${extensionLog().slice(-4000)}`);
      await page.waitForTimeout(250);
    }
    return node;
  }

  async function signIn(p: FaultProxy, repo: string, pass: string): Promise<void> {
    const host = p.host;
    await clickUntilShown(page, await signInNode(p, repo), quickInput(page));
    await quickInput(page).fill(USER);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '(2/2)' }).waitFor({ state: 'visible' });
    assert.equal(await quickInput(page).getAttribute('type'), 'password');
    await quickInput(page).fill(pass);
    await page.keyboard.press('Enter');
    await notification(page, `Signed in to ${host}`).first().waitFor({ state: 'visible' });
  }

  before(async () => {
    const started = Date.now();
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    scan.addLogin('htpasswd registry', USER, password);
    scan.addLogin('token service', USER, tokenPassword);
    scan.addLogin('wrong', USER, wrongPassword);
    scan.addLogin('unused right password', USER, rightForWrong);
    [basicReg, tokenReg, wrongReg] = await Promise.all([
      startRegistry({ auth: 'htpasswd', username: USER, password }),
      startRegistry({ auth: 'token', username: USER, password: tokenPassword }),
      startRegistry({ auth: 'htpasswd', username: USER, password: rightForWrong }),
    ]);
    const signer = createSigner();
    const opts = { ...TWO_PLATFORM_RELEASE, referrersFor: ['linux/amd64'], sbom: true, signer };
    [fleet] = await Promise.all([
      pushReleaseFixture(basicReg, 'team/fleet', opts),
      pushReleaseFixture(tokenReg, 'team/agent', opts),
      pushReleaseFixture(wrongReg, 'team/private', opts),
    ]);
    if (tokenReg.auth.mode !== 'token') throw new Error('token registry without a token service');
    recorder = await startTokenRecorder(tokenReg.auth.realm, (kind, value) => scan.addToken(`issued ${kind} token`, value));
    [basic, token, wrong] = await Promise.all([
      startFaultProxy({ upstream: basicReg }),
      startFaultProxy({ upstream: tokenReg, rewriteRealm: recorder.realm }),
      startFaultProxy({ upstream: wrongReg, otherHost: null }),
    ]);
    // Blob storage behind pre-signed URLs, whose signatures are secrets too.
    basic.inject({ path: /\/blobs\//, fault: { kind: 'redirect-other-host' } });
    server = await startCodeServer({
      vsix: 'package',
      // Trace from the start, so no log line is ever below the level that is searched.
      logLevel: 'trace',
      settings: {
        'provenanceLens.goreleaser.env': { BASIC_REGISTRY: basic.host, TOKEN_REGISTRY: token.host, WRONG_REGISTRY: wrong.host },
        'provenanceLens.offline': true,
        'editor.hover.delay': 200,
        'editor.minimap.enabled': false,
      },
    });
    const policy = `version: 1\nimages:\n  - image: "*/team/*"\n    keys: [cosign.pub]\n    requireTlog: false\n`;
    const workspace = server.makeWorkspace('fleet', { '.goreleaser.yaml': GORELEASER, '.provenance-lens.yaml': policy, 'cosign.pub': fleet.publicKeyPem });
    commitAndTag(workspace, TAG);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(RECORD_MESSAGES);
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(server.workbenchUrl(workspace));
    await waitForWorkbench(page, 90_000);
    console.log(`# setup (3 registries, 3 proxies, token recorder, code-server, workbench): ${Date.now() - started} ms`);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await Promise.all([basic?.close(), token?.close(), wrong?.close(), recorder?.close()]);
    await Promise.all([basicReg?.stop(), tokenReg?.stop(), wrongReg?.stop()]);
  });

  it('signs in to two registries through the input boxes, and with a wrong password to a third (401)', () =>
    screenshotOnFailure(page, 'secrets-sign-in', async () => {
      // Everything logged down to trace (the extension's per-request lines and which credential it
      // used, and VS Code's own): a secret in a line below the default level would leak as well.
      await runCommand(page, 'Developer: Set Log Level...');
      await quickPickRow(page, 'Trace').first().click();
      await quickInput(page).waitFor({ state: 'hidden' });
      await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
      for (const [p, repo] of [
        [basic, 'fleet'],
        [token, 'agent'],
        [wrong, 'private'],
      ] as const)
        await signInNode(p, repo);
      await captureDom('sign-in-nodes');
      await signIn(basic, 'fleet', password);
      await loaded(basic, 'fleet').waitFor({ state: 'visible', timeout: 60_000 });
      await signIn(token, 'agent', tokenPassword);
      await loaded(token, 'agent').waitFor({ state: 'visible', timeout: 60_000 });
      await signIn(wrong, 'private', wrongPassword);
      // The wrong password reaches the registry, which refuses it; the image asks again.
      for (let i = 0; i < 300 && !wrong.requests.some((r) => r.authScheme === 'Basic' && r.status === 401); i++) await page.waitForTimeout(100);
      assert.ok(
        wrong.requests.some((r) => r.authScheme === 'Basic' && r.status === 401),
        'the wrong password was tried and refused',
      );
      await signInNode(wrong, 'private');
      // The failure's tooltip, with the registry's answer, rendered so the DOM capture holds it.
      await imageRow(wrong, 'private').hover();
      await page
        .locator('.workbench-hover, .monaco-hover:not(.hidden)')
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 })
        .catch(() => undefined);
      await captureDom('failure-tooltip');
      assert.ok(
        recorder!.tokens.some((t) => t.kind === 'access'),
        'the token service issued tokens',
      );
      await captureDom('signed-in');
      await screenshot(page, 'secrets-signed-in');
      completed.add('sign-in');
    }));

  it('browses the tree, verifies into the panel, reads the provenance, hovers the goreleaser file, opens the log', () =>
    screenshotOnFailure(page, 'secrets-session', async () => {
      await expandRow(imageRow(basic, 'fleet'));
      await rowLabelled(page, 'linux/amd64').waitFor({ state: 'visible' });
      await expandRow(rowLabelled(page, 'linux/amd64'));
      await row('SLSA provenance v1').waitFor({ state: 'visible' });
      await row('Signature').hover();
      await page
        .locator('.monaco-hover, .custom-hover')
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 })
        .catch(() => undefined);
      await captureDom('tree');

      await runCommand(page, 'Provenance Lens: Verify Image');
      await quickInput(page).fill(image(basic, 'fleet'));
      await page.keyboard.press('Enter');
      const view = webviewFrame(page);
      await view.locator('h1', { hasText: 'fleet:v1.0.0' }).waitFor({ timeout: 90_000 });
      await view.locator('vscode-badge.verdict', { hasText: 'Verified' }).first().waitFor({ timeout: 60_000 });
      await view.locator('vscode-tab-header', { hasText: 'Provenance' }).click();
      await view.getByText('dockerfile.v0', { exact: true }).first().waitFor({ timeout: 60_000 });
      await captureDom('panel');
      await screenshot(page, 'secrets-panel');
      const messages = await collectMessages('panel open');
      assert.ok(
        texts.some((t) => t.text.includes('dockerfile.v0')),
        `the model the panel showed was among the ${messages} recorded messages`,
      );
      assert.ok(basic.requestsTo(/^\/storage\//, 'other').length > 0, 'blobs came through pre-signed URLs');

      await runCommand(page, 'View: Show Explorer');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.goreleaser.yaml' }).first().click();
      const line = page.locator('.monaco-editor .view-line', { hasText: /BASIC_REGISTRY/ }).first();
      const target = line.locator('span', { hasText: 'team/fleet' }).last();
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'Reference:' }).first();
      // The first hover may still be reading the registry; the next answers from the shared load.
      await hoverUntil(page, target, hover, { perTryMs: 5_000, timeoutMs: 120_000, accept: (text) => text.includes(fleet.index.digest) });
      await captureDom('hover');

      await runCommand(page, 'Provenance Lens: Open Log');
      await page
        .locator('.part.panel .monaco-editor .view-line', { hasText: /GET\s+http/ })
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      await captureDom('log');
      await screenshot(page, 'secrets-log');
      completed.add('session');
    }));

  it("keeps the credentials in VS Code's secret storage only: the registry got exactly them, and signing out asks again", () =>
    screenshotOnFailure(page, 'secrets-sign-out', async () => {
      const fingerprint = (header: string): string => createHash('sha256').update(header).digest('hex').slice(0, 16);
      const basicHeader = `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}`;
      assert.ok(
        basic.requests.some((r) => r.authFingerprint === fingerprint(basicHeader)),
        'the htpasswd registry received the typed user name and password',
      );
      const bearers = new Set(recorder!.tokens.filter((t) => t.kind === 'access').map((t) => fingerprint(`Bearer ${t.value}`)));
      assert.ok(
        token.requests.some((r) => r.authFingerprint !== undefined && bearers.has(r.authFingerprint)),
        'the token registry received a token the service issued for them',
      );
      await collectMessages('before sign-out');
      const recorded = texts
        .filter((t) => t.where.startsWith('webview messages'))
        .map((t) => t.text)
        .join('\n');
      const sent = (re: RegExp): number => recorded.split('\n').filter((l) => re.test(l)).length;
      // The webview channels: `message` carries the extension's posts to the page, `onmessage` the
      // page's posts back, `do-update-state` the page's saved state.
      const hostToPage = sent(/^port-out \{"channel":"message"/);
      const pageToHost = sent(/^port-out \{"channel":"(onmessage|do-update-state)"/);
      console.log(
        `# webview messages recorded: ${hostToPage} extension -> page, ${pageToHost} page -> extension, ${recorded.split('\n').length} lines in all (resources, focus, styles)`,
      );
      assert.ok(hostToPage > 0 && /"type":"show"/.test(recorded), 'the model the extension posted was recorded');
      assert.ok(pageToHost > 0 && /"type":"ready"/.test(recorded), 'what the page posted back was recorded');
      const storage = await page.evaluate<BrowserStorage>(DUMP_STORAGE);
      texts.push({ where: 'browser storage (localStorage, sessionStorage, IndexedDB)', text: storage.text });
      writeFileSync(join(ARTIFACTS, 'browser-storage.txt'), storage.text);
      console.log(`# browser storage: ${storage.text.length} characters; localStorage keys: ${storage.localKeys.join(', ')}`);
      // The secret storage holds what was typed, per registry (the wrong password too: it was typed).
      assert.ok(storage.sealedSecrets, 'code-server keeps the secret storage in localStorage, sealed');
      const serverHalf = readFileSync(join(server!.userDataDir, 'serve-web-key-half'));
      const entries = openSecretStorage(storage.sealedSecrets, serverHalf);
      assert.deepEqual(storedCredential(entries, basic.host), { kind: 'basic', username: USER, password });
      assert.deepEqual(storedCredential(entries, token.host), { kind: 'basic', username: USER, password: tokenPassword });
      assert.deepEqual(storedCredential(entries, wrong.host), { kind: 'basic', username: USER, password: wrongPassword });

      await runCommand(page, 'Provenance Lens: Sign Out of Registry');
      await quickPickRow(page, basic.host).click();
      await notification(page, `Signed out of ${basic.host}`).first().waitFor({ state: 'visible' });
      await page.locator('.part.activitybar .action-item a[aria-label^="Provenance Lens"]').click();
      await signInNode(basic, 'fleet');
      const signedOut = await page.evaluate<BrowserStorage>(DUMP_STORAGE);
      texts.push({ where: 'browser storage after signing out', text: signedOut.text });
      const left = openSecretStorage(signedOut.sealedSecrets!, serverHalf);
      assert.equal(storedCredential(left, basic.host), undefined, 'signing out removed the credential from the secret storage');
      assert.deepEqual(storedCredential(left, token.host), { kind: 'basic', username: USER, password: tokenPassword });
      await captureDom('signed-out');
      await collectMessages('end');
      completed.add('sign-out');
    }));

  it('finds no secret in any form in files, logs, webview messages, DOM text or browser storage', async () => {
    assert.ok(server);
    const serverOutput = server.logs();
    const dir = server.dir;
    // Stop first, so every log is flushed; keep the scratch root for the search.
    const keep = process.env.E2E_KEEP;
    process.env.E2E_KEEP = '1';
    await browser?.close();
    browser = undefined;
    try {
      await server.stop();
    } finally {
      if (keep === undefined) delete process.env.E2E_KEEP;
      else process.env.E2E_KEEP = keep;
    }
    try {
      for (const p of [basic, token]) {
        for (const r of p.requestsTo(/^\/storage\//, 'other'))
          scan.add('pre-signed URL signature', new URL(r.path, 'http://x').searchParams.get('X-Amz-Signature')!);
      }
      const findings: Finding[] = [];
      const files = scan.tree(dir);
      const artifacts = scan.tree(ARTIFACTS);
      findings.push(...files.findings, ...artifacts.findings, ...scan.text('code-server output', serverOutput));
      for (const t of texts) findings.push(...scan.text(t.where, t.text));
      const named = (re: RegExp): string[] => files.files.filter((f) => re.test(f)).map((f) => f.slice(dir.length + 1));
      const coverage = {
        'log channel': named(/Provenance Lens\.log$/),
        'extension host log': named(/exthost[^/]*\.log$/),
        'settings.json': named(/User\/settings\.json$/),
        globalStorage: named(/globalStorage\//),
        workspaceStorage: named(/workspaceStorage\//),
      };
      const { secrets, forms } = scan.size;
      console.log(
        `# searched ${files.files.length} files (${files.bytes} bytes) under code-server's root, ${artifacts.files.length} artifacts, ${texts.length} captured texts (${texts.reduce((n, t) => n + t.text.length, 0)} characters), ${serverOutput.length} characters of server output; ${secrets} secrets in ${forms} forms: ${scan.secrets().join(', ')}`,
      );
      for (const [what, list] of Object.entries(coverage)) console.log(`# ${what}: ${list.length} file(s)${list.length ? `, e.g. ${list[0]}` : ''}`);
      assert.deepEqual([...completed], ['sign-in', 'session', 'sign-out'], 'the whole session ran');
      assert.ok(coverage['log channel'].length > 0, 'the log channel file was found');
      const log = readFileSync(join(dir, coverage['log channel'][0]!), 'utf8');
      assert.match(log, /\[trace\] GET http/, 'the log channel was at trace level');
      assert.ok(coverage['extension host log'].length > 0, 'the extension host log was found');
      assert.ok(coverage['settings.json'].length > 0);
      // The search finds what it looks for.
      assert.ok(scan.text('self-check', `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}`).length > 0);
      assert.equal(findings.length, 0, `secrets found:\n${describeFindings(findings)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
