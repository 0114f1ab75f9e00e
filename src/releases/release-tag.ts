import type { Release } from './types';

/**
 * The git tag of the GoReleaser release that publishes `reference`, which `{{tag}}` in the policy
 * stands for (an image tagged `1.2.0` or `latest` by the release `v1.2.0` was still built from
 * `refs/tags/v1.2.0`). Undefined when no rendered release lists it, or when two releases
 * rendered for different tags both do: then the image's own tag is used, as for an image
 * checked by hand.
 */
export function releaseTagOf(releases: readonly Release[], reference: string): string | undefined {
  const tags = new Set<string>();
  for (const r of releases) {
    if (r.origin !== 'goreleaser' || r.tag === undefined) continue;
    if (r.images.some((i) => i.reference === reference)) tags.add(r.tag);
  }
  return tags.size === 1 ? [...tags][0] : undefined;
}
