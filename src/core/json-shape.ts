/**
 * Which limit JSON text breaks, found in one linear pass before JSON.parse allocates anything:
 * nesting depth or the number of values. Brackets and commas inside strings are skipped.
 * Callers (registry reads, the provenance reader) turn the answer into their own typed error.
 */
export function jsonShapeExceeds(text: string, maxDepth: number, maxValues: number): 'depth' | 'values' | undefined {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return 'depth';
      values++;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x2c) {
      values++;
    } else {
      continue;
    }
    if (values > maxValues) return 'values';
  }
  return undefined;
}
