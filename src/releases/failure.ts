import { LensError } from '../core/errors';
import { secrets } from '../core/redact';
import type { LoadFailure } from './types';

/**
 * The facts of a failure, safe to put in a tree node: the LensError's code, its message (already
 * free of URLs with secrets, scrubbed once more of every known secret value), and for 401 and
 * 429 what the edge needs to offer "Sign in to <registry>" or "retry at ...".
 */
export function loadFailure(e: unknown, registry?: string): LoadFailure {
  if (e instanceof LensError) {
    const reg = typeof e.details.registry === 'string' ? e.details.registry : registry;
    const retryAt = typeof e.details.retryAt === 'string' ? e.details.retryAt : undefined;
    return { code: e.code, message: secrets.scrub(e.message), ...(reg ? { registry: reg } : {}), ...(retryAt ? { retryAt } : {}) };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: secrets.scrub(message), ...(registry ? { registry } : {}) };
}

export function isAbort(e: unknown): boolean {
  return (e instanceof LensError && e.code === 'ABORTED') || (e instanceof Error && e.name === 'AbortError');
}
