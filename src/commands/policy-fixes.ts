// The quick fixes that write the policy: pin the signer seen, state an exception. Each builds
// the change (src/fixes/policy-edit.ts) and hands it to VS Code as a refactoring that needs
// confirmation, so the user sees the diff in the Refactor Preview and applies or discards it;
// nothing is written before that. The file is the policy verification reads (the setting, else
// the workspace folder's .provenance-lens.yaml), created when there is none. In Restricted Mode
// nothing is written: the workspace's policy is not read there, and a fix offered by an untrusted
// workspace must not change a policy that is.
import * as vscode from 'vscode';
import type { Signer } from '../model/cause';
import { exceptionEdit, pinSignerEdit } from '../fixes/policy-edit';
import type { PolicyEdit } from '../fixes/policy-edit';
import { WORKSPACE_POLICY, policyPath, readSettings } from '../host/config';

export const PolicyFixCommandIds = {
  pinSigner: 'provenanceLens.fix.pinSigner',
  addException: 'provenanceLens.fix.addException',
} as const;

/** What a fix is about: the image, and the file that names it (whose folder holds the policy). */
export interface PolicyFixTarget {
  readonly reference: string;
  /** The URI (as a string) of the file the diagnostic is in. */
  readonly file?: string;
}

export const RESTRICTED_FIX = "Restricted Mode: the workspace's policy is not read, so no fix writes one. Trust the workspace first.";

function isTarget(v: unknown): v is PolicyFixTarget {
  return typeof v === 'object' && v !== null && typeof (v as { reference?: unknown }).reference === 'string';
}

function isSigner(v: unknown): v is Signer {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as { identity?: unknown; keyId?: unknown };
  return typeof s.identity === 'string' || typeof s.keyId === 'string';
}

/** The policy file in use; else `.provenance-lens.yaml` in the folder of the file (or the first folder). */
export function policyUri(file: string | undefined): vscode.Uri | undefined {
  const inUse = policyPath(readSettings());
  if (inUse) return vscode.Uri.file(inUse);
  const from = file ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(file)) : undefined;
  const folder = from ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder ? vscode.Uri.joinPath(folder.uri, WORKSPACE_POLICY) : undefined;
}

async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

/**
 * The change as a refactoring that needs confirmation: VS Code's Refactor Preview shows the diff
 * with the change unticked until the user ticks it and applies it. True only when the file now
 * holds the change (saved: verification reads it from disk); Discard, or Apply with nothing
 * ticked, leaves it as it was.
 */
async function propose(uri: vscode.Uri, existed: boolean, edit: Extract<PolicyEdit, { ok: true }>, label: string, description?: string): Promise<boolean> {
  const we = new vscode.WorkspaceEdit();
  const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: true, label, ...(description ? { description } : {}) };
  if (existed) {
    const doc = await vscode.workspace.openTextDocument(uri);
    we.replace(uri, new vscode.Range(doc.positionAt(edit.change.start), doc.positionAt(edit.change.end)), edit.change.insert, metadata);
  } else {
    we.createFile(uri, { ignoreIfExists: true }, metadata);
    we.insert(uri, new vscode.Position(0, 0), edit.text, metadata);
  }
  if (!(await vscode.workspace.applyEdit(we, { isRefactoring: true }))) return false;
  const doc = await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => undefined);
  if (doc?.getText() !== edit.text) return false;
  if (doc.isDirty) await doc.save();
  return true;
}

function where(edit: Extract<PolicyEdit, { ok: true }>, uri: vscode.Uri): string {
  const file = vscode.workspace.asRelativePath(uri);
  switch (edit.how) {
    case 'new-file':
      return `a new ${file}`;
    case 'edited':
      return `the entry "${edit.entry}" of ${file}`;
    case 'copied':
      return `a new entry "${edit.entry}" of ${file}, a copy of "${edit.from ?? ''}" (the glob stays as it is for other images)`;
    case 'added':
      return `a new entry "${edit.entry}" of ${file}`;
  }
}

async function prepare(target: PolicyFixTarget): Promise<{ uri: vscode.Uri; text: string | undefined } | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(RESTRICTED_FIX);
    return undefined;
  }
  const uri = policyUri(target.file);
  if (!uri) {
    void vscode.window.showErrorMessage("Open a folder first: the policy is the workspace folder's .provenance-lens.yaml (or provenanceLens.policyFile).");
    return undefined;
  }
  return { uri, text: await currentText(uri) };
}

async function refused(reason: string, uri: vscode.Uri): Promise<false> {
  const choice = await vscode.window.showErrorMessage(reason, 'Open Policy');
  if (choice) await vscode.window.showTextDocument(uri);
  return false;
}

/** Pins `signer` for the image; true when the user applied the change. */
export async function pinSigner(target: unknown, signer: unknown): Promise<boolean> {
  if (!isTarget(target) || !isSigner(signer)) return false;
  const at = await prepare(target);
  if (!at) return false;
  const edit = pinSignerEdit({ text: at.text, path: at.uri.fsPath, reference: target.reference }, signer);
  if (!edit.ok) return refused(edit.reason, at.uri);
  const label = `Pin ${edit.label ?? 'the signer seen'} as the signer of ${edit.entry}`;
  return propose(at.uri, at.text !== undefined, edit, label, [where(edit, at.uri), edit.caveat].filter(Boolean).join('. '));
}

/** Asks why the image need not be signed, then states the exception; true when applied. */
export async function addException(target: unknown): Promise<boolean> {
  if (!isTarget(target)) return false;
  const at = await prepare(target);
  if (!at) return false;
  const reason = await vscode.window.showInputBox({
    title: `Why may ${target.reference} be unsigned?`,
    prompt: 'The reason is written into the policy and shown beside every result for the image.',
    placeHolder: 'e.g. Staging image, signed when promoted to the release registry',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'An exception needs a reason.' : undefined),
  });
  if (reason === undefined) return false;
  const edit = exceptionEdit({ text: at.text, path: at.uri.fsPath, reference: target.reference }, reason);
  if (!edit.ok) return refused(edit.reason, at.uri);
  return propose(at.uri, at.text !== undefined, edit, `Add an exception for ${edit.entry}`, where(edit, at.uri));
}

/** A fix that fails (an unreadable policy, say) says why once, and writes nothing. */
function guarded<A extends unknown[]>(run: (...args: A) => Promise<boolean>): (...args: A) => Promise<boolean> {
  return async (...args) => {
    try {
      return await run(...args);
    } catch (e) {
      void vscode.window.showErrorMessage(`The policy was not changed: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  };
}

export function registerPolicyFixCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(PolicyFixCommandIds.pinSigner, guarded(pinSigner)),
    vscode.commands.registerCommand(PolicyFixCommandIds.addException, guarded(addException)),
  ];
}
