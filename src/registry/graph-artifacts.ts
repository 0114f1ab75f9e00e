import { LensError } from '../core/errors';
import { decodeAttestation } from '../claims/envelope';
import { throwIfAborted } from '../core/abort';
import type { ContentSource } from './source';
import type { Descriptor, FetchedManifest } from '../model/oci';
import type { Artifact, GraphProblem, OtherEntry } from '../model/image-graph';
import type { WalkLimits } from './graph-limits';
import { truncated } from './graph-limits';
import { Annotation } from './media-types';
import { digestTag } from './digest';
import { classifyReferrer, kindForPredicate, predicateOf } from './classify';
import { discoverReferrers } from './referrers';

/**
 * The signatures, attestations and SBOMs found about one digest, in each of the three places
 * they live (cosign tags, OCI referrers, BuildKit attestation manifests inside an index).
 * What an artifact is, here, is only what the registry says: the verifier decides from the
 * signed bytes.
 */
export interface ArtifactWalk {
  readonly source: ContentSource;
  readonly repository: string;
  readonly limits: WalkLimits;
  readonly problems: GraphProblem[];
  readonly signal: AbortSignal;
  /** The tag list's first page, when the registry gave one: which cosign and referrers tags exist. */
  readonly knownTags: Set<string> | undefined;
  /** Lookups of referrers of referrers left in this walk, and how many were skipped. */
  readonly nested: { left: number; skipped: number };
}

/** Layers of a manifest beyond the cap are not read; the cut is reported at `at`. */
function cappedLayers(walk: ArtifactWalk, layers: readonly Descriptor[], at: string, what: string, unsigned: boolean): readonly Descriptor[] {
  const limit = walk.limits.layers;
  if (layers.length <= limit) return layers;
  walk.problems.push(
    truncated(
      at,
      { cap: 'layers', limit, unread: layers.length - limit, ...(unsigned ? { unsigned: true as const } : {}) },
      `${what} has ${layers.length} layers; only the first ${limit} were read`,
    ),
  );
  return layers.slice(0, limit);
}

/** BuildKit's unsigned statements in an attestation manifest, about the entry it names. */
export async function buildkitArtifacts(walk: ArtifactWalk, d: Descriptor): Promise<Artifact[]> {
  const coversDigest = d.annotations?.[Annotation.referenceDigest] ?? d.digest;
  const m = await walk.source.getManifest(walk.repository, d.digest, { signal: walk.signal });
  const layers = cappedLayers(walk, m.kind === 'manifest' ? m.manifest.layers : [], d.digest, `BuildKit attestation manifest ${d.digest}`, true);
  return layers.map((l) => {
    const predicateType = predicateOf(l);
    const a: Artifact = {
      coversDigest,
      kind: kindForPredicate(predicateType),
      format: 'buildkit-index',
      digest: l.digest,
      mediaType: l.mediaType,
      manifestDigest: d.digest,
      size: l.size,
    };
    if (predicateType) a.predicateType = predicateType;
    return a;
  });
}

/** The layers of a cosign `.sig`/`.att`/`.sbom` manifest (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md). */
export function cosignArtifacts(
  walk: ArtifactWalk,
  m: FetchedManifest,
  coversDigest: string,
  tag: string,
  kind: Artifact['kind'],
  others: OtherEntry[],
): Artifact[] {
  if (m.kind !== 'manifest') {
    others.push({ digest: m.digest, mediaType: m.mediaType, note: `cosign tag ${tag} holds an index, not a signature manifest; kept, not read` });
    return [];
  }
  return cappedLayers(walk, m.manifest.layers, tag, `cosign manifest ${tag}`, false).map((l) => {
    const predicateType = predicateOf(l);
    const a: Artifact = { coversDigest, kind, format: 'cosign-tag', digest: l.digest, mediaType: l.mediaType, manifestDigest: m.digest, tag, size: l.size };
    if (predicateType) a.predicateType = predicateType;
    if (l.annotations) a.annotations = l.annotations;
    return a;
  });
}

/** Referrers of `digest`, and (up to `maxDepth`) the referrers of those, within the walk's budget. */
export async function referrerTree(walk: ArtifactWalk, digest: string, maxDepth: number, depth = 0): Promise<Artifact[]> {
  const { source, limits, problems, signal } = walk;
  const found = await discoverReferrers(source, walk.repository, digest, signal, walk.knownTags, limits.referrers);
  const at = `referrers of ${digest}`;
  if (found.unfinished)
    problems.push({
      at,
      code: 'TRUNCATED',
      message: `Referrers of ${digest}: ${found.unfinished}. Referrers on the pages not read were not checked.`,
      cut: { cap: 'referrers', limit: limits.referrers, unread: 0 },
    });
  if (found.descriptors.length > limits.referrers) {
    const unread = found.descriptors.length - limits.referrers;
    problems.push(
      truncated(
        at,
        { cap: 'referrers', limit: limits.referrers, unread },
        `${found.descriptors.length} referrers name ${digest}; only the first ${limits.referrers} were examined`,
      ),
    );
    found.descriptors.splice(limits.referrers);
  }
  const out: Artifact[] = found.descriptors.map((d) => {
    const a: Artifact = {
      coversDigest: digest,
      kind: classifyReferrer(d),
      format: 'referrer',
      digest: d.digest,
      mediaType: d.mediaType,
      discovery: found.discovery,
      size: d.size,
    };
    const predicateType = predicateOf(d);
    if (predicateType) a.predicateType = predicateType;
    if (d.artifactType) a.artifactType = d.artifactType;
    if (d.annotations) a.annotations = d.annotations;
    if (found.tag) a.tag = found.tag;
    if (depth > 0) a.depth = depth;
    return a;
  });
  if (depth >= maxDepth) return out;
  // A lookup the tag list already answers (no API, no such tag) costs nothing and is not counted.
  const free = (d: string): boolean => source.supportsReferrersApi === false && walk.knownTags !== undefined && !walk.knownTags.has(digestTag(d));
  const nested = await Promise.all(
    out.map(async (a) => {
      if (!free(a.digest)) {
        if (walk.nested.left <= 0) {
          walk.nested.skipped++;
          return [];
        }
        walk.nested.left--;
      }
      try {
        return await referrerTree(walk, a.digest, maxDepth, depth + 1);
      } catch (e) {
        throwIfAborted(signal);
        problems.push({
          at: `referrers of ${a.digest}`,
          code: e instanceof LensError ? e.code : 'INTERNAL',
          message: e instanceof Error ? e.message : String(e),
        });
        return [];
      }
    }),
  );
  out.push(...nested.flat());
  return out;
}

/** The predicateType of the in-toto statement inside a DSSE envelope, if it is one (a label only: never trusted). */
export function predicateFromEnvelope(bytes: Uint8Array): string | undefined {
  try {
    return decodeAttestation(bytes).statement.predicateType;
  } catch {
    return undefined;
  }
}
