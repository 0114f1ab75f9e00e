// What the Get Started walkthrough (package.json `contributes.walkthroughs`) needs beyond the
// other commands: "Open Policy File" (the policy in use, else a first one to save, never written
// for the user), "Run the Demo" (only in a checkout of this repository, where `npm run demo`
// exists), and the context keys its steps use: a goreleaser file in the workspace, a policy in
// use, the repository at hand.
import * as vscode from 'vscode';
import { policyPath, readSettings } from '../host/config';
import { policyStarter } from '../fixes/policy-starter';
import type { LensServices } from './context';
import { policyUri } from './policy-fixes';

/** What these commands use of the services (src/commands/context.ts). */
export type WalkthroughDeps = Pick<LensServices, 'service'>;

export const WalkthroughContext = {
  goreleaserWorkspace: 'provenanceLens.goreleaserWorkspace',
  policyInUse: 'provenanceLens.policyInUse',
  demoAtHand: 'provenanceLens.demoAtHand',
} as const;

const REPOSITORY_NAME = 'provenance-lens';

/** The workspace folder that is a checkout of this repository (its package.json has `npm run demo`), if any. */
export async function demoFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      const manifest = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'package.json')))) as {
        name?: unknown;
        scripts?: Record<string, unknown>;
      };
      if (manifest.name === REPOSITORY_NAME && typeof manifest.scripts?.demo === 'string') {
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, 'tools', 'demo.ts'));
        return folder;
      }
    } catch {
      // No package.json, not JSON, or no demo: not the repository.
    }
  }
  return undefined;
}

/** Keeps the walkthrough's context keys current; dispose to stop. */
export function walkthroughContext(s: Pick<LensServices, 'service'>): vscode.Disposable {
  const update = async (): Promise<void> => {
    const set = (key: string, value: boolean) => vscode.commands.executeCommand('setContext', key, value);
    await Promise.all([
      set(
        WalkthroughContext.goreleaserWorkspace,
        s.service.releases.some((r) => r.origin === 'goreleaser'),
      ),
      set(WalkthroughContext.policyInUse, policyPath(readSettings()) !== undefined),
      set(WalkthroughContext.demoAtHand, (await demoFolder()) !== undefined),
    ]);
  };
  void update();
  const stop = s.service.onDidChange((e) => {
    if (e.kind === 'releases') void update();
  });
  return vscode.Disposable.from(
    { dispose: stop },
    vscode.workspace.onDidChangeWorkspaceFolders(() => void update()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void update()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('provenanceLens.policyFile') && void update()),
    vscode.workspace.onDidSaveTextDocument(() => void update()),
  );
}

/**
 * The policy verification uses, in an editor; with none, a first one (the workspace's images as
 * entries) as an unsaved file where the workspace's policy goes, for the user to edit and save.
 */
export async function openPolicy(s: Pick<LensServices, 'service'>): Promise<vscode.Uri | undefined> {
  const inUse = policyPath(readSettings());
  if (inUse) {
    await vscode.window.showTextDocument(vscode.Uri.file(inUse));
    return vscode.Uri.file(inUse);
  }
  const uri = policyUri(undefined);
  if (!uri) {
    void vscode.window.showErrorMessage("Open a folder first: the policy is the workspace folder's .provenance-lens.yaml (or provenanceLens.policyFile).");
    return undefined;
  }
  const exists = await vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
  if (exists) {
    // Only in Restricted Mode does a workspace policy exist and go unused.
    await vscode.window.showTextDocument(uri);
    void vscode.window.showWarningMessage("Restricted Mode: this workspace's .provenance-lens.yaml is not read. Trust the workspace to verify with it.");
    return uri;
  }
  const references = s.service.releases.filter((r) => r.origin === 'goreleaser').flatMap((r) => r.images.flatMap((i) => (i.reference ? [i.reference] : [])));
  const doc = await vscode.workspace.openTextDocument(uri.with({ scheme: 'untitled' }));
  const editor = await vscode.window.showTextDocument(doc);
  if (doc.getText() === '') await editor.edit((e) => e.insert(new vscode.Position(0, 0), policyStarter(references)));
  return uri;
}

/** `npm run demo` in a terminal of the repository's folder. */
export async function runDemo(): Promise<boolean> {
  const folder = await demoFolder();
  if (!folder) {
    void vscode.window.showInformationMessage('The demo runs from a checkout of the Provenance Lens repository: open it, then `npm ci && npm run demo`.');
    return false;
  }
  const installed = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, 'node_modules')).then(
    () => true,
    () => false,
  );
  const terminal = vscode.window.createTerminal({ name: 'Provenance Lens demo', cwd: folder.uri });
  terminal.show();
  terminal.sendText(installed ? 'npm run demo' : 'npm ci && npm run demo');
  return true;
}
