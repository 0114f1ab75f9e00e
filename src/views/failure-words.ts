// What an image that could not be read says: a few words for its row, a title for the node that
// says what to do, one notification line. Pure (no vscode), so the exact strings are unit-tested.
import { safeText as oneLine } from '../releases/artifact-words';
import type { LoadFailure } from '../releases/types';
import { sentence } from './verdict-text';

/** A failed image's description: short, the node below says what to do. */
export function failureShort(f: LoadFailure): string {
  switch (f.code) {
    case 'UNAUTHORIZED':
      return 'sign-in required';
    case 'RATE_LIMITED':
      return 'rate limited';
    case 'DENIED':
      return 'access denied';
    case 'NOT_FOUND':
    case 'MANIFEST_UNKNOWN':
      return 'not found';
    default:
      return 'could not be read';
  }
}

/** What to do, for the codes that say it; undefined for the others (their message says it). */
function action(f: LoadFailure): string | undefined {
  switch (f.code) {
    case 'UNAUTHORIZED':
      return f.registry ? `Sign in to ${f.registry}` : 'Sign in to the registry';
    case 'RATE_LIMITED':
      return `Rate limited${f.registry ? ` by ${f.registry}` : ''}, retry at ${f.retryAt ? new Date(f.retryAt).toLocaleTimeString() : 'a later time'}`;
    case 'DENIED':
      return `Access denied${f.registry ? ` by ${f.registry}` : ''}`;
    case 'NOT_FOUND':
    case 'MANIFEST_UNKNOWN':
      return 'Not found in the registry';
    default:
      return undefined;
  }
}

/** The label of a failure node: what to do, else the message's first sentence (not the stack). */
export function failureTitle(f: LoadFailure): string {
  return action(f) ?? oneLine(f.message.split(/(?<=\.)\s/)[0] ?? f.message, 120);
}

/**
 * The notification of a lookup that failed: the reference, what to do when the code says it,
 * then the registry's message once (`x: Not found in the registry. Manifest … was not found.`),
 * never the message's first sentence twice.
 */
export function failureNotice(reference: string, f: LoadFailure): string {
  const message = oneLine(f.message, 2000);
  const todo = action(f);
  return todo === undefined ? `${reference}: ${message}` : `${reference}: ${todo}. ${sentence(message)}`;
}
