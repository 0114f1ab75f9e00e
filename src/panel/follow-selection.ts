// The open image panel follows the Releases view: selecting a platform (or an artifact on one) in
// the tree shows that platform in the image's panel when it is open. Nothing opens a panel here:
// a click in the tree is not a request for one.
import type * as vscode from 'vscode';
import type { TreeNode } from '../views/nodes';
import type { ReleaseTree } from '../views/release-tree';
import { openImagePanels } from './image-panel';

/** The image and platform digest a node is about, when it is about a platform of an image. */
function platformOf(tree: Pick<ReleaseTree, 'graph'>, node: TreeNode | undefined): { reference: string; digest: string } | undefined {
  if (node?.kind !== 'platform' && node?.kind !== 'artifact') return undefined;
  const digest = node.kind === 'platform' ? node.digest : node.coversDigest;
  return tree.graph(node.reference)?.platforms.some((p) => p.digest === digest) ? { reference: node.reference, digest } : undefined;
}

export function followTreeSelection(view: Pick<vscode.TreeView<TreeNode>, 'onDidChangeSelection'>, tree: Pick<ReleaseTree, 'graph'>): vscode.Disposable {
  return view.onDidChangeSelection((e) => {
    const target = platformOf(tree, e.selection[0]);
    if (!target) return;
    const panel = openImagePanels().find((p) => p.reference === target.reference);
    if (panel && panel.selectedPlatform !== target.digest) panel.selectPlatform(target.digest);
  });
}
