/**
 * The image panel: one webview per image reference (reused when open), showing its verdict,
 * checks, provenance and SBOMs. The host computes everything (deps.load, the colleague's
 * service with the engines and caching), turns it into the plain `PanelModel` and sends it to
 * the page after the page says `ready` (src/protocol/panel.ts). The page is untrusted: its messages are
 * checked (message-guard.ts), links are opened only here and only when https (links.ts),
 * and the clipboard is written only here.
 */
import * as vscode from 'vscode';
import { ImagePanel } from './image-panel-host';
import type { ImagePanelDeps } from './image-panel-host';
import { parsePanelState } from './message-guard';

export { ImagePanel } from './image-panel-host';
export type { ImagePanelDeps, ImageSources, LoadRequest } from './image-panel-host';

/** The webview type; restoring after a reload needs `onWebviewPanel:provenanceLens.image` in activationEvents. */
export const IMAGE_PANEL_VIEW_TYPE = 'provenanceLens.image';

/** Internal command (not in the palette) for tree items and hovers: `[reference, platformDigest?]`. */
export const OPEN_IMAGE_PANEL_COMMAND = 'provenanceLens.openImagePanel';

/** What the panel needs of the extension context (tests pass a literal). */
export type PanelContext = Pick<vscode.ExtensionContext, 'extensionUri' | 'subscriptions'>;

export interface ShowImagePanelOptions {
  /** Platform manifest digest to show first. */
  readonly platform?: string;
  readonly viewColumn?: vscode.ViewColumn;
  readonly preserveFocus?: boolean;
}

const open = new Map<string, ImagePanel>();

/** The panels open now (e.g. for a Refresh command). */
export function openImagePanels(): readonly ImagePanel[] {
  return [...open.values()];
}

/** Short tab title: `fleet-agent:v0.13.0`, `fleet-agent@sha256:1a2b3c4d`. */
export function panelTitle(reference: string): string {
  const name = reference.slice(reference.lastIndexOf('/') + 1);
  const at = name.indexOf('@');
  const short = at >= 0 ? `${name.slice(0, at)}@${name.slice(at + 1, at + 1 + 'sha256:'.length + 8)}` : name;
  return short.length > 60 ? `${short.slice(0, 59)}…` : short || reference.slice(0, 60);
}

/** Webview options: scripts on, nothing local but the bundle and media, no command URIs, no forms. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
    enableFindWidget: true,
  };
}

/** The tab's icon: the activity bar's shield and lens, in each theme's icon colour (a tab shows no codicon). */
export function panelIcon(extensionUri: vscode.Uri): { light: vscode.Uri; dark: vscode.Uri } {
  return { light: vscode.Uri.joinPath(extensionUri, 'media', 'panel-icon-light.svg'), dark: vscode.Uri.joinPath(extensionUri, 'media', 'panel-icon-dark.svg') };
}

function adopt(panel: vscode.WebviewPanel, context: PanelContext, reference: string, deps: ImagePanelDeps, platform: string | undefined): ImagePanel {
  // Set here, so a panel brought back after a reload has it too.
  panel.iconPath = panelIcon(context.extensionUri);
  const imagePanel = new ImagePanel(panel, reference, deps, context.extensionUri, platform);
  open.set(reference, imagePanel);
  panel.onDidDispose(() => {
    if (open.get(reference) === imagePanel) open.delete(reference);
  });
  return imagePanel;
}

/**
 * Shows the panel for `reference` (normalised, as the service knows it), reusing an open one.
 * `deps.load` is called at once, on Refresh, and again after a window reload restores the panel.
 */
export function showImagePanel(context: PanelContext, reference: string, deps: ImagePanelDeps, options: ShowImagePanelOptions = {}): ImagePanel {
  const existing = open.get(reference);
  if (existing) {
    if (options.platform !== undefined) existing.selectPlatform(options.platform);
    existing.panel.reveal(options.viewColumn, options.preserveFocus);
    return existing;
  }
  const panel = vscode.window.createWebviewPanel(
    IMAGE_PANEL_VIEW_TYPE,
    panelTitle(reference),
    { viewColumn: options.viewColumn ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus ?? false },
    webviewOptions(context.extensionUri),
  );
  return adopt(panel, context, reference, deps, options.platform);
}

/** Brings panels back after a window reload: the state is the reference (and platform); it fetches again. */
class ImagePanelSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(
    private readonly context: PanelContext,
    private readonly deps: ImagePanelDeps,
  ) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = parsePanelState(state);
    if (restored === undefined || open.has(restored.reference)) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.context.extensionUri);
    panel.title = panelTitle(restored.reference);
    adopt(panel, this.context, restored.reference, this.deps, restored.platform);
  }
}

/**
 * Registers the restore-after-reload serializer and the internal open command. Call once from
 * `activate`; everything is disposed with the context.
 */
export function registerImagePanel(context: vscode.ExtensionContext, deps: ImagePanelDeps): vscode.Disposable {
  const disposables = vscode.Disposable.from(
    vscode.window.registerWebviewPanelSerializer(IMAGE_PANEL_VIEW_TYPE, new ImagePanelSerializer(context, deps)),
    vscode.commands.registerCommand(OPEN_IMAGE_PANEL_COMMAND, (reference: unknown, platform: unknown) => {
      if (typeof reference !== 'string' || reference === '') return undefined;
      showImagePanel(context, reference, deps, typeof platform === 'string' ? { platform } : {});
      return undefined;
    }),
  );
  context.subscriptions.push(disposables);
  return disposables;
}
