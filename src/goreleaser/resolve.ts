/**
 * A release as GoReleaser would run it with a given context: the config's `env:` applied as
 * internal/pipe/env does (each entry rendered against the outer environment, then overriding it),
 * every image reference rendered, what each entry would skip (`skip_push`, `disable`, empty names),
 * what `docker_signs` would sign and claim, and the diagnostics that need values.
 */
import { parseRegistryReference } from '../registry/reference';
import type { GoreleaserAnalysis } from './analyze';
import { errorRange } from './analyze';
import type { GoreleaserConfig } from './config';
import type { ResolvedSign } from './sign';
import { identityDiagnostics, resolveSigns } from './sign';
import type { TemplateError } from './template';
import { renderTemplate } from './template';
import type { TemplateContext } from './template-context';
import { variableSource } from './template-context';
import type { GoreleaserDiagnostic, ImageTemplateRef, SourceRange, TemplateScalar } from './types';
import { MODULE_PATH, koDockerRepo, koImageName } from './ko';
import { manifestTrap } from './traps';

export type SkipReason = 'empty' | 'skip_push' | 'prerelease' | 'disabled';

export interface ResolvedImage extends ImageTemplateRef {
  /** The rendered reference; null when unresolved, failed, or rendered empty. */
  readonly reference: string | null;
  /** What the reference waits for, as written (`.Env.REGISTRY`, `.Tag`). */
  readonly unresolved: readonly string[];
  /** The reference with `<.Env.X>` holes, when unresolved but showable. */
  readonly preview?: string;
  readonly error?: TemplateError & { readonly range: SourceRange };
  /** Whether its entry pushes it: false when skipped, null when that depends on something unresolved; absent for manifest inputs. */
  readonly published?: boolean | null;
  readonly skip?: SkipReason;
}

export interface ResolvedRelease {
  /** The context after `project_name` and the config's `env:`. */
  readonly context: TemplateContext;
  readonly images: readonly ResolvedImage[];
  readonly signs: readonly ResolvedSign[];
  /** Diagnostics that depend on the context (the analysis has the others). */
  readonly diagnostics: readonly GoreleaserDiagnostic[];
}

interface Rendered {
  readonly scalar: TemplateScalar;
  readonly value: string | null;
  readonly unresolved: readonly string[];
  readonly preview?: string;
  readonly error?: TemplateError;
}

function render(scalar: TemplateScalar, context: TemplateContext): Rendered {
  const r = renderTemplate(scalar.text, context);
  if (!r.ok) return { scalar, value: null, unresolved: [], error: r.error };
  return { scalar, value: r.value, unresolved: r.unresolved, ...(r.preview !== undefined ? { preview: r.preview } : {}) };
}

/** The config's `env:` over `context.env`: entries see the outer environment only, as in GoReleaser. */
export function withConfigEnv(context: TemplateContext, entries: readonly TemplateScalar[]): { context: TemplateContext; rendered: Rendered[] } {
  const env: Record<string, string> = { ...context.env };
  const unknownEnv: Record<string, readonly string[]> = { ...(context.unknownEnv ?? {}) };
  const rendered = entries.map((e) => render(e, context));
  for (const r of rendered) {
    const key = (r.value ?? r.scalar.text).split('=')[0]!;
    if (!key || key.includes('{{')) continue;
    if (r.value !== null) {
      env[key] = r.value.slice(key.length + 1);
      delete unknownEnv[key];
    } else {
      unknownEnv[key] = r.error ? [`.Env.${key}`] : r.unresolved;
      delete env[key];
    }
  }
  return { context: { ...context, env, unknownEnv }, rendered };
}

/** skip_push (dockers, docker_manifests): "true" skips; "auto" skips pre-releases. disable (dockers_v2, kos): "true" skips. */
function skipOf(scalar: TemplateScalar | undefined, kind: 'skip_push' | 'disable', context: TemplateContext): { published: boolean | null; skip?: SkipReason } {
  if (!scalar) return { published: true };
  const r = renderTemplate(scalar.text, context);
  if (!r.ok || r.value === null) return { published: null };
  const v = r.value.trim().toLowerCase();
  if (v === 'true') return { published: false, skip: kind === 'disable' ? 'disabled' : 'skip_push' };
  if (kind === 'skip_push' && v === 'auto') {
    const pre = context.fields.Prerelease;
    if (typeof pre !== 'string') return { published: null };
    return pre ? { published: false, skip: 'prerelease' } : { published: true };
  }
  return { published: true };
}

function entrySkip(config: GoreleaserConfig, ref: ImageTemplateRef, context: TemplateContext): { published: boolean | null; skip?: SkipReason } {
  switch (ref.section) {
    case 'dockers':
      return skipOf(config.dockers[ref.index]?.skipPush, 'skip_push', context);
    case 'docker_manifests':
      return skipOf(config.dockerManifests[ref.index]?.skipPush, 'skip_push', context);
    case 'dockers_v2':
      return skipOf(config.dockersV2[ref.index]?.disable, 'disable', context);
    case 'kos':
      return skipOf(config.kos[ref.index]?.disable, 'disable', context);
  }
}

/**
 * A kos repository as ko pushes it (ko.ts): `KO_DOCKER_REPO` in its place when set, then ko's name
 * for the first repository. The rendered scalar stays in `parts` for the diagnostics about it.
 */
function koRepository(config: GoreleaserConfig, ref: ImageTemplateRef, context: TemplateContext, rendered: Rendered): Rendered {
  const ko = config.kos[ref.index];
  if (!ko || !ref.pair) return rendered;
  const fromEnv = koDockerRepo(context);
  const repo = fromEnv ?? rendered.value;
  if (repo === null || repo === '' || (fromEnv === undefined && rendered.error)) return rendered;
  const position =
    fromEnv !== undefined ? 0 : ko.repositories.findIndex((r) => r.range.start === ref.pair!.image.range.start && r.text === ref.pair!.image.text);
  const named = koImageName(config, ko, repo, Math.max(0, position), context);
  if ('name' in named) return { scalar: rendered.scalar, value: named.name, unresolved: [] };
  return { scalar: rendered.scalar, value: null, unresolved: [...named.unresolved], preview: `${repo}/<${named.unresolved.join(', ')}>` };
}

function resolveImage(text: string, config: GoreleaserConfig, ref: ImageTemplateRef, context: TemplateContext, parts: Rendered[]): ResolvedImage {
  const pieces = ref.pair ? [render(ref.pair.image, context), render(ref.pair.tag, context)] : [render(ref.scalar!, context)];
  parts.push(...pieces);
  if (ref.section === 'kos') pieces[0] = koRepository(config, ref, context, pieces[0]!);
  const failed = pieces.find((p) => p.error);
  const unresolved = [...new Set(pieces.flatMap((p) => p.unresolved))];
  const empty = pieces.some((p) => p.value === '');
  const entry = ref.role === 'manifest-input' ? undefined : entrySkip(config, ref, context);
  const publication = entry === undefined ? {} : empty ? { published: false, skip: 'empty' as const } : entry;
  if (failed)
    return { ...ref, reference: null, unresolved, error: { ...failed.error!, range: errorRange(text, failed.scalar, failed.error!.offset) }, ...publication };
  if (unresolved.length || empty) {
    const preview = pieces.every((p) => (p.value ?? p.preview) !== undefined) ? pieces.map((p) => p.value ?? p.preview).join(':') : undefined;
    return { ...ref, reference: null, unresolved, ...(preview !== undefined && !empty ? { preview } : {}), ...publication };
  }
  return { ...ref, reference: pieces.map((p) => p.value).join(':'), unresolved: [], ...publication };
}

const SOURCE_HINT: Record<ReturnType<typeof variableSource>, string> = {
  env: 'an environment variable of the release job',
  tag: 'the git tag being released',
  git: 'the git checkout',
  config: 'the configuration (project_name)',
  module: 'the go.mod of the module (beside the config)',
  clock: 'the time of the release',
  release: 'known only while GoReleaser runs',
};

function valueDiagnostics(text: string, parts: readonly Rendered[]): GoreleaserDiagnostic[] {
  const out: GoreleaserDiagnostic[] = [];
  const seen = new Set<number>();
  for (const p of parts) {
    if (seen.has(p.scalar.range.start) || p.scalar.defaulted) continue;
    seen.add(p.scalar.range.start);
    if (p.error && p.error.kind === 'exec') {
      out.push({
        code: 'template-error',
        severity: 'error',
        range: p.scalar.range,
        message: `\`${p.scalar.text}\` fails in GoReleaser: ${p.error.message}.`,
        related: [{ message: 'here', range: errorRange(text, p.scalar, p.error.offset) }],
      });
    } else if (p.unresolved.length) {
      const names = p.unresolved.map((n) => `${n} (${SOURCE_HINT[variableSource(n)]})`).join(', ');
      out.push({
        code: 'template-unresolved',
        severity: 'info',
        range: p.scalar.range,
        variables: p.unresolved,
        message: `\`${p.scalar.text}\` cannot be rendered without ${names}.`,
      });
    }
  }
  return out;
}

export function resolveRelease(analysis: GoreleaserAnalysis, base: TemplateContext): ResolvedRelease {
  const { config, text } = analysis;
  let context = base;
  if (config.projectName && !Object.hasOwn(base.fields, 'ProjectName'))
    context = { ...context, fields: { ...context.fields, ProjectName: config.projectName.text } };
  const withEnv = withConfigEnv(context, config.env);
  context = withEnv.context;
  const parts: Rendered[] = [...withEnv.rendered];
  const images = analysis.references.map((ref) => resolveImage(text, config, ref, context, parts));
  const signs = resolveSigns(config.dockerSigns, images, context);
  const diagnostics = valueDiagnostics(text, parts);
  for (const i of images) {
    if (i.reference === null || i.role === 'manifest-input') continue;
    try {
      parseRegistryReference(i.reference);
    } catch (e) {
      out(diagnostics, {
        code: 'reference-invalid',
        severity: 'warning',
        range: i.range,
        message: `\`${i.reference}\` is not a valid image reference: ${(e as Error).message}`,
      });
    }
  }
  diagnostics.push(...identityDiagnostics(signs));
  diagnostics.push(...manifestTrap(config, (m) => skipOf(m.skipPush, 'skip_push', context).published !== false));
  diagnostics.push(...koNameDiagnostics(config, images));
  diagnostics.sort((a, b) => a.range.start - b.range.start);
  return { context, images, signs, diagnostics };
}

/** A ko image whose name waits for the Go import path: say where that comes from. */
function koNameDiagnostics(config: GoreleaserConfig, images: readonly ResolvedImage[]): GoreleaserDiagnostic[] {
  const out: GoreleaserDiagnostic[] = [];
  const seen = new Set<number>();
  for (const i of images) {
    if (i.section !== 'kos' || !i.pair || i.pair.image.defaulted || !i.unresolved.includes(MODULE_PATH) || seen.has(i.range.start)) continue;
    seen.add(i.range.start);
    const ko = config.kos[i.index];
    out.push({
      code: 'ko-image-name',
      severity: 'info',
      range: i.range,
      variables: [MODULE_PATH],
      message: `ko pushes to this repository plus a name made from the Go import path of the main package (${ko?.preserveImportPaths ? 'the whole path' : ko?.baseImportPaths ? 'its last element' : 'its last element and the MD5 of the path'}); the import path needs the module of the go.mod beside this file, and no working_dir or build dir that could hold another module.`,
    });
  }
  return out;
}

function out(list: GoreleaserDiagnostic[], d: GoreleaserDiagnostic): void {
  if (!list.some((x) => x.code === d.code && x.range.start === d.range.start && x.message === d.message)) list.push(d);
}
