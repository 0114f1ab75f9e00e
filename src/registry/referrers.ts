import type { ContentSource } from './source';
import type { Descriptor } from '../model/oci';
import { digestTag } from './digest';

export interface DiscoveredReferrers {
  descriptors: Descriptor[];
  discovery: 'referrers-api' | 'referrers-tag-schema' | 'layout';
  tag?: string;
  /** Why the listing stopped before its end (a registry paging for ever). */
  unfinished?: string;
}

/**
 * OCI 1.1 referrers of a digest: through the API, or, where the registry does not
 * implement it, through the referrers tag schema, an index at tag `sha256-<hex>`
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema).
 * Descriptors whose `subject` cannot be confirmed here are still listed: verification
 * checks the subject of each referrer it reads.
 */
export async function discoverReferrers(
  source: ContentSource,
  repository: string,
  digest: string,
  signal?: AbortSignal,
  knownTags?: Set<string>,
  limit?: number,
): Promise<DiscoveredReferrers> {
  const viaApi = await source.referrers(repository, digest, { signal, ...(limit !== undefined ? { limit } : {}) });
  if (viaApi !== undefined) {
    return {
      descriptors: viaApi,
      discovery: source.kind === 'oci-layout' ? 'layout' : 'referrers-api',
      ...(viaApi.unfinished ? { unfinished: viaApi.unfinished } : {}),
    };
  }
  const tag = digestTag(digest);
  if (knownTags && !knownTags.has(tag)) return { descriptors: [], discovery: 'referrers-tag-schema' };
  const index = await source.getManifest(repository, tag, { signal, optional: true });
  if (!index) return { descriptors: [], discovery: 'referrers-tag-schema' };
  return { descriptors: index.kind === 'index' ? index.index.manifests : [], discovery: 'referrers-tag-schema', tag };
}
