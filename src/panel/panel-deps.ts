// What the image panel loads for a reference: the release service's graph and
// verification (shared with the tree and the hovers, so one image is read once), plus its
// provenance read on demand. A refresh from the panel re-reads the image everywhere.
import { LensError } from '../core/errors';
import type { ImagePanelDeps, ImageSources } from './image-panel';
import type { ReleaseService } from '../releases/release-service';
import { isAbort } from '../releases/failure';
import type { Engines } from '../host/engines';
import type { HostLog } from '../host/log';
import { loadedImage } from '../host/loaded-image';
import type { ExternalAttestations } from '../host/external-attestations';

export function panelDeps(service: ReleaseService, engines: Engines, log: HostLog, attestations?: Pick<ExternalAttestations, 'bundlesOf'>): ImagePanelDeps {
  return {
    async load(reference, request): Promise<ImageSources> {
      if (request.refresh) service.refresh(reference);
      const load = await loadedImage(service, reference, request.signal);
      const sources: { -readonly [K in keyof ImageSources]: ImageSources[K] } = { graph: load.graph };
      if (load.verification) sources.verification = load.verification;
      if (load.verificationFailure) sources.verificationFailure = { code: load.verificationFailure.code, message: load.verificationFailure.message };
      try {
        sources.provenance = await engines.provenance(load.graph, undefined, request.signal, attestations?.bundlesOf(load.graph));
      } catch (e) {
        if (request.signal.aborted || isAbort(e)) throw e;
        sources.provenanceFailure = { code: e instanceof LensError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      }
      return sources;
    },
    log: { info: (m) => log.logger.info(m), warn: (m) => log.logger.warn(m) },
  };
}
