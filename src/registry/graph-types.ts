/**
 * The supply-chain graph of one image reference: the JSON shape of `inspect --json`.
 * Documented in docs/inspect-json.md; fields are only ever added, never renamed.
 */
export type ArtifactKind = 'signature' | 'attestation' | 'sbom' | 'other';
/** Where the artifact was found (../shared/notes/FORMATS.md §2). */
export type ArtifactFormat = 'cosign-tag' | 'referrer' | 'buildkit-index';

export interface PlatformEntry {
  /** `os/architecture[/variant]`, e.g. `linux/arm/v7`. */
  platform: string;
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  digest: string;
  mediaType: string;
  /** Size of the platform manifest (from the index descriptor). */
  size: number;
  /** Config plus layers, from the platform manifest, when it could be read. */
  imageSize?: number;
  /** Digest of BuildKit's attestation manifest for this platform, if any. */
  attestationManifest?: string;
}

export interface Artifact {
  /** The digest this signature / attestation / SBOM is about. */
  coversDigest: string;
  kind: ArtifactKind;
  format: ArtifactFormat;
  /** The artifact's own content: the layer blob (cosign, BuildKit) or the referrer manifest. */
  digest: string;
  mediaType: string;
  predicateType?: string;
  artifactType?: string;
  /** The manifest that holds it (cosign tag manifest, BuildKit attestation manifest). */
  manifestDigest?: string;
  /** The tag it was found under (cosign `sha256-<hex>.sig`, referrers tag schema `sha256-<hex>`). */
  tag?: string;
  /** How a referrer was discovered. */
  discovery?: 'referrers-api' | 'referrers-tag-schema' | 'layout';
  /** Size of `digest`'s content. */
  size: number;
  annotations?: Record<string, string>;
  /** Artifacts about this artifact (a signed SBOM, a signature on an attestation). */
  depth?: number;
}

/** An entry we did not recognise: kept and shown, never dropped silently. */
export interface OtherEntry {
  digest: string;
  mediaType: string;
  platform?: string;
  annotations?: Record<string, string>;
  note: string;
}

/** A part of the graph that could not be read; the rest still stands. */
export interface GraphProblem {
  /** What we were reading: a digest, a tag or a URL path. */
  at: string;
  code: string;
  message: string;
}

export interface ImageGraph {
  /** The reference as given, normalised (`docker.io/library/...`). */
  reference: string;
  source: 'registry' | 'oci-layout';
  registry?: string;
  repository: string;
  tag?: string;
  digest: string;
  mediaType: string;
  size: number;
  kind: 'index' | 'manifest';
  platforms: PlatformEntry[];
  artifacts: Artifact[];
  others: OtherEntry[];
  problems: GraphProblem[];
  /** Whether the registry implements the OCI referrers API (false: tag schema used). */
  referrersApi?: boolean;
}
