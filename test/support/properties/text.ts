// Arbitrary text that is cheap to generate: fast-check's full-unicode string units are slow
// (seconds per thousand samples), so "any string" here is UTF-16 code units, lone surrogates
// included, mixed with printable ASCII (which reaches further into parsers).
import fc from 'fast-check';

const codeUnits = (maxLength: number) => fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength }).map((units) => String.fromCharCode(...units));

export function anyText(maxLength = 80): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength }), codeUnits(maxLength));
}
