// The open files that name images outside GoReleaser configs (Dockerfiles, compose files,
// Kubernetes manifests, kustomizations, Helm values, workflows) as models: their kind and
// references (src/references), read once per document version, with the `.env` or Chart.yaml
// beside them. Shared by the hover, CodeLens, Problems and quick-fix providers.
import * as vscode from 'vscode';
import { BesideFiles } from '../references/beside';
import { fileKind } from '../references/kind';
import { readReferences } from '../references/read';
import type { FileKind, ReferenceSite } from '../references/types';
export { siteReference } from './site-reference';

/** Dockerfiles by language and name, and YAML (whose kind the name or the content tells). */
export const REFERENCE_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Dockerfile.*,*.dockerfile,Containerfile,Containerfile.*,*.containerfile}' },
  { scheme: 'file', pattern: '**/*.{yaml,yml}' },
];

const MAX_CHARS = 1024 * 1024;

export interface ReferenceModel {
  readonly kind: FileKind;
  readonly text: string;
  readonly sites: readonly ReferenceSite[];
}

export class ReferenceDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; model: Promise<ReferenceModel | undefined> }>();
  private readonly beside = new BesideFiles();
  private readonly disposables: vscode.Disposable[] = [vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString()))];

  isReferenceDocument(document: vscode.TextDocument): boolean {
    return vscode.languages.match(REFERENCE_SELECTOR, document) > 0;
  }

  /** The model, or undefined for a file of no listed kind (a GoReleaser config has its own), too large, or not local. */
  model(document: vscode.TextDocument): Promise<ReferenceModel | undefined> {
    if (!this.isReferenceDocument(document)) return Promise.resolve(undefined);
    const key = document.uri.toString();
    const known = this.cache.get(key);
    if (known && known.version === document.version) return known.model;
    const model = this.build(document);
    this.cache.set(key, { version: document.version, model });
    return model;
  }

  /** A `.env` or Chart.yaml changed: every model is read again. */
  besideChanged(path: string): void {
    this.beside.forget(path.replace(/[\\/][^\\/]*$/, ''));
    this.cache.clear();
  }

  private async build(document: vscode.TextDocument): Promise<ReferenceModel | undefined> {
    const text = document.getText();
    if (text.length > MAX_CHARS) return undefined;
    const kind = fileKind(document.uri.fsPath, text);
    if (kind === undefined || kind === 'goreleaser') return undefined;
    const { references } = readReferences(kind, text, await this.beside.options(document.uri.fsPath, kind));
    return { kind, text, sites: references };
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.cache.clear();
  }
}
