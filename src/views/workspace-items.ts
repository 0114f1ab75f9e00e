// How the "Workspace images" release's own nodes look: a file that names images (opens it), an
// image the policy says nothing about ("no policy for this image", neutral, read only when
// expanded), and a reference that cannot be known (opens the file at it).
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { NO_POLICY } from '../releases/policy-coverage';
import type { ImageLoad, ReleaseImageSpec } from '../releases/types';
import { imageNameAndHost } from './image-name';
import type { NodeOf } from './nodes';
import { shortDigest } from '../registry/digest';
import { safeText } from './labels';
import { plural } from './verdict-text';

const { Collapsed, None } = vscode.TreeItemCollapsibleState;

function openAt(file: string, line: number | undefined, column?: number): vscode.Command {
  const at = new vscode.Range((line ?? 1) - 1, (column ?? 1) - 1, (line ?? 1) - 1, (column ?? 1) - 1);
  return { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(file), { selection: at }] };
}

export function fileItem(node: NodeOf<'file'>, images: readonly ReleaseImageSpec[]): vscode.TreeItem {
  const t = new vscode.TreeItem(basename(node.file), Collapsed);
  t.id = node.id;
  t.contextValue = 'file.workspace';
  t.resourceUri = vscode.Uri.file(node.file);
  t.iconPath = vscode.ThemeIcon.File;
  const folder = vscode.workspace.asRelativePath(dirname(node.file), false);
  t.description = [folder === dirname(node.file) ? undefined : folder, plural(images.length, 'image')].filter(Boolean).join(' · ');
  t.tooltip = `${vscode.workspace.asRelativePath(node.file)}: ${plural(images.length, 'image reference')}. Expand to read and verify them.`;
  return t;
}

/** An image no policy entry names: what the registry holds once expanded, never a verdict. */
export function noPolicyItem(node: NodeOf<'image'>, load: ImageLoad, spec: ReleaseImageSpec | undefined): vscode.TreeItem {
  const { name, host } = imageNameAndHost(node.reference, undefined);
  const t = new vscode.TreeItem(name, Collapsed);
  t.id = node.id;
  t.contextValue = `image.${load.status === 'loaded' ? 'loaded' : load.status === 'failed' ? 'failed' : 'loading'}.workspace`;
  const digest = load.status === 'loaded' ? shortDigest(load.graph.digest) : undefined;
  t.description = [NO_POLICY, digest, host].filter(Boolean).join(' · ');
  t.iconPath = new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('descriptionForeground'));
  const where = spec?.file ? ` (${vscode.workspace.asRelativePath(spec.file)} line ${spec.line ?? 1})` : '';
  t.tooltip = `${node.reference}${where}\n\nNo entry of the policy names this image, so it is not verified and gets no Problem: a base image from elsewhere is not this project's to sign. Add an entry to .provenance-lens.yaml to verify it.`;
  return t;
}

/** A reference of a workspace file that cannot be known (a variable without a value, an expression, a template). */
export function unresolvedItem(node: NodeOf<'unresolved'>): vscode.TreeItem {
  const spec = node.spec;
  const t = new vscode.TreeItem(safeText(spec.preview ?? spec.template ?? 'image'), None);
  t.id = node.id;
  t.contextValue = 'unresolved';
  t.description = spec.unresolved?.length ? `needs ${spec.unresolved.join(', ')}` : 'not a valid reference';
  t.iconPath = new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'));
  t.tooltip = `${spec.template ?? ''}${spec.origin ? ` (${spec.origin})` : ''}\n\n${spec.unresolved?.length ? `Written with ${spec.unresolved.join(', ')}, which has no value here: the image cannot be known until it has one.` : 'This is not a valid image reference.'}`;
  if (spec.file) t.command = openAt(spec.file, spec.line, spec.column);
  return t;
}
