// CancellationToken (VS Code) -> AbortSignal (everything inside), converted here at the edge.
import type * as vscode from 'vscode';

export interface LinkedSignal extends vscode.Disposable {
  readonly signal: AbortSignal;
}

/** An AbortSignal that fires when the token is cancelled; dispose() drops the listener. */
export function abortSignalOf(token: vscode.CancellationToken): LinkedSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}
