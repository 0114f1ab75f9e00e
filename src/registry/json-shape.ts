import { LensError } from '../core/errors';
import { jsonShapeExceeds } from '../core/json-shape';

/** Manifests, tag lists, image configs, envelopes and token answers nest a handful of levels. */
export const MAX_JSON_DEPTH = 64;
/** A 10,000-entry index holds about 100,000 values; ten times that is still a real document. */
export const MAX_JSON_VALUES = 1_000_000;

/**
 * Refuses registry JSON nested deeper than MAX_JSON_DEPTH or holding more than MAX_JSON_VALUES
 * values, in one linear pass before JSON.parse allocates anything. V8's JSON.parse does not
 * recurse, but 4 MiB of brackets (a manifest within its limit) costs it seconds of a blocked
 * event loop and a hundred MB, 32 MiB (a tag list) a gigabyte; and every recursive reader after
 * it (JSON.stringify, a structured clone to a webview) would overflow the stack. Brackets and
 * commas inside strings are skipped. Throws PROTOCOL naming `what`.
 */
export function assertJsonShape(text: string, what: string): void {
  const exceeds = jsonShapeExceeds(text, MAX_JSON_DEPTH, MAX_JSON_VALUES);
  if (exceeds === 'depth') {
    throw new LensError('PROTOCOL', `${what} nests deeper than ${MAX_JSON_DEPTH} levels; real ones are flat, so it was refused unparsed.`, {
      limit: MAX_JSON_DEPTH,
    });
  }
  if (exceeds === 'values') {
    throw new LensError('PROTOCOL', `${what} holds more than ${MAX_JSON_VALUES} values; it was refused unparsed.`, { limit: MAX_JSON_VALUES });
  }
}
