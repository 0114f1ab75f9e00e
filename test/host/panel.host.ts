// The image panel inside the real extension host: a real webview loads the real page bundle,
// which must say `ready` under the strict CSP before the host sends the model. Page messages a
// hostile page could send are driven through handlePageMessage, as the webview delivers them.
//
// One panel serves every test (its loader is switched per test), and no other webview is
// created while it loads: code-server serves webviews from its own origin, so all of them share one
// service worker, and pages created in quick succession can wait forever for it ("Found
// unexpected service worker controller ... Waiting for controllerchange", pre/index.html).
// Desktop VS Code gives each webview its own origin. So this suite creates one panel only; the
// page rebuilt after the panel is hidden and shown again is tested in the browser
// (test/e2e/webview.test.ts), where a user switches tabs.
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { LensError } from '../../src/core/errors';
import { followTreeSelection } from '../../src/panel/follow-selection';
import { showImagePanel } from '../../src/panel/image-panel';
import type { TreeNode } from '../../src/views/nodes';
import type { ImagePanel, ImageSources, LoadRequest } from '../../src/panel/image-panel';
import { PANEL_PROTOCOL_VERSION } from '../../src/protocol/panel';
import type { HostMessage, PageMessage } from '../../src/protocol/panel';
import { panelImage } from '../support/panel-fixtures';

const EXTENSION_ID = 'provenance-lens.provenance-lens';
const PAGE_TIMEOUT_MS = 15_000;
const REFERENCE = '127.0.0.1:5000/rancher/fleet-agent:v0.13.0-host-test';

function context(): { extensionUri: vscode.Uri; subscriptions: vscode.Disposable[] } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return { extensionUri: ext.extensionUri, subscriptions: [] };
}

/** The panel's dependencies, recording what the host did; `loader` is switched per test. */
class Recorder {
  readonly loads: LoadRequest[] = [];
  readonly opened: string[] = [];
  readonly copied: string[] = [];
  loader: (request: LoadRequest) => Promise<ImageSources> = async () => panelImage();
  readonly deps = {
    load: (_reference: string, request: LoadRequest): Promise<ImageSources> => {
      this.loads.push(request);
      return this.loader(request);
    },
    openExternal: async (uri: vscode.Uri): Promise<boolean> => {
      this.opened.push(uri.toString(true));
      return true;
    },
    writeClipboard: async (text: string): Promise<void> => {
      this.copied.push(text);
    },
  };
}

function next<T>(event: vscode.Event<T>, match: (e: T) => boolean, what: string, timeoutMs = PAGE_TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

const received = (p: ImagePanel, type: PageMessage['type']): Promise<PageMessage> =>
  next(p.onDidReceiveMessage, (m) => m.type === type, `page message "${type}"`);
const posted = (p: ImagePanel, type: HostMessage['type']): Promise<HostMessage> => next(p.onDidPostMessage, (m) => m.type === type, `host message "${type}"`);

describe('image panel (real webview)', () => {
  const rec = new Recorder();
  let panel: ImagePanel;
  let firstPosted: HostMessage[] = [];
  let ready: PageMessage;

  before(async () => {
    panel = showImagePanel(context(), REFERENCE, rec.deps);
    const log: HostMessage[] = [];
    panel.onDidPostMessage((m) => log.push(m));
    const shown = posted(panel, 'show');
    ready = await received(panel, 'ready');
    await shown;
    firstPosted = log;
  });

  after(() => panel?.dispose());

  it('the page says ready under the CSP, then the host sends the model', () => {
    assert.deepEqual(ready, { type: 'ready', version: PANEL_PROTOCOL_VERSION });
    const show = firstPosted.find((m) => m.type === 'show') as Extract<HostMessage, { type: 'show' }>;
    assert.equal(show.model.reference, panelImage().graph.reference);
    assert.equal(show.model.verdict.state, 'verified');
    assert.equal(show.model.platforms.length, 3);
    assert.deepEqual(
      rec.loads.map((l) => l.refresh),
      [false],
    );
  });

  it('a strict page shell: one nonce script, resources only from dist/ and media/, no command URIs', () => {
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
    assert.deepEqual(
      (options.localResourceRoots ?? []).map((u) => u.path.split('/').slice(-1)[0]),
      ['dist', 'media'],
    );
  });

  it('one panel per reference: showing it again reuses the panel, without fetching again', () => {
    assert.equal(showImagePanel(context(), REFERENCE, rec.deps), panel);
    assert.equal(rec.loads.length, 1);
  });

  it('links open through the host, and only https ones', () => {
    const refused: string[] = [];
    const sub = panel.onDidRefuseMessage((r) => refused.push(r.reason));
    for (const url of [
      'javascript:alert(1)',
      'command:workbench.action.terminal.new',
      'file:///etc/passwd',
      'http://github.com/',
      'https://u:p@github.com/',
      'vscode://settings',
    ]) {
      panel.handlePageMessage({ type: 'openLink', url });
    }
    panel.handlePageMessage({ type: 'openLink', url: 'https://search.sigstore.dev/?logIndex=153046374' });
    sub.dispose();
    assert.deepEqual(rec.opened, ['https://search.sigstore.dev/?logIndex=153046374']);
    assert.equal(refused.length, 6);
    assert.ok(
      refused.every((r) => r.startsWith('link refused: ')),
      refused.join('\n'),
    );
  });

  it('copy goes to the clipboard through the host; malformed messages are refused and do nothing', async () => {
    const refused: unknown[] = [];
    const sub = panel.onDidRefuseMessage((r) => refused.push(r.message));
    panel.handlePageMessage({ type: 'copy', text: 'sha256:abc', label: 'digest' });
    panel.handlePageMessage({ type: 'copy', text: 'x', label: '$(bug) pwned' });
    panel.handlePageMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    panel.handlePageMessage('refresh');
    sub.dispose();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(rec.copied, ['sha256:abc']);
    assert.equal(refused.length, 3);
    assert.equal(rec.loads.length, 1, 'a malformed refresh did not refresh');
  });

  it('the platform the page selects is kept; unknown digests are ignored', () => {
    const arm64 = panel.model!.platforms[1]!.digest;
    panel.handlePageMessage({ type: 'selectPlatform', digest: arm64 });
    assert.equal(panel.selectedPlatform, arm64);
    panel.handlePageMessage({ type: 'selectPlatform', digest: 'sha256:nope' });
    assert.equal(panel.selectedPlatform, arm64);
  });

  it('refresh fetches again, bypassing caches: loading, then the model', async () => {
    const loading = posted(panel, 'loading');
    const show = posted(panel, 'show');
    panel.handlePageMessage({ type: 'refresh' });
    assert.deepEqual(await loading, { type: 'loading', reference: REFERENCE });
    const shown = (await show) as Extract<HostMessage, { type: 'show' }>;
    assert.equal(shown.platform, panel.model!.platforms[1]!.digest, 'the selected platform is kept');
    assert.deepEqual(
      rec.loads.map((l) => l.refresh),
      [false, true],
    );
  });

  it('an image that cannot be read: the error with its code, and the page can try again', async () => {
    rec.loader = async () => {
      throw new LensError('UNAUTHORIZED', 'The registry 127.0.0.1:5000 asks for credentials.');
    };
    const error = posted(panel, 'error');
    panel.handlePageMessage({ type: 'refresh' });
    assert.deepEqual(await error, { type: 'error', reference: REFERENCE, code: 'UNAUTHORIZED', message: 'The registry 127.0.0.1:5000 asks for credentials.' });
    rec.loader = async () => panelImage();
    const show = posted(panel, 'show');
    panel.handlePageMessage({ type: 'refresh' });
    await show;
  });

  it('selecting a platform in the Releases view shows it in the open panel; an image or another reference does not', async () => {
    const selection = new vscode.EventEmitter<vscode.TreeViewSelectionChangeEvent<TreeNode>>();
    const graph = panelImage().graph;
    const follow = followTreeSelection(
      { onDidChangeSelection: selection.event },
      { graph: (reference) => (reference === REFERENCE ? { ...graph, reference } : undefined) },
    );
    try {
      const arm = panel.model!.platforms[2]!.digest;
      const show = posted(panel, 'show');
      selection.fire({ selection: [{ kind: 'platform', id: 'p', reference: REFERENCE, digest: arm }] });
      assert.equal(panel.selectedPlatform, arm);
      assert.equal(((await show) as Extract<HostMessage, { type: 'show' }>).platform, arm);
      // An artifact on a platform selects that platform too; an image, or another image's platform, nothing.
      const amd = panel.model!.platforms[0]!.digest;
      selection.fire({ selection: [{ kind: 'artifact', id: 'a', reference: REFERENCE, digest: 'sha256:x', coversDigest: amd }] });
      assert.equal(panel.selectedPlatform, amd);
      selection.fire({ selection: [{ kind: 'image', id: 'i', releaseId: 'r', reference: REFERENCE }] });
      selection.fire({ selection: [{ kind: 'platform', id: 'q', reference: 'elsewhere/app:v1', digest: arm }] });
      assert.equal(panel.selectedPlatform, amd);
    } finally {
      follow.dispose();
      selection.dispose();
    }
  });

  it('closing the panel cancels the load in flight', () => {
    let signal: AbortSignal | undefined;
    rec.loader = (req) => {
      signal = req.signal;
      return new Promise<ImageSources>(() => undefined);
    };
    panel.handlePageMessage({ type: 'refresh' });
    assert.equal(signal?.aborted, false);
    panel.dispose();
    assert.equal(signal?.aborted, true);
  });
});
