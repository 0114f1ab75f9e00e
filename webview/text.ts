/**
 * Text from registries made safe to look at (pure: no DOM, unit-tested in node).
 * Rendering as text already stops markup; what is left are characters that change how text
 * reads without being seen: bidi overrides and isolates (Trojan Source, CVE-2021-42574) that
 * can make `evil.example/good` look like something else, zero-width characters that make two
 * identities look equal, and control characters. Each is replaced by a visible marker; the
 * exact value stays copyable. The set is src/core/invisible.ts's, the one every other surface
 * uses; the page may import only the panel protocol, so it is written out here, and a unit test
 * (panel-text.test.ts) proves the two cover exactly the same characters.
 */

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x061c, 'ALM'],
  [0x200b, 'ZWSP'],
  [0x200c, 'ZWNJ'],
  [0x200d, 'ZWJ'],
  [0x200e, 'LRM'],
  [0x200f, 'RLM'],
  [0x2028, 'LS'],
  [0x2029, 'PS'],
  [0x202a, 'LRE'],
  [0x202b, 'RLE'],
  [0x202c, 'PDF'],
  [0x202d, 'LRO'],
  [0x202e, 'RLO'],
  [0x2060, 'WJ'],
  [0x2061, 'FA'],
  [0x2062, 'IT'],
  [0x2063, 'IS'],
  [0x2064, 'IP'],
  [0x2066, 'LRI'],
  [0x2067, 'RLI'],
  [0x2068, 'FSI'],
  [0x2069, 'PDI'],
  [0x206a, 'ISS'],
  [0x206b, 'ASS'],
  [0x206c, 'IAFS'],
  [0x206d, 'AAFS'],
  [0x206e, 'NADS'],
  [0x206f, 'NODS'],
  [0xfeff, 'BOM'],
  [0x00ad, 'SHY'],
  [0x180e, 'MVS'],
  [0xfff9, 'IAA'],
  [0xfffa, 'IAS'],
  [0xfffb, 'IAT'],
]);

// C0 and C1 controls, DEL, and the format characters above. Tab and newline are kept only in
// multi-line text (raw JSON); anywhere else they are shown too.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

export interface Marker {
  /** What is shown: `RLO`, `U+0007`. */
  readonly marker: string;
  /** `U+202E`, for the tooltip. */
  readonly code: string;
}

export type Segment = string | Marker;

function codeOf(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Splits `text` into plain runs and markers for the invisible characters in it. */
export function segments(text: string, multiline = false): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(INVISIBLE)) {
    const c = m[0].charCodeAt(0);
    if (multiline && (c === 0x0a || c === 0x09)) continue;
    const at = m.index;
    if (at > last) out.push(text.slice(last, at));
    out.push({ marker: NAMES.get(c) ?? codeOf(c), code: codeOf(c) });
    last = at + 1;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Whether the text holds anything `segments` would mark. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}

export interface Clipped {
  readonly text: string;
  /** Characters (UTF-16 units) left out; 0 when shown whole. */
  readonly omitted: number;
}

/** The first `max` UTF-16 units of `text`, never splitting a surrogate pair. */
export function clip(text: string, max: number): Clipped {
  if (text.length <= max) return { text, omitted: 0 };
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), omitted: text.length - end };
}

/** `1048576` -> `1,048,576` without Intl (the page may run without locale data). */
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1234567` -> `1.2 MB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1000;
    i++;
  } while (v >= 1000 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** `sha256:1a2b3c4d5e6f…` -> `sha256:1a2b3c4d`. */
export function shortDigest(digest: string, hexChars = 12): string {
  const colon = digest.indexOf(':');
  return colon < 0 ? digest.slice(0, hexChars) : digest.slice(0, colon + 1 + hexChars);
}

/**
 * For places that take a plain string (a collapsible's heading, a select option): the text
 * with each invisible character replaced by `⟨NAME⟩`, cut at `max`.
 */
export function flatten(text: string, max = 200): string {
  const c = clip(text, max);
  const flat = segments(c.text)
    .map((s) => (typeof s === 'string' ? s : `⟨${s.marker}⟩`))
    .join('');
  return c.omitted > 0 ? `${flat}…` : flat;
}
