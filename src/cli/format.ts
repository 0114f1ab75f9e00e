import { replaceInvisible } from '../core/invisible';
import { decimalSize } from '../core/size';
import { VERDICTS } from '../model/verdict';
import type { VerdictState } from '../model/verdict';

/** Small text helpers for terminal output. */
export function humanSize(bytes: number | undefined): string {
  return bytes === undefined ? '?' : decimalSize(bytes);
}

export function short(digest: string): string {
  const i = digest.indexOf(':');
  return i < 0 ? digest : `${digest.slice(0, i + 1)}${digest.slice(i + 1, i + 13)}`;
}

/** Registry-supplied text for a terminal: each invisible or bidi character (src/core/invisible.ts) shown as `?`. */
export function terminalText(s: string): string {
  return replaceInvisible(s, '?');
}

/** A verdict as the terminal marks it: `[verified]`, `[not checked]`; a failure stands out: `[FAILED]`. */
export function verdictMark(state: VerdictState): string {
  const { short } = VERDICTS[state];
  return `[${state === 'failed' ? short.toUpperCase() : short}]`;
}
