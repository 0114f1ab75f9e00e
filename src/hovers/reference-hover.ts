// Hover over an image reference of a Dockerfile, compose file, manifest, chart or workflow: the
// image is read and verified now (a hover is one of the two moments a workspace image is read,
// with expanding its file in the Releases view), through the release service's shared load, the
// wait bounded as the goreleaser hover's. A pinned reference also reads what its tag points to
// now, for the digest drift check.
import * as vscode from 'vscode';
import { hoverMarkdown } from './hover-content';
import { abortSignalOf } from '../host/cancellation';
import { tagOf } from '../fixes/pin-digest';
import { serviceReference } from '../releases/image-list';
import type { GoreleaserFeatureDeps } from './deps';
import { HOVER_COMMANDS, HOVER_WAIT_MS, markdown } from './hover';
import { loadWithin } from './load-within';
import type { ReferenceDocuments } from './reference-documents';
import { siteReference } from './reference-documents';
import { referenceHover } from './reference-hover-content';
import type { SiteDrift } from './reference-drift';
import { toRange } from './ranges';

export class ReferenceHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly documents: ReferenceDocuments,
    private readonly deps: GoreleaserFeatureDeps,
    private readonly coverage: (reference: string) => boolean | undefined,
    private readonly drift: SiteDrift,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const model = await this.documents.model(document);
    if (!model || token.isCancellationRequested) return undefined;
    const offset = document.offsetAt(position);
    const site = model.sites.find((s) => offset >= s.start && offset <= s.end);
    if (!site) return undefined;
    const reference = siteReference(site);
    const linked = abortSignalOf(token);
    try {
      const tag = reference !== null && site.reference?.includes('@') ? serviceReference({ reference: tagOf(site.reference) ?? null }) : null;
      const [load] =
        reference === null
          ? [undefined]
          : await Promise.all([
              loadWithin(this.deps.service, reference, HOVER_WAIT_MS, linked.signal),
              tag !== null ? loadWithin(this.deps.service, tag, HOVER_WAIT_MS, linked.signal) : undefined,
            ]);
      if (token.isCancellationRequested) return undefined;
      const covered = reference === null ? undefined : this.coverage(reference);
      const drift = this.drift(site);
      const hover = referenceHover(
        { kind: model.kind, site, reference, load, covered, ...(drift !== undefined ? { drift: drift.message } : {}) },
        HOVER_COMMANDS,
      );
      return new vscode.Hover(markdown(hoverMarkdown([hover])), toRange(document, site));
    } finally {
      linked.dispose();
    }
  }
}
