import type { Artifact, ImageGraph } from '../model/image-graph';
import { MediaType } from '../registry/media-types';
import { humanSize, terminalText, short } from './format';

/**
 * The graph as a tree, recursive all the way down (unlike `cosign tree`): the index and
 * what covers it, each platform and what covers it, artifacts about artifacts, then
 * entries we did not recognise and the parts that could not be read.
 */
export function renderTree(g: ImageGraph): string {
  const lines: string[] = [];
  lines.push(`${terminalText(g.reference)}`);
  lines.push(`${g.digest}  ${describeType(g.mediaType)}  ${humanSize(g.size)}`);
  const byCover = new Map<string, Artifact[]>();
  for (const a of g.artifacts) {
    if (a.depth) continue;
    const list = byCover.get(a.coversDigest) ?? [];
    list.push(a);
    byCover.set(a.coversDigest, list);
  }
  type Node = { label: string; children: Node[] };
  const artifactNode = (a: Artifact): Node => ({
    label: artifactLabel(a),
    children: g.artifacts.filter((x) => x.depth && x.coversDigest === a.digest).map(artifactNode),
  });
  const nodes: Node[] = [];
  const indexArtifacts = byCover.get(g.digest) ?? [];
  if (g.kind === 'index') {
    nodes.push({
      label: `index ${short(g.digest)}`,
      children: indexArtifacts.length
        ? indexArtifacts.map(artifactNode)
        : [{ label: 'no signatures, attestations or SBOMs on the index digest', children: [] }],
    });
  }
  for (const n of g.indexes ?? []) {
    const own = byCover.get(n.digest) ?? [];
    nodes.push({
      label: `nested index ${short(n.digest)}${n.platform ? ` (${terminalText(n.platform)})` : ''}${n.via.length ? ` via ${n.via.map(short).join(' > ')}` : ''}`,
      children: own.map(artifactNode),
    });
  }
  for (const p of g.platforms) {
    const own = g.kind === 'index' ? (byCover.get(p.digest) ?? []) : indexArtifacts;
    const via = p.via?.length ? `  via ${p.via.map(short).join(' > ')}` : '';
    const unexamined = p.problem ? `  NOT EXAMINED [${p.problem.code}]` : '';
    nodes.push({
      label: `${terminalText(p.platform)}${p.osVersion ? ` (${terminalText(p.osVersion)})` : ''}  ${short(p.digest)}  ${humanSize(p.imageSize)}${via}${unexamined}`,
      children: own.length
        ? own.map(artifactNode)
        : [{ label: g.kind === 'index' ? 'nothing attached to this platform digest' : 'no signatures, attestations or SBOMs', children: [] }],
    });
  }
  for (const o of g.others) nodes.push({ label: `other ${short(o.digest)} ${terminalText(o.mediaType)}: ${terminalText(o.note)}`, children: [] });
  for (const p of g.problems) nodes.push({ label: `! ${terminalText(p.at)}: ${terminalText(p.message)} [${p.code}]`, children: [] });

  const walk = (list: Node[], prefix: string) => {
    list.forEach((n, i) => {
      const last = i === list.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${n.label}`);
      walk(n.children, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  walk(nodes, '');
  return `${lines.join('\n')}\n`;
}

function artifactLabel(a: Artifact): string {
  const where =
    a.format === 'cosign-tag'
      ? `cosign tag ${shortTag(a.tag)}`
      : a.format === 'referrer'
        ? `referrer (${a.discovery === 'referrers-api' ? 'API' : a.discovery === 'layout' ? 'layout' : `tag ${shortTag(a.tag)}`})`
        : 'BuildKit, in the index, unsigned';
  const what = a.predicateType ? `${a.kind} ${terminalText(a.predicateType)}` : a.kind;
  return `${what}  ${where}  ${short(a.digest)}`;
}

function describeType(mt: string): string {
  switch (mt) {
    case MediaType.ociIndex:
      return 'OCI image index';
    case MediaType.dockerManifestList:
      return 'Docker manifest list';
    case MediaType.ociManifest:
      return 'OCI image manifest';
    case MediaType.dockerManifest:
      return 'Docker image manifest v2';
    default:
      return terminalText(mt || 'unknown media type');
  }
}

/** `sha256-<64 hex>.sig` -> `sha256-0123456789ab….sig`: the full tag is in --json. */
function shortTag(tag: string | undefined): string {
  if (!tag) return 'schema';
  return tag.replace(/^(sha(?:256|512)-[0-9a-f]{12})[0-9a-f]+/, '$1…');
}
