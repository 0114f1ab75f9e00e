// The "Releases" tree: release -> image -> platform -> signatures, attestations and SBOMs.
// A thin provider over ReleaseService: the service loads images one by one and announces each;
// the tree redraws that image's nodes (and, a moment later, its release's summary), paced so
// that a big release does not keep the workbench busy redrawing (src/core/pacer.ts).
import * as vscode from 'vscode';
import type { ImageGraph } from '../model/image-graph';
import { artifactsCovering, platformOf, problemsAbout } from '../releases/evidence';
import type { ArtifactEntry } from '../releases/evidence';
import type { ReleaseEvent, ReleaseService } from '../releases/release-service';
import type { ImageLoad } from '../releases/types';
import type { ImageVerification } from '../releases/verification';
import { platformVerdict, progressSettled, progressShape, summarizeLoads } from '../releases/verdict';
import { Pacer } from '../core/pacer';
import type { Urgency } from '../core/pacer';
import { causesOf } from '../releases/verification';
import { causeShort } from '../releases/cause-words';
import type { CauseCode } from '../model/cause';
import { VERDICTS } from '../model/verdict';
import type { VerdictState } from '../model/verdict';
import { plural, sentence } from './verdict-text';
import { NodeCache } from './nodes';
import type { NodeOf, TreeNode } from './nodes';
import { treeItem } from './tree-items';
import type { SignerChangeSeen, SignerWatch } from '../releases/signer-watch';
import { CommandIds } from '../host/ids';
import { signerChangedText, signerChangedTooltip } from './signer-change-words';

/**
 * Release and image rows, drawn together: redrawing a release row redraws its image rows, so
 * while its images load the rows are redrawn about once a second, soon (30 ms, enough for the
 * changes of one burst of responses) when what a release row says first changes: the first
 * verdict, a new verdict or failure, and at once when the load ends. Never two draws within
 * 250 ms: VS Code sends the first tree event of a quiet 200 ms at once and holds the ones after
 * it until they pause (extHostTreeViews.ts, Event.debounce with leading), so events 250 ms apart
 * are each drawn as they come.
 */
const TREE_PACE = { soonMs: 30, everyMs: 1000, gapMs: 250 } as const;
const MAX_CAUSE_NODES = 3;

/** How a cause's node looks: as the verdict it leads to (a wrong signer fails; nothing pinned is unpinned). */
const CAUSE_LOOK: Partial<Record<CauseCode, VerdictState>> = { NO_SIGNATURE: 'unsigned', NOT_CHECKED: 'not-checked', UNPINNED: 'unpinned' };

export class ReleaseTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new NodeCache();
  private readonly parents = new Map<string, TreeNode | undefined>();
  private readonly dirtyReleases = new Set<string>();
  private readonly dirtyImages = new Set<TreeNode>();
  /** Per release, what its row said last in outline (progressShape): a change of it is urgent. */
  private readonly shownShape = new Map<string, string>();
  /** Per release, its row as last drawn by this tree (rowKey). */
  private readonly drawnRows = new Map<string, string>();
  private readonly pacer = new Pacer(TREE_PACE, () => this.draw());
  private readonly unsubscribe: () => void;

  /** Whether the policy says anything about an image (set by the workspace features); unknown until then. */
  private coverageOf: (reference: string) => boolean | undefined = () => undefined;

  constructor(
    readonly service: ReleaseService,
    private readonly signers?: SignerWatch,
  ) {
    const unsubscribe = [service.onDidChange((e) => this.changed(e)), signers?.onDidChange((reference) => this.changed({ kind: 'image', reference }))];
    this.unsubscribe = () => unsubscribe.forEach((u) => u?.());
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItem(node, this);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    const children = this.children(node);
    for (const c of children) this.parents.set(c.id, node);
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'release') return undefined;
    if (node.kind === 'file') return this.releaseNode(node.releaseId);
    const file = node.kind === 'image' ? node.file : node.kind === 'unresolved' ? node.spec.file : undefined;
    if (file !== undefined && (node.kind === 'image' || node.kind === 'unresolved')) return this.fileNode(node.releaseId, file);
    if (node.kind === 'image' || node.kind === 'unresolved') return this.releaseNode(node.releaseId);
    return this.parents.get(node.id);
  }

  coverage(reference: string): boolean | undefined {
    return this.coverageOf(reference);
  }

  /** What the policy covers changed (or became known): the workspace release's images are drawn again. */
  setCoverage(coverage: (reference: string) => boolean | undefined): void {
    this.coverageOf = coverage;
    const images = this.service.releases
      .filter((r) => r.origin === 'workspace')
      .flatMap((r) => r.images.map((i) => i.reference))
      .filter((r): r is string => r !== null);
    const nodes = [...new Set(images)].flatMap((r) => this.nodes.imagesOf(r));
    if (nodes.length) this.emitter.fire(nodes);
  }

  /** The loaded graph of an image, if it is loaded. */
  graph(reference: string): ImageGraph | undefined {
    const load = this.service.peek(reference);
    return load.status === 'loaded' ? load.graph : undefined;
  }

  verification(reference: string): ImageVerification | undefined {
    const load = this.service.peek(reference);
    return load.status === 'loaded' ? load.verification : undefined;
  }

  /** The first image node showing `reference`, for reveal(). */
  findImage(reference: string): NodeOf<'image'> | undefined {
    for (const r of this.service.releases) {
      const spec = r.images.find((i) => i.reference === reference);
      if (spec) return this.imageNode(r.id, reference, spec.file);
    }
    return undefined;
  }

  /** The release a node belongs to. */
  releaseOf(node: TreeNode | undefined): string | undefined {
    for (let n = node; n; n = this.getParent(n)) {
      if (n.kind === 'release') return n.releaseId;
      if (n.kind === 'image' || n.kind === 'unresolved' || n.kind === 'file') return n.releaseId;
    }
    return undefined;
  }

  /** The image reference a node is about (image, platform, artifact, failure, problem). */
  referenceOf(node: TreeNode | undefined): string | undefined {
    if (!node) return undefined;
    return 'reference' in node ? node.reference : undefined;
  }

  /** The artifact entry an artifact node stands for. */
  artifactEntry(node: NodeOf<'artifact'>): ArtifactEntry | undefined {
    const graph = this.graph(node.reference);
    if (!graph) return undefined;
    const find = (list: readonly ArtifactEntry[]): ArtifactEntry | undefined => {
      for (const e of list) {
        if (e.artifact.digest === node.digest) return e;
        const inner = find(e.children);
        if (inner) return inner;
      }
      return undefined;
    };
    return (
      find(artifactsCovering(graph, node.coversDigest)) ??
      find(graph.artifacts.filter((a) => a.depth).map((a) => ({ artifact: a, signedBy: { kind: 'unknown' }, children: [] })))
    );
  }

  releaseNode(releaseId: string): NodeOf<'release'> {
    return this.nodes.get({ kind: 'release', id: `release:${releaseId}`, releaseId });
  }

  /** The images of a release signed by other signers than the same image of the release before (SignerWatch). */
  signerChanges(releaseId: string): Array<{ reference: string; seen: SignerChangeSeen }> {
    const release = this.service.release(releaseId);
    if (!release || !this.signers) return [];
    return release.images.flatMap((i) => {
      const seen = i.reference === null ? undefined : this.signers!.change(i.reference);
      return seen?.changed ? [{ reference: i.reference!, seen }] : [];
    });
  }

  /** The release's verdicts; in the workspace release only the images a policy names count (the others have none). */
  summary(releaseId: string) {
    const release = this.service.release(releaseId);
    const images = (release?.images ?? []).filter((i) => release?.origin !== 'workspace' || i.reference === null || this.coverageOf(i.reference) === true);
    return summarizeLoads(images.map((i) => (i.reference === null ? null : this.service.peek(i.reference))));
  }

  dispose(): void {
    this.unsubscribe();
    this.pacer.dispose();
    this.emitter.dispose();
  }

  /** `file`: the workspace release's images are grouped by the file that names them, so one image may have a node per file. */
  private imageNode(releaseId: string, reference: string, file?: string): NodeOf<'image'> {
    if (file === undefined) return this.nodes.get({ kind: 'image', id: `image:${releaseId}:${reference}`, releaseId, reference });
    return this.nodes.get({ kind: 'image', id: `image:${releaseId}:${file}:${reference}`, releaseId, reference, file });
  }

  private fileNode(releaseId: string, file: string): NodeOf<'file'> {
    return this.nodes.get({ kind: 'file', id: `file:${releaseId}:${file}`, releaseId, file });
  }

  private children(node?: TreeNode): TreeNode[] {
    if (!node) return this.service.releases.map((r) => this.releaseNode(r.id));
    switch (node.kind) {
      case 'release':
        return this.releaseChildren(node.releaseId);
      case 'file':
        return this.fileChildren(node.releaseId, node.file);
      case 'image':
        return this.imageChildren(node);
      case 'platform':
        return this.digestChildren(node.id, node.reference, node.digest, true);
      case 'artifact':
        return (this.artifactEntry(node)?.children ?? []).map((e) => this.artifactNode(node.id, node.reference, e));
      default:
        return [];
    }
  }

  /** The workspace release's images of one file, in the file's order. */
  private fileChildren(releaseId: string, file: string): TreeNode[] {
    const release = this.service.release(releaseId);
    return (release?.images ?? [])
      .map((spec, i) => ({ spec, i }))
      .filter(({ spec }) => spec.file === file)
      .map(({ spec, i }) =>
        spec.reference !== null
          ? this.imageNode(releaseId, spec.reference, file)
          : this.nodes.get({ kind: 'unresolved', id: `unresolved:${releaseId}:${i}`, releaseId, spec }),
      );
  }

  private releaseChildren(releaseId: string): TreeNode[] {
    const release = this.service.release(releaseId);
    if (!release) return [];
    // The workspace's images, grouped by the file that names them: drawing a file draws no image, so nothing is read until a file is expanded.
    if (release.origin === 'workspace')
      return [...new Set(release.images.map((i) => i.file).filter((f): f is string => f !== undefined))].map((f) => this.fileNode(releaseId, f));
    const out: TreeNode[] = [];
    if (release.problem) out.push(this.nodes.get({ kind: 'note', id: `${releaseId}/problem`, text: release.problem, icon: 'warning' }));
    release.images.forEach((spec, i) => {
      out.push(
        spec.reference !== null
          ? this.imageNode(releaseId, spec.reference)
          : this.nodes.get({ kind: 'unresolved', id: `unresolved:${releaseId}:${i}`, releaseId, spec }),
      );
    });
    return out;
  }

  private imageChildren(node: NodeOf<'image'>): TreeNode[] {
    const load: ImageLoad = this.service.state(node.reference);
    if (load.status === 'idle' || load.status === 'loading')
      return [this.nodes.get({ kind: 'note', id: `${node.id}/loading`, text: 'Loading…', icon: 'loading~spin' })];
    if (load.status === 'failed') return [this.nodes.get({ kind: 'failure', id: `${node.id}/failure`, reference: node.reference, failure: load.failure })];
    const g = load.graph;
    const out: TreeNode[] = [...this.signerNode(node), ...this.causeNodes(node.id, load.verification)];
    if (g.kind === 'index') out.push(...artifactsCovering(g, g.digest).map((e) => this.artifactNode(node.id, node.reference, e)));
    out.push(...g.platforms.map((p) => this.nodes.get({ kind: 'platform', id: `${node.id}/${p.digest}`, reference: node.reference, digest: p.digest })));
    const platformDigests = g.platforms.map((p) => p.digest);
    const imageProblems = g.problems.filter((p) => !platformDigests.some((d) => problemsAbout({ ...g, problems: [p] }, d).length));
    out.push(...imageProblems.map((problem, i) => this.nodes.get({ kind: 'problem', id: `${node.id}/problem/${i}`, reference: node.reference, problem })));
    return out;
  }

  /**
   * Why the image is not verified, first among its children: at the side bar's default width
   * the image's own row shows only the start of it. The engine's causes, in a few words each,
   * the whole sentence in the tooltip.
   */
  private causeNodes(parentId: string, verification: ImageVerification | undefined): TreeNode[] {
    const causes = verification ? causesOf(verification) : [];
    const shown: TreeNode[] = causes.slice(0, MAX_CAUSE_NODES).map((c, i) => {
      const look = CAUSE_LOOK[c.code] ?? 'failed';
      return this.nodes.get({
        kind: 'note',
        id: `${parentId}/cause/${i}`,
        text: sentence(causeShort(c)),
        icon: VERDICTS[look].codicon,
        color: VERDICTS[look].color,
        tooltip: sentence(c.message),
      });
    });
    if (causes.length > MAX_CAUSE_NODES)
      shown.push(
        this.nodes.get({
          kind: 'note',
          id: `${parentId}/cause/more`,
          text: `${plural(causes.length - MAX_CAUSE_NODES, 'more cause')}: see the image's tooltip or its panel`,
          icon: 'ellipsis',
        }),
      );
    return shown;
  }

  /** Signed by other signers than the release before: first, with the comparison a click away. */
  private signerNode(node: NodeOf<'image'>): TreeNode[] {
    const seen = this.signers?.change(node.reference);
    if (!seen?.changed) return [];
    return [
      this.nodes.get({
        kind: 'note',
        id: `${node.id}/signer-changed`,
        text: signerChangedText(seen),
        icon: 'warning',
        color: 'list.warningForeground',
        tooltip: signerChangedTooltip(seen),
        command: { id: CommandIds.compareWithPrevious, title: 'Compare with Previous Release', arguments: [node] },
      }),
    ];
  }

  private digestChildren(parentId: string, reference: string, digest: string, isPlatform: boolean): TreeNode[] {
    const g = this.graph(reference);
    if (!g) return [];
    const out: TreeNode[] = artifactsCovering(g, digest).map((e) => this.artifactNode(parentId, reference, e));
    out.push(...problemsAbout(g, digest).map((problem, i) => this.nodes.get({ kind: 'problem', id: `${parentId}/problem/${i}`, reference, problem })));
    if (out.length === 0 && isPlatform && platformOf(g, digest)) {
      const via = platformVerdict(g, digest, this.verification(reference)).viaIndex;
      const text = via ? 'Nothing attached to this digest; the index signature covers it' : 'Nothing attached to this digest';
      out.push(this.nodes.get({ kind: 'note', id: `${parentId}/empty`, text, icon: 'info' }));
    }
    return out;
  }

  private artifactNode(parentId: string, reference: string, e: ArtifactEntry): NodeOf<'artifact'> {
    return this.nodes.get({
      kind: 'artifact',
      id: `${parentId}/${e.artifact.digest}`,
      reference,
      digest: e.artifact.digest,
      coversDigest: e.artifact.coversDigest,
    });
  }

  private changed(e: ReleaseEvent): void {
    if (e.kind === 'releases') {
      this.parents.clear();
      this.nodes.clear();
      this.dirtyReleases.clear();
      this.dirtyImages.clear();
      this.shownShape.clear();
      this.drawnRows.clear();
      this.emitter.fire(undefined);
      return;
    }
    const images = this.nodes.imagesOf(e.reference);
    if (images.length === 0) return;
    let when: Urgency = 'routine';
    for (const n of images) {
      this.dirtyImages.add(n);
      this.dirtyReleases.add(n.releaseId);
      const summary = this.summary(n.releaseId);
      if (progressShape(summary) === this.shownShape.get(n.releaseId)) continue;
      // The release's load just ended: no burst follows, so the final counts are drawn at once.
      when = progressSettled(summary) ? 'now' : when === 'now' ? when : 'soon';
    }
    this.pacer.schedule(when);
  }

  /**
   * The release rows and the image rows waiting, in one event (VS Code refreshes both in one
   * pass). A release row whose text and look did not change is left alone: VS Code redraws a row's
   * children with it, and a row redrawn under the pointer loses the command of its click.
   */
  private draw(): void {
    const releases = [...this.dirtyReleases]
      .map((id) => this.nodes.release(id))
      .filter((n): n is NodeOf<'release'> => n !== undefined)
      .filter((r) => {
        const row = rowKey(treeItem(r, this));
        if (this.drawnRows.get(r.releaseId) === row) return false;
        this.drawnRows.set(r.releaseId, row);
        return true;
      });
    this.dirtyReleases.clear();
    for (const r of releases) this.shownShape.set(r.releaseId, progressShape(this.summary(r.releaseId)));
    const changed: TreeNode[] = [...releases, ...this.dirtyImages];
    this.dirtyImages.clear();
    if (changed.length) this.emitter.fire(changed);
  }
}

/** What a row shows: its label, description, tooltip and icon. */
function rowKey(t: vscode.TreeItem): string {
  const tooltip = typeof t.tooltip === 'string' ? t.tooltip : t.tooltip?.value;
  const icon = t.iconPath instanceof vscode.ThemeIcon ? `${t.iconPath.id} ${t.iconPath.color?.id ?? ''}` : '';
  const label = typeof t.label === 'string' ? t.label : t.label?.label;
  return JSON.stringify([label, t.description, tooltip, icon, t.contextValue]);
}
