// The reference a written image reference is known by in the release service. Pure (no vscode).
import type { ReferenceSite } from '../references/types';
import { serviceReference } from '../releases/image-list';

/** A site with the reference the release service knows it by (null: unresolved or not valid). */
export function siteReference(site: ReferenceSite): string | null {
  return site.unresolved?.length ? null : serviceReference(site);
}
