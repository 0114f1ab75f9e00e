/**
 * Which reader a file needs, from its path and name as an editor's file associations would say,
 * then from its content: Dockerfiles (`Dockerfile*`, `*.dockerfile`, `Containerfile*`), compose
 * files (`compose*.y*ml`, `docker-compose*.y*ml`), GoReleaser configs (`.goreleaser*.y*ml`),
 * workflows (`.github/workflows/*.y*ml`), kustomizations, Helm values (`values*.y*ml`), and any
 * other YAML whose documents carry `apiVersion` and `kind` (Kubernetes manifests, chart templates).
 */
import type { FileKind } from './types';

const DOCKERFILE = /^(?:docker|container)file(?:\..+)?$|\.(?:docker|container)file$/i;
const IGNORE_FILE = /\.(?:docker|container)ignore$/i;
const GORELEASER = /^\.?goreleaser(?:\.[\w-]+)*\.ya?ml$/i;
const COMPOSE = /^(?:docker-)?compose[^/]*\.ya?ml$/i;
const KUSTOMIZATION = /^kustomization(?:\.ya?ml)?$/i;
const HELM_VALUES = /^values[^/]*\.ya?ml$/i;
const YAML = /\.ya?ml$/i;
const WORKFLOW = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i;

/** A path's name, with either separator. */
function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * The kind a name alone decides; `yaml` for YAML that only its content can decide (read it and call
 * `fileKind` with the text); undefined for files that hold no image references.
 */
export function kindByName(path: string): FileKind | 'yaml' | undefined {
  const name = baseName(path);
  if (WORKFLOW.test(path.replace(/\\/g, '/'))) return 'github-workflow';
  if (IGNORE_FILE.test(name)) return undefined;
  if (DOCKERFILE.test(name)) return 'dockerfile';
  if (GORELEASER.test(name)) return 'goreleaser';
  if (COMPOSE.test(name)) return 'compose';
  if (KUSTOMIZATION.test(name)) return 'kustomization';
  if (HELM_VALUES.test(name)) return 'helm-values';
  return YAML.test(name) ? 'yaml' : undefined;
}

/** Top-level `apiVersion:` and `kind:` lines in one document of the stream. */
const API_VERSION = /^apiVersion:[ \t]*\S/m;
const KIND = /^kind:[ \t]*["']?(\w+)/m;

/** The kind of a file from its path and, for YAML the name does not decide, its text. */
export function fileKind(path: string, text?: string): FileKind | undefined {
  const byName = kindByName(path);
  if (byName !== 'yaml') return byName;
  if (text === undefined || !API_VERSION.test(text)) return undefined;
  const kind = KIND.exec(text)?.[1];
  if (kind === undefined) return undefined;
  return kind === 'Kustomization' || kind === 'Component' ? 'kustomization' : 'kubernetes';
}
