// How verdicts read in the release views (tree items, tooltips, the status bar), from the one
// vocabulary in src/model/verdict.ts. Pure (no vscode), so the words are unit-tested; labels.ts
// turns the codicon and colour into a ThemeIcon.
import { SEVERITY, VERDICTS, isEngineState, verdictPhrase } from '../model/verdict';
import type { Release, Verdict } from '../releases/types';
import type { ReleaseSummary } from '../releases/verdict';

/** `signed · not verified`, `verified`, `signed via the index · not verified`. */
export function verdictText(v: Verdict): string {
  return verdictPhrase(v.state, v.viaIndex ?? false);
}

/** The codicon and theme colour of a verdict. */
export function verdictLook(v: Pick<Verdict, 'state'>): { readonly codicon: string; readonly color: string } {
  const { codicon, color } = VERDICTS[v.state];
  return { codicon, color };
}

/** `2 verified, 1 unsigned`, best first; inspect-level counts end with `(not verified)`. */
export function countsText(counts: Readonly<Partial<Record<Verdict['state'], number>>>): string {
  const states = [...SEVERITY].reverse().filter((st): st is Verdict['state'] => st !== 'not-verified' && (counts[st as Verdict['state']] ?? 0) > 0);
  if (states.length === 0) return '';
  const text = states.map((st) => `${counts[st]} ${VERDICTS[st].short}`).join(', ');
  return states.some((st) => !isEngineState(st)) ? `${text} (not verified)` : text;
}

/**
 * The status bar's text for a release: its worst verdict with that verdict's icon (codicon
 * syntax), or what it is waiting for. An image that could not be read is not "fine": the worst
 * verdict alone would hide it, so it is counted beside it.
 */
export function releaseStatusText(name: string, s: ReleaseSummary): string {
  if (s.loading > 0 && !s.worst) return `$(loading~spin) ${name}`;
  // Nothing is fetched until the view (or a command) asks: say so rather than spin.
  if (s.idle > 0 && !s.worst && !s.failed) return `$(package) ${name}: not checked yet`;
  if (s.worst) return `$(${VERDICTS[s.worst.state].codicon}) ${name}: ${verdictText(s.worst)}${s.failed ? ` · ${s.failed} unreadable` : ''}`;
  if (s.failed) return `$(warning) ${name}: could not be read`;
  return `$(question) ${name}: ${s.unresolved ? 'references unresolved' : 'no image'}`;
}

/** `fleet v0.13.0`, the name the status bar gives a release. */
export function releaseName(title: string, r: Pick<Release, 'tag'>): string {
  return `${title}${r.tag ? ` ${r.tag}` : ''}`;
}
