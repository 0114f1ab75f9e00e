import { LensError, describeError } from '../core/errors';
import { throwIfAborted } from '../core/abort';
import type { Artifact as GraphArtifact } from '../model/image-graph';
import { MediaType } from './media-types';
import type { ContentSource } from './source';
import type { Descriptor, FetchedManifest } from '../model/oci';
import { subjectOf } from '../model/oci';

/**
 * The bytes verifying one graph artifact needs, fetched before the (synchronous, pure)
 * verification runs, as sigstore-js separates fetching from verifying:
 * - cosign tag scheme: the layer blob (simple-signing payload or DSSE envelope); the
 *   signature material is in the layer annotations the graph already holds;
 * - referrers: the referrer manifest by digest (its `subject` is what binds it, not the
 *   index that listed it) and its Sigstore bundle layer;
 * - BuildKit: the in-toto statement blob (unsigned; only its subject is checked).
 * Every blob is bounded: a hostile registry cannot make us parse an unbounded envelope.
 */
export type ArtifactContent =
  | { kind: 'layer'; mediaType: string; bytes: Uint8Array; annotations: Readonly<Record<string, string>> }
  | {
      kind: 'referrer';
      manifest: FetchedManifest;
      subject?: string;
      layer?: { mediaType: string; bytes: Uint8Array; annotations: Readonly<Record<string, string>> };
    }
  | { kind: 'statement'; bytes: Uint8Array }
  /** A Sigstore bundle given from outside the registry (a bundle file, GitHub's attestations API). */
  | { kind: 'bundle'; bytes: Uint8Array }
  /** Nothing to fetch: an unsigned attachment (cosign `.sbom`) or an unknown artifact. */
  | { kind: 'none' }
  /** A BuildKit statement the reader chose to leave unread (`VerifyImageOptions.readUnsignedStatements`). */
  | { kind: 'left-unread' }
  /** Larger than the limit: refused, a property of the artifact (never "could not read"). */
  | { kind: 'too-large'; size: number; limit: number }
  | { kind: 'unreadable'; code: string; message: string };

/** 4 MiB: real signatures and SLSA envelopes are kilobytes; BuildKit SBOM statements can reach megabytes. */
export const DEFAULT_MAX_ARTIFACT_BYTES = 4 * 1024 * 1024;

export interface ContentOptions {
  /** Where cosign tag-scheme artifacts live (cosign's COSIGN_REPOSITORY), default the image's. */
  signatureRepository?: string;
  maxBytes?: number;
  signal?: AbortSignal;
}

export async function fetchArtifactContent(
  source: ContentSource,
  repository: string,
  a: GraphArtifact,
  options: ContentOptions = {},
): Promise<ArtifactContent> {
  const limit = options.maxBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
  const { signal } = options;
  try {
    if (a.format === 'cosign-tag') {
      if (a.kind === 'sbom') return { kind: 'none' };
      if (a.size > limit) return { kind: 'too-large', size: a.size, limit };
      const bytes = await source.getBlob(options.signatureRepository ?? repository, a.digest, { signal, maxBytes: limit });
      return { kind: 'layer', mediaType: a.mediaType, bytes, annotations: a.annotations ?? {} };
    }
    if (a.format === 'buildkit-index') {
      if (a.size > limit) return { kind: 'too-large', size: a.size, limit };
      return { kind: 'statement', bytes: await source.getBlob(repository, a.digest, { signal, maxBytes: limit }) };
    }
    // A Sigstore bundle is verified whatever its annotations call it; other SBOMs and unknown types are not signatures.
    if (!isBundleType(a.artifactType) && (a.kind === 'other' || a.kind === 'sbom')) return { kind: 'none' };
    const manifest = await source.getManifest(repository, a.digest, { signal });
    const content: ArtifactContent = { kind: 'referrer', manifest };
    const subject = subjectOf(manifest)?.digest;
    if (subject !== undefined) content.subject = subject;
    const layer = signedLayerOf(manifest);
    if (layer !== undefined) {
      if (layer.size > limit) return { kind: 'too-large', size: layer.size, limit };
      const bytes = await source.getBlob(repository, layer.digest, { signal, maxBytes: limit });
      content.layer = { mediaType: layer.mediaType, bytes, annotations: layer.annotations ?? {} };
    }
    return content;
  } catch (e) {
    throwIfAborted(signal);
    if (e instanceof LensError && e.code === 'TOO_LARGE') return { kind: 'too-large', size: a.size, limit };
    return { kind: 'unreadable', code: e instanceof LensError ? e.code : 'INTERNAL', message: describeError(e) };
  }
}

/** The layer of a referrer manifest that carries what is signed: a Sigstore bundle, a cosign simple-signing payload or a DSSE envelope. */
export function signedLayerOf(manifest: FetchedManifest): Descriptor | undefined {
  if (manifest.kind !== 'manifest') return undefined;
  return manifest.manifest.layers.find(
    (l) => isBundleType(l.mediaType) || l.mediaType === MediaType.cosignSimpleSigning || l.mediaType === MediaType.dsseEnvelope,
  );
}

export function isBundleType(mediaType: string | undefined): boolean {
  return mediaType?.startsWith(MediaType.sigstoreBundlePrefix) ?? false;
}
