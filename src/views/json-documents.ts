// Read-only JSON documents (`provenance-lens:` URIs) for "Inspect image" and "Show provenance":
// the engines' JSON, pretty-printed, opened as a normal editor a user can search and fold.
import * as vscode from 'vscode';

export const DOCUMENT_SCHEME = 'provenance-lens';
const KEEP = 20;

export class JsonDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '// This document is gone; run the command again.\n';
  }

  /** Opens (or updates) `provenance-lens:/<kind>/<name>.json` with `value`. */
  async show(kind: string, name: string, value: unknown): Promise<vscode.TextEditor> {
    const safe = name.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 120);
    const uri = vscode.Uri.from({ scheme: DOCUMENT_SCHEME, path: `/${kind}/${safe}.json` });
    this.docs.delete(uri.toString());
    this.docs.set(uri.toString(), `${JSON.stringify(value, null, 2)}\n`);
    while (this.docs.size > KEEP) this.docs.delete(this.docs.keys().next().value!);
    this.emitter.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const json = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
    return vscode.window.showTextDocument(json, { preview: true });
  }

  dispose(): void {
    this.emitter.dispose();
    this.docs.clear();
  }
}
