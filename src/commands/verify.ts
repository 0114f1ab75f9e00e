// "Verify image" and "Inspect image": run with a cancellable progress notification, then show
// the result (open-result.ts) or the graph as JSON.
import * as vscode from 'vscode';
import { abortSignalOf } from '../host/cancellation';
import type { ImageLoad } from '../releases/types';
import { shownVerdict } from '../releases/verdict';
import type { LensServices } from './context';
import { openResult } from './open-result';
import type { Target } from './targets';
import { resolveTarget } from './targets';
import type { OpenResultDeps } from './open-result';
import type { TargetsDeps } from './targets';

/** What these commands use of the services (src/commands/context.ts). */
export type VerifyDeps = Pick<LensServices, 'documents' | 'reloadReleases' | 'service' | 'state'> & OpenResultDeps & TargetsDeps;

/** What the command returns (tests, other extensions): the verdict in the model's terms. */
export interface VerifyOutcome {
  readonly reference: string;
  readonly status: ImageLoad['status'];
  readonly state?: string;
  readonly verified?: boolean;
  readonly digest?: string;
  readonly failure?: string;
}

/**
 * Lists the image (this session) unless a release already shows it, so the result has a node.
 * True when it was listed now (and is the caller's to take back).
 */
export async function ensureListed(s: VerifyDeps, reference: string): Promise<boolean> {
  if (s.service.releases.some((r) => r.images.some((i) => i.reference === reference))) return false;
  const session = s.state.sessionImages.read();
  const added = !session.includes(reference);
  if (added) await s.state.sessionImages.write([...session, reference]);
  await s.reloadReleases();
  return added;
}

/** A lookup that read nothing (a typo, a 404, a cancel) leaves no trace: not in the session list. */
async function unlist(s: VerifyDeps, reference: string): Promise<void> {
  await s.state.sessionImages.write(s.state.sessionImages.read().filter((r) => r !== reference));
  await s.reloadReleases();
}

/** Loads the image under a cancellable notification; `fresh` re-reads it from the registry. */
export async function loadWithProgress(s: VerifyDeps, target: Target, title: string, fresh: boolean): Promise<ImageLoad> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const linked = abortSignalOf(token);
    const stop = s.service.onDidChange((e) => {
      if (e.kind !== 'image' || e.reference !== target.reference) return;
      const load = s.service.peek(target.reference);
      if (load.status === 'loaded' && load.verifying) progress.report({ message: 'checking signatures and attestations…' });
    });
    try {
      progress.report({ message: 'reading the image, its signatures and attestations…' });
      if (fresh) s.service.refresh(target.reference);
      return await s.service.ensure(target.reference, linked.signal);
    } finally {
      stop();
      linked.dispose();
    }
  });
}

export async function verifyImage(s: VerifyDeps, arg?: unknown): Promise<VerifyOutcome | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Verify image');
  if (!target) return undefined;
  const listed = await ensureListed(s, target.reference);
  const load = await loadWithProgress(s, target, `Verifying ${target.reference}`, true);
  // Only an image that could be read goes into the history ("Recently used") and stays listed.
  if (load.status === 'loaded') await s.state.remember(target.reference);
  else if (listed) await unlist(s, target.reference);
  if (load.status === 'idle' || load.status === 'loading') return { reference: target.reference, status: 'idle' }; // cancelled
  await openResult(s, target, load);
  if (load.status === 'failed') return { reference: target.reference, status: 'failed', failure: load.failure.code };
  const v = shownVerdict(load.graph, load.verification);
  return { reference: target.reference, status: 'loaded', state: v.state, verified: v.verified, digest: load.graph.digest };
}

export async function inspectImage(s: VerifyDeps, arg?: unknown): Promise<string | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Inspect image');
  if (!target) return undefined;
  const load = await loadWithProgress(s, target, `Inspecting ${target.reference}`, false);
  if (load.status === 'loaded') await s.state.remember(target.reference);
  if (load.status === 'failed') throw Object.assign(new Error(load.failure.message), { code: load.failure.code });
  if (load.status !== 'loaded') return undefined;
  await s.documents.show('inspect', target.reference, load.graph);
  return load.graph.digest;
}
