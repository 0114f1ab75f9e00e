// The elements of the release tree. Each is created once per id and reused, so that
// onDidChangeTreeData can name the very object VS Code holds (it matches by identity).
import type { GraphProblem } from '../model/image-graph';
import type { ReleaseImageSpec } from '../releases/types';
import type { LoadFailure } from '../releases/types';

export type TreeNode =
  | { readonly kind: 'release'; readonly id: string; readonly releaseId: string }
  /** A file of the workspace release, grouping the images it names. */
  | { readonly kind: 'file'; readonly id: string; readonly releaseId: string; readonly file: string }
  | { readonly kind: 'image'; readonly id: string; readonly releaseId: string; readonly reference: string; readonly file?: string }
  | { readonly kind: 'unresolved'; readonly id: string; readonly releaseId: string; readonly spec: ReleaseImageSpec }
  | { readonly kind: 'platform'; readonly id: string; readonly reference: string; readonly digest: string }
  | { readonly kind: 'artifact'; readonly id: string; readonly reference: string; readonly digest: string; readonly coversDigest: string }
  | { readonly kind: 'failure'; readonly id: string; readonly reference: string; readonly failure: LoadFailure }
  | { readonly kind: 'problem'; readonly id: string; readonly reference: string; readonly problem: GraphProblem }
  | {
      readonly kind: 'note';
      readonly id: string;
      readonly text: string;
      readonly icon: string;
      readonly color?: string;
      readonly tooltip?: string;
      readonly command?: { readonly id: string; readonly title: string; readonly arguments: readonly unknown[] };
    };

export type NodeOf<K extends TreeNode['kind']> = Extract<TreeNode, { kind: K }>;

/** Interns nodes by id; `prune` drops those of images no longer shown. */
export class NodeCache {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly byReference = new Map<string, Set<NodeOf<'image'>>>();

  get<N extends TreeNode>(node: N): N {
    const known = this.nodes.get(node.id);
    if (known && known.kind === node.kind && JSON.stringify(known) === JSON.stringify(node)) return known as N;
    this.nodes.set(node.id, node);
    if (node.kind === 'image') {
      const set = this.byReference.get(node.reference) ?? new Set();
      set.add(node);
      this.byReference.set(node.reference, set);
    }
    return node;
  }

  /** The image nodes showing `reference` (one per release that lists it). */
  imagesOf(reference: string): NodeOf<'image'>[] {
    return [...(this.byReference.get(reference) ?? [])];
  }

  release(releaseId: string): NodeOf<'release'> | undefined {
    const n = this.nodes.get(`release:${releaseId}`);
    return n?.kind === 'release' ? n : undefined;
  }

  clear(): void {
    this.nodes.clear();
    this.byReference.clear();
  }
}
