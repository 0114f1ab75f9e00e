/**
 * A goreleaser config as a release of the Releases view: one release per config, its images
 * rendered for the tag (the one the user picked, else git's latest), in the order the config
 * lists them. Images an entry does not push (skip_push, disable, empty names) are left out;
 * references that cannot be rendered stay, with the variables they wait for.
 */
import { basename, dirname } from 'node:path';
import type { GoreleaserAnalysis } from '../goreleaser/analyze';
import { analyzeGoreleaser } from '../goreleaser/analyze';
import type { GitFacts } from '../goreleaser/git-context';
import type { ResolvedImage, ResolvedRelease } from '../goreleaser/resolve';
import { resolveRelease } from '../goreleaser/resolve';
import { contextFromTag } from '../goreleaser/template-context';
import { normalizeReference } from './image-list';
import type { Release, ReleaseImageSpec } from './types';

/** What a goreleaser config is rendered with: the same for the Releases view and the editor. */
export interface GoreleaserRenderInput {
  /** Path of the config (its directory names the project when `project_name` is absent). */
  readonly file: string;
  /** The tag to render for; default git's latest tag. */
  readonly tag?: string;
  /** `.Env` values (the setting provenanceLens.goreleaser.env, as it applies to this file). */
  readonly env: Readonly<Record<string, string>>;
  readonly git: GitFacts;
  /** `.ModulePath`: the module of the go.mod beside the config, which ko's image names are made of. */
  readonly modulePath?: string;
}

export interface GoreleaserReleaseInput extends GoreleaserRenderInput {
  readonly text: string;
}

export interface RenderedGoreleaser {
  readonly analysis: GoreleaserAnalysis;
  readonly release: ResolvedRelease;
  /** The tag rendered for (the one given, else git's), when there is one. */
  readonly tag?: string;
}

/**
 * A config parsed and rendered as the release job would: the tag (given, else git's latest),
 * the commit, branch and commit date from git, `.Env` from `env`, and the directory's name as
 * the project when the config names none. Same inputs, same references: a tree node, a hover
 * and a lens about one image share one load. Pure.
 */
export function renderGoreleaser(text: string, input: GoreleaserRenderInput): RenderedGoreleaser {
  const analysis = analyzeGoreleaser(text);
  const tag = input.tag ?? input.git.tag;
  const { git } = input;
  const context = contextFromTag(tag, {
    env: input.env,
    ...(git.commit ? { commit: git.commit } : {}),
    ...(git.shortCommit ? { shortCommit: git.shortCommit } : {}),
    ...(git.branch ? { branch: git.branch } : {}),
    ...(git.commitDate ? { commitDate: git.commitDate } : {}),
    ...(input.modulePath !== undefined ? { modulePath: input.modulePath } : {}),
    // GoReleaser names the project after the directory when the config does not.
    ...(analysis.config.projectName ? {} : { projectName: basename(dirname(input.file)) }),
  });
  return { analysis, release: resolveRelease(analysis, context), ...(tag !== undefined ? { tag } : {}) };
}

function spec(i: ResolvedImage): ReleaseImageSpec {
  const origin = `${i.section}[${i.index}]`;
  const base = { template: i.template, origin, line: i.range.line };
  if (i.reference !== null) {
    try {
      return { ...base, reference: normalizeReference(i.reference) };
    } catch {
      return { ...base, reference: null, unresolved: [], preview: i.reference };
    }
  }
  return { ...base, reference: null, unresolved: i.unresolved, ...(i.preview !== undefined ? { preview: i.preview } : {}) };
}

export function goreleaserRelease(input: GoreleaserReleaseInput): Release {
  const { analysis, release: resolved, tag } = renderGoreleaser(input.text, input);
  const images: ReleaseImageSpec[] = [];
  const seen = new Set<string>();
  for (const i of resolved.images) {
    if (i.role === 'manifest-input' || i.published === false) continue;
    const s = spec(i);
    const key = s.reference ?? `${s.origin} ${s.template}`;
    if (seen.has(key)) continue;
    seen.add(key);
    images.push(s);
  }
  const errors = analysis.diagnostics.filter((d) => d.code === 'yaml-syntax');
  const name = analysis.config.projectName?.text ?? basename(dirname(input.file));
  return {
    id: `goreleaser:${input.file}`,
    origin: 'goreleaser',
    name,
    file: input.file,
    ...(tag !== undefined ? { tag } : {}),
    images,
    ...(errors.length
      ? { problem: `${basename(input.file)} line ${errors[0]!.range.line}: ${errors[0]!.message}` }
      : images.length === 0
        ? { problem: 'This config publishes no container images.' }
        : {}),
  };
}
