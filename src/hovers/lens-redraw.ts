// What the CodeLens providers share: their lenses go stale as images load (and as documents or
// the policy's coverage change), and VS Code asks for them again on onDidChangeCodeLenses, which
// lays the editor out again and hides a hover being shown or about to show (measured in
// bench/extension-load.ts: with a redraw a second while a release loaded, a hover over an image
// never appeared; without them it answered in about 1 s). So the event is paced
// (src/core/pacer.ts): a change of the document or of the coverage is drawn after 150 ms; while
// images load, at most every 10 s; when the last load ends, at once.
import * as vscode from 'vscode';
import { Pacer } from '../core/pacer';

const LENS_PACE = { soonMs: 150, everyMs: 10_000 } as const;

export abstract class RedrawnCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly pacer = new Pacer(LENS_PACE, () => this.emitter.fire());
  /** Disposed with the provider: the subscriptions that call redraw. */
  protected readonly disposables: vscode.Disposable[] = [this.emitter];

  abstract provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]>;

  /** The lenses are stale because of what the user did (an edit, a setting): drawn soon. */
  protected redraw(): void {
    this.pacer.schedule('soon');
  }

  /** An image's load changed: redrawn at once when nothing loads any more, else at the slow pace. */
  protected loadsChanged(service: { readonly busy: boolean }): void {
    this.pacer.schedule(service.busy ? 'routine' : 'now');
  }

  dispose(): void {
    this.pacer.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
