// What the CodeLens providers share: their lenses go stale as images load (and as documents or
// the policy's coverage change), and VS Code asks for them again on onDidChangeCodeLenses. The
// event fires once per burst of changes, not once per change: a release of ten images finishes
// ten loads.
import * as vscode from 'vscode';

const REDRAW_DELAY_MS = 150;

export abstract class RedrawnCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  /** Disposed with the provider: the subscriptions that call redraw. */
  protected readonly disposables: vscode.Disposable[] = [this.emitter];
  private timer: NodeJS.Timeout | undefined;

  abstract provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]>;

  /** The lenses are stale: VS Code is told once the burst of changes is over. */
  protected redraw(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire();
    }, REDRAW_DELAY_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
