// Hand-made image graphs (src/model/image-graph.ts) and what the engine and the editor make of
// them, for tests of one rule each: an index and its platforms, artifacts, the verification of
// each artifact (src/verify/image/verify-artifact.ts), the verdict per digest and an image as the
// release service hands it to the views (src/releases/types.ts). Digests are made of a number or
// of letters, so a test can name them.
import type { Artifact, ImageGraph, PlatformEntry } from '../../src/model/image-graph';
import type { ArtifactState, DigestState } from '../../src/model/verdict';
import type { ImageLoad } from '../../src/releases/types';
import type { ImageVerification } from '../../src/releases/verification';
import type { DigestVerdict } from '../../src/verify/image/digest-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** `sha256:` and `n` as 64 hex digits. */
export const numberDigest = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;
/** `sha256:` and `c` repeated to 64 characters (`c` in hex digits). */
export const letterDigest = (c: string): string => `sha256:${c.repeat(Math.ceil(64 / c.length)).slice(0, 64)}`;

/** A platform's entry in an index: `linux/arm/v7` has os `linux` and architecture `arm`. */
export function platformEntry(platform: string, digest: string, extra: Partial<PlatformEntry> = {}): PlatformEntry {
  const [os = '', architecture = ''] = platform.split('/');
  return { platform, os, architecture, digest, mediaType: OCI_MANIFEST, size: 400, ...extra };
}

/**
 * An OCI index with `platforms`, nothing attached and nothing wrong, read from a registry; its
 * registry, repository and tag are those of its reference (`host/repository:tag`).
 */
export function indexGraph(digest: string, platforms: readonly PlatformEntry[], extra: Partial<ImageGraph> = {}): ImageGraph {
  const reference = extra.reference ?? 'r.test/app:v1';
  const [, registry = '', repository = '', tag] = /^([^/]+)\/([^:@]+)(?::([^@]+))?/.exec(reference) ?? [];
  return {
    reference,
    source: 'registry',
    registry,
    repository,
    ...(tag ? { tag } : {}),
    digest,
    mediaType: OCI_INDEX,
    size: 900,
    kind: 'index',
    platforms: [...platforms],
    artifacts: [],
    others: [],
    problems: [],
    ...extra,
  };
}

/** The index and platform digests of twoPlatformIndex(). */
export const INDEX = numberDigest(1);
export const AMD64 = numberDigest(2);
export const ARM64 = numberDigest(3);

/** An index (INDEX) of linux/amd64 (AMD64) and linux/arm64 (ARM64). */
export const twoPlatformIndex = (extra: Partial<ImageGraph> = {}): ImageGraph =>
  indexGraph(INDEX, [platformEntry('linux/amd64', AMD64), platformEntry('linux/arm64', ARM64)], extra);

/** An artifact of the graph (what the registry holds), of 100 bytes. */
export function artifact(kind: Artifact['kind'], format: Artifact['format'], coversDigest: string, digest: string, extra: Partial<Artifact> = {}): Artifact {
  return { kind, format, coversDigest, digest, mediaType: 'application/octet-stream', size: 100, ...extra };
}

/** Adds an artifact covering `covers` to `g`, and returns its verification in `state`. */
export type AddVerification = (
  g: ImageGraph,
  covers: string,
  state: ArtifactState,
  opts?: Partial<ArtifactVerification> & { depth?: number },
) => ArtifactVerification;

// Artifacts get digests from here on, above any a test gives its index and platforms.
let nextArtifact = 10_000;

/**
 * Verifications of artifacts signed by `signer`, named on those verified or unpinned (an authentic
 * signature); `defaults` and then each call's options say the rest. The artifact added to the graph
 * has the kind, format, predicate type and depth of its verification, as the engine reads them.
 */
export function verificationsBy(signer: Pick<ArtifactVerification, 'identity' | 'issuer'>, defaults: Partial<ArtifactVerification> = {}): AddVerification {
  return (g, covers, state, opts = {}) => {
    const { depth, ...rest } = opts;
    const v: ArtifactVerification = {
      digest: numberDigest(nextArtifact++),
      coversDigest: covers,
      format: 'cosign-tag',
      kind: 'signature',
      verified: state === 'verified',
      state,
      checks: [],
      ...(state === 'verified' || state === 'unpinned' ? signer : {}),
      ...defaults,
      ...rest,
    };
    g.artifacts.push(
      artifact(v.kind, v.format, covers, v.digest, { ...(v.predicateType ? { predicateType: v.predicateType } : {}), ...(depth ? { depth } : {}) }),
    );
    return v;
  };
}

/** An image policy that pins no signer and requires no attestation: what `extra` adds. */
export const imagePolicy = (extra: Partial<ImagePolicy> = {}): ImagePolicy => ({ requiredPredicateTypes: [], requireTlog: true, sources: {}, ...extra });

/** The verdict of one digest: `own` from its own signatures, `state` once the index's count. */
export function digestVerdict(digest: string, target: string, own: DigestState, state: DigestState = own, extra: Partial<DigestVerdict> = {}): DigestVerdict {
  return { digest, target, ownState: own, state, throughIndex: false, signedBy: [], unpinnedBy: [], attestations: [], problems: [], ...extra };
}

/** An image the release service loaded and verified (with a trusted root read from a file, unless given). */
export function verifiedLoad(
  graph: ImageGraph,
  verification: Omit<ImageVerification, 'trustRoot'> & Partial<Pick<ImageVerification, 'trustRoot'>>,
  ms = 12,
): Extract<ImageLoad, { status: 'loaded' }> {
  const trustRoot = {
    instance: 'custom',
    source: { kind: 'file', path: '/test/trusted_root.json' },
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    sha256: 'ab',
    refreshed: false,
    counts: { certificateAuthorities: 1, tlogs: 1, ctlogs: 1, timestampAuthorities: 0 },
  } as ImageVerification['trustRoot'];
  return { status: 'loaded', graph, verification: { trustRoot, ...verification }, ms };
}
