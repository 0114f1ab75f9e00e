import { createHash } from 'node:crypto';
import type { Artifact, ArtifactFormat, ImageGraph } from '../model/image-graph';
import { decodeAttestation } from '../claims/envelope';
import { kindForPredicate } from '../registry/classify';
import type { ExternalBundle } from './bundle-lines';

/**
 * Bundles from outside the registry as artifacts of an image's graph: each covers the image
 * digests (index, nested indexes, platforms) its own subject names: the in-toto statement's
 * subjects for a DSSE bundle, the signed digest for a message signature. Nothing else binds it
 * to the image, and that binding is signed: verification checks it again (ARTIFACT). A bundle
 * naming none of the image's digests is kept, on the image's own digest, where it fails and says
 * which digest it is about, rather than vanish.
 */
export interface ExternalArtifacts {
  artifacts: Artifact[];
  /** The bundle of each artifact, by artifact digest (verifyImage's `externalBundles`). */
  bundles: Map<string, Uint8Array>;
}

const DEFAULT_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export function externalArtifacts(
  graph: ImageGraph,
  given: readonly ExternalBundle[],
  format: Extract<ArtifactFormat, 'bundle-file' | 'github-api'>,
): ExternalArtifacts {
  const imageDigests = [graph.digest, ...(graph.indexes ?? []).map((i) => i.digest), ...graph.platforms.map((p) => p.digest)];
  const out: ExternalArtifacts = { artifacts: [], bundles: new Map() };
  const seen = new Set<string>();
  for (const b of given) {
    const digest = `sha256:${createHash('sha256').update(b.bytes).digest('hex')}`;
    const about = readAbout(b.bytes);
    const covers = imageDigests.filter((d) => about.subjects.includes(d));
    for (const coversDigest of covers.length > 0 ? covers : [graph.digest]) {
      const key = `${digest} ${coversDigest}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.artifacts.push({
        coversDigest,
        kind: about.predicateType !== undefined ? kindForPredicate(about.predicateType) : 'signature',
        format,
        digest,
        mediaType: about.mediaType ?? DEFAULT_MEDIA_TYPE,
        ...(about.predicateType !== undefined ? { predicateType: about.predicateType } : {}),
        size: b.bytes.length,
        origin: b.origin,
      });
      out.bundles.set(digest, b.bytes);
    }
  }
  return out;
}

/** The graph with the external artifacts after its own, in the order given. */
export function withExternalArtifacts(graph: ImageGraph, external: ExternalArtifacts): ImageGraph {
  return external.artifacts.length === 0 ? graph : { ...graph, artifacts: [...graph.artifacts, ...external.artifacts] };
}

interface About {
  subjects: string[];
  predicateType?: string;
  mediaType?: string;
}

/** What the bundle says it is about, read without checking anything (verification does that). */
function readAbout(bytes: Uint8Array): About {
  try {
    const decoded = decodeAttestation(bytes);
    const subjects = decoded.statement.subject.flatMap((s) => digestsOf((s as { digest?: unknown }).digest));
    return { subjects, predicateType: decoded.statement.predicateType, ...(decoded.bundleMediaType ? { mediaType: decoded.bundleMediaType } : {}) };
  } catch {
    return messageDigest(bytes);
  }
}

function digestsOf(set: unknown): string[] {
  if (typeof set !== 'object' || set === null) return [];
  return Object.entries(set as Record<string, unknown>).flatMap(([alg, hex]) =>
    (alg === 'sha256' || alg === 'sha512') && typeof hex === 'string' ? [`${alg}:${hex.toLowerCase()}`] : [],
  );
}

const ALGORITHMS: Record<string, string> = { SHA2_256: 'sha256', SHA2_512: 'sha512' };

/** A message signature signs a digest: `messageSignature.messageDigest` (protobuf-specs HashOutput). */
function messageDigest(bytes: Uint8Array): About {
  try {
    const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
      mediaType?: unknown;
      messageSignature?: { messageDigest?: { algorithm?: unknown; digest?: unknown } };
    };
    const md = doc.messageSignature?.messageDigest;
    const alg = typeof md?.algorithm === 'string' ? ALGORITHMS[md.algorithm] : undefined;
    const subjects = alg !== undefined && typeof md?.digest === 'string' ? [`${alg}:${Buffer.from(md.digest, 'base64').toString('hex')}`] : [];
    return { subjects, ...(typeof doc.mediaType === 'string' ? { mediaType: doc.mediaType } : {}) };
  } catch {
    return { subjects: [] };
  }
}
