/**
 * One open image panel on the host side: the handshake, loading through `deps.load`, and the
 * page's requests (open a link, copy, select a platform, refresh), each checked first.
 */
import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import type { ProvenanceReport } from '../provenance/collect';
import type { ImageGraph } from '../model/image-graph';
import type { ImageVerification } from '../verify/image';
import { checkExternalLink } from './links';
import { parsePageMessage } from './message-guard';
import type { PartFailure } from './model';
import { toPanelModel } from './model';
import { makeNonce, pageHtml } from './page-html';
import { PANEL_PROTOCOL_VERSION } from '../protocol/panel';
import type { HostMessage, PageMessage, PanelModel } from '../protocol/panel';

/** What the service computed for one image; the panel makes its model from it. */
export interface ImageSources {
  readonly graph: ImageGraph;
  /** Absent when no verification was asked for, or it failed (then `verificationFailure`). */
  readonly verification?: ImageVerification;
  readonly verificationFailure?: PartFailure;
  readonly provenance?: ProvenanceReport;
  readonly provenanceFailure?: PartFailure;
}

export interface LoadRequest {
  /** Aborted when the panel closes or a refresh starts over. */
  readonly signal: AbortSignal;
  /** The user asked to refresh: bypass caches. */
  readonly refresh: boolean;
}

export interface ImagePanelDeps {
  /** Inspects, verifies and reads provenance for `reference`. Throw (a LensError) when the image cannot be read. */
  load(reference: string, request: LoadRequest): Promise<ImageSources>;
  /** Default `vscode.env.openExternal`. */
  openExternal?(uri: vscode.Uri): Thenable<boolean>;
  /** Default `vscode.env.clipboard.writeText`. */
  writeClipboard?(text: string): Thenable<void>;
  /** Where refused messages and load failures are logged. */
  log?: { info(message: string): void; warn(message: string): void };
}

/** A page request the host refused, and why (tests and logs). */
export interface RefusedMessage {
  readonly message: unknown;
  readonly reason: string;
}

type View = { kind: 'loading' } | { kind: 'model'; model: PanelModel } | { kind: 'error'; code: string; message: string };

export class ImagePanel implements vscode.Disposable {
  private view: View = { kind: 'loading' };
  private ready = false;
  private disposed = false;
  private controller: AbortController | undefined;
  private readonly received = new vscode.EventEmitter<PageMessage>();
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  private readonly refused = new vscode.EventEmitter<RefusedMessage>();
  private readonly disposables: vscode.Disposable[] = [this.received, this.posted, this.refused];

  /** Every checked message from the page. */
  readonly onDidReceiveMessage = this.received.event;
  /** Every message sent to the page. */
  readonly onDidPostMessage = this.posted.event;
  /** Page messages refused (malformed, or a link that is not https). */
  readonly onDidRefuseMessage = this.refused.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly reference: string,
    private readonly deps: ImagePanelDeps,
    private readonly extensionUri: vscode.Uri,
    private platform: string | undefined,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.handlePageMessage(m)),
      // Hidden without retainContextWhenHidden, the page is thrown away; shown again, it reloads and says ready.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
      panel.onDidDispose(() => this.dispose()),
    );
    panel.webview.html = this.html();
    void this.load(false);
  }

  /** The platform digest the page shows (or was asked to show first). */
  get selectedPlatform(): string | undefined {
    return this.platform;
  }

  /** The model shown, once loaded. */
  get model(): PanelModel | undefined {
    return this.view.kind === 'model' ? this.view.model : undefined;
  }

  selectPlatform(digest: string): void {
    this.platform = digest;
    if (this.view.kind === 'model') this.post({ type: 'show', model: this.view.model, platform: digest });
  }

  /** Loads again (bypassing caches when `refresh`); what was in flight is cancelled. */
  async load(refresh = true): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.setView({ kind: 'loading' });
    try {
      const s = await this.deps.load(this.reference, { signal: controller.signal, refresh });
      if (controller.signal.aborted) return;
      const failures = { ...(s.verificationFailure ? { verificationFailure: s.verificationFailure } : {}), ...(s.provenanceFailure ? { provenanceFailure: s.provenanceFailure } : {}) };
      this.setView({ kind: 'model', model: toPanelModel(s.graph, s.verification, s.provenance, failures) });
    } catch (e) {
      if (controller.signal.aborted) return;
      const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'INTERNAL';
      this.deps.log?.warn(`image panel: ${this.reference} could not be loaded [${code}]`);
      this.setView({ kind: 'error', code, message: describeError(e) });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controller?.abort();
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.panel.dispose();
  }

  private html(): string {
    const uri = (...path: string[]): string => this.panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    return pageHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: makeNonce(),
      script: uri('dist', 'webview.js'),
      stylesheet: uri('media', 'webview.css'),
      codicons: uri('dist', 'codicons', 'codicon.css'),
    });
  }

  private setView(view: View): void {
    this.view = view;
    this.post(this.current());
  }

  private current(): HostMessage {
    switch (this.view.kind) {
      case 'loading': return { type: 'loading', reference: this.reference };
      case 'error': return { type: 'error', reference: this.reference, code: this.view.code, message: this.view.message };
      case 'model': return { type: 'show', model: this.view.model, ...(this.platform !== undefined ? { platform: this.platform } : {}) };
    }
  }

  // Before `ready` nothing is posted: the page would miss it. `ready` gets the current view.
  private post(message: HostMessage): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(message);
    this.posted.fire(message);
  }

  private refuse(message: unknown, reason: string): void {
    this.deps.log?.warn(`image panel: refused a page message (${reason})`);
    this.refused.fire({ message, reason });
  }

  /** Where the page's messages arrive (in-host tests call it directly, as a hostile page would). */
  handlePageMessage(raw: unknown): void {
    const message = parsePageMessage(raw);
    if (message === undefined) {
      this.refuse(raw, 'not a message of the panel protocol');
      return;
    }
    this.received.fire(message);
    switch (message.type) {
      case 'ready':
        if (message.version !== PANEL_PROTOCOL_VERSION) this.deps.log?.warn(`image panel: page protocol ${message.version}, host ${PANEL_PROTOCOL_VERSION}`);
        this.ready = true;
        this.post(this.current());
        return;
      case 'openLink': {
        const check = checkExternalLink(message.url);
        if (!check.ok) {
          this.refuse(message, `link refused: ${check.reason}`);
          return;
        }
        const open = this.deps.openExternal ?? ((u: vscode.Uri) => vscode.env.openExternal(u));
        void open(vscode.Uri.parse(check.url, true));
        return;
      }
      case 'copy': {
        const write = this.deps.writeClipboard ?? ((t: string) => vscode.env.clipboard.writeText(t));
        void Promise.resolve(write(message.text)).then(
          () => vscode.window.setStatusBarMessage(`Copied ${message.label}`, 3000),
          (e: unknown) => this.deps.log?.warn(`image panel: copying ${message.label} failed: ${describeError(e)}`),
        );
        return;
      }
      case 'selectPlatform':
        if (this.model?.platforms.some((p) => p.digest === message.digest)) this.platform = message.digest;
        return;
      case 'refresh':
        void this.load(true);
        return;
    }
  }
}
