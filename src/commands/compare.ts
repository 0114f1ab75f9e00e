// "Compare with Previous Release" and "Compare with Release…": what changed between an image and
// another release of its repository, in the diff view (src/panel/diff-panel.ts). The release
// before is the newest semantic version below the image's tag, as `verify --release` takes it
// (src/diff/previous.ts); the picker lists the release tags newest first (Switch Tag's order).
import * as vscode from 'vscode';
import { withTag } from '../releases/image-list';
import { parseReference } from '../registry/reference';
import { compareVersions, releaseTags } from '../registry/tag-order';
import { showDiffPanel } from '../panel/diff-panel';
import type { DiffPanel } from '../panel/diff-panel';
import type { LensServices } from './context';
import { readTags } from './images';
import { resolveTarget } from './targets';
import type { TargetsDeps } from './targets';
import type { ImagesDeps } from './images';

/** What these commands use of the services (src/commands/context.ts). */
export type CompareDeps = Pick<LensServices, 'context' | 'diff'> & TargetsDeps & ImagesDeps;

function tagOf(reference: string): string | undefined {
  const ref = parseReference(reference);
  return ref.kind === 'registry' ? ref.tag : undefined;
}

/** Opens the comparison of the image with `otherTag`, the older one first (semver); undefined when both are the same tag. */
function open(s: CompareDeps, reference: string, otherTag: string): DiffPanel | undefined {
  const tag = tagOf(reference);
  if (tag === otherTag) return undefined;
  const other = withTag(reference, otherTag);
  const newer = tag !== undefined && (compareVersions(otherTag, tag) ?? 0) > 0;
  return newer ? showDiffPanel(s.context, reference, other, s.diff) : showDiffPanel(s.context, other, reference, s.diff);
}

async function pick(s: CompareDeps, reference: string, tags: readonly string[], placeHolder: string): Promise<DiffPanel | undefined> {
  const current = tagOf(reference);
  const choices = releaseTags(tags).filter((t) => t !== current);
  if (choices.length === 0) {
    void vscode.window.showInformationMessage(`${reference} has no other release tag to compare with.`);
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(
    choices.map((label) => ({ label })),
    { title: `Compare ${reference} with another release`, placeHolder },
  );
  return chosen ? open(s, reference, chosen.label) : undefined;
}

/** The image against the release before its tag; without one, a pick of its release tags. */
export async function compareWithPrevious(s: CompareDeps, arg?: unknown): Promise<DiffPanel | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Compare with Previous Release');
  if (!target) return undefined;
  const tags = await readTags(s, target.reference);
  const tag = tagOf(target.reference);
  const { previousReleaseTag } = await import('../diff/index.js');
  const previous = tag === undefined ? undefined : previousReleaseTag(tags, tag);
  if (previous !== undefined) return open(s, target.reference, previous);
  const why = tag === undefined ? `${target.reference} has no tag` : `no release tag of the repository is a version below ${tag}`;
  return pick(s, target.reference, tags, `There is no previous release to compare with (${why}): pick one`);
}

/** The image against a release tag picked from its repository's, newest first. */
export async function compareWithRelease(s: CompareDeps, arg?: unknown): Promise<DiffPanel | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Compare with Release');
  if (!target) return undefined;
  const tags = await readTags(s, target.reference);
  return pick(s, target.reference, tags, `Release tags of the repository, newest first${tags.unfinished ? `: a partial list (${tags.unfinished})` : ''}`);
}
