/**
 * The diff view: one webview per pair of images (reused when open), showing what changed from the
 * old to the new one — the same page as the image panel (dist/webview.js, its CSP and handshake,
 * src/protocol/panel.ts), sent a `diff` instead of a `show`. The comparison is the engine's of
 * `provenance-lens diff` (deps.compare); the page's messages are checked as the image panel's.
 */
import * as vscode from 'vscode';
import type { HostMessage, PageMessage, PanelDiff } from '../protocol/panel';
import { diffTitle } from './diff-title';
import type { LoadRequest } from './image-panel-host';
import { panelIcon, webviewOptions } from './image-panel';
import type { PanelContext } from './image-panel';
import { parsePanelState } from './message-guard';
import { PagePanel } from './page-panel';
import type { PageRequestDeps } from './page-panel';

/** The webview type; restoring after a reload needs `onWebviewPanel:provenanceLens.diff` in activationEvents. */
export const DIFF_PANEL_VIEW_TYPE = 'provenanceLens.diff';

export interface DiffPanelDeps extends PageRequestDeps {
  /** The comparison of `oldReference` with `newReference`. Throw (a LensError) when it cannot be made. */
  compare(oldReference: string, newReference: string, request: LoadRequest): Promise<PanelDiff>;
}

export class DiffPanel extends PagePanel<PanelDiff> {
  /** "fleet-agent:v0.12.0 ↔ fleet-agent:v0.13.0": the tab's title, and what `loading` and `error` name. */
  readonly title: string;

  constructor(
    panel: vscode.WebviewPanel,
    readonly oldReference: string,
    readonly newReference: string,
    private readonly deps: DiffPanelDeps,
    extensionUri: vscode.Uri,
  ) {
    super(panel, deps, extensionUri, 'diff view');
    this.title = diffTitle(oldReference, newReference);
    void this.load(false);
  }

  /** The comparison shown, once made. */
  get diff(): PanelDiff | undefined {
    return this.view.kind === 'shown' ? this.view.content : undefined;
  }

  /** Compares again (reading both images again when `refresh`); what was in flight is cancelled. */
  load(refresh = true): Promise<void> {
    return this.reload((signal) => this.deps.compare(this.oldReference, this.newReference, { signal, refresh }), `${this.title} could not be compared`);
  }

  protected get subject(): string {
    return this.title;
  }

  protected shown(diff: PanelDiff): HostMessage {
    return { type: 'diff', diff };
  }

  protected handle(message: Extract<PageMessage, { type: 'selectPlatform' | 'refresh' }>): void {
    if (message.type === 'refresh') void this.load(true);
    // The diff view offers no platform switcher: nothing of the kind was asked for.
    else this.refuse(message, 'the diff view has no platform to select');
  }
}

const open = new Map<string, DiffPanel>();

/** The diff views open now. */
export function openDiffPanels(): readonly DiffPanel[] {
  return [...open.values()];
}

function adopt(panel: vscode.WebviewPanel, context: PanelContext, oldReference: string, newReference: string, deps: DiffPanelDeps): DiffPanel {
  const key = `${oldReference}\0${newReference}`;
  // Set here, so a view brought back after a reload has it too.
  panel.iconPath = panelIcon(context.extensionUri);
  const view = new DiffPanel(panel, oldReference, newReference, deps, context.extensionUri);
  open.set(key, view);
  panel.onDidDispose(() => {
    if (open.get(key) === view) open.delete(key);
  });
  return view;
}

/** Shows the comparison of `oldReference` with `newReference`, reusing the view of that pair when it is open. */
export function showDiffPanel(context: PanelContext, oldReference: string, newReference: string, deps: DiffPanelDeps): DiffPanel {
  const existing = open.get(`${oldReference}\0${newReference}`);
  if (existing) {
    existing.panel.reveal();
    return existing;
  }
  const panel = vscode.window.createWebviewPanel(
    DIFF_PANEL_VIEW_TYPE,
    diffTitle(oldReference, newReference),
    { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
    webviewOptions(context.extensionUri),
  );
  return adopt(panel, context, oldReference, newReference, deps);
}

/** Brings diff views back after a window reload: the state names the two images; they are compared again. */
class DiffPanelSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(
    private readonly context: PanelContext,
    private readonly deps: DiffPanelDeps,
  ) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const pair = parsePanelState(state)?.compare;
    if (pair === undefined || open.has(`${pair.old}\0${pair.new}`)) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.context.extensionUri);
    panel.title = diffTitle(pair.old, pair.new);
    adopt(panel, this.context, pair.old, pair.new, this.deps);
  }
}

/** Registers the restore-after-reload serializer (`onWebviewPanel:provenanceLens.diff` in activationEvents). Call once from `activate`. */
export function registerDiffPanel(context: vscode.ExtensionContext, deps: DiffPanelDeps): vscode.Disposable {
  const disposable = vscode.window.registerWebviewPanelSerializer(DIFF_PANEL_VIEW_TYPE, new DiffPanelSerializer(context, deps));
  context.subscriptions.push(disposable);
  return disposable;
}
