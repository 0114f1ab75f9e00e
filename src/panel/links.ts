/**
 * Which URLs the image panel may link to and open. Links come from provenance and signatures
 * written by strangers, so only plain https URLs pass: no `javascript:`, `data:`, `file:`,
 * `vscode:` or `command:` (a command URI would run code in the editor), no credentials in the
 * URL, no whitespace or control characters that could make the text and the target differ.
 * Used twice: when the model is built (only checked URLs become links) and when the page asks
 * the host to open one (the page is not trusted to have kept to the model).
 */

/** Longer URLs are not links; they are still shown (and copyable) as text. */
export const MAX_LINK_LENGTH = 4096;

export type LinkCheck = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

// C0/C1 controls, whitespace, bidi controls and invisible format characters: a URL holding any
// of them is refused rather than cleaned, so what is shown is exactly what is opened.
const UNSAFE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x0020],
  [0x007f, 0x00a0],
  [0x00ad, 0x00ad],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x1680, 0x1680],
  [0x180e, 0x180e],
  [0x2000, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x206f],
  [0x3000, 0x3000],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xfff0, 0xffff],
];

function hasUnsafeChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (UNSAFE_RANGES.some(([lo, hi]) => c >= lo && c <= hi)) return true;
  }
  return false;
}

/** Accepts an absolute https URL with a host and no credentials; returns it as given. */
export function checkExternalLink(value: unknown): LinkCheck {
  if (typeof value !== 'string') return { ok: false, reason: 'not a string' };
  if (value.length === 0) return { ok: false, reason: 'empty' };
  if (value.length > MAX_LINK_LENGTH) return { ok: false, reason: `longer than ${MAX_LINK_LENGTH} characters` };
  if (hasUnsafeChar(value)) return { ok: false, reason: 'contains whitespace, control or invisible characters' };
  // The scheme as written, before the URL parser lower-cases or strips anything.
  if (!/^https:\/\//i.test(value)) return { ok: false, reason: `scheme is not https (${JSON.stringify(schemeOf(value))})` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `scheme is not https (${JSON.stringify(url.protocol)})` };
  if (url.hostname === '') return { ok: false, reason: 'no host' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'carries credentials' };
  return { ok: true, url: value };
}

/** The URL if it may be a link, else undefined. */
export function safeLink(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const check = checkExternalLink(value);
  return check.ok ? check.url : undefined;
}

function schemeOf(value: string): string {
  const m = /^([^:/?#]*):/.exec(value);
  return m ? `${m[1]!.slice(0, 32)}:` : '(none)';
}

/** Rekor v1 of the public-good instance: the only log search.sigstore.dev indexes. */
const PUBLIC_GOOD_REKOR = 'rekor.sigstore.dev';

/**
 * The public search page of a transparency-log entry, for public-good Sigstore only
 * (https://search.sigstore.dev/?logIndex=N). Entries of other logs (GitHub's, a private
 * Rekor, Rekor v2 shards) get no link: the page would show another log's entry of that index.
 */
export function logSearchUrl(logIndex: string | undefined, logUrl: string | undefined, instance: string | undefined): string | undefined {
  if (logIndex === undefined || !/^\d{1,19}$/.test(logIndex)) return undefined;
  if (instance !== undefined && instance !== 'sigstore-public-good') return undefined;
  if (logUrl === undefined) return undefined;
  let host: string;
  try {
    const u = new URL(logUrl);
    if (u.protocol !== 'https:') return undefined;
    host = u.hostname;
  } catch {
    return undefined;
  }
  if (host !== PUBLIC_GOOD_REKOR) return undefined;
  return `https://search.sigstore.dev/?logIndex=${logIndex}`;
}
