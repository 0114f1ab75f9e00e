// The Problems of files that name images outside GoReleaser configs: each image whose verdict fails
// the policy that names it (its first cause, at provenanceLens.diagnostics.severity, through the
// same src/fixes/image-diagnostics.ts as the goreleaser Problems), and each written digest that
// drifted ("digest drift": the tag now points elsewhere, or the pinned digest does not verify).
// Images no policy entry names get none. Nothing is read to make them: they follow the loads a
// hover or the Releases view started, and are redrawn as those finish.
import * as vscode from 'vscode';
import type { ImageVerdictDiagnostic } from '../fixes/image-diagnostics';
import { imageVerdictDiagnostics } from '../fixes/image-diagnostics';
import { diagnosticsSeverity } from '../host/config';
import type { ReferenceSite } from '../references/types';
import type { GoreleaserFeatureDeps } from './deps';
import { DIAGNOSTIC_SOURCE, toImageDiagnostic } from './diagnostics';
import { DocumentProblems } from './document-problems';
import type { ReferenceDocuments, ReferenceModel } from './reference-documents';
import { siteReference } from './reference-documents';
import type { SiteDrift } from './reference-drift';

export const DRIFT_CODE = 'digest-drift';

/** The image-verdict Problems of a model: sites the policy names, not pinned (a pin has drift instead). */
export function siteVerdictDiagnostics(
  model: ReferenceModel,
  peek: GoreleaserFeatureDeps['service']['peek'],
  coverage: (reference: string) => boolean | undefined,
): ImageVerdictDiagnostic<ReferenceSite>[] {
  const sites = model.sites
    .map((site) => ({ site, reference: siteReference(site) }))
    .filter(({ site, reference }) => reference !== null && coverage(reference) === true && !site.reference?.includes('@'))
    .map(({ site, reference }) => ({ reference, range: site }));
  return imageVerdictDiagnostics(
    sites,
    (r) => peek(r),
    (s) => `${s.start} ${s.end}`,
  );
}

export class ReferenceDiagnostics extends DocumentProblems {
  constructor(
    private readonly documents: ReferenceDocuments,
    deps: GoreleaserFeatureDeps,
    private readonly coverage: (reference: string) => boolean | undefined,
    private readonly drift: SiteDrift,
    coverageChanged: vscode.Event<void>,
  ) {
    super('provenance-lens-references', deps);
    this.disposables.push(coverageChanged(() => this.all(0)));
    this.all(0);
  }

  protected accepts(document: vscode.TextDocument): boolean {
    return this.documents.isReferenceDocument(document);
  }

  /** Publishes now (tests, and callers that just changed something). */
  async update(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed || !this.documents.isReferenceDocument(document)) return;
    const version = document.version;
    const model = await this.documents.model(document);
    if (document.isClosed || document.version !== version) return;
    const severity = diagnosticsSeverity(document.uri);
    if (!model || severity === 'off') {
      this.collection.delete(document.uri);
      return;
    }
    const peek = (r: string) => this.deps.service.peek(r);
    const images = siteVerdictDiagnostics(model, peek, this.coverage).map((d) => toImageDiagnostic(document, d, severity));
    const drifts = model.sites.flatMap((site) => {
      const d = this.drift(site);
      if (d === undefined) return [];
      const out = new vscode.Diagnostic(
        new vscode.Range(document.positionAt(site.start), document.positionAt(site.end)),
        d.message,
        vscode.DiagnosticSeverity.Warning,
      );
      out.source = DIAGNOSTIC_SOURCE;
      out.code = DRIFT_CODE;
      return [out];
    });
    this.collection.set(
      document.uri,
      [...images, ...drifts].sort((a, b) => a.range.start.compareTo(b.range.start)),
    );
  }
}
