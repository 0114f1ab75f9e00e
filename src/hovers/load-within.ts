// A bounded wait for one image's shared load: the release service caches the load (a promise per
// reference), so a hover that gives up after `ms` leaves it running and the next hover answers from
// it. The caller's signal ends the wait, never the load (the Releases view and the lenses share it).
// Pure (no vscode).
import type { GoreleaserFeatureDeps } from './deps';
import { loadSettled } from '../releases/types';
import type { ImageLoad } from '../releases/types';

/** The load of `reference`, waited for at most `ms` (or until `signal` aborts). */
export async function loadWithin(service: GoreleaserFeatureDeps['service'], reference: string, ms: number, signal: AbortSignal): Promise<ImageLoad> {
  const current = service.peek(reference);
  if (loadSettled(current) || signal.aborted) return current;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // No signal for the load itself: it is shared and cached; only the wait is bounded.
    await Promise.race([service.ensure(reference).catch(() => undefined), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  return service.peek(reference);
}
