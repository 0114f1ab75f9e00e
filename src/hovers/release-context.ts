// The release an open goreleaser file describes, rendered as the Releases view renders it
// (renderGoreleaser, src/releases/goreleaser-release.ts): the tag the user picked, else git's
// latest; the commit and branch from git; `.Env` from the setting as it applies to the file.
// Same inputs, same references, so a hover, a lens and a tree node about one image share one
// load. Pure (no vscode).
import type { GoreleaserAnalysis } from '../goreleaser/analyze';
import type { GitFacts } from '../goreleaser/git-context';
import type { ResolvedRelease } from '../goreleaser/resolve';
import { renderGoreleaser } from '../releases/goreleaser-release';

export interface ReleaseInputs {
  /** Path of the file (its directory names the project when `project_name` is absent). */
  readonly file: string;
  /** The tag picked for this file in the Releases view; else git's latest is used. */
  readonly picked?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly git: GitFacts;
  /** The module of the go.mod beside the file (ko's image names). */
  readonly modulePath?: string;
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
  const { analysis, release, tag } = renderGoreleaser(text, {
    file: inputs.file,
    env: inputs.env,
    git: inputs.git,
    ...(inputs.picked !== undefined ? { tag: inputs.picked } : {}),
    ...(inputs.modulePath !== undefined ? { modulePath: inputs.modulePath } : {}),
  });
  const tagFrom = inputs.picked !== undefined ? 'picked' : tag !== undefined ? 'git' : undefined;
  return { analysis, release, ...(tag !== undefined ? { tag } : {}), ...(tagFrom ? { tagFrom } : {}) };
}
