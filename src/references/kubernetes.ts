/**
 * Images of Kubernetes manifests, every document of the stream: `containers`, `initContainers` and
 * `ephemeralContainers` of any workload (a Pod spec wherever it sits: Deployment, DaemonSet, Job,
 * CronJob's `jobTemplate`, custom resources embedding one), and image volumes
 * (`volumes[].image.reference`, https://kubernetes.io/docs/concepts/storage/volumes/#image).
 * ConfigMaps, Secrets and CustomResourceDefinitions hold strings and schemas, not images.
 * A Helm chart template that is not YAML until rendered is scanned line by line (templates.ts).
 */
import type { Node, YAMLMap } from 'yaml';
import { isMap, isSeq } from 'yaml';
import type { YamlSource } from '../goreleaser/yaml-source';
import type { LineIndex } from './positions';
import { goTemplateActions, scanImageLines } from './templates';
import type { FileReferences } from './types';
import type { SiteList } from './yaml-nodes';
import { SiteList as Sites, entries, getMap, getScalar, getText, items, parseYamlDocuments } from './yaml-nodes';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const NOT_WORKLOADS = new Set(['ConfigMap', 'Secret', 'CustomResourceDefinition']);
const MAX_DEPTH = 64;

const templated = (raw: string) => {
  const actions = goTemplateActions(raw);
  return actions.length ? { reference: null, unresolved: actions } : { reference: raw.trim() };
};

function walk(source: YamlSource, node: Node, where: string, list: SiteList, depth: number): void {
  if (depth > MAX_DEPTH || !isMap(node)) {
    if (isSeq(node) && depth <= MAX_DEPTH) for (const i of items(source, node)) walk(source, i, where, list, depth + 1);
    return;
  }
  for (const [key, value] of entries(source, node)) {
    if (CONTAINER_LISTS.includes(key) && isSeq(value)) {
      for (const c of items(source, value)) {
        if (!isMap(c)) continue;
        const image = getScalar(source, c, 'image');
        const name = getText(source, c, 'name') ?? '?';
        if (image) list.add(image, `${where} ${key}[${name}]`, templated);
      }
      continue;
    }
    if (key === 'volumes' && isSeq(value)) {
      for (const v of items(source, value)) {
        if (!isMap(v)) continue;
        const image = getMap(source, v, 'image');
        const reference = image ? getScalar(source, image, 'reference') : undefined;
        const name = getText(source, v, 'name') ?? '?';
        if (reference) list.add(reference, `${where} volumes[${name}].image`, templated);
      }
      continue;
    }
    walk(source, value, where, list, depth + 1);
  }
}

function documentName(source: YamlSource, root: YAMLMap): { kind: string; name: string } {
  const metadata = getMap(source, root, 'metadata');
  return { kind: getText(source, root, 'kind') ?? '?', name: (metadata && getText(source, metadata, 'name')) ?? '?' };
}

export function kubernetesReferences(text: string, lines: LineIndex): FileReferences {
  const { sources, problems } = parseYamlDocuments(text, lines);
  if (problems.length) {
    return {
      kind: 'kubernetes',
      references: scanImageLines(text, lines),
      problems: [{ ...problems[0]!, message: `${problems[0]!.message} (not YAML as written, a chart template?): image: values were read line by line` }],
    };
  }
  const list = new Sites(lines);
  for (const source of sources) {
    const root = source.doc.contents;
    if (!isMap(root)) continue;
    const { kind, name } = documentName(source, root);
    if (NOT_WORKLOADS.has(kind)) continue;
    walk(source, root, `${kind}/${name}`, list, 0);
  }
  return { kind: 'kubernetes', references: list.sites, problems };
}
