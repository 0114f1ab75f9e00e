/**
 * The supply-chain graph of one image reference: the JSON shape of `inspect --json`.
 * Documented in docs/inspect-json.md; fields are only ever added, never renamed.
 */
export type ArtifactKind = 'signature' | 'attestation' | 'sbom' | 'other';
/**
 * Where the artifact was found: in the registry (cosign tags, OCI referrers, BuildKit's index
 * entries), or outside it, given to `verify` as a Sigstore bundle file or `.jsonl` of bundles
 * (`bundle-file`) or fetched from GitHub's attestations API (`github-api`).
 */
export type ArtifactFormat = 'cosign-tag' | 'referrer' | 'buildkit-index' | 'bundle-file' | 'github-api';

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
  /**
   * The nested indexes this platform was listed in, outermost first, when the image index lists
   * another index rather than the platform itself. A signature on any of them, or on the image's
   * own index, covers the platform: each index names its entries by digest.
   */
  via?: string[];
  /**
   * Why this entry could not be examined as an image manifest (unreadable, not a manifest, a
   * document two readers could read differently). A runtime could still pull it, so no signature
   * can make it verified: the verdict is not-checked.
   */
  problem?: { code: string; message: string };
}

/** An index listed inside the image's index (or inside another nested index). */
export interface NestedIndex {
  digest: string;
  mediaType: string;
  size: number;
  /** The platform its descriptor names, if any. */
  platform?: string;
  /** The nested indexes above it, outermost first ([] when the image index lists it). */
  via: string[];
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
  /** `bundle-file`: `<file>` or `<file>:<line>` (a `.jsonl`); `github-api`: the API URL it came from. */
  origin?: string;
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
  /** TRUNCATED: which cap cut what, and how much was left unread. */
  cut?: Cut;
}

/**
 * A walk's caps (graph-limits.ts). `platforms` and `nesting` cut lists that could hold a platform:
 * they block "verified" unless `index` (or an index above it) is covered by a verified signature,
 * whose digest commits to every entry. `attestation-manifests` and `statements` cut BuildKit's
 * unsigned statements, which never change the verdict. The others cut signatures and attestations:
 * they block "verified" only where what was read does not already cover the image.
 */
export interface Cut {
  cap: 'platforms' | 'nesting' | 'attestation-manifests' | 'layers' | 'artifacts' | 'statements' | 'referrers' | 'nested-referrers';
  /** The cap's value. */
  limit: number;
  /** How many entries were left unread (at least; a registry's unread pages are not counted). */
  unread: number;
  /** `platforms`, `nesting`: the index whose entries were not all examined. */
  index?: string;
  /** What was cut is BuildKit's unsigned statements (or their manifests): it never changes a verdict. */
  unsigned?: true;
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
  /** Indexes listed inside the index, walked for their platforms (at most two levels deep). */
  indexes?: NestedIndex[];
  artifacts: Artifact[];
  others: OtherEntry[];
  problems: GraphProblem[];
  /** Whether the registry implements the OCI referrers API (false: tag schema used). */
  referrersApi?: boolean;
}
