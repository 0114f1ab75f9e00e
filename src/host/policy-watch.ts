// Verification follows the policy: when a .provenance-lens.yaml changes, verdicts are recomputed.
import * as vscode from 'vscode';
import { WORKSPACE_POLICY } from './config';

export function watchPolicyFiles(changed: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${WORKSPACE_POLICY}`);
  let timer: NodeJS.Timeout | undefined;
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = undefined; changed(); }, 300);
  };
  return vscode.Disposable.from(watcher, watcher.onDidChange(soon), watcher.onDidCreate(soon), watcher.onDidDelete(soon), { dispose: () => timer && clearTimeout(timer) });
}
