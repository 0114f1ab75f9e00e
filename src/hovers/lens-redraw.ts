// What the CodeLens providers share: their lenses go stale as images load (and as documents or
// the policy's coverage change), and VS Code asks for them again on onDidChangeCodeLenses, which
// lays the editor out again. So the event is paced (src/core/pacer.ts): a change of the document
// or of the coverage is drawn after 150 ms; while a release loads, its stream of finished images
// redraws the lenses at most once a second.
import * as vscode from 'vscode';
import { Pacer } from '../core/pacer';

const LENS_PACE = { soonMs: 150, everyMs: 1000 } as const;

export abstract class RedrawnCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly pacer = new Pacer(LENS_PACE, () => this.emitter.fire());
  /** Disposed with the provider: the subscriptions that call redraw. */
  protected readonly disposables: vscode.Disposable[] = [this.emitter];

  abstract provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]>;

  /** The lenses are stale; `urgent` for what the user just did (an edit, a setting), not for loads finishing. */
  protected redraw(urgent = false): void {
    this.pacer.schedule(urgent ? 'soon' : 'routine');
  }

  dispose(): void {
    this.pacer.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
