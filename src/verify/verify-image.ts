import type { ImageGraph } from '../registry/graph-types';
import type { ContentSource } from '../registry/source';
import { throwIfAborted, withFanOutSignal } from '../core/abort';
import type { ArtifactContent } from './artifact-content';
import { fetchArtifactContent } from './artifact-content';
import type { ImagePolicy } from './policy';
import type { ImageVerdict } from './image-verdict';
import { imageVerdict } from './image-verdict';
import type { TrustRoot, TrustRootInfo } from './trust';
import type { ArtifactVerification } from './verify-artifact';
import { verifyArtifact } from './verify-artifact';

/**
 * Verifies a whole image graph (from `buildGraph`): every signature and attestation in every
 * format (cosign tag scheme, OCI referrers, BuildKit's in-index statements), each against the
 * digest it covers, then the verdict per digest and per image. Fetching is separate from
 * verifying: all content is read first (bounded, concurrently), then verified synchronously,
 * so the same verification runs over a registry, an OCI layout or bytes a test holds.
 */
export interface VerifyImageOptions {
  policy: ImagePolicy;
  trustRoot: TrustRoot;
  signal?: AbortSignal;
  /** Where cosign tag-scheme artifacts live, as given to `buildGraph`. */
  signatureRepository?: string;
  /** Largest signature, envelope, bundle or statement read (default 4 MiB). */
  maxArtifactBytes?: number;
}

export interface ImageVerification {
  /** One result per `graph.artifacts` entry, in the same order. */
  artifacts: ArtifactVerification[];
  verdict: ImageVerdict;
  trustRoot: TrustRootInfo;
}

export async function verifyImage(source: ContentSource, graph: ImageGraph, options: VerifyImageOptions): Promise<ImageVerification> {
  return withFanOutSignal(options.signal, async (signal) => {
    const contents = await fetchAll(source, graph, { ...options, signal });
    throwIfAborted(signal);
    return verifyGraphContents(graph, contents, options);
  });
}

/** The synchronous half: the graph and each artifact's content (same order) to results. */
export function verifyGraphContents(graph: ImageGraph, contents: readonly ArtifactContent[], options: Pick<VerifyImageOptions, 'policy' | 'trustRoot'>): ImageVerification {
  const ctx = { policy: options.policy, trustRoot: options.trustRoot };
  const artifacts = graph.artifacts.map((a, i) => verifyArtifact(a, contents[i] ?? { kind: 'unreadable', code: 'INTERNAL', message: 'no content was fetched' }, ctx));
  return { artifacts, verdict: imageVerdict(graph, artifacts, options.policy), trustRoot: options.trustRoot.info };
}

async function fetchAll(source: ContentSource, graph: ImageGraph, options: VerifyImageOptions): Promise<ArtifactContent[]> {
  const contentOptions = {
    ...(options.signatureRepository !== undefined ? { signatureRepository: options.signatureRepository } : {}),
    ...(options.maxArtifactBytes !== undefined ? { maxBytes: options.maxArtifactBytes } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
  // The registry client bounds concurrency per host; here every artifact is asked for at once.
  return Promise.all(graph.artifacts.map((a) => fetchArtifactContent(source, graph.repository, a, contentOptions)));
}
