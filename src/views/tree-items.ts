// How each node of the release tree looks: label, description, icon, tooltip, context value
// (which menus and inline actions package.json attaches) and the command a click runs.
import * as vscode from 'vscode';
import { decimalSize } from '../core/size';
import { VERDICTS } from '../model/verdict';
import { shownVerdict, platformVerdict } from '../releases/verdict';
import { artifactCause, artifactResult, causesAbout, causesOf } from '../releases/verification';
import type { ArtifactVerification } from '../releases/verification';
import { causeShort, causesShort, identityShort } from '../releases/cause-words';
import { keyName } from '../model/cause';
import type { Cause } from '../model/cause';
import { imageNameAndHost } from './image-name';
import { shortDigest } from '../registry/digest';
import { CommandIds } from '../host/ids';
import type { NodeOf, TreeNode } from './nodes';
import type { ImageGraph } from '../model/image-graph';
import type { ArtifactEntry, SignedBy } from '../releases/evidence';
import type { ReleaseService } from '../releases/release-service';
import type { ReleaseProgress } from '../releases/verdict';
import type { ImageVerification } from '../releases/verification';
import { artifactPlace, artifactTitle, failureShort, failureTitle, loadingIcon, releaseTitle, safeText, signedByText, verdictIcon } from './labels';
import { countsText, verdictText } from './verdict-text';
import { artifactTooltip, failureTooltip, imageTooltip, platformTooltip, releaseTooltip } from './tooltips';
import type { SignerChangeSeen } from '../releases/signer-watch';
import { releaseSignerChange, signerChangedTooltip } from './signer-change-words';
import { fileItem, noPolicyItem, unresolvedItem } from './workspace-items';

const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;

function item(node: TreeNode, label: string, state: vscode.TreeItemCollapsibleState, contextValue: string): vscode.TreeItem {
  const t = new vscode.TreeItem(label, state);
  t.id = node.id;
  t.contextValue = contextValue;
  return t;
}

/** What an item reads from the tree (ReleaseTree); declared here so items need nothing else of it. */
export interface TreeFacts {
  readonly service: Pick<ReleaseService, 'release' | 'state' | 'peek' | 'imagesAtOnce'>;
  summary(releaseId: string): ReleaseProgress;
  signerChanges(releaseId: string): Array<{ reference: string; seen: SignerChangeSeen }>;
  graph(reference: string): ImageGraph | undefined;
  verification(reference: string): ImageVerification | undefined;
  artifactEntry(node: NodeOf<'artifact'>): ArtifactEntry | undefined;
  /** Whether the policy says anything about an image (src/releases/policy-coverage.ts); undefined until known. */
  coverage(reference: string): boolean | undefined;
}

function release(node: NodeOf<'release'>, tree: TreeFacts): vscode.TreeItem {
  const r = tree.service.release(node.releaseId);
  const t = item(node, r ? releaseTitle(r) : node.releaseId, Expanded, `release.${r?.origin ?? 'unknown'}`);
  if (!r) return t;
  if (r.file) t.resourceUri = vscode.Uri.file(r.file);
  const s = tree.summary(r.id);
  const parts = [r.tag, `${s.images} image${s.images === 1 ? '' : 's'}`];
  const counts = countsText(s.counts);
  if (counts) parts.push(counts);
  // A different signer than last time leads the rest: the clearest early sign of a compromised pipeline.
  const changes = tree.signerChanges(r.id);
  const signerChange = releaseSignerChange(changes);
  if (signerChange) parts.push(signerChange);
  if (s.loading) parts.push(`${s.loading} loading`);
  if (s.failed) parts.push(`${s.failed} unreadable`);
  t.description = parts.filter(Boolean).join(' · ');
  t.iconPath = new vscode.ThemeIcon(
    r.origin === 'goreleaser' ? 'package' : r.origin === 'user' ? 'pinned' : r.origin === 'workspace' ? 'files' : 'history',
    signerChange ? new vscode.ThemeColor('list.warningForeground') : undefined,
  );
  t.tooltip = releaseTooltip(
    r,
    s,
    changes.map((c) => signerChangedTooltip(c.seen).split('\n')[0]!),
  );
  return t;
}

function image(node: NodeOf<'image'>, tree: TreeFacts): vscode.TreeItem {
  const release = tree.service.release(node.releaseId);
  // A workspace file's image is read when its node is expanded if no policy names it (or until that is known).
  if (release?.origin === 'workspace' && tree.coverage(node.reference) !== true) {
    return noPolicyItem(
      node,
      tree.service.peek(node.reference),
      release.images.find((i) => i.reference === node.reference && i.file === node.file),
    );
  }
  const load = tree.service.state(node.reference);
  const origin = release?.origin ?? 'unknown';
  // The repository leads; the host follows in the description (and the full reference in the
  // tooltip). Under a release rendered for a tag, the images' tag is the release's: said once.
  const { name, host } = imageNameAndHost(node.reference, release?.origin === 'goreleaser' ? release.tag : undefined);
  const described = (why: string): string => [why, host].filter(Boolean).join(' · ');
  if (load.status === 'idle' || load.status === 'loading') {
    const t = item(node, name, Collapsed, `image.loading.${origin}`);
    // Only the images being read spin: a queue of 30 spinners says less and costs the workbench
    // a second of CPU over a big release's load (bench/extension-load.ts).
    const queued = load.status === 'idle' || load.queued === true;
    t.description = described(queued ? 'waiting…' : 'loading…');
    t.iconPath = queued ? new vscode.ThemeIcon('clock') : loadingIcon();
    t.tooltip = queued ? `${node.reference}\n\nWaiting for its turn: a release's images are read ${tree.service.imagesAtOnce} at a time.` : node.reference;
    return t;
  }
  if (load.status === 'failed') {
    const t = item(node, name, Expanded, `image.failed.${origin}`);
    t.description = described(failureShort(load.failure));
    t.iconPath = new vscode.ThemeIcon(load.failure.code === 'UNAUTHORIZED' ? 'lock' : 'warning', new vscode.ThemeColor('list.warningForeground'));
    t.tooltip = failureTooltip(load.failure, node.reference);
    return t;
  }
  const verdict = shownVerdict(load.graph, load.verification);
  const causes = load.verification ? causesOf(load.verification) : [];
  const t = item(node, name, Collapsed, `image.loaded.${origin}`);
  const why = load.verifying
    ? 'verifying…'
    : load.verificationFailure
      ? `${verdictText(verdict)}: verification could not run`
      : (causesShort(causes) ?? verdictText(verdict));
  t.description = described(why);
  t.iconPath = load.verifying
    ? loadingIcon()
    : load.verificationFailure
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : verdictIcon(verdict);
  t.tooltip = imageTooltip(node.reference, load.graph, verdict, load.verification, load.ms, load.verificationFailure);
  return t;
}

function platform(node: NodeOf<'platform'>, tree: TreeFacts): vscode.TreeItem {
  const g = tree.graph(node.reference);
  const p = g?.platforms.find((x) => x.digest === node.digest);
  if (!g || !p) return item(node, shortDigest(node.digest), None, 'platform');
  const t = item(node, safeText(p.platform, 60), Collapsed, 'platform');
  const v = tree.verification(node.reference);
  const verdict = platformVerdict(g, p.digest, v);
  const causes = v ? causesAbout(v, p.digest) : [];
  // Why first (a row is cut on the right at the default width), then which manifest.
  const why = causes[0] ? causeShort(causes[0], p.platform) : verdictText(verdict);
  t.description = [why, shortDigest(p.digest), p.imageSize === undefined ? undefined : decimalSize(p.imageSize)].filter(Boolean).join(' · ');
  t.iconPath = verdictIcon(verdict);
  t.tooltip = platformTooltip(g, p, verdict, causes);
  return t;
}

const ARTIFACT_ICONS = { signature: 'key', attestation: 'note', sbom: 'list-flat', other: 'file' } as const;

/** Who an artifact's row says signed it: the engine's state and signer, else the annotations' signer. */
function artifactWho(signer: SignedBy, verdict: ArtifactVerification | undefined, cause: Cause | undefined): string {
  if (!verdict) return signedByText(signer);
  if (cause) return causeShort(cause);
  const by = verdict.identity ? `by ${safeText(identityShort(verdict.identity), 120)}` : verdict.keyFingerprint ? keyName(verdict.keyFingerprint) : undefined;
  return [VERDICTS[verdict.state].long, by].filter(Boolean).join(' · ');
}

function artifact(node: NodeOf<'artifact'>, tree: TreeFacts): vscode.TreeItem {
  const g = tree.graph(node.reference);
  const e = tree.artifactEntry(node);
  if (!g || !e) return item(node, shortDigest(node.digest), None, 'artifact');
  const a = e.artifact;
  const provenance = a.kind === 'attestation' && /slsa\.dev\/provenance/.test(a.predicateType ?? '');
  const t = item(node, artifactTitle(a), e.children.length ? Collapsed : None, `artifact.${provenance ? 'provenance' : a.kind}`);
  const v = tree.verification(node.reference);
  const verdict = v ? artifactResult(g, v, a) : undefined;
  const cause = v && verdict ? artifactCause(v, verdict) : undefined;
  const covers =
    a.coversDigest === g.digest
      ? `covers the ${g.kind === 'index' ? 'index' : 'image'} ${shortDigest(a.coversDigest)}`
      : `covers ${shortDigest(a.coversDigest)}`;
  // Where it was found (its format) first, on every row; then what the engine says and why.
  t.description = [artifactPlace(a), artifactWho(e.signedBy, verdict, cause), covers].join(' · ');
  // Unsigned artifacts (BuildKit's statements, SBOM attachments) are expected: grey, not a warning.
  const color =
    verdict && verdict.state !== 'unsigned' && verdict.state !== 'not-checked'
      ? VERDICTS[verdict.state].color
      : e.signedBy.kind === 'unsigned'
        ? 'disabledForeground'
        : undefined;
  t.iconPath = new vscode.ThemeIcon(provenance ? 'file-code' : ARTIFACT_ICONS[a.kind], color ? new vscode.ThemeColor(color) : undefined);
  t.tooltip = artifactTooltip(g, e, verdict, cause);
  return t;
}

function failure(node: NodeOf<'failure'>): vscode.TreeItem {
  const f = node.failure;
  const signIn = f.code === 'UNAUTHORIZED' || f.code === 'DENIED';
  const t = item(node, failureTitle(f), None, signIn ? 'failure.signIn' : 'failure.retry');
  t.iconPath = new vscode.ThemeIcon(
    f.code === 'UNAUTHORIZED' ? 'account' : f.code === 'RATE_LIMITED' ? 'watch' : 'error',
    new vscode.ThemeColor(signIn ? 'list.warningForeground' : 'list.errorForeground'),
  );
  t.tooltip = failureTooltip(f, node.reference);
  if (f.code !== 'UNAUTHORIZED') t.description = f.code;
  if (signIn && f.registry) t.command = { command: CommandIds.signIn, title: 'Sign In to Registry', arguments: [f.registry] };
  return t;
}

export function treeItem(node: TreeNode, tree: TreeFacts): vscode.TreeItem {
  switch (node.kind) {
    case 'release':
      return release(node, tree);
    case 'image':
      return image(node, tree);
    case 'platform':
      return platform(node, tree);
    case 'artifact':
      return artifact(node, tree);
    case 'failure':
      return failure(node);
    case 'problem': {
      const t = item(node, safeText(node.problem.message.split(/(?<=\.)\s/)[0] ?? node.problem.message, 120), None, 'problem');
      t.description = node.problem.code;
      t.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      t.tooltip = `${safeText(node.problem.at)}: ${safeText(node.problem.message, 2000)}`;
      return t;
    }
    case 'file':
      return fileItem(
        node,
        (tree.service.release(node.releaseId)?.images ?? []).filter((i) => i.file === node.file),
      );
    case 'unresolved': {
      if (node.spec.file !== undefined) return unresolvedItem(node);
      const spec = node.spec;
      const t = item(node, safeText(spec.preview ?? spec.template ?? 'image'), None, 'unresolved');
      t.description = spec.unresolved?.length ? `needs ${spec.unresolved.join(', ')}` : 'cannot be rendered';
      t.iconPath = new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'));
      t.tooltip = `${spec.template ?? ''}\n\nSet the missing values in the setting "provenanceLens.goreleaser.env", or pick a tag.`;
      const file = tree.service.release(node.releaseId)?.file;
      if (file)
        t.command = {
          command: 'vscode.open',
          title: 'Open',
          arguments: [vscode.Uri.file(file), { selection: new vscode.Range((spec.line ?? 1) - 1, 0, (spec.line ?? 1) - 1, 0) }],
        };
      return t;
    }
    case 'note': {
      const t = item(node, node.text, None, 'note');
      t.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
      if (node.tooltip) t.tooltip = node.tooltip;
      if (node.command) t.command = { command: node.command.id, title: node.command.title, arguments: [...node.command.arguments] };
      return t;
    }
  }
}
