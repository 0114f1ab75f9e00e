// The Problems entry of an image a file names: a failed, unsigned or unpinned verification is a
// diagnostic on the text that names the image, worded as its first cause. Any file that names
// images (a goreleaser config today; Dockerfiles, compose files and charts through
// src/references) passes the places it names them and a lookup into the release service's
// loads; the editor adds the severity the user chose (provenanceLens.diagnostics.severity).
import type { Cause } from '../model/cause';
import type { ImageState } from '../model/verdict';
import type { ImageLoad } from '../releases/types';

/** The verdicts worth a Problems entry: never verified, never excepted, and not "could not read". */
export const DIAGNOSED_STATES: readonly ImageState[] = ['failed', 'unsigned', 'unpinned'];

/** Where a file names an image: the reference as the release service knows it (null: none), and the text. */
export interface ImageSite<R> {
  readonly reference: string | null;
  readonly range: R;
}

export interface ImageVerdictDiagnostic<R> {
  readonly range: R;
  /** As the release service knows it: `docker.io/rancher/fleet:v0.13.0`. */
  readonly reference: string;
  readonly state: ImageState;
  /** The first cause's code (src/model/cause.ts, docs/codes.md), or the state when the engine named none. */
  readonly code: string;
  /** The first cause, in the engine's words (a hover on the same text names the image). */
  readonly message: string;
  /** Every cause, most important first (quick fixes read the signers seen). */
  readonly causes: readonly Cause[];
}

/** The load state of a rendered reference (the caller normalises it), if any. */
export type LoadLookup = (reference: string) => ImageLoad | undefined;

const FALLBACK: Record<string, string> = {
  failed: 'verification failed',
  unsigned: 'not signed',
  unpinned: 'signed, but the policy pins no signer',
};

/** One diagnostic per site and reference whose verification is failed, unsigned or unpinned. */
export function imageVerdictDiagnostics<R>(sites: readonly ImageSite<R>[], lookup: LoadLookup, key: (range: R) => string): ImageVerdictDiagnostic<R>[] {
  const out: ImageVerdictDiagnostic<R>[] = [];
  const seen = new Set<string>();
  for (const site of sites) {
    if (site.reference === null) continue;
    const load = lookup(site.reference);
    if (load?.status !== 'loaded' || load.verification === undefined) continue;
    const state = load.verification.verdict.state;
    if (!DIAGNOSED_STATES.includes(state)) continue;
    const causes = load.verification.verdict.causes;
    const first = causes[0];
    const message = first?.message ?? FALLBACK[state]!;
    const id = `${key(site.range)} ${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ range: site.range, reference: site.reference, state, code: first?.code ?? state, message, causes });
  }
  return out;
}
