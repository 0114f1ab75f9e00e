// What the diff view compares with: the engine of `provenance-lens diff` over the release
// service's images (src/host/release-diff.ts), made into the view's model. Both are loaded on the
// first comparison, not at activation.
import type { HostLog } from '../host/log';
import type { ReleaseDiffSources } from '../host/release-diff';
import type { DiffPanelDeps } from './diff-panel';

export function diffDeps(sources: ReleaseDiffSources, log: HostLog): DiffPanelDeps {
  return {
    async compare(oldReference, newReference, request) {
      const [{ compareReleases }, { toPanelDiff }] = await Promise.all([import('../host/release-diff.js'), import('./model-diff.js')]);
      const { diff, digests } = await compareReleases(sources, oldReference, newReference, request);
      return toPanelDiff(diff, digests);
    },
    log: { info: (m) => log.logger.info(m), warn: (m) => log.logger.warn(m) },
  };
}
