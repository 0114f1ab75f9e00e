// Composition root: builds the services, registers commands and views, owns the disposables.
// Nothing heavy happens here: the engines (registry client, graph walker, verifier, goreleaser
// parser, provenance reader) are imported on first use (src/host/engines.ts, verifier.ts).
import * as vscode from 'vscode';
import { CommandIds, ViewIds } from './host/ids';
import type { LensServices } from './commands/context';
import { registerCommands } from './commands/register';
import { walkthroughContext } from './commands/walkthrough';
import { affectsSettings, policyPath, readSettings, workspaceFiles } from './host/config';
import { HostCredentials, RegistrySecrets } from './host/credentials';
import { Engines } from './host/engines';
import { ExternalAttestations, GITHUB_PROVIDER } from './host/external-attestations';
import { createLog } from './host/log';
import { ReleaseSources } from './host/release-sources';
import { RestrictedNotes } from './host/restricted-notes';
import { ExtensionState } from './host/state';
import { Verifier } from './host/verifier';
import { panelDeps } from './panel/panel-deps';
import { diffDeps } from './panel/diff-deps';
import { registerDiffPanel } from './panel/diff-panel';
import { watchPolicyFiles } from './host/policy-watch';
import { logImageLoads } from './host/load-log';
import { registerImagePanel } from './panel/image-panel';
import { followTreeSelection } from './panel/follow-selection';
import { registerGoreleaserFeatures } from './hovers/index';
import { registerWorkspaceReferences } from './hovers/workspace';
import type { WorkspaceReferences } from './hovers/workspace';
import { ReleaseService } from './releases/release-service';
import { SignerWatch } from './releases/signer-watch';
import { DOCUMENT_SCHEME, JsonDocuments } from './views/json-documents';
import type { TreeNode } from './views/nodes';
import { ReleaseTree } from './views/release-tree';
import { revealSignInNodes } from './views/sign-in-reveal';
import { ReleaseStatus } from './views/status-bar';
import { releaseTagOf } from './releases/release-tag';

export { CommandIds as Commands, ViewIds as Views } from './host/ids';

/** What `activate` returns: the live objects, for the in-host tests and for other extensions. */
export interface ProvenanceLensApi {
  readonly service: ReleaseService;
  readonly tree: ReleaseTree;
  readonly view: vscode.TreeView<TreeNode>;
  readonly status: ReleaseStatus;
  /** Re-reads the releases (goreleaser files, added images) into the view. */
  reloadReleases(): Promise<void>;
  /** Resolves when the first reading of the releases is done. */
  readonly ready: Promise<void>;
  /** How long `activate` took (ms). */
  readonly activationMs: number;
  /** The workspace's image references: the index, the policy's coverage, their Problems. */
  readonly workspace: WorkspaceReferences;
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** Shows and returns e.g. `Provenance Lens 0.1.0 (VS Code 1.100.3)`. */
function showVersion(context: vscode.ExtensionContext): string {
  const version = String(context.extension.packageJSON.version ?? 'unknown');
  const text = `Provenance Lens ${version} (VS Code ${vscode.version})`;
  void vscode.window.showInformationMessage(text);
  return text;
}

/** What src/extension-boot.ts knows of loading this code: when it began, and the code cache's state. */
export interface BootFacts {
  readonly started: number;
  readonly cpu: NodeJS.CpuUsage;
  readonly codeCache: string;
}

export function activate(context: vscode.ExtensionContext, boot?: BootFacts): ProvenanceLensApi {
  const started = performance.now();
  const log = createLog();
  const settings = () => readSettings();
  const state = new ExtensionState(context.globalState, context.workspaceState);
  const secrets = new RegistrySecrets(context.secrets, context.globalState);
  const version = String(context.extension.packageJSON.version ?? '0');
  const engines = new Engines({
    settings,
    credentials: (docker) => new HostCredentials(secrets, docker, log.logger),
    trusted: () => vscode.workspace.isTrusted,
    log,
    userAgent: `provenance-lens-vscode/${version}`,
    contentCacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'manifests-and-blobs').fsPath,
  });
  const notes = new RestrictedNotes((m) => log.logger.warn(m));
  const verifier = new Verifier({
    settings,
    policyPath: () => policyPath(settings()),
    workspace: () => workspaceFiles(),
    restricted: (reason) => notes.policy(reason),
    source: (g) => engines.source(g),
    trustCacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'trust').fsPath,
    log: { info: (m) => log.logger.info(m), warn: (m) => log.logger.warn(m) },
  });
  // Attestations from outside the registry (bundle files, GitHub's API) join the graph the walk found.
  const attestations = new ExternalAttestations({
    authentication: vscode.authentication,
    transport: () => engines.transport(),
    scope: (reference) => verifier.githubScope(reference),
    fetchAlways: () => settings().githubAttestations === true,
    ...(process.env.GITHUB_API_URL ? { apiUrl: process.env.GITHUB_API_URL } : {}),
    log: { info: (m) => log.logger.info(m), warn: (m) => log.logger.warn(m) },
    files: state.attestationFiles,
  });
  const service: ReleaseService = new ReleaseService({
    inspect: async (reference, signal, priority) => {
      // Its verification's policy, trusted root and code load while the graph is read.
      verifier.prepare(reference, releaseTagOf(service.releases, reference));
      return attestations.attach(await engines.inspect(reference, signal, priority), signal);
    },
    // The release's tag stands for {{tag}} in the policy, as verify --release passes it.
    verify: (graph, signal) => verifier.verify(graph, signal, attestations.bundlesOf(graph), releaseTagOf(service.releases, graph.reference)),
  });
  // Whether each image is signed by other signers than its previous release, as verify --release asks.
  const signerWatch = new SignerWatch(service, {
    listTags: (reference, signal) => engines.listTags(reference, signal),
    policy: async (reference) => (await verifier.policyOf(reference)).policy,
    log: { warn: (m) => log.logger.warn(m) },
  });
  const tree = new ReleaseTree(service, signerWatch);
  const view = vscode.window.createTreeView(ViewIds.releases, { treeDataProvider: tree, showCollapseAll: true });
  const sources = new ReleaseSources(state, settings, (m) => log.logger.warn(m));
  const documents = new JsonDocuments();
  const status = new ReleaseStatus(service, tree, view);
  notes.attach(view);

  const reloadReleases = async (): Promise<void> => {
    service.setReleases(await sources.releases());
    notes.settings(settings());
  };
  const panel = panelDeps(service, engines, log, attestations);
  const diff = diffDeps({ service, engines, policy: (reference) => verifier.policyOf(reference), bundlesOf: (graph) => attestations.bundlesOf(graph) }, log);
  const services: LensServices = {
    context,
    log,
    engines,
    service,
    tree,
    view,
    state,
    secrets,
    sources,
    documents,
    settings,
    panel,
    diff,
    attestations,
    reloadReleases,
  };

  const ignored = settings().ignored;
  if (ignored.length) log.logger.warn(`This workspace is not trusted: its values for ${ignored.join(', ')} are ignored.`);

  context.subscriptions.push(
    log,
    engines,
    tree,
    view,
    sources,
    documents,
    status,
    { dispose: () => service.dispose() },
    { dispose: () => signerWatch.dispose() },
    revealSignInNodes(service, tree, view),
    followTreeSelection(view, tree),
    logImageLoads(service, log.logger),
    vscode.workspace.registerTextDocumentContentProvider(DOCUMENT_SCHEME, documents),
    vscode.commands.registerCommand(CommandIds.showVersion, () => showVersion(context)),
    ...registerCommands(() => services),
    walkthroughContext(services),
    sources.onDidChange(() => void reloadReleases()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      engines.reset();
      verifier.reset();
      sources.changed();
      service.refresh();
    }),
    // Trust granted, or other folders: which files the settings and the policy may name changes.
    ...[vscode.workspace.onDidGrantWorkspaceTrust, vscode.workspace.onDidChangeWorkspaceFolders].map((event) =>
      event(() => {
        engines.reset();
        verifier.reset();
        sources.changed();
        service.refresh();
      }),
    ),
    watchPolicyFiles(() => {
      verifier.reset();
      service.refresh();
    }),
    // Signed in to GitHub (or out): the images that ask GitHub's API are read again.
    vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === GITHUB_PROVIDER && attestations.wantsGithub()) service.refresh();
    }),
  );
  registerGoreleaserFeatures(context, services);
  registerImagePanel(context, panel);
  registerDiffPanel(context, diff);
  const ready = reloadReleases().catch((e: unknown) => log.logger.error(`Reading the releases failed: ${e instanceof Error ? e.message : String(e)}`));
  // The workspace's files are looked for once the releases are read, after activation.
  const workspace = registerWorkspaceReferences(context, { ...services, policyOf: async (r) => (await verifier.policyOf(r)).policy }, ready);
  const activationMs = Math.round(performance.now() - started);
  // With the loading of this code (the boot's), in CPU time too: on a busy machine the wall time is mostly waiting.
  const loading = boot
    ? `; ${Math.round(performance.now() - boot.started)} ms with loading its code, ${Math.round(cpuMs(process.cpuUsage(boot.cpu)))} ms CPU (code cache: ${boot.codeCache})`
    : '';
  log.logger.info(
    `Provenance Lens ${version} activated in ${activationMs} ms${loading} (VS Code ${vscode.version}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'}).`,
  );
  return { service, tree, view, status, reloadReleases, ready, activationMs, workspace };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
