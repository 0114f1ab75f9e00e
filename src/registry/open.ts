import type { ImageReference } from './reference';
import { formatReference } from './reference';
import type { ContentSource } from './source';
import type { GraphTarget } from './graph';
import type { RegistryClient } from './client';
import { LayoutSource } from './layout-source';
import { atPriority } from './priority-source';

/**
 * The content source and graph target for a parsed reference (registry or local layout). With
 * `priority`, the source's requests take that turn among the registry's (FetchOptions.priority).
 */
export function openReference(ref: ImageReference, client: RegistryClient, priority?: number): { source: ContentSource; target: GraphTarget } {
  const reference = formatReference(ref);
  if (ref.kind === 'oci-layout') {
    const target: GraphTarget = { reference, source: 'oci-layout', repository: ref.path };
    if (ref.tag) target.tag = ref.tag;
    if (ref.digest) target.digest = ref.digest;
    return { source: new LayoutSource(ref.path, { maxManifestBytes: client.limits.manifestBytes, maxBlobBytes: client.limits.jsonBlobBytes }), target };
  }
  const target: GraphTarget = { reference, source: 'registry', registry: ref.registry, repository: ref.repository };
  if (ref.tag) target.tag = ref.tag;
  if (ref.digest) target.digest = ref.digest;
  const source = client.source(ref.registry);
  return { source: priority === undefined ? source : atPriority(source, priority), target };
}
