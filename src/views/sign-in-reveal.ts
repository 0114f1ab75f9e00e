// When an image of a visible release turns out to need a sign-in, its "Sign in to <registry>"
// node is revealed (expanded into view, not selected, focus untouched): a collapsed image with
// a lock icon is easy to miss.
import type * as vscode from 'vscode';
import type { ReleaseService } from '../releases/release-service';
import type { TreeNode } from './nodes';
import type { ReleaseTree } from './release-tree';

export function revealSignInNodes(service: ReleaseService, tree: ReleaseTree, view: vscode.TreeView<TreeNode>): vscode.Disposable {
  const stop = service.onDidChange((e) => {
    if (e.kind !== 'image' || !view.visible) return;
    const load = service.peek(e.reference);
    if (load.status !== 'failed' || load.failure.code !== 'UNAUTHORIZED') return;
    const image = tree.findImage(e.reference);
    const failure = image ? tree.getChildren(image).find((n) => n.kind === 'failure') : undefined;
    if (failure) void Promise.resolve(view.reveal(failure, { select: false, focus: false, expand: false })).catch(() => undefined);
  });
  return { dispose: stop };
}
