// The Problems of files that name images outside GoReleaser configs: each image whose verdict fails
// the policy that names it (its first cause, at provenanceLens.diagnostics.severity, through the
// same src/fixes/image-diagnostics.ts as the goreleaser Problems), and each written digest that
// drifted ("digest drift": the tag now points elsewhere, or the pinned digest does not verify).
// Images no policy entry names get none. Nothing is read to make them: they follow the loads a
// hover or the Releases view started, and are redrawn as those finish.
import * as vscode from 'vscode';
import type { ImageVerdictDiagnostic } from '../fixes/image-diagnostics';
import { imageVerdictDiagnostics } from '../fixes/image-diagnostics';
import { DIAGNOSTICS_SEVERITY, SECTION, diagnosticsSeverity } from '../host/config';
import type { ReferenceSite } from '../references/types';
import type { GoreleaserFeatureDeps } from './deps';
import { DIAGNOSTIC_SOURCE, toImageDiagnostic } from './diagnostics';
import type { ReferenceDocuments, ReferenceModel } from './reference-documents';
import { siteReference } from './reference-documents';
import type { SiteDrift } from './reference-drift';

export const DRIFT_CODE = 'digest-drift';
const TYPING_DELAY_MS = 300;
const LOADED_DELAY_MS = 250;

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

export class ReferenceDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('provenance-lens-references');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(
    private readonly documents: ReferenceDocuments,
    private readonly deps: GoreleaserFeatureDeps,
    private readonly coverage: (reference: string) => boolean | undefined,
    private readonly drift: SiteDrift,
    coverageChanged: vscode.Event<void>,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, TYPING_DELAY_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        clearTimeout(this.timers.get(d.uri.toString()));
        this.timers.delete(d.uri.toString());
        this.collection.delete(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.${DIAGNOSTICS_SEVERITY}`)) this.all(0);
      }),
      coverageChanged(() => this.all(0)),
    );
    const stop = deps.service.onDidChange((e) => {
      if (e.kind === 'image') this.all(LOADED_DELAY_MS);
    });
    this.disposables.push({ dispose: stop });
    this.all(0);
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

  private all(delay: number): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, delay);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!this.documents.isReferenceDocument(document)) return;
    const key = document.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(document).catch((e: unknown) =>
          this.deps.log.logger.error(`Checking ${document.uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`),
        );
      }, delay),
    );
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
  }
}
