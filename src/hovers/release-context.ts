// The release an open goreleaser file describes, rendered with the values the Releases view uses
// for it (src/releases/goreleaser-release.ts): the tag the user picked, else git's latest; the
// commit and branch from git; `.Env` from the setting. Same inputs, same references, so a hover,
// a lens and a tree node about one image share one load. Pure (no vscode).
import { basename, dirname } from 'node:path';
import type { GoreleaserAnalysis } from '../goreleaser/analyze';
import { analyzeGoreleaser } from '../goreleaser/analyze';
import type { GitFacts } from '../goreleaser/git-context';
import type { ResolvedImage, ResolvedRelease } from '../goreleaser/resolve';
import { resolveRelease } from '../goreleaser/resolve';
import { contextFromTag } from '../goreleaser/template-context';
import { normalizeReference } from '../releases/image-list';

export interface ReleaseInputs {
  /** Path of the file (its directory names the project when `project_name` is absent). */
  readonly file: string;
  /** The tag picked for this file in the Releases view; else git's latest is used. */
  readonly picked?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly git: GitFacts;
}

export interface GoreleaserModel {
  readonly analysis: GoreleaserAnalysis;
  readonly release: ResolvedRelease;
  /** The tag rendered for, when there is one. */
  readonly tag?: string;
  /** Where the tag comes from. */
  readonly tagFrom?: 'picked' | 'git';
}

export function buildModel(text: string, inputs: ReleaseInputs): GoreleaserModel {
  const analysis = analyzeGoreleaser(text);
  const tag = inputs.picked ?? inputs.git.tag;
  const { git } = inputs;
  const context = contextFromTag(tag, {
    env: inputs.env,
    ...(git.commit ? { commit: git.commit } : {}),
    ...(git.shortCommit ? { shortCommit: git.shortCommit } : {}),
    ...(git.branch ? { branch: git.branch } : {}),
    ...(git.commitDate ? { commitDate: git.commitDate } : {}),
    // GoReleaser names the project after the directory when the config does not.
    ...(analysis.config.projectName ? {} : { projectName: basename(dirname(inputs.file)) }),
  });
  const release = resolveRelease(analysis, context);
  const tagFrom = inputs.picked !== undefined ? 'picked' : tag !== undefined ? 'git' : undefined;
  return { analysis, release, ...(tag !== undefined ? { tag } : {}), ...(tagFrom ? { tagFrom } : {}) };
}

/** The key the release service knows an image by (`docker.io/library/...`), or null when it has none. */
export function serviceReference(image: Pick<ResolvedImage, 'reference'>): string | null {
  if (image.reference === null) return null;
  try {
    return normalizeReference(image.reference);
  } catch {
    return null;
  }
}
