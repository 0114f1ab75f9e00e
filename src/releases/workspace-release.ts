/**
 * The workspace's image references as one release of the Releases view, "Workspace images":
 * each reference a Dockerfile, compose file, Kubernetes manifest, kustomization, Helm values file
 * or workflow names (src/references), in file order, the file it is written in kept so the tree
 * groups them by file. Listing them asks no registry anything: an image is read when its node is
 * drawn under an expanded file, or hovered. Pure.
 */
import type { IndexedFile } from '../references/workspace-index';
import { serviceReference } from './image-list';
import type { Release, ReleaseImageSpec } from './types';

export const WORKSPACE_RELEASE_ID = 'workspace';

function spec(file: string, s: IndexedFile['references'][number]): ReleaseImageSpec {
  const base = { file, line: s.line, column: s.column, origin: s.via, template: s.raw };
  const reference = s.unresolved?.length ? null : serviceReference(s);
  if (reference !== null) return { ...base, reference };
  return { ...base, reference: null, unresolved: s.unresolved ?? [], ...(s.reference !== null ? { preview: s.reference } : {}) };
}

/** The release, or undefined when no file names an image. Each reference once per file. */
export function workspaceRelease(files: readonly IndexedFile[]): Release | undefined {
  const images: ReleaseImageSpec[] = [];
  for (const f of files) {
    const seen = new Set<string>();
    for (const s of f.references) {
      const image = spec(f.file, s);
      const key = image.reference ?? `${image.line}:${image.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      images.push(image);
    }
  }
  if (images.length === 0) return undefined;
  return { id: WORKSPACE_RELEASE_ID, origin: 'workspace', name: '', images };
}
