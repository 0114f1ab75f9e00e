/**
 * Every image reference a config can push, as templates with the scalars they come from.
 * dockers_v2 pushes `images` x `tags` (internal/pipe/docker/v2 makeImageList) and kos pushes
 * `repositories` x `tags`; dockers and docker_manifests name whole references. Top-level build
 * `tags` are Go build tags, not image tags, and are never read here.
 */
import { parseRegistryReference } from '../registry/reference';
import type { DockerEntry, GoreleaserConfig } from './config';
import type { ImageTemplateRef, TemplateScalar } from './types';

const normActions = (t: string): string => t.replace(/\{\{-?\s*/g, '{{').replace(/\s*-?\}\}/g, '}}');

/**
 * An image template with its repository normalised as distribution/reference does, when the
 * repository part holds no template: `docker.io/aquasec/trivy:{{ .Version }}` and
 * `aquasec/trivy:{{.Version}}` name one repository (trivy writes both).
 */
function imageKey(template: string): string {
  const t = normActions(template.trim());
  const actions: string[] = [];
  // Actions are masked (NUL-delimited indexes) so a `:` or `/` inside one never splits the name.
  const masked = t.replace(/\{\{.*?\}\}/gs, (a) => `\u0000${actions.push(a) - 1}\u0000`);
  const colon = masked.lastIndexOf(':');
  const split = colon > masked.lastIndexOf('/') ? colon : masked.length;
  const repository = masked.slice(0, split);
  const unmask = (s: string): string =>
    s
      .split('\u0000')
      .map((part, i) => (i % 2 === 1 ? actions[Number(part)]! : part))
      .join('');
  if (repository.includes('\u0000') || repository.includes('@')) return t;
  try {
    const r = parseRegistryReference(repository);
    return `${r.registry}/${r.repository}${unmask(masked.slice(split))}`;
  } catch {
    return t;
  }
}

/** Image templates naming the same image: actions compared ignoring spaces and trim markers, repositories normalised. */
export function sameTemplate(a: string, b: string): boolean {
  return normActions(a) === normActions(b) || imageKey(a) === imageKey(b);
}

/** `--platform=linux/arm64/v8` (or `--platform linux/arm64`) among build flags, else goos/goarch/goarm. */
export function dockerPlatforms(d: DockerEntry): string[] {
  const flags = d.buildFlags.map((f) => f.text.trim());
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    const value = f.startsWith('--platform=') ? f.slice('--platform='.length) : f === '--platform' ? flags[i + 1] : undefined;
    if (value)
      return value
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
  }
  return [`${d.goos}/${d.goarch}${d.goarch === 'arm' && d.goarm ? `/v${d.goarm}` : ''}`];
}

/** The dockers entries that build an image template a manifest lists. */
export function buildersOf(config: GoreleaserConfig, template: string): DockerEntry[] {
  return config.dockers.filter((d) => d.imageTemplates.some((t) => sameTemplate(t.text, template)));
}

const pair = (image: TemplateScalar, tag: TemplateScalar): { template: string; pair: { image: TemplateScalar; tag: TemplateScalar } } => ({
  template: `${image.text}:${tag.text}`,
  pair: { image, tag },
});

export function imageReferences(config: GoreleaserConfig): ImageTemplateRef[] {
  const refs: ImageTemplateRef[] = [];
  const id = (v: string | undefined): { id?: string } => (v === undefined ? {} : { id: v });
  for (const d of config.dockers) {
    const platforms = dockerPlatforms(d);
    for (const t of d.imageTemplates)
      refs.push({ section: 'dockers', index: d.index, ...id(d.id), role: 'image', template: t.text, range: t.range, scalar: t, platforms });
  }
  for (const m of config.dockerManifests) {
    const inputs = m.imageTemplates.map((t) => ({ t, platforms: [...new Set(buildersOf(config, t.text).flatMap(dockerPlatforms))] }));
    if (m.name) {
      const platforms = [...new Set(inputs.flatMap((i) => i.platforms))];
      refs.push({
        section: 'docker_manifests',
        index: m.index,
        ...id(m.id),
        role: 'manifest',
        template: m.name.text,
        range: m.name.range,
        scalar: m.name,
        platforms,
      });
    }
    for (const { t, platforms } of inputs) {
      refs.push({ section: 'docker_manifests', index: m.index, ...id(m.id), role: 'manifest-input', template: t.text, range: t.range, scalar: t, platforms });
    }
  }
  for (const d of config.dockersV2) {
    const platforms = d.platforms.map((p) => p.text);
    for (const image of d.images) {
      for (const tag of d.tags)
        refs.push({ section: 'dockers_v2', index: d.index, ...id(d.id), role: 'image', ...pair(image, tag), range: image.range, platforms });
    }
  }
  for (const k of config.kos) {
    const platforms = k.platforms.map((p) => p.text);
    for (const repo of k.repositories) {
      for (const tag of k.tags) refs.push({ section: 'kos', index: k.index, ...id(k.id), role: 'image', ...pair(repo, tag), range: repo.range, platforms });
    }
  }
  return refs;
}

const within = (offset: number, s: TemplateScalar | undefined): boolean =>
  s !== undefined &&
  !s.defaulted &&
  ((offset >= s.range.start && offset <= s.range.end) || (s.aliasRange !== undefined && offset >= s.aliasRange.start && offset <= s.aliasRange.end));

/**
 * The references a position in the file belongs to (for a hover): the scalar under the cursor, or an
 * alias that leads to it. A tag list shared through an anchor belongs to every entry that uses it.
 */
export function referencesAt(refs: readonly ImageTemplateRef[], offset: number): ImageTemplateRef[] {
  return refs.filter((r) => within(offset, r.scalar) || within(offset, r.pair?.image) || within(offset, r.pair?.tag));
}
