import type { ImageGraph } from '../model/image-graph';
import type { ContentSource } from '../registry/source';
import { throwIfAborted, withFanOutSignal } from '../core/abort';
import type { ArtifactContent } from '../registry/artifact-content';
import { fetchArtifactContent } from '../registry/artifact-content';
import type { ImagePolicy } from './policy';
import type { TrustRoot } from './trust';
// Past the room's door on purpose: the door stays light (see image/index.ts).
import { verifyGraphContents } from './image/verify-graph';
import type { ImageVerification } from './image';

// The edge of the verifier that reads: the content of every artifact through the source (a
// registry, an OCI layout), then the pure verification of the image room over those bytes.

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
  signal?: AbortSignal | undefined;
  /** Where cosign tag-scheme artifacts live, as given to `buildGraph`. */
  signatureRepository?: string | undefined;
  /** Largest signature, envelope, bundle or statement read (default 4 MiB). */
  maxArtifactBytes?: number | undefined;
  /**
   * The bundles of the graph's `bundle-file` and `github-api` artifacts (src/attestations), by
   * artifact digest: they are not in the registry, so they come with the graph.
   */
  externalBundles?: ReadonlyMap<string, Uint8Array> | undefined;
  /**
   * Whether BuildKit's unsigned in-index statements are read (default true). Nothing vouches for
   * them, so they are never verified and never change a verdict (image/digest-verdict.ts and
   * image/causes.ts leave them out); read, each adds one advisory check, whether the statement
   * names its platform. The editor leaves them unread, 8 of the 28 requests of a 4-platform
   * image with provenance and SBOMs (its Provenance tab reads the provenance ones, with the same
   * subject check, when opened).
   */
  readUnsignedStatements?: boolean | undefined;
}

export async function verifyImage(source: ContentSource, graph: ImageGraph, options: VerifyImageOptions): Promise<ImageVerification> {
  return withFanOutSignal(options.signal, async (signal) => {
    const contents = await fetchAll(source, graph, { ...options, signal });
    throwIfAborted(signal);
    return verifyGraphContents(graph, contents, options);
  });
}

async function fetchAll(source: ContentSource, graph: ImageGraph, options: VerifyImageOptions): Promise<ArtifactContent[]> {
  const contentOptions = {
    ...(options.signatureRepository !== undefined ? { signatureRepository: options.signatureRepository } : {}),
    ...(options.maxArtifactBytes !== undefined ? { maxBytes: options.maxArtifactBytes } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
  // The registry client bounds concurrency per host; here every artifact is asked for at once.
  const leftUnread: ArtifactContent = { kind: 'left-unread' };
  return Promise.all(
    graph.artifacts.map((a) =>
      a.format === 'bundle-file' || a.format === 'github-api'
        ? Promise.resolve(external(a.digest, options.externalBundles))
        : a.format === 'buildkit-index' && options.readUnsignedStatements === false
          ? Promise.resolve(leftUnread)
          : fetchArtifactContent(source, graph.repository, a, contentOptions),
    ),
  );
}

function external(digest: string, bundles: ReadonlyMap<string, Uint8Array> | undefined): ArtifactContent {
  const bytes = bundles?.get(digest);
  return bytes === undefined
    ? { kind: 'unreadable', code: 'INTERNAL', message: `the bundle ${digest} given from outside the registry was not passed to the verification` }
    : { kind: 'bundle', bytes };
}
