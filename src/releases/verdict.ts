/**
 * Verdicts for an image, a platform and a release. With a verification result they are the
 * engine's; without one they are what inspection shows (a signature is there, attestations
 * only, nothing), which the edge labels "not verified". A digest whose artifacts could not all
 * be read is "incomplete", never "unsigned" (docs/inspect-json.md: a problem is "not checked").
 */
import type { Artifact, ImageGraph } from '../model/image-graph';
import { problemsAbout } from './evidence';
import { isEngineState, worse } from '../model/verdict';
import type { ImageLoad, Verdict } from './types';
import type { ImageVerification } from './verification';
import { digestState, throughIndex } from './verification';

function inspected(state: Verdict['state'], viaIndex = false): Verdict {
  return viaIndex ? { state, verified: false, viaIndex } : { state, verified: false };
}

// The artifacts artifactsCovering lists (about the digest, not nested), read without building
// their entries: a release's summary asks this for every image at every change.
function covers(graph: ImageGraph, digest: string, kinds: readonly Artifact['kind'][]): boolean {
  return graph.artifacts.some((a) => !a.depth && a.coversDigest === digest && kinds.includes(a.kind));
}

function hasSignature(graph: ImageGraph, digest: string): boolean {
  return covers(graph, digest, ['signature']);
}

function hasAttestation(graph: ImageGraph, digest: string): boolean {
  return covers(graph, digest, ['attestation', 'sbom']);
}

/** A platform's verdict (for a single-manifest image, the image's). */
export function platformVerdict(graph: ImageGraph, digest: string, verification?: ImageVerification): Verdict {
  if (verification) {
    const state = digestState(verification, digest) ?? verification.verdict.state;
    return throughIndex(verification, digest) ? { state, verified: true, viaIndex: true } : { state, verified: true };
  }
  if (hasSignature(graph, digest)) return inspected('signature-found');
  if (graph.kind === 'index' && digest !== graph.digest && hasSignature(graph, graph.digest)) return inspected('signature-found', true);
  if (problemsAbout(graph, digest).length) return inspected('incomplete');
  if (hasAttestation(graph, digest)) return inspected('attestations-only');
  return inspected('nothing-found');
}

/**
 * The image's verdict as the editor shows it: the engine's when verified, else what inspection
 * found (the index's signature covers every platform; else the platforms decide). The policy
 * verdict over verification results is the verify room's `imageVerdict`.
 */
export function shownVerdict(graph: ImageGraph, verification?: ImageVerification): Verdict {
  if (verification) return { state: verification.verdict.state, verified: true };
  if (graph.kind === 'manifest') return platformVerdict(graph, graph.digest);
  if (hasSignature(graph, graph.digest)) return inspected('signature-found');
  const signed = graph.platforms.filter((p) => hasSignature(graph, p.digest)).length;
  if (signed > 0 && signed === graph.platforms.length) return inspected('signature-found');
  if (signed > 0) return inspected('partly-signed');
  if (graph.problems.length) return inspected('incomplete');
  if (hasAttestation(graph, graph.digest) || graph.platforms.some((p) => hasAttestation(graph, p.digest))) return inspected('attestations-only');
  return inspected('nothing-found');
}

type ReleaseState = Verdict['state'];

export interface ReleaseProgress {
  readonly images: number;
  /** Images not asked for yet (nobody has drawn or checked them). */
  readonly idle: number;
  readonly loading: number;
  /** Images inspected whose verification is under way (counted in `counts` by what they show meanwhile). */
  readonly verifying: number;
  /** Images that could not be inspected (401, 404, network...). */
  readonly failed: number;
  /** Images whose reference could not be rendered. */
  readonly unresolved: number;
  /** The worst verdict among inspected images; undefined when none is inspected yet. */
  readonly worst?: Verdict;
  readonly counts: Readonly<Partial<Record<ReleaseState, number>>>;
}

/** Sums up the images of a release from their load states (null: the reference is unresolved). */
export function summarizeLoads(loads: readonly (ImageLoad | null)[]): ReleaseProgress {
  const counts: Partial<Record<ReleaseState, number>> = {};
  let idle = 0;
  let loading = 0;
  let verifying = 0;
  let failed = 0;
  let unresolved = 0;
  let worst: Verdict | undefined;
  for (const load of loads) {
    if (load === null) {
      unresolved++;
      continue;
    }
    if (load.status === 'idle') {
      idle++;
      continue;
    }
    if (load.status === 'loading') {
      loading++;
      continue;
    }
    if (load.status === 'failed') {
      failed++;
      continue;
    }
    if (load.verifying) verifying++;
    const v = shownVerdict(load.graph, load.verification);
    counts[v.state] = (counts[v.state] ?? 0) + 1;
    worst = worst === undefined ? v : worse(worst.state, v.state) === v.state ? v : worst;
  }
  return { images: loads.length, idle, loading, verifying, failed, unresolved, counts, ...(worst ? { worst } : {}) };
}

/**
 * A release's progress in outline: which policy verdicts it has, whether some images load, fail
 * or wait. Counts are left out, and so are the passing states of images inspected and still being
 * verified ("signed (not verified)"), which come and go with every image of a load; whether
 * anything is still loading or verifying is kept, so the end of a load is a change (without it
 * the last verdicts waited a routine second: bench/extension-load.ts). The tree redraws a release
 * row soon when this changes, and at its routine pace otherwise.
 */
export function progressShape(s: ReleaseProgress): string {
  const states = (Object.keys(s.counts) as Verdict['state'][]).filter(isEngineState).sort().join(',');
  return `${states}|${s.loading > 0}|${s.verifying > 0}|${s.failed > 0}|${s.idle > 0}|${s.unresolved > 0}`;
}

/** Whether nothing of the release is loading or being verified any more. */
export function progressSettled(s: ReleaseProgress): boolean {
  return s.loading === 0 && s.verifying === 0;
}
