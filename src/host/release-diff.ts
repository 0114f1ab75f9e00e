// Two images compared for the editor, by the engine of `provenance-lens diff` (src/diff): each side
// is the release service's image (graph and verification, shared with the tree, so an image is
// read and verified once), its provenance and its SBOMs, under the policy it was verified with.
import { LensError } from '../core/errors';
import type { ErrorCode } from '../core/errors';
import type { DiffSide, ImageDiff } from '../diff';
import type { ImageGraph } from '../model/image-graph';
import type { ImagePolicy } from '../verify/policy';
import type { ReleaseService } from '../releases/release-service';
import type { Engines } from './engines';
import { loadedImage } from './loaded-image';

export interface ReleaseDiffSources {
  readonly service: Pick<ReleaseService, 'ensure' | 'refresh'>;
  readonly engines: Pick<Engines, 'provenance' | 'source'>;
  /** The policy `reference` is verified under, and whether the user gave one (a file): then the verdicts are part of the comparison. */
  policy(reference: string): Promise<{ policy: ImagePolicy; given: boolean }>;
  /** The bytes of the graph's attestations from outside the registry (bundle files, GitHub's API), as the image panel reads them. */
  bundlesOf?(graph: ImageGraph): ReadonlyMap<string, Uint8Array> | undefined;
}

export interface ReleaseComparison {
  readonly diff: ImageDiff;
  /** Each side's platforms, as it writes them, and their manifest digests. */
  readonly digests: { readonly old: ReadonlyMap<string, string>; readonly new: ReadonlyMap<string, string> };
}

export interface CompareRequest {
  readonly signal: AbortSignal;
  /** Read both images again, bypassing the caches. */
  readonly refresh: boolean;
}

async function side(s: ReleaseDiffSources, reference: string, request: CompareRequest): Promise<DiffSide> {
  const { signal } = request;
  if (request.refresh) s.service.refresh(reference);
  const load = await loadedImage(s.service, reference, signal);
  if (load.verification === undefined) {
    // Who signed it is what a comparison of releases asks first: without a verification there is no answer.
    const why = load.verificationFailure;
    throw new LensError(
      (why?.code ?? 'INTERNAL') as ErrorCode,
      `${reference} could not be verified, so who signed it is unknown${why ? `: ${why.message}` : '.'}`,
    );
  }
  const { graph, verification } = load;
  const [diff, provenance, source, { policy, given }] = await Promise.all([
    import('../diff/index.js'),
    s.engines.provenance(graph, undefined, signal, s.bundlesOf?.(graph)),
    s.engines.source(graph),
    s.policy(reference),
  ]);
  const sboms = await diff.collectSboms(
    source,
    graph,
    verification.artifacts.map((a) => a.kind),
    { signal },
  );
  return diff.diffSide({ graph, verification, policy, policyGiven: given, provenance, sboms });
}

/** What changed from `oldReference` to `newReference`, as `provenance-lens diff` says it. */
export async function compareReleases(s: ReleaseDiffSources, oldReference: string, newReference: string, request: CompareRequest): Promise<ReleaseComparison> {
  const [old, next] = await Promise.all([side(s, oldReference, request), side(s, newReference, request)]);
  const { diffImages } = await import('../diff/index.js');
  const digests = (d: DiffSide): Map<string, string> => new Map(d.platforms.map((p) => [p.label, p.digest]));
  return { diff: diffImages(old, next), digests: { old: digests(old), new: digests(next) } };
}
