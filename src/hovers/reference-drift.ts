// Digest drift of a written pin (src/fixes/pin-digest.ts), from what the release service has read:
// the pinned image's verdict (when the policy names it) and the digest its tag points to now (read
// when the reference is hovered). Nothing is read here. Pure (no vscode).
import type { Drift } from '../fixes/pin-digest';
import { digestDrift, driftMessage, tagOf } from '../fixes/pin-digest';
import type { ReferenceSite } from '../references/types';
import { serviceReference } from '../releases/image-list';
import type { ImageLoad } from '../releases/types';
import { causesOf } from '../releases/verification';
import { VERDICTS } from '../model/verdict';
import { siteReference } from './site-reference';

export interface SiteDriftResult {
  readonly drift: Drift;
  readonly message: string;
}

export type SiteDrift = (site: ReferenceSite) => SiteDriftResult | undefined;

export function siteDrift(peek: (reference: string) => ImageLoad, coverage: (reference: string) => boolean | undefined): SiteDrift {
  return (site) => {
    const reference = siteReference(site);
    if (reference === null || site.reference === null || !site.reference.includes('@')) return undefined;
    const tag = serviceReference({ reference: tagOf(site.reference) ?? null });
    const tagLoad = tag === null ? undefined : peek(tag);
    const current = tagLoad?.status === 'loaded' ? tagLoad.graph.digest : undefined;
    const load = peek(reference);
    let failed: string | undefined;
    if (coverage(reference) === true && load.status === 'loaded' && load.verification !== undefined) {
      const { state } = load.verification.verdict;
      if (state !== 'verified' && state !== 'excepted') failed = causesOf(load.verification)[0]?.message ?? VERDICTS[state].long;
    }
    const drift = digestDrift(site.reference, current, failed);
    return drift === undefined ? undefined : { drift, message: driftMessage(drift) };
  };
}
