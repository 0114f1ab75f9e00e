// The workspace's image references in the editor: the index of every file that names images
// (found after activation, followed by a watcher: src/host/workspace-files.ts; read in worker
// threads: src/references/worker-reader.ts) as the "Workspace
// images" release, and for open files hovers, CodeLenses, Problems and quick fixes (pin by
// digest). Which images the policy names is asked of the verifier's policy (PolicyCoverage).
import * as vscode from 'vscode';
import { PolicyCoverage } from '../host/policy-coverage';
import { ReferenceFileWatcher } from '../host/workspace-files';
import { join } from 'node:path';
import { WorkerReader } from '../references/worker-reader';
import { WorkspaceReferenceIndex } from '../references/workspace-index';
import { workspaceRelease } from '../releases/workspace-release';
import type { ImagePolicy } from '../verify/policy';
import type { GoreleaserFeatureDeps } from './deps';
import { ReferenceCodeActions, registerPinDigest } from './reference-actions';
import { ReferenceDiagnostics } from './reference-diagnostics';
import { REFERENCE_SELECTOR, ReferenceDocuments } from './reference-documents';
import { siteDrift } from './reference-drift';
import { ReferenceHoverProvider } from './reference-hover';
import { ReferenceCodeLensProvider } from './reference-lens';

export interface WorkspaceReferenceDeps extends GoreleaserFeatureDeps {
  readonly sources: { setWorkspace(release: () => ReturnType<typeof workspaceRelease>): void };
  readonly tree: GoreleaserFeatureDeps['tree'] & { setCoverage(coverage: (reference: string) => boolean | undefined): void };
  /** The policy an image is verified under (the verifier's, src/host/verifier.ts). */
  policyOf(reference: string): Promise<ImagePolicy>;
}

/** The release list is rebuilt at most this often while files are read. */
const RELEASE_DELAY_MS = 400;

export interface WorkspaceReferences {
  readonly index: WorkspaceReferenceIndex;
  readonly coverage: PolicyCoverage;
  readonly diagnostics: ReferenceDiagnostics;
  /** Resolves when the first scan of the workspace is done. */
  readonly scanned: Promise<void>;
}

/** Registers everything; the files are looked for once `after` resolves, never during activation. */
export function registerWorkspaceReferences(context: vscode.ExtensionContext, deps: WorkspaceReferenceDeps, after: Promise<unknown>): WorkspaceReferences {
  // Parsing runs in worker threads, never on the extension host's; a missing worker falls back to this thread.
  const reader = new WorkerReader(context.asAbsolutePath(join('dist', 'references-worker.js')));
  const index = new WorkspaceReferenceIndex({ reader });
  const log = (m: string) => deps.log.logger.info(m);
  const files = new ReferenceFileWatcher(index, log);
  const coverage = new PolicyCoverage((r) => deps.policyOf(r));
  const covers = (r: string) => coverage.covers(r);
  const documents = new ReferenceDocuments();
  const drift = siteDrift((r) => deps.service.peek(r), covers);
  const lenses = new ReferenceCodeLensProvider(documents, deps, covers, coverage.onDidChange);
  const diagnostics = new ReferenceDiagnostics(documents, deps, covers, drift, coverage.onDidChange);
  deps.tree.setCoverage(covers);
  let timer: NodeJS.Timeout | undefined;
  const stopIndex = index.onDidChange(() => {
    timer ??= setTimeout(() => {
      timer = undefined;
      deps.sources.setWorkspace(() => workspaceRelease(index.list()));
    }, RELEASE_DELAY_MS);
  });
  context.subscriptions.push(
    files,
    coverage,
    documents,
    lenses,
    diagnostics,
    { dispose: () => void reader.close() },
    {
      dispose: () => {
        stopIndex();
        if (timer) clearTimeout(timer);
      },
    },
    coverage.onDidChange(() => deps.tree.setCoverage(covers)),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (/[\\/](?:\.env|Chart\.yaml)$/.test(d.uri.fsPath)) documents.besideChanged(d.uri.fsPath);
    }),
    vscode.languages.registerHoverProvider(REFERENCE_SELECTOR, new ReferenceHoverProvider(documents, deps, covers, drift)),
    vscode.languages.registerCodeLensProvider(REFERENCE_SELECTOR, lenses),
    vscode.languages.registerCodeActionsProvider(REFERENCE_SELECTOR, new ReferenceCodeActions(documents, deps, covers, drift), ReferenceCodeActions.metadata),
    registerPinDigest(documents, deps, covers),
  );
  // After activation, off its path: the search and the reads run while the editor is in use.
  const scanned = after
    .then(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))
    .then(() => files.start())
    .catch((e: unknown) => deps.log.logger.error(`Reading the workspace's image references failed: ${e instanceof Error ? e.message : String(e)}`));
  return { index, coverage, diagnostics, scanned };
}
