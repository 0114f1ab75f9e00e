// The Problems panel for goreleaser files: what the file alone shows (YAML, templates, the
// "is a manifest list" trap, docker_signs mistakes), what rendering with the workspace's values
// shows (unresolved variables, invalid references, claimed identities), and, once images are
// verified, each image whose verdict is failed, unsigned or unpinned (its first cause, at the
// severity of provenanceLens.diagnostics.severity) and the images docker_signs should have signed
// whose pushed digest has no verifying signature. Updated as the user types (debounced), on save,
// when a verification finishes and when the severity setting changes.
import * as vscode from 'vscode';
import type { Severity } from '../goreleaser/types';
import type { SourceRange } from '../goreleaser/types';
import type { ImageVerdictDiagnostic } from '../fixes/image-diagnostics';
import { imageVerdictDiagnostics } from '../fixes/image-diagnostics';
import { goreleaserImageSites } from '../fixes/goreleaser-sites';
import type { DiagnosticsSeverity } from '../host/config';
import { diagnosticsSeverity } from '../host/config';
import type { GoreleaserFeatureDeps } from './deps';
import { DocumentProblems } from './document-problems';
import type { GoreleaserDocuments } from './documents';
import { isGoreleaserDocument } from './documents';
import type { GoreleaserModel } from './release-context';
import { serviceReference } from '../releases/image-list';
import type { EditorDiagnostic } from './sign-gaps';
import { signedImages, signGapDiagnostics } from './sign-gaps';
import { toRange } from './ranges';

export const DIAGNOSTIC_SOURCE = 'Provenance Lens';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Every diagnostic of a model, once each (the file's, the rendering's, the verification's). */
export function modelDiagnostics(model: GoreleaserModel, service: GoreleaserFeatureDeps['service']): EditorDiagnostic[] {
  const lookup = (r: string) => {
    const reference = serviceReference({ reference: r });
    return reference === null ? undefined : service.peek(reference);
  };
  const all: EditorDiagnostic[] = [...model.analysis.diagnostics, ...model.release.diagnostics, ...signGapDiagnostics(signedImages(model.release, lookup))];
  const seen = new Set<string>();
  return all
    .filter((d) => {
      const key = `${d.code} ${d.range.start} ${d.range.end} ${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.range.start - b.range.start);
}

/** Each published image of the release whose verification is failed, unsigned or unpinned, on its template. */
export function imageDiagnostics(model: GoreleaserModel, service: GoreleaserFeatureDeps['service']): ImageVerdictDiagnostic<SourceRange>[] {
  return imageVerdictDiagnostics(
    goreleaserImageSites(model.release),
    (r) => service.peek(r),
    (r) => `${r.start} ${r.end}`,
  );
}

const IMAGE_SEVERITY: Record<Exclude<DiagnosticsSeverity, 'off'>, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** The Problems entry of an image: its first cause, the others as related lines on the same text. */
export function toImageDiagnostic(
  document: vscode.TextDocument,
  d: ImageVerdictDiagnostic<SourceRange>,
  severity: Exclude<DiagnosticsSeverity, 'off'>,
): vscode.Diagnostic {
  const range = toRange(document, d.range);
  const out = new vscode.Diagnostic(range, d.message, IMAGE_SEVERITY[severity]);
  out.source = DIAGNOSTIC_SOURCE;
  out.code = d.code;
  const more = d.causes.slice(1, 4);
  if (more.length) out.relatedInformation = more.map((c) => new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, range), c.message));
  return out;
}

export function toDiagnostic(document: vscode.TextDocument, d: EditorDiagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(document, d.range), d.message, SEVERITY[d.severity]);
  out.source = DIAGNOSTIC_SOURCE;
  out.code = d.code;
  if (d.related?.length)
    out.relatedInformation = d.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, toRange(document, r.range)), r.message),
    );
  return out;
}

export class GoreleaserDiagnostics extends DocumentProblems {
  constructor(
    private readonly documents: GoreleaserDocuments,
    deps: GoreleaserFeatureDeps,
  ) {
    super('provenance-lens-goreleaser', deps);
    // A finished verification also adds or clears "should be signed" warnings (DocumentProblems).
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      documents.onDidChange(() => this.all(0)),
    );
    this.all(0);
  }

  protected accepts(document: vscode.TextDocument): boolean {
    return isGoreleaserDocument(document);
  }

  /** Publishes now (tests and callers that just changed something). */
  async update(document: vscode.TextDocument): Promise<void> {
    if (!isGoreleaserDocument(document) || document.isClosed) return;
    const version = document.version;
    try {
      const model = await this.documents.model(document);
      if (document.isClosed || document.version !== version) return; // a newer update follows
      const severity = diagnosticsSeverity(document.uri);
      const images = model && severity !== 'off' ? imageDiagnostics(model, this.deps.service).map((d) => toImageDiagnostic(document, d, severity)) : [];
      const file = model ? modelDiagnostics(model, this.deps.service).map((d) => toDiagnostic(document, d)) : [];
      this.collection.set(
        document.uri,
        [...file, ...images].sort((a, b) => a.range.start.compareTo(b.range.start)),
      );
    } catch (e) {
      this.deps.log.logger.error(`Checking ${document.uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
