import { LensError } from '../core/errors';

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
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new LensError('PROTOCOL', `${what} nests deeper than ${MAX_JSON_DEPTH} levels; real ones are flat, so it was refused unparsed.`, { limit: MAX_JSON_DEPTH });
      }
      values++;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x2c) {
      values++;
    } else {
      continue;
    }
    if (values > MAX_JSON_VALUES) {
      throw new LensError('PROTOCOL', `${what} holds more than ${MAX_JSON_VALUES} values; it was refused unparsed.`, { limit: MAX_JSON_VALUES });
    }
  }
}
