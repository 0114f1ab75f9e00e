// The release view's own commands: add and remove images, switch a tag, refresh, retry.
import * as vscode from 'vscode';
import { abortSignalOf } from '../host/cancellation';
import { appendImage, dropImage, repositoryOf, retagImage, withTag } from '../releases/image-list';
import { releaseTags } from '../registry/tag-order';
import type { TagList } from '../registry/source';
import type { LensServices } from './context';
import { revealImage } from './open-result';
import { isTreeNode, resolveTarget } from './targets';
import type { OpenResultDeps } from './open-result';
import type { TargetsDeps } from './targets';

/** What these commands use of the services (src/commands/context.ts). */
export type ImagesDeps = Pick<LensServices, 'engines' | 'reloadReleases' | 'service' | 'state'> & OpenResultDeps & TargetsDeps;

export async function addImage(s: ImagesDeps, arg?: unknown): Promise<string | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Add Image to the Releases View');
  if (!target) return undefined;
  await s.state.userImages.write(appendImage(s.state.userImages.read(), target.reference));
  await s.state.remember(target.reference);
  await s.reloadReleases();
  await revealImage(s, target.reference);
  return target.reference;
}

export async function removeImage(s: ImagesDeps, arg?: unknown): Promise<void> {
  if (!isTreeNode(arg) || arg.kind !== 'image') return;
  const origin = s.service.release(arg.releaseId)?.origin;
  const store = origin === 'user' ? s.state.userImages : origin === 'session' ? s.state.sessionImages : undefined;
  if (!store) return;
  await store.write(dropImage(store.read(), arg.reference));
  await s.reloadReleases();
}

/** Every tag of the reference's repository, read with a cancellable progress in the status bar. */
export function readTags(s: ImagesDeps, reference: string): Thenable<TagList> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Reading the tags of ${repositoryOf(reference)}`, cancellable: true },
    async (_p, token) => {
      const linked = abortSignalOf(token);
      try {
        return await s.engines.listTags(reference, linked.signal);
      } finally {
        linked.dispose();
      }
    },
  );
}

/** A QuickPick of the repository's release tags, newest first; switches the image or release to it. */
export async function pickTag(s: ImagesDeps, arg?: unknown): Promise<string | undefined> {
  if (!isTreeNode(arg) || (arg.kind !== 'image' && arg.kind !== 'release')) return undefined;
  const release = s.service.release(arg.releaseId);
  if (!release) return undefined;
  const reference = arg.kind === 'image' ? arg.reference : release.images.find((i) => i.reference !== null)?.reference;
  if (!reference) {
    void vscode.window.showWarningMessage('No image of this release has a reference yet: set the values its templates need first.');
    return undefined;
  }
  const repository = repositoryOf(reference);
  const current = arg.kind === 'release' && release.tag ? release.tag : /:([^/:@]+)(@|$)/.exec(reference.slice(repository.length))?.[1];
  const listed = await readTags(s, reference);
  const tags = releaseTags(listed);
  if (tags.length === 0) {
    void vscode.window.showInformationMessage(`${repository} has no release tags.`);
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(
    tags.map((t) => ({ label: t, ...(t === current ? { description: 'current' } : {}) })),
    {
      title: `Switch ${arg.kind === 'release' ? 'the release' : repository} to another tag`,
      placeHolder: listed.unfinished
        ? `${tags.length} release tags of ${repository}, newest first: a partial list (${listed.unfinished})`
        : `${tags.length} release tags of ${repository}, newest first`,
    },
  );
  if (!chosen || chosen.label === current) return undefined;
  const tag = chosen.label;
  if (release.origin === 'goreleaser' && release.file) {
    await s.state.setReleaseTag(release.file, tag);
  } else {
    const store = release.origin === 'user' ? s.state.userImages : s.state.sessionImages;
    let list = store.read();
    const targets = arg.kind === 'image' ? [reference] : release.images.map((i) => i.reference).filter((r): r is string => r !== null);
    for (const r of targets) list = retagImage(list, r, tag);
    await store.write(list);
  }
  await s.reloadReleases();
  if (arg.kind === 'image' && release.origin !== 'goreleaser') await revealImage(s, withTag(reference, tag));
  return tag;
}

export async function refresh(s: ImagesDeps): Promise<void> {
  await s.reloadReleases();
  s.service.refresh();
}

export function retry(s: ImagesDeps, arg?: unknown): void {
  if (isTreeNode(arg) && 'reference' in arg) s.service.refresh(arg.reference);
  else s.service.refresh();
}
