// Document links from each rendered image reference of a goreleaser file to its repository's page
// on the registry's website, for registries with a known https page scheme (registry-pages.ts).
import * as vscode from 'vscode';
import { registryPage } from '../goreleaser/registry-pages';
import type { GoreleaserDocuments } from './documents';
import { toRange } from './ranges';

export class GoreleaserLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly documents: GoreleaserDocuments) {}

  async provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const model = await this.documents.model(document);
    if (!model || token.isCancellationRequested) return [];
    const links: vscode.DocumentLink[] = [];
    const seen = new Set<number>();
    for (const image of model.release.images) {
      if (image.reference === null) continue;
      // The scalar that names the repository: the image template, or the image half of a pair.
      const scalar = image.pair?.image ?? image.scalar;
      if (!scalar || scalar.defaulted || seen.has(scalar.range.start)) continue;
      const page = registryPage(image.reference);
      if (!page || !page.url.startsWith('https://')) continue;
      seen.add(scalar.range.start);
      const link = new vscode.DocumentLink(toRange(document, scalar.range), vscode.Uri.parse(page.url, true));
      link.tooltip = `Open ${page.repository} on ${page.site}`;
      links.push(link);
    }
    return links;
  }
}
