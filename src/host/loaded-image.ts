// One image as the release service has it, for the views that need it whole (the image panel,
// the diff view): loaded, or the reason it is not, as the LensError it was.
import { LensError } from '../core/errors';
import type { ErrorCode } from '../core/errors';
import type { ReleaseService } from '../releases/release-service';
import type { ImageLoad } from '../releases/types';

export type LoadedImage = Extract<ImageLoad, { status: 'loaded' }>;

/** Waits for `reference` (starting its load when needed); throws the load's failure, or ABORTED when `signal` ends the wait. */
export async function loadedImage(service: Pick<ReleaseService, 'ensure'>, reference: string, signal: AbortSignal): Promise<LoadedImage> {
  const load = await service.ensure(reference, signal);
  if (load.status === 'failed') {
    throw new LensError(load.failure.code as ErrorCode, load.failure.message, {
      ...(load.failure.registry ? { registry: load.failure.registry } : {}),
      ...(load.failure.retryAt ? { retryAt: load.failure.retryAt } : {}),
    });
  }
  if (load.status !== 'loaded') throw new LensError('ABORTED', 'The operation was cancelled.');
  return load;
}
