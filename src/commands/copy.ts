// "Copy digest" and "Copy reference pinned by digest", for an image, a platform or an artifact.
import * as vscode from 'vscode';
import { abortSignalOf } from '../host/cancellation';
import type { ImageGraph } from '../model/image-graph';
import { repositoryOf } from '../releases/image-list';
import type { LensServices } from './context';
import type { Target } from './targets';
import { resolveTarget } from './targets';
import type { TargetsDeps } from './targets';

/** What these commands use of the services (src/commands/context.ts). */
export type CopyDeps = Pick<LensServices, 'service'> & TargetsDeps;

async function graphOf(s: CopyDeps, target: Target): Promise<ImageGraph | undefined> {
  const load = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Reading ${target.reference}`, cancellable: true },
    async (_p, token) => {
      const linked = abortSignalOf(token);
      try {
        return await s.service.ensure(target.reference, linked.signal);
      } finally {
        linked.dispose();
      }
    },
  );
  if (load.status === 'failed') {
    void vscode.window.showErrorMessage(`${target.reference}: ${load.failure.message}`);
    return undefined;
  }
  return load.status === 'loaded' ? load.graph : undefined;
}

async function copy(text: string): Promise<string> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${text}`, 4000);
  return text;
}

export async function copyDigest(s: CopyDeps, arg?: unknown): Promise<string | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Copy Digest');
  if (!target) return undefined;
  if (target.artifact ?? target.platform) return copy((target.artifact ?? target.platform)!);
  const graph = await graphOf(s, target);
  return graph ? copy(graph.digest) : undefined;
}

/** `registry/repo:tag@sha256:…` for an image (the tag stays for people); `registry/repo@sha256:…` for a platform. */
export async function copyPinnedReference(s: CopyDeps, arg?: unknown): Promise<string | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Copy Reference Pinned by Digest');
  if (!target) return undefined;
  const repository = repositoryOf(target.reference);
  if (target.platform) return copy(`${repository}@${target.platform}`);
  const graph = await graphOf(s, target);
  if (!graph) return undefined;
  return copy(`${repository}${graph.tag ? `:${graph.tag}` : ''}@${graph.digest}`);
}
