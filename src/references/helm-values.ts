/**
 * Images of a Helm chart's values file, composed the way chart templates compose them
 * (`{{ .registry }}/{{ .repository }}:{{ .tag | default .Chart.AppVersion }}@{{ .digest }}`, the
 * convention of `helm create` and of Bitnami's common.images.image):
 *
 * - a mapping with a `repository` string and a `registry`, `tag`, `digest` or `sha` key, or one
 *   under a key naming an image (`image`, `agentImage`), is one image; so is a string under such a key;
 * - a non-empty global registry (`global.imageRegistry`, `global.registry`,
 *   `global.cattle.systemDefaultRegistry`) replaces the image's registry; an empty one changes nothing;
 * - an empty tag is the chart's `appVersion` (Chart.yaml beside the file); without one the reference
 *   has no tag and `unresolved: ["tag"]`, never `latest`;
 * - `digest`/`sha` pins it (`sha256:` is added to a bare hex `sha`, as templates write `@sha256:{{ .sha }}`).
 *
 * The reference is reported at the `repository:` value.
 */
import type { Node, Scalar, YAMLMap } from 'yaml';
import { isMap, isScalar } from 'yaml';
import type { YamlSource } from '../goreleaser/yaml-source';
import type { LineIndex } from './positions';
import { site } from './positions';
import { goTemplateActions } from './templates';
import type { FileReferences, KeyRange, ReferenceOptions, ReferenceSite } from './types';
import type { SiteList } from './yaml-nodes';
import { SiteList as Sites, contentRange, entries, getMap, getScalar, getText, parseYamlDocuments, scalarText } from './yaml-nodes';

const IMAGE_KEY = /image$/i;
const PARTS = ['registry', 'repository', 'tag', 'digest', 'sha'] as const;
const MAX_DEPTH = 32;

function globalRegistry(source: YamlSource, root: YAMLMap): string | undefined {
  const global = getMap(source, root, 'global');
  if (!global) return undefined;
  const cattle = getMap(source, global, 'cattle');
  for (const v of [getText(source, global, 'imageRegistry'), getText(source, global, 'registry'), cattle && getText(source, cattle, 'systemDefaultRegistry')]) {
    if (v && v.trim()) return v.trim();
  }
  return undefined;
}

class ValuesReader {
  constructor(
    private readonly source: YamlSource,
    private readonly lines: LineIndex,
    private readonly list: SiteList,
    private readonly registry: string | undefined,
    private readonly appVersion: string | undefined,
  ) {}

  walk(node: Node, path: string[], depth: number): void {
    if (depth > MAX_DEPTH || !isMap(node)) return;
    for (const [key, value] of entries(this.source, node)) {
      const here = [...path, key];
      if (isMap(value) && this.isImage(value, key)) this.image(value, here.join('.'));
      else if (isScalar(value) && IMAGE_KEY.test(key) && typeof value.value === 'string') this.list.add(value, here.join('.'), (raw) => this.templated(raw));
      else this.walk(value, here, depth + 1);
    }
  }

  private isImage(map: YAMLMap, key: string): boolean {
    const repository = getScalar(this.source, map, 'repository');
    if (!repository || typeof repository.value !== 'string') return false;
    return IMAGE_KEY.test(key) || ['registry', 'tag', 'digest', 'sha'].some((k) => getScalar(this.source, map, k) !== undefined);
  }

  private templated(raw: string): { reference: string | null; unresolved?: readonly string[] } {
    const actions = goTemplateActions(raw);
    return actions.length ? { reference: null, unresolved: actions } : { reference: raw.trim() };
  }

  private image(map: YAMLMap, via: string): void {
    const scalars: Partial<Record<(typeof PARTS)[number], Scalar>> = {};
    for (const k of PARTS) {
      const s = getScalar(this.source, map, k);
      if (s) scalars[k] = s;
    }
    const value = (k: (typeof PARTS)[number]): string => {
      const s = scalars[k];
      return s ? (scalarText(s) ?? '').trim() : '';
    };
    const anchor = scalars.repository!;
    const repository = value('repository');
    if (!repository || !anchor.range || !this.list.once(anchor.range[0])) return;
    const registry = this.registry ?? value('registry');
    const sha = value('sha');
    const digest = value('digest') || (/^[a-f0-9]{64}$/.test(sha) ? `sha256:${sha}` : sha);
    const written = value('tag');
    const tag = written || this.appVersion || '';
    const unresolved: string[] = [];
    if (!tag && !digest) unresolved.push('tag');
    const raw = `${value('registry') ? `${value('registry')}/` : ''}${repository}${written ? `:${written}` : ''}${value('digest') || sha ? `@${value('digest') || sha}` : ''}`;
    let reference: string | null = `${registry ? `${registry.replace(/\/+$/, '')}/` : ''}${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
    const actions = goTemplateActions(reference);
    if (actions.length) {
      reference = null;
      unresolved.push(...actions);
    }
    const keys: Record<string, KeyRange> = {};
    for (const [k, s] of Object.entries(scalars)) if (s.range) keys[k] = this.lines.keyRange(contentRange(s).start, contentRange(s).end);
    const at = contentRange(anchor);
    this.list.sites.push(site(this.lines, { reference, raw, ...at, via, unresolved, keys }) as ReferenceSite);
  }
}

export function helmValuesReferences(text: string, lines: LineIndex, options: ReferenceOptions): FileReferences {
  const { sources, problems } = parseYamlDocuments(text, lines);
  const list = new Sites(lines);
  for (const source of sources) {
    const root = source.doc.contents;
    if (!isMap(root)) continue;
    new ValuesReader(source, lines, list, globalRegistry(source, root), options.appVersion?.trim() || undefined).walk(root, [], 0);
  }
  return { kind: 'helm-values', references: list.sites, problems };
}
