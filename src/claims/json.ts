import { jsonShapeExceeds } from '../core/json-shape';
import { ProvenanceError } from './errors';
import type { ProvenanceLimits } from './limits';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parses untrusted JSON within limits: size first, then one linear pass that measures nesting
 * depth and counts values before JSON.parse allocates anything, so a "billion brackets"
 * document is refused cheaply and every later recursive walk is bounded by `maxDepth`.
 * `what` names the document in error messages ("DSSE payload").
 */
export function parseBoundedJson(input: Uint8Array | string, limits: ProvenanceLimits, what: string): unknown {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > limits.maxBytes) {
    throw new ProvenanceError('TOO_LARGE', `The ${what} is ${size} bytes; the limit is ${limits.maxBytes}.`, { size, limit: limits.maxBytes });
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = utf8.decode(input); // also drops a leading BOM
    } catch {
      throw new ProvenanceError('NOT_JSON', `The ${what} is not UTF-8 text.`);
    }
  }
  measure(text, limits, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ProvenanceError('NOT_JSON', `The ${what} is not JSON: ${e instanceof Error ? e.message.slice(0, 200) : 'parse error'}.`);
  }
}

/** Refuses JSON text deeper or larger than the limits, before it is parsed. */
function measure(text: string, limits: ProvenanceLimits, what: string): void {
  const exceeds = jsonShapeExceeds(text, limits.maxDepth, limits.maxValues);
  if (exceeds === 'depth') {
    throw new ProvenanceError('TOO_DEEP', `The ${what} nests deeper than ${limits.maxDepth} levels.`, { limit: limits.maxDepth });
  }
  if (exceeds === 'values') {
    throw new ProvenanceError('TOO_DEEP', `The ${what} holds more than ${limits.maxValues} values.`, { limit: limits.maxValues });
  }
}
