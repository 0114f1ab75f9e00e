import { decimalSize } from '../core/size';

/** Small text helpers for terminal output. */
export function humanSize(bytes: number | undefined): string {
  return bytes === undefined ? '?' : decimalSize(bytes);
}

export function short(digest: string): string {
  const i = digest.indexOf(':');
  return i < 0 ? digest : `${digest.slice(0, i + 1)}${digest.slice(i + 1, i + 13)}`;
}

/** Strips control and bidi characters from registry-supplied text before it reaches a terminal. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}
