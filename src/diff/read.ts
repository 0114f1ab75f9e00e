import { buildGraph } from '../registry/graph';
import type { GraphTarget } from '../registry/graph';
import type { ContentSource } from '../registry/source';
import { collectProvenance } from '../provenance/collect';
import { verifyImage } from '../verify';
import type { ImagePolicy } from '../verify/policy';
import type { TrustRoot } from '../verify/trust';
import { collectSboms } from './sbom-collect';
import type { DiffSide } from './side';
import { diffSide } from './side';

export interface ReadSideOptions {
  policy: ImagePolicy;
  /** Whether the user gave a policy (a file or flags): then the verdict is reported. */
  policyGiven: boolean;
  trustRoot: TrustRoot;
  signatureRepository?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * One image read for a comparison: its graph, every signature and attestation verified under the
 * policy (without one, valid signatures are "unpinned" and still name their signers), its
 * provenance and its SBOMs. The same engine as `verify`, `provenance` and `inspect`.
 */
export async function readDiffSide(source: ContentSource, target: GraphTarget, options: ReadSideOptions): Promise<DiffSide> {
  const { signal, signatureRepository } = options;
  const graph = await buildGraph(source, target, { signal, signatureRepository });
  const verification = await verifyImage(source, graph, { policy: options.policy, trustRoot: options.trustRoot, signal, signatureRepository });
  const [provenance, sboms] = await Promise.all([
    collectProvenance(source, graph, { signal, signatureRepository }),
    collectSboms(
      source,
      graph,
      verification.artifacts.map((a) => a.kind),
      { signal, signatureRepository },
    ),
  ]);
  return diffSide({ graph, verification, policy: options.policy, policyGiven: options.policyGiven, provenance, sboms });
}
