// Verification follows the policy: when a .provenance-lens.yaml changes, or the file
// provenanceLens.policyFile names is saved in the editor (it may have another name, or lie outside
// the workspace, where no watcher looks), verdicts are recomputed.
import * as vscode from 'vscode';
import { WORKSPACE_POLICY, policyPath, readSettings } from './config';

export function watchPolicyFiles(changed: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${WORKSPACE_POLICY}`);
  let timer: NodeJS.Timeout | undefined;
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      changed();
    }, 300);
  };
  const saved = vscode.workspace.onDidSaveTextDocument((d) => {
    if (d.uri.scheme === 'file' && d.uri.fsPath === policyPath(readSettings())) soon();
  });
  return vscode.Disposable.from(watcher, saved, watcher.onDidChange(soon), watcher.onDidCreate(soon), watcher.onDidDelete(soon), {
    dispose: () => timer && clearTimeout(timer),
  });
}
