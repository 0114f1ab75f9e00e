// What the Problems publishers share (goreleaser files; files that name images): a diagnostic
// collection of their own, and each open document of their kind published again after a delay —
// at once when opened, once typing pauses, when the severity setting changes, and once a burst of
// image loads is over (a verification adds or clears an image's entry). A document waits for one
// publication at a time; a closed one loses its entries.
import * as vscode from 'vscode';
import { DIAGNOSTICS_SEVERITY, SECTION } from '../host/config';
import type { GoreleaserFeatureDeps } from './deps';

const TYPING_DELAY_MS = 300;
const LOADED_DELAY_MS = 250;

export abstract class DocumentProblems implements vscode.Disposable {
  readonly collection: vscode.DiagnosticCollection;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Disposed with the publisher: the collection and the subscriptions that schedule. */
  protected readonly disposables: vscode.Disposable[];

  /** `name`: the collection's. Subclasses subscribe to what else makes them stale, then call `all(0)`. */
  constructor(
    name: string,
    protected readonly deps: GoreleaserFeatureDeps,
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(name);
    const stop = deps.service.onDidChange((e) => {
      if (e.kind === 'image') this.all(LOADED_DELAY_MS);
    });
    this.disposables = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, TYPING_DELAY_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d);
        this.collection.delete(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.${DIAGNOSTICS_SEVERITY}`)) this.all(0);
      }),
      { dispose: stop },
    ];
  }

  /** Is the document one of this publisher's kind? */
  protected abstract accepts(document: vscode.TextDocument): boolean;

  /** Publishes the document's Problems now (tests, and callers that just changed something). */
  abstract update(document: vscode.TextDocument): Promise<void>;

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    this.disposables.forEach((d) => d.dispose());
  }

  /** Every open document of the kind, after `delay` ms. */
  protected all(delay: number): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, delay);
  }

  protected schedule(document: vscode.TextDocument, delay: number): void {
    if (!this.accepts(document)) return;
    this.cancel(document);
    const key = document.uri.toString();
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

  private cancel(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }
}
