// How verdicts read in the release views (tree items, tooltips, the status bar), from the one
// vocabulary in src/model/verdict.ts. Pure (no vscode), so the words are unit-tested; labels.ts
// turns the codicon and colour into a ThemeIcon.
import type { Cause } from '../model/cause';
import { SEVERITY, VERDICTS, isEngineState, verdictPhrase } from '../model/verdict';
import type { VerdictState } from '../model/verdict';
import type { Release, Verdict } from '../releases/types';
import type { ReleaseProgress } from '../releases/verdict';

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
export function releaseStatusText(name: string, s: ReleaseProgress): string {
  if (s.loading > 0 && !s.worst) return `$(loading~spin) ${name}`;
  // Nothing is fetched until the view (or a command) asks: say so rather than spin.
  if (s.idle > 0 && !s.worst && !s.failed) return `$(package) ${name}: not checked yet`;
  if (s.worst) return `$(${VERDICTS[s.worst.state].codicon}) ${name}: ${verdictText(s.worst)}${s.failed ? ` · ${s.failed} unreadable` : ''}`;
  if (s.failed) return `$(warning) ${name}: could not be read`;
  return `$(question) ${name}: ${s.unresolved ? 'references unresolved' : 'no image'}`;
}

/** The status bar's tooltip: `fleet v0.13.0: 2 images`, then a line per verdict and what could not be read. */
export function releaseStatusTooltip(name: string, s: ReleaseProgress): string {
  const lines = [`${name}: ${plural(s.images, 'image')}`];
  for (const [state, n] of Object.entries(s.counts)) lines.push(`- ${n} ${verdictPhrase(state as Verdict['state'])}`);
  if (s.loading) lines.push(`- ${s.loading} loading`);
  if (s.failed) lines.push(`- ${s.failed} could not be read`);
  if (s.unresolved) lines.push(`- ${s.unresolved} unresolved`);
  return lines.join('\n');
}

/** `fleet v0.13.0`, the name the status bar gives a release. */
export function releaseName(title: string, r: Pick<Release, 'tag'>): string {
  return `${title}${r.tag ? ` ${r.tag}` : ''}`;
}

/**
 * A sentence as it starts a line: the engine's causes start lower-case (`signed by …`), so a first
 * word is capitalised, but never a name (`linux/s390x is not signed` stays as it is).
 */
export function sentence(text: string): string {
  return /^[a-z]+(?=[\s,:]|$)/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * The one line a tooltip starts with: the verdict and the first cause in the engine's words,
 * `Verification failed. The index is signed by "…", but the policy expects …`; the verdict
 * alone when the engine named no cause (a verified image, or inspection alone).
 */
export function causeLine(state: VerdictState, causes: readonly Cause[], viaIndex = false): string {
  return withCause(sentence(verdictPhrase(state, viaIndex)), causes[0]?.message);
}

/** `Verdict. Cause.`: the engine's causes are sentences of their own. */
export function withCause(verdict: string, cause: string | undefined): string {
  return cause === undefined ? verdict : `${verdict}. ${cause}`;
}

/** `N things`, `1 thing`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The release the status bar stands for when none of the workspace's is selected: the first
 * goreleaser release with images, else the images added by hand; never the images checked this
 * session (one failed lookup is not the workspace's verdict).
 */
export function statusRelease<R extends Pick<Release, 'origin' | 'images'>>(releases: readonly R[]): R | undefined {
  return releases.find((r) => r.origin === 'goreleaser' && r.images.length > 0) ?? releases.find((r) => r.origin === 'user' && r.images.length > 0);
}
