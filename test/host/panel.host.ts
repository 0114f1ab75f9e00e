// The image panel inside the real extension host: a real webview loads the real page bundle,
// which must say `ready` under the strict CSP before the host sends the model. Page messages a
// hostile page could send are driven through handlePageMessage, as the webview delivers them.
import * as assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { LensError } from '../../src/core/errors';
import { showImagePanel } from '../../src/panel/image-panel';
import type { ImagePanel, ImagePanelDeps, ImageSources, LoadRequest } from '../../src/panel/image-panel';
import type { HostMessage, PageMessage } from '../../src/panel/protocol';
import { panelImage } from '../support/panel-fixtures';

const EXTENSION_ID = 'provenance-lens.provenance-lens';
const PAGE_TIMEOUT_MS = 15_000;

function context(): { extensionUri: vscode.Uri; subscriptions: vscode.Disposable[] } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return { extensionUri: ext.extensionUri, subscriptions: [] };
}

interface Recorder extends ImagePanelDeps {
  readonly loads: LoadRequest[];
  readonly opened: string[];
  readonly copied: string[];
}

function deps(load: (r: string, req: LoadRequest) => Promise<ImageSources> = async () => panelImage()): Recorder {
  const rec: Recorder = {
    loads: [], opened: [], copied: [],
    load: (reference, request) => { rec.loads.push(request); return load(reference, request); },
    openExternal: async (uri) => { rec.opened.push(uri.toString(true)); return true; },
    writeClipboard: async (text) => { rec.copied.push(text); },
  };
  return rec;
}

function next<T>(event: vscode.Event<T>, match: (e: T) => boolean, what: string, timeoutMs = PAGE_TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`no ${what} within ${timeoutMs} ms`)); }, timeoutMs);
    const sub = event((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

const received = (p: ImagePanel, type: PageMessage['type']): Promise<PageMessage> => next(p.onDidReceiveMessage, (m) => m.type === type, `page message "${type}"`);
const posted = (p: ImagePanel, type: HostMessage['type']): Promise<HostMessage> => next(p.onDidPostMessage, (m) => m.type === type, `host message "${type}"`);

let reference = 0;
const fresh = (): string => `127.0.0.1:5000/rancher/fleet-agent:v0.13.${reference++}`;
const panels: ImagePanel[] = [];

/** Opens a panel and waits for the page's ready and the host's first answer. */
async function openReady(d: Recorder, ref = fresh()): Promise<{ panel: ImagePanel; first: HostMessage }> {
  const panel = showImagePanel(context(), ref, d);
  panels.push(panel);
  const ready = received(panel, 'ready');
  const first = next(panel.onDidPostMessage, () => true, 'first host message');
  assert.deepEqual(await ready, { type: 'ready', version: 1 });
  return { panel, first: await first };
}

describe('image panel (real webview)', () => {
  afterEach(() => panels.splice(0).forEach((p) => p.dispose()));

  it('the page says ready under the CSP, then the host sends the model', async () => {
    const d = deps();
    const { panel, first } = await openReady(d);
    const show = first.type === 'show' ? first : await posted(panel, 'show');
    assert.equal(show.type, 'show');
    const model = (show as Extract<HostMessage, { type: 'show' }>).model;
    assert.equal(model.verdict.state, 'verified');
    assert.equal(model.platforms.length, 3);
    assert.equal(d.loads.length, 1);
    assert.equal(d.loads[0]!.refresh, false);
  });

  it('a strict page shell: nonce script only, resources only from dist/ and media/', async () => {
    const { panel } = await openReady(deps());
    const html = panel.panel.webview.html;
    const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce, 'a script nonce in the CSP');
    assert.match(html, /default-src 'none'/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]![2], '', 'no inline script');
    assert.ok((scripts[0]![1] ?? '').includes(`nonce="${nonce}"`));
    const options = panel.panel.webview.options;
    assert.equal(options.enableScripts, true);
    assert.equal(options.enableCommandUris, false);
    const roots = (options.localResourceRoots ?? []).map((u) => u.path.split('/').slice(-1)[0]);
    assert.deepEqual(roots, ['dist', 'media']);
  });

  it('one panel per reference: showing it again reuses the panel', async () => {
    const d = deps();
    const ref = fresh();
    const { panel } = await openReady(d, ref);
    assert.equal(showImagePanel(context(), ref, d), panel);
    assert.equal(d.loads.length, 1);
  });

  it('hidden and shown again, the rebuilt page says ready again and gets the model again', async () => {
    const d = deps();
    const { panel } = await openReady(d);
    const { panel: other } = await openReady(deps());
    assert.equal(panel.panel.visible, false);
    const ready = received(panel, 'ready');
    const show = posted(panel, 'show');
    panel.panel.reveal();
    await ready;
    await show;
    assert.equal(d.loads.length, 1, 'no second fetch: the host kept the model');
    void other;
  });

  it('links open through the host, and only https ones', async () => {
    const d = deps();
    const { panel } = await openReady(d);
    const refused: string[] = [];
    const sub = panel.onDidRefuseMessage((r) => refused.push(r.reason));
    for (const url of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd', 'http://github.com/', 'https://u:p@github.com/', 'vscode://settings']) {
      panel.handlePageMessage({ type: 'openLink', url });
    }
    panel.handlePageMessage({ type: 'openLink', url: 'https://search.sigstore.dev/?logIndex=153046374' });
    sub.dispose();
    assert.deepEqual(d.opened, ['https://search.sigstore.dev/?logIndex=153046374']);
    assert.equal(refused.length, 6);
    assert.ok(refused.every((r) => r.startsWith('link refused: ')));
  });

  it('copy goes to the clipboard through the host; malformed messages are refused', async () => {
    const d = deps();
    const { panel } = await openReady(d);
    const refused: unknown[] = [];
    const sub = panel.onDidRefuseMessage((r) => refused.push(r.message));
    panel.handlePageMessage({ type: 'copy', text: 'sha256:abc', label: 'digest' });
    panel.handlePageMessage({ type: 'copy', text: 'x', label: '$(bug) pwned' });
    panel.handlePageMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    panel.handlePageMessage('refresh');
    sub.dispose();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(d.copied, ['sha256:abc']);
    assert.equal(refused.length, 3);
    assert.equal(d.loads.length, 1, 'a malformed refresh did not refresh');
  });

  it('refresh fetches again, bypassing caches: loading, then the model', async () => {
    const d = deps();
    const { panel } = await openReady(d);
    const loading = posted(panel, 'loading');
    const show = posted(panel, 'show');
    panel.handlePageMessage({ type: 'refresh' });
    assert.deepEqual(await loading, { type: 'loading', reference: panel.reference });
    await show;
    assert.deepEqual(d.loads.map((l) => l.refresh), [false, true]);
  });

  it('an image that cannot be read: the error with its code', async () => {
    const d = deps(async () => { throw new LensError('UNAUTHORIZED', 'The registry 127.0.0.1:5000 asks for credentials.'); });
    const { panel, first } = await openReady(d);
    const error = first.type === 'error' ? first : await posted(panel, 'error');
    assert.deepEqual(error, { type: 'error', reference: panel.reference, code: 'UNAUTHORIZED', message: 'The registry 127.0.0.1:5000 asks for credentials.' });
  });

  it('closing the panel cancels the load in flight', async () => {
    let signal: AbortSignal | undefined;
    const d = deps((_r, req) => { signal = req.signal; return new Promise<ImageSources>(() => undefined); });
    const { panel, first } = await openReady(d);
    assert.equal(first.type, 'loading');
    panel.dispose();
    assert.equal(signal?.aborted, true);
  });

  it('the platform the page selects is kept; unknown digests are ignored', async () => {
    const d = deps();
    const { panel, first } = await openReady(d);
    if (first.type !== 'show') await posted(panel, 'show');
    const arm64 = panel.model!.platforms[1]!.digest;
    panel.handlePageMessage({ type: 'selectPlatform', digest: arm64 });
    assert.equal(panel.selectedPlatform, arm64);
    panel.handlePageMessage({ type: 'selectPlatform', digest: 'sha256:nope' });
    assert.equal(panel.selectedPlatform, arm64);
  });
});
