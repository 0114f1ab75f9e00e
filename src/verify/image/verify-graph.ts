import type { ImageGraph } from '../../model/image-graph';
import type { ArtifactContent } from '../../registry/artifact-content';
import type { ImagePolicy } from '../policy';
import type { TrustRoot, TrustRootInfo } from '../trust';
import type { ImageVerdict } from './image-verdict';
import { imageVerdict } from './image-verdict';
import type { ArtifactVerification } from './verify-artifact';
import { verifyArtifact } from './verify-artifact';

/** What verifying an image's graph gives: a result per artifact, the verdict, the root used. */
export interface ImageVerification {
  /** One result per `graph.artifacts` entry, in the same order. */
  artifacts: ArtifactVerification[];
  verdict: ImageVerdict;
  trustRoot: TrustRootInfo;
  /** Every root loaded for the run, `trustRoot` first (then GitHub's): `artifacts[].trustRoot` names one by sha256. */
  trustRoots?: TrustRootInfo[];
}

/** The synchronous half: the graph and each artifact's content (same order) to results. */
export function verifyGraphContents(
  graph: ImageGraph,
  contents: readonly ArtifactContent[],
  options: { policy: ImagePolicy; trustRoot: TrustRoot },
): ImageVerification {
  const ctx = { policy: options.policy, trustRoot: options.trustRoot };
  const artifacts = graph.artifacts.map((a, i) =>
    verifyArtifact(a, contents[i] ?? { kind: 'unreadable', code: 'INTERNAL', message: 'no content was fetched' }, ctx),
  );
  const trustRoots = [options.trustRoot, ...(options.trustRoot.siblings ?? [])].map((r) => r.info);
  return { artifacts, verdict: imageVerdict(graph, artifacts, options.policy), trustRoot: options.trustRoot.info, trustRoots };
}
