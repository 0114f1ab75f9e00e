// Where a goreleaser config names the images it publishes, for their Problems entries: each
// rendered reference (as the release service knows it) on the template that makes it. Images an
// entry skips (skip_push, disable, an empty name) are not published, so they get none. Pure.
import type { ResolvedRelease } from '../goreleaser/resolve';
import type { SourceRange } from '../goreleaser/types';
import { serviceReference } from '../releases/image-list';
import type { ImageSite } from './image-diagnostics';

export function goreleaserImageSites(release: ResolvedRelease): ImageSite<SourceRange>[] {
  return release.images.filter((i) => i.published !== false).map((i) => ({ reference: serviceReference(i), range: i.range }));
}
