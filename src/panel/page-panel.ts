/**
 * What every webview of ours does with its page, whatever it shows (an image, a comparison): the
 * page (panelPage: our bundle under a strict CSP with a fresh nonce), the handshake — nothing is
 * posted before the page says `ready`, and `ready` gets the current view again — and the page's
 * messages, each checked (message-guard.ts) before anything is done: links are opened only when
 * https (links.ts), the clipboard is written only here. The page is untrusted.
 */
import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import { PANEL_PROTOCOL_VERSION } from '../protocol/panel';
import type { HostMessage, PageMessage } from '../protocol/panel';
import { checkExternalLink } from './links';
import { parsePageMessage } from './message-guard';
import { makeNonce, pageHtml } from './page-html';

export interface PageRequestDeps {
  /** Default `vscode.env.openExternal`. */
  openExternal?(uri: vscode.Uri): Thenable<boolean>;
  /** Default `vscode.env.clipboard.writeText`. */
  writeClipboard?(text: string): Thenable<void>;
  /** Where refused messages and load failures are logged. */
  log?: { info(message: string): void; warn(message: string): void };
}

/** What a page shows: loading, what was made for it (an image's model, a comparison), or why it could not be made. */
export type PageView<T> = { kind: 'loading' } | { kind: 'shown'; content: T } | { kind: 'error'; code: string; message: string };

/** A page request the host refused, and why (tests and logs). */
export interface RefusedMessage {
  readonly message: unknown;
  readonly reason: string;
}

export abstract class PagePanel<T> implements vscode.Disposable {
  protected view: PageView<T> = { kind: 'loading' };
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

  /** `what`: how the log names this kind of panel ("image panel", "diff view"). */
  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly requests: PageRequestDeps,
    extensionUri: vscode.Uri,
    private readonly what: string,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.handlePageMessage(m)),
      // Hidden without retainContextWhenHidden, the page is thrown away; shown again, it reloads and says ready.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    const uri = (...path: string[]): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
    panel.webview.html = pageHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      script: uri('dist', 'webview.js'),
      stylesheet: uri('media', 'webview.css'),
      codicons: uri('dist', 'codicons', 'codicon.css'),
    });
  }

  /** What `loading` and `error` name to the page: the image's reference, the comparison's title. */
  protected abstract get subject(): string;

  /** The message that shows `content`. */
  protected abstract shown(content: T): HostMessage;

  /** The page's own requests (refresh, select a platform); ready, links and copies are handled here. */
  protected abstract handle(message: Exclude<PageMessage, { type: 'ready' | 'openLink' | 'copy' }>): void;

  /**
   * Makes what the page shows again: the load in flight is cancelled, the page shows `loading`,
   * then the content, or the error (logged with its code and `failure`). A cancelled load shows nothing.
   */
  protected async reload(make: (signal: AbortSignal) => Promise<T>, failure: string): Promise<void> {
    this.controller?.abort();
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.setView({ kind: 'loading' });
    try {
      const content = await make(signal);
      if (!signal.aborted) this.setView({ kind: 'shown', content });
    } catch (e) {
      if (signal.aborted) return;
      const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'INTERNAL';
      this.requests.log?.warn(`${this.what}: ${failure} [${code}]`);
      this.setView({ kind: 'error', code, message: describeError(e) });
    }
  }

  private setView(view: PageView<T>): void {
    this.view = view;
    this.post(this.current());
  }

  /** What the page is to show now: the answer to every `ready`. */
  private current(): HostMessage {
    switch (this.view.kind) {
      case 'loading':
        return { type: 'loading', reference: this.subject };
      case 'error':
        return { type: 'error', reference: this.subject, code: this.view.code, message: this.view.message };
      case 'shown':
        return this.shown(this.view.content);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controller?.abort();
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.panel.dispose();
  }

  // Before `ready` nothing is posted: the page would miss it. `ready` gets the current view.
  protected post(message: HostMessage): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(message);
    this.posted.fire(message);
  }

  protected refuse(message: unknown, reason: string): void {
    this.requests.log?.warn(`${this.what}: refused a page message (${reason})`);
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
        if (message.version !== PANEL_PROTOCOL_VERSION)
          this.requests.log?.warn(`${this.what}: page protocol ${message.version}, host ${PANEL_PROTOCOL_VERSION}`);
        this.ready = true;
        this.post(this.current());
        return;
      case 'openLink': {
        const check = checkExternalLink(message.url);
        if (!check.ok) {
          this.refuse(message, `link refused: ${check.reason}`);
          return;
        }
        const open = this.requests.openExternal ?? ((u: vscode.Uri) => vscode.env.openExternal(u));
        void open(vscode.Uri.parse(check.url, true));
        return;
      }
      case 'copy': {
        const write = this.requests.writeClipboard ?? ((t: string) => vscode.env.clipboard.writeText(t));
        void Promise.resolve(write(message.text)).then(
          () => vscode.window.setStatusBarMessage(`Copied ${message.label}`, 3000),
          (e: unknown) => this.requests.log?.warn(`${this.what}: copying ${message.label} failed: ${describeError(e)}`),
        );
        return;
      }
      default:
        this.handle(message);
    }
  }
}
