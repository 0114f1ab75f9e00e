// What a command is about, whichever way it was run: a tree node (menus, inline actions), a
// reference string (other commands, tests, hovers), the editor (the reference under the cursor
// of a goreleaser file), or nothing (the palette: ask).
import * as vscode from 'vscode';
import { normalizeReference } from '../releases/image-list';
import type { TreeNode } from '../views/nodes';
import type { LensServices } from './context';
import { pickReference } from './reference-picker';
import type { ReferencePickerDeps } from './reference-picker';

/** What these commands use of the services (src/commands/context.ts). */
export type TargetsDeps = Pick<LensServices, 'service' | 'tree'> & ReferencePickerDeps;

export interface Target {
  readonly reference: string;
  /** A platform manifest digest, when the command is about one platform. */
  readonly platform?: string;
  /** An artifact digest, when the command is about one signature / attestation. */
  readonly artifact?: string;
  readonly node?: TreeNode;
}

export function isTreeNode(v: unknown): v is TreeNode {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && typeof (v as { id?: unknown }).id === 'string';
}

function fromNode(s: TargetsDeps, node: TreeNode): Target | undefined {
  switch (node.kind) {
    case 'image':
    case 'failure':
    case 'problem':
      return { reference: node.reference, node };
    case 'platform':
      return { reference: node.reference, platform: node.digest, node };
    case 'artifact': {
      const g = s.tree.graph(node.reference);
      const onPlatform = g?.platforms.some((p) => p.digest === node.coversDigest);
      return { reference: node.reference, artifact: node.digest, node, ...(onPlatform ? { platform: node.coversDigest } : {}) };
    }
    default:
      return undefined;
  }
}

function tryNormalize(text: string): string | undefined {
  try {
    return normalizeReference(text.trim().replace(/^["']|["']$/g, ''));
  } catch {
    return undefined;
  }
}

/**
 * The image reference the editor points at: the selection; else, in a goreleaser config, the
 * rendered reference of the image template on the cursor's line; else the token under the cursor.
 */
export function referenceInEditor(s: TargetsDeps, editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor): string | undefined {
  if (!editor) return undefined;
  const doc = editor.document;
  if (!editor.selection.isEmpty) return tryNormalize(doc.getText(editor.selection));
  const line = editor.selection.active.line + 1;
  const release = s.service.releases.find((r) => r.file === doc.uri.fsPath);
  const spec = release?.images.find((i) => i.line === line && i.reference !== null);
  if (spec?.reference) return spec.reference;
  const word = doc.getWordRangeAtPosition(editor.selection.active, /[^\s"'`,[\]{}()]+/);
  return word ? tryNormalize(doc.getText(word)) : undefined;
}

/** The target from the command's arguments, without asking. */
export function targetOf(s: TargetsDeps, arg: unknown): Target | undefined {
  if (isTreeNode(arg)) return fromNode(s, arg);
  if (typeof arg === 'string') {
    const reference = tryNormalize(arg);
    return reference ? { reference } : undefined;
  }
  if (arg instanceof vscode.Uri) {
    const reference = referenceInEditor(s);
    return reference ? { reference } : undefined;
  }
  return undefined;
}

/** The target from the arguments, else asked for with the reference picker. */
export async function resolveTarget(s: TargetsDeps, arg: unknown, title: string): Promise<Target | undefined> {
  const known = targetOf(s, arg);
  if (known) return known;
  const reference = await pickReference(s, { title });
  return reference ? { reference } : undefined;
}
