/**
 * Characters that change how text reads without being seen, in text a registry, a signature or
 * a statement supplies: C0 and C1 controls and DEL; the soft hyphen, the Arabic letter mark and
 * the Mongolian vowel separator; zero-width characters; the line and paragraph separators; bidi
 * embeddings, overrides and isolates (Trojan Source, CVE-2021-42574,
 * https://trojansource.codes/), which can make `evil.example/good` look like something else;
 * invisible operators and deprecated format characters (U+2060-U+206F); the byte order mark; and
 * the interlinear annotation characters (U+FFF9-U+FFFB). Unicode's list of format characters:
 * https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters.
 *
 * One set for every surface (terminal, tree, hovers, the image panel's page): each replaces them
 * with what suits it, so none shows one that another would catch.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/** The set as a fresh global RegExp (callers that iterate matches get their own lastIndex). */
export function invisiblePattern(): RegExp {
  return new RegExp(INVISIBLE.source, 'g');
}

/** Whether one UTF-16 unit is in the set. */
export function isInvisible(unit: string): boolean {
  return unit.length === 1 && new RegExp(INVISIBLE.source).test(unit);
}

/** `text` with each character of the set replaced by `by`, except those in `keep` (e.g. `\n\t`). */
export function replaceInvisible(text: string, by: string, keep = ''): string {
  return text.replace(INVISIBLE, (c) => (keep.includes(c) ? c : by));
}
