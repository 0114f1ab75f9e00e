// The two commands hovers and lenses link to besides Verify and Show provenance: reveal an image
// in the Releases view, and give a `{{ .Env.NAME }}` a value for the file's folder or workspace.
import * as vscode from 'vscode';
import { GORELEASER_ENV, SECTION } from '../host/config';
import { isGoreleaserDocument } from './documents';
import { ENV_SETTING } from './hover-content';
import type { GoreleaserFeatureDeps } from './deps';
import { GoreleaserCommandIds } from './deps';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function reveal(deps: GoreleaserFeatureDeps, reference: unknown): Promise<boolean> {
  if (typeof reference !== 'string') return false;
  const node = deps.tree.findImage(reference);
  let shown = false;
  if (node) {
    try {
      await deps.view.reveal(node, { select: true, focus: false, expand: true });
      shown = true;
    } catch (e) {
      deps.log.logger.debug(`Could not reveal ${reference}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!shown) {
    void vscode.window.showInformationMessage(
      `${reference} is not in the Releases view: its release is rendered with other values (save the file, or check the tag picked for it).`,
    );
  }
  return shown;
}

/**
 * The goreleaser file a Set… link is about: the URI a lens passes, else the active editor's
 * document when it is a goreleaser file (a hover's link runs from it); undefined otherwise.
 */
function fileOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') {
    try {
      return vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  const active = vscode.window.activeTextEditor?.document;
  return active && isGoreleaserDocument(active) ? active.uri : undefined;
}

/**
 * Asks for the value of `name` and stores it in provenanceLens.goreleaser.env where it applies
 * to the file: its folder's settings in a multi-root workspace (a folder's value wins over the
 * workspace's there), the workspace's with one folder, the user's with none. Only that level's
 * own value is extended: VS Code merges the object over the other levels'.
 */
async function setEnv(name: unknown, file?: unknown): Promise<string | undefined> {
  if (typeof name !== 'string' || !ENV_NAME.test(name)) return undefined;
  const uri = fileOf(file);
  // A resource setting: read for the file (null when there is none: any resource, no warning).
  const config = vscode.workspace.getConfiguration(SECTION, uri ?? null);
  const current = config.get<Record<string, string>>(GORELEASER_ENV) ?? {};
  const value = await vscode.window.showInputBox({
    title: `Value of ${name} for goreleaser templates`,
    prompt: `{{ .Env.${name} }} as the release job would give it (stored in ${ENV_SETTING})`,
    value: typeof current[name] === 'string' ? current[name] : '',
    ignoreFocusOut: true,
  });
  if (value === undefined) return undefined;
  const inFolder = uri !== undefined && vscode.workspace.workspaceFile !== undefined && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  const target = inFolder
    ? vscode.ConfigurationTarget.WorkspaceFolder
    : vscode.workspace.workspaceFolders?.length
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  const levels = config.inspect<Record<string, string>>(GORELEASER_ENV);
  const own =
    target === vscode.ConfigurationTarget.WorkspaceFolder
      ? levels?.workspaceFolderValue
      : target === vscode.ConfigurationTarget.Workspace
        ? levels?.workspaceValue
        : levels?.globalValue;
  await config.update(GORELEASER_ENV, { ...(own ?? {}), [name]: value }, target);
  return value;
}

export function registerGoreleaserCommands(deps: GoreleaserFeatureDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(GoreleaserCommandIds.reveal, (reference: unknown) => reveal(deps, reference)),
    vscode.commands.registerCommand(GoreleaserCommandIds.setEnv, (name: unknown, file?: unknown) => setEnv(name, file)),
  ];
}
