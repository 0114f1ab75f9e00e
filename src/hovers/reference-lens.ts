// CodeLenses on a file that names several images (a multi-stage Dockerfile, a compose file, a
// manifest with sidecars): one above each reference with what is known of it. Drawing a lens
// reads nothing (a workspace image is read on hover or when its file is expanded in the Releases
// view); a click verifies it. Redrawn as loads finish and the policy's coverage becomes known.
import * as vscode from 'vscode';
import { CommandIds } from '../host/ids';
import type { GoreleaserFeatureDeps } from './deps';
import type { ReferenceDocuments } from './reference-documents';
import { siteReference } from './reference-documents';
import { RedrawnCodeLensProvider } from './lens-redraw';
import { lensWords } from './pin-words';

export class ReferenceCodeLensProvider extends RedrawnCodeLensProvider {
  constructor(
    private readonly documents: ReferenceDocuments,
    private readonly deps: GoreleaserFeatureDeps,
    private readonly coverage: (reference: string) => boolean | undefined,
    coverageChanged: vscode.Event<void>,
  ) {
    super();
    const stop = deps.service.onDidChange(() => this.loadsChanged(deps.service));
    this.disposables.push(
      { dispose: stop },
      coverageChanged(() => this.redraw()),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const model = await this.documents.model(document);
    if (!model || token.isCancellationRequested) return [];
    const sites = model.sites
      .map((site) => ({ site, reference: siteReference(site) }))
      .filter((x): x is { site: typeof x.site; reference: string } => x.reference !== null);
    if (sites.length < 2) return [];
    return sites.map(({ site, reference }) => {
      const line = site.line - 1;
      const title = lensWords(reference, this.deps.service.peek(reference), this.coverage(reference));
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title,
        command: CommandIds.verifyImage,
        arguments: [reference],
        tooltip: `Verify ${reference}`,
      });
    });
  }
}
