// Composition root: builds the services, registers commands and views, owns the disposables.
// Nothing else lives here; the glue is in src/host, src/views, src/commands and src/panel.
import * as vscode from 'vscode';

/** The command ids this extension contributes (package.json `contributes.commands`). */
export const Commands = {
  showVersion: 'provenanceLens.showVersion',
} as const;

/** The view ids this extension contributes (package.json `contributes.views`). */
export const Views = {
  releases: 'provenanceLens.releases',
} as const;

/** Shows and returns e.g. `Provenance Lens 0.1.0 (VS Code 1.100.3)`. */
function showVersion(context: vscode.ExtensionContext): string {
  const version = String(context.extension.packageJSON.version ?? 'unknown');
  const text = `Provenance Lens ${version} (VS Code ${vscode.version})`;
  void vscode.window.showInformationMessage(text);
  return text;
}

// Until the release tree lands the view has no items, so VS Code shows its `viewsWelcome` text.
const emptyTree: vscode.TreeDataProvider<never> = {
  getChildren: () => [],
  getTreeItem: (element: never) => element,
};

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showVersion, () => showVersion(context)),
    vscode.window.registerTreeDataProvider(Views.releases, emptyTree),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
