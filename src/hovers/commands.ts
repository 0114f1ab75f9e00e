// The two commands hovers and lenses link to besides Verify and Show provenance: reveal an image
// in the Releases view, and give a `{{ .Env.NAME }}` a value for this workspace.
import * as vscode from 'vscode';
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
    void vscode.window.showInformationMessage(`${reference} is not in the Releases view: its release is rendered with other values (save the file, or check the tag picked for it).`);
  }
  return shown;
}

/** Asks for the value of `name` and stores it in the workspace's provenanceLens.goreleaser.env. */
async function setEnv(name: unknown): Promise<string | undefined> {
  if (typeof name !== 'string' || !ENV_NAME.test(name)) return undefined;
  const [section, key] = [ENV_SETTING.slice(0, ENV_SETTING.indexOf('.')), ENV_SETTING.slice(ENV_SETTING.indexOf('.') + 1)];
  const config = vscode.workspace.getConfiguration(section);
  const current = { ...(config.get<Record<string, string>>(key) ?? {}) };
  const value = await vscode.window.showInputBox({
    title: `Value of ${name} for goreleaser templates`,
    prompt: `{{ .Env.${name} }} as the release job would give it (stored in ${ENV_SETTING})`,
    value: current[name] ?? '',
    ignoreFocusOut: true,
  });
  if (value === undefined) return undefined;
  current[name] = value;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, current, target);
  return value;
}

export function registerGoreleaserCommands(deps: GoreleaserFeatureDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(GoreleaserCommandIds.reveal, (reference: unknown) => reveal(deps, reference)),
    vscode.commands.registerCommand(GoreleaserCommandIds.setEnv, (name: unknown) => setEnv(name)),
  ];
}
