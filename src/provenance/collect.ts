import { LensError } from '../core/errors';
import { throwIfAborted } from '../core/abort';
import type { Artifact, ArtifactFormat, GraphProblem, ImageGraph, PlatformEntry } from '../model/image-graph';
import { MediaType } from '../registry/media-types';
import type { ContentSource } from '../registry/source';
import type { AttestationContainer } from '../claims/envelope';
import { ProvenanceError } from '../claims/errors';
import type { ProvenanceLimits } from '../claims/limits';
import { provenanceLimits } from '../claims/limits';
import type { ProvenanceDocument } from './summary';
import { statementCovers } from '../claims/statement';
import { isSlsaProvenance, readProvenance } from './summary';
import type { ProvenanceSummary } from './types';

/**
 * The provenance of an image, per platform, from all three places it can live: BuildKit's
 * in-index statements, cosign `.att` DSSE envelopes and Sigstore-bundle referrers. Read,
 * decoded and normalised; never verified: `verified` is always false here and signatures are
 * `provenance-lens verify`'s business. Where each lives:
 * https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md,
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md,
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers.
 */
export interface ProvenanceEntry {
  format: ArtifactFormat;
  /** The digest the attestation is attached to: this platform's manifest, or the index. */
  coversDigest: string;
  attachedTo: 'platform' | 'index';
  /** The blob (BuildKit, cosign) or referrer manifest the statement came from. */
  artifactDigest: string;
  /** The statement's predicate type (or, when it could not be read, the registry's annotation). */
  predicateType?: string;
  verified: false;
  container?: AttestationContainer;
  /** Whether a subject of the statement has `coversDigest`. False deserves a visible warning. */
  subjectMatches?: boolean;
  warnings: Array<{ code: 'SUBJECT_MISMATCH' | 'PREDICATE_TYPE_MISMATCH'; message: string }>;
  summary?: ProvenanceSummary;
  /** The in-toto statement as parsed, unchanged. */
  statement?: unknown;
  /** Why this attestation could not be read; the others still are. */
  error?: { code: string; message: string };
}

export interface PlatformProvenance {
  platform: string;
  digest: string;
  provenance: ProvenanceEntry[];
}

export interface ProvenanceReport {
  reference: string;
  digest: string;
  mediaType: string;
  kind: 'index' | 'manifest';
  platforms: PlatformProvenance[];
  /** Parts of the image graph that could not be read: provenance there is not shown. */
  problems: GraphProblem[];
}

export interface CollectOptions {
  /** `os/arch[/variant]`; default every platform. */
  platforms?: readonly PlatformEntry[] | undefined;
  signatureRepository?: string | undefined;
  signal?: AbortSignal | undefined;
  limits?: Partial<ProvenanceLimits> | undefined;
  /**
   * The bundles of the graph's `bundle-file` and `github-api` artifacts by artifact digest
   * (src/attestations): they live outside the registry, so nothing else can give their bytes.
   */
  externalBundles?: ReadonlyMap<string, Uint8Array> | undefined;
}

/** The platforms `wanted` names: exact, or os/arch when only one variant of it exists. */
export function selectPlatforms(graph: ImageGraph, wanted: string | undefined): PlatformEntry[] {
  if (wanted === undefined) return graph.platforms;
  const exact = graph.platforms.filter((p) => p.platform === wanted);
  if (exact.length) return exact;
  const loose = graph.platforms.filter((p) => `${p.os}/${p.architecture}` === wanted);
  return loose.length === 1 ? loose : [];
}

/** Attestations that may hold SLSA provenance (unannotated ones are read to find out). */
function isCandidate(a: Artifact): boolean {
  return a.kind === 'attestation' && !a.depth && (a.predicateType === undefined || isSlsaProvenance(a.predicateType));
}

export async function collectProvenance(source: ContentSource, graph: ImageGraph, options: CollectOptions = {}): Promise<ProvenanceReport> {
  const limits = provenanceLimits(options.limits);
  const platforms = options.platforms ?? graph.platforms;
  const reads = new Map<string, Promise<ProvenanceDocument | ProvenanceError | LensError>>();
  const read = (a: Artifact) => {
    const key = `${a.format} ${a.digest}`;
    let p = reads.get(key);
    if (!p) {
      p = documentOf(source, graph, a, options, limits)
        .then((bytes) => readProvenance(bytes, limits))
        .catch((e: unknown) => {
          throwIfAborted(options.signal);
          if (e instanceof ProvenanceError || e instanceof LensError) return e;
          return new LensError('INTERNAL', e instanceof Error ? e.message : String(e));
        });
      reads.set(key, p);
    }
    return p;
  };

  // Index-level provenance applies to every platform of the index, so it is listed under each.
  const out = await Promise.all(
    platforms.map(async (p): Promise<PlatformProvenance> => {
      const covering = graph.artifacts.filter(
        (a) => isCandidate(a) && (a.coversDigest === p.digest || (graph.kind === 'index' && a.coversDigest === graph.digest)),
      );
      const entries = await Promise.all(covering.map(async (a) => entryFor(a, graph, await read(a))));
      return { platform: p.platform, digest: p.digest, provenance: entries.filter((e): e is ProvenanceEntry => e !== undefined) };
    }),
  );
  throwIfAborted(options.signal);
  return { reference: graph.reference, digest: graph.digest, mediaType: graph.mediaType, kind: graph.kind, platforms: out, problems: graph.problems };
}

function entryFor(a: Artifact, graph: ImageGraph, result: ProvenanceDocument | ProvenanceError | LensError): ProvenanceEntry | undefined {
  const attachedTo = graph.kind === 'index' && a.coversDigest === graph.digest ? 'index' : 'platform';
  const base = { format: a.format, coversDigest: a.coversDigest, attachedTo, artifactDigest: a.digest } as const;
  if (!('summary' in result)) {
    // Not provenance after all (an unannotated attestation of another kind): not ours to show.
    if (result.code === 'NOT_PROVENANCE' && a.predicateType === undefined) return undefined;
    return {
      ...base,
      ...(a.predicateType !== undefined ? { predicateType: a.predicateType } : {}),
      verified: false,
      warnings: [],
      error: { code: result.code, message: result.message },
    };
  }
  const predicateType = result.statement.predicateType;
  const subjectMatches = statementCovers(result.statement, a.coversDigest);
  const warnings: ProvenanceEntry['warnings'] = [];
  if (!subjectMatches) {
    warnings.push({
      code: 'SUBJECT_MISMATCH',
      message: `The statement's subject does not include ${a.coversDigest}, the digest it is attached to: it is about something else.`,
    });
  }
  if (a.predicateType !== undefined && a.predicateType !== predicateType) {
    warnings.push({ code: 'PREDICATE_TYPE_MISMATCH', message: `The registry annotates ${a.predicateType}; the statement says ${predicateType}.` });
  }
  return { ...base, predicateType, verified: false, container: result.container, subjectMatches, warnings, summary: result.summary, statement: result.raw };
}

/** The bundle of an artifact from outside the registry, else what the registry holds for it. */
function documentOf(source: ContentSource, graph: ImageGraph, a: Artifact, options: CollectOptions, limits: ProvenanceLimits): Promise<Uint8Array> {
  if (a.format === 'bundle-file' || a.format === 'github-api') {
    const bytes = options.externalBundles?.get(a.digest);
    return bytes !== undefined
      ? Promise.resolve(bytes)
      : Promise.reject(
          new LensError(
            'NOT_FOUND',
            `The bundle ${a.digest} (${a.origin ?? a.format}) was not given with the image; it is read from where it came from, not from the registry.`,
          ),
        );
  }
  return fetchDocument(source, graph.repository, options.signatureRepository ?? graph.repository, a, limits, options.signal);
}

/** The bytes of the statement, envelope or bundle an artifact points at (or, for a referrer holding none, its first layer). */
export async function fetchDocument(
  source: ContentSource,
  repo: string,
  sigRepo: string,
  a: Artifact,
  limits: ProvenanceLimits,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const opts = { signal, maxBytes: limits.maxBytes };
  if (a.format === 'buildkit-index') return source.getBlob(repo, a.digest, opts);
  if (a.format === 'cosign-tag') return source.getBlob(sigRepo, a.digest, opts);
  // A referrer: its manifest holds the bundle (or a bare DSSE envelope / statement) as a layer.
  const m = await source.getManifest(repo, a.digest, { signal });
  const layers = m.kind === 'manifest' ? m.manifest.layers : [];
  const layer =
    layers.find(
      (l) => l.mediaType.startsWith(MediaType.sigstoreBundlePrefix) || l.mediaType === MediaType.dsseEnvelope || l.mediaType === MediaType.inTotoStatement,
    ) ?? layers[0];
  if (!layer) throw new ProvenanceError('UNRECOGNISED', `The referrer manifest ${a.digest} has no layer to read.`);
  return source.getBlob(repo, layer.digest, opts);
}
