/**
 * One open image panel on the host side: loading through `deps.load`, and the page's own
 * requests (select a platform, refresh); the handshake, links and copies are PagePanel's.
 */
import type * as vscode from 'vscode';
import type { ProvenanceReport } from '../provenance/collect';
import type { ImageGraph } from '../model/image-graph';
import type { ImageVerification } from '../verify/image';
import type { PartFailure } from './model';
import { toPanelModel } from './model';
import { PagePanel } from './page-panel';
import type { PageRequestDeps } from './page-panel';
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

export interface ImagePanelDeps extends PageRequestDeps {
  /** Inspects, verifies and reads provenance for `reference`. Throw (a LensError) when the image cannot be read. */
  load(reference: string, request: LoadRequest): Promise<ImageSources>;
}

export class ImagePanel extends PagePanel<PanelModel> {
  constructor(
    panel: vscode.WebviewPanel,
    readonly reference: string,
    private readonly deps: ImagePanelDeps,
    extensionUri: vscode.Uri,
    private platform: string | undefined,
  ) {
    super(panel, deps, extensionUri, 'image panel');
    void this.load(false);
  }

  /** The platform digest the page shows (or was asked to show first). */
  get selectedPlatform(): string | undefined {
    return this.platform;
  }

  /** The model shown, once loaded. */
  get model(): PanelModel | undefined {
    return this.view.kind === 'shown' ? this.view.content : undefined;
  }

  selectPlatform(digest: string): void {
    this.platform = digest;
    if (this.view.kind === 'shown') this.post({ type: 'show', model: this.view.content, platform: digest });
  }

  /** Loads again (bypassing caches when `refresh`); what was in flight is cancelled. */
  load(refresh = true): Promise<void> {
    return this.reload(async (signal) => {
      const s = await this.deps.load(this.reference, { signal, refresh });
      const failures = {
        ...(s.verificationFailure ? { verificationFailure: s.verificationFailure } : {}),
        ...(s.provenanceFailure ? { provenanceFailure: s.provenanceFailure } : {}),
      };
      return toPanelModel(s.graph, s.verification, s.provenance, failures);
    }, `${this.reference} could not be loaded`);
  }

  protected get subject(): string {
    return this.reference;
  }

  protected shown(model: PanelModel): HostMessage {
    return { type: 'show', model, ...(this.platform !== undefined ? { platform: this.platform } : {}) };
  }

  protected handle(message: Extract<PageMessage, { type: 'selectPlatform' | 'refresh' }>): void {
    switch (message.type) {
      case 'selectPlatform':
        if (this.model?.platforms.some((p) => p.digest === message.digest)) this.platform = message.digest;
        return;
      case 'refresh':
        void this.load(true);
        return;
    }
  }
}
