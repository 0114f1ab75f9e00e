import { LensError } from '../core/errors';
import { throwIfAborted, withFanOutSignal } from '../core/abort';
import type { ContentSource } from './source';
import type { Descriptor, FetchedManifest } from './types';
import type { Artifact, GraphProblem, ImageGraph, OtherEntry, PlatformEntry } from './graph-types';
import { Annotation, isIndexMediaType, isManifestMediaType } from './media-types';
import { digestTag } from './digest';
import { COSIGN_SUFFIXES, classifyReferrer, kindForPredicate, predicateOf } from './classify';
import { discoverReferrers } from './referrers';
import { assertJsonShape } from './json-shape';

const PROBE_DIGEST = `sha256:${'0'.repeat(64)}`;

export interface GraphTarget {
  reference: string;
  source: 'registry' | 'oci-layout';
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export interface GraphOptions {
  signal?: AbortSignal;
  /** Where cosign stores signatures when not beside the image (cosign's COSIGN_REPOSITORY). */
  signatureRepository?: string;
  /** How deep to follow artifacts about artifacts (a signed SBOM). 0 = only the image. */
  referrerDepth?: number;
  /** Platforms walked at most; the rest are listed as a TRUNCATED problem (hostile or huge indexes). */
  maxPlatforms?: number;
  /** Referrers kept per digest at most. */
  maxReferrers?: number;
}

const DEFAULT_MAX_PLATFORMS = 128;
const DEFAULT_MAX_REFERRERS = 256;
/**
 * Referrers of referrers looked up per walk at most. Each listed referrer costs a request (and
 * whatever page the registry sends back), so without a budget a registry listing 256 referrers
 * for each of 129 digests would make us read 33,000 more listings.
 */
const MAX_NESTED_LOOKUPS = 64;

/**
 * Walks the supply-chain graph of an image (../shared/notes/FORMATS.md §1-2):
 * index -> platform manifests -> BuildKit attestation manifests, and for the index and
 * every platform digest the cosign tags and the OCI referrers. Everything that depends
 * only on the root is requested at once, so the critical path is root -> everything else
 * (-> referrers of referrers).
 */
export async function buildGraph(source: ContentSource, target: GraphTarget, options: GraphOptions = {}): Promise<ImageGraph> {
  return withFanOutSignal(options.signal, (signal) => walk(source, target, options, signal));
}

async function walk(source: ContentSource, target: GraphTarget, options: GraphOptions, signal: AbortSignal): Promise<ImageGraph> {
  const repo = target.repository;
  // Learn whether the registry has a referrers API while the root is on its way, so the
  // second wave goes straight to the right place (API or tag schema).
  // The tag list (one page) tells which cosign and referrers tags exist, so the second
  // wave asks only for those.
  const sigRepo = options.signatureRepository ?? repo;
  const [root, , tags] = await Promise.all([
    source.getManifest(repo, target.digest ?? target.tag ?? (target.source === 'oci-layout' ? '' : 'latest'), { signal }),
    source.referrers(repo, PROBE_DIGEST, { signal, limit: 0 }).catch(() => undefined),
    source.knownTags?.(repo, { signal }),
  ]);
  const sigTags = sigRepo === repo ? tags : undefined;
  const problems: GraphProblem[] = [];
  const artifacts: Artifact[] = [];
  const others: OtherEntry[] = [];
  const platforms: PlatformEntry[] = [];
  const attestationManifests: Descriptor[] = [];

  if (root.kind === 'index') classifyIndex(root, platforms, attestationManifests, others);
  // Bounded work whatever the registry sends: a 10,000-entry index is reported, not walked.
  const maxPlatforms = options.maxPlatforms ?? DEFAULT_MAX_PLATFORMS;
  if (platforms.length > maxPlatforms) {
    problems.push({ at: root.digest, code: 'TRUNCATED', message: `The index lists ${platforms.length} platform manifests; only the first ${maxPlatforms} were examined. The others were not checked.` });
    const kept = new Set(platforms.slice(0, maxPlatforms).map((p) => p.digest));
    platforms.splice(maxPlatforms);
    const keptAttestations = attestationManifests.filter((a) => kept.has(a.annotations?.[Annotation.referenceDigest] ?? ''));
    attestationManifests.splice(0, attestationManifests.length, ...keptAttestations);
  }

  // Record a failure of one part and go on; cancellation always stops everything.
  const guard = async (at: string, task: () => Promise<unknown>): Promise<void> => {
    try {
      await task();
    } catch (e) {
      throwIfAborted(signal);
      problems.push({ at, code: e instanceof LensError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
    }
  };

  const covered = [root.digest, ...platforms.map((p) => p.digest)];
  const tasks: Array<Promise<void>> = [];
  const referrerLimits: ReferrerLimits = { maxDepth: options.referrerDepth ?? 1, maxReferrers: options.maxReferrers ?? DEFAULT_MAX_REFERRERS, knownTags: tags, nested: { left: MAX_NESTED_LOOKUPS, skipped: 0 } };

  // Requests that others wait on go first: the per-host queue is first come, first served,
  // and referrers (whose own referrers come next) must not queue behind leaf cosign tags.
  for (const digest of covered) {
    tasks.push(guard(`referrers of ${digest}`, async () => artifacts.push(...(await referrerTree(source, repo, digest, referrerLimits, 0, problems, signal)))));
  }
  if (root.kind === 'manifest') {
    tasks.push(guard(root.digest, async () => platforms.push(await singlePlatform(source, repo, root, signal))));
  }
  for (const p of platforms) {
    tasks.push(guard(p.digest, async () => {
      const m = await source.getManifest(repo, p.digest, { signal });
      if (m.size !== p.size) problems.push({ at: p.digest, code: 'SIZE_MISMATCH', message: `The index says platform manifest ${p.digest} is ${p.size} bytes; it is ${m.size}.` });
      if (m.manifest) p.imageSize = m.manifest.config.size + m.manifest.layers.reduce((n, l) => n + l.size, 0);
    }));
  }
  for (const a of attestationManifests) {
    tasks.push(guard(a.digest, async () => artifacts.push(...(await buildkitArtifacts(source, repo, a, covered, problems, signal)))));
  }
  for (const digest of covered) {
    for (const { suffix, kind } of COSIGN_SUFFIXES) {
      const tag = `${digestTag(digest)}.${suffix}`;
      if (sigTags && !sigTags.has(tag)) continue;
      tasks.push(guard(tag, async () => {
        const m = await source.getManifest(sigRepo, tag, { signal, optional: true });
        if (!m) return;
        const found = cosignArtifacts(m, digest, tag, kind, others);
        // Older cosign releases did not annotate the predicate type: read it from the envelope.
        await Promise.all(found.filter((a) => a.kind === 'attestation' && !a.predicateType).map((a) => guard(a.digest, async () => {
          const predicateType = predicateFromEnvelope(await source.getBlob(sigRepo, a.digest, { signal }));
          if (predicateType) a.predicateType = predicateType;
        })));
        artifacts.push(...found);
      }));
    }
  }
  await Promise.all(tasks);
  throwIfAborted(signal);
  if (referrerLimits.nested.skipped > 0) {
    problems.push({ at: 'referrers of referrers', code: 'TRUNCATED', message: `The referrers of ${referrerLimits.nested.skipped} artifacts were not looked up: a walk looks up the referrers of at most ${MAX_NESTED_LOOKUPS} artifacts.` });
  }

  const order = new Map(covered.map((d, i) => [d, i]));
  artifacts.sort((a, b) => (order.get(a.coversDigest) ?? 99) - (order.get(b.coversDigest) ?? 99) || a.format.localeCompare(b.format) || a.kind.localeCompare(b.kind) || a.digest.localeCompare(b.digest));
  const graph: ImageGraph = {
    reference: target.reference,
    source: target.source,
    repository: repo,
    digest: root.digest,
    mediaType: root.mediaType,
    size: root.size,
    kind: root.kind,
    platforms,
    artifacts,
    others,
    problems,
  };
  if (target.registry !== undefined) graph.registry = target.registry;
  if (target.tag !== undefined) graph.tag = target.tag;
  const api = (source as { supportsReferrersApi?: boolean }).supportsReferrersApi;
  if (api !== undefined) graph.referrersApi = api;
  return graph;
}

function classifyIndex(root: FetchedManifest, platforms: PlatformEntry[], attestations: Descriptor[], others: OtherEntry[]): void {
  for (const d of root.index!.manifests) {
    const refType = d.annotations?.[Annotation.referenceType];
    const p = d.platform;
    if (refType === 'attestation-manifest') {
      attestations.push(d);
    } else if (p && p.os === 'unknown' && p.architecture === 'unknown') {
      others.push({ digest: d.digest, mediaType: d.mediaType, platform: 'unknown/unknown', annotations: d.annotations, note: 'unknown/unknown entry without an attestation reference (e.g. a build cache); ignored' });
    } else if (isManifestMediaType(d.mediaType) || isIndexMediaType(d.mediaType) || d.mediaType === '') {
      const entry: PlatformEntry = {
        platform: p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : 'unknown',
        os: p?.os ?? 'unknown',
        architecture: p?.architecture ?? 'unknown',
        digest: d.digest,
        mediaType: d.mediaType,
        size: d.size,
      };
      if (p?.variant) entry.variant = p.variant;
      if (p?.['os.version']) entry.osVersion = p['os.version'];
      platforms.push(entry);
    } else {
      others.push({ digest: d.digest, mediaType: d.mediaType, annotations: d.annotations, note: 'index entry of an unknown media type; kept, not read' });
    }
  }
  for (const a of attestations) {
    const target = a.annotations?.[Annotation.referenceDigest];
    const p = platforms.find((x) => x.digest === target);
    if (p) p.attestationManifest = a.digest;
  }
}

/** A single-manifest image: its platform is in the config blob. */
async function singlePlatform(source: ContentSource, repo: string, root: FetchedManifest, signal?: AbortSignal): Promise<PlatformEntry> {
  const m = root.manifest!;
  const entry: PlatformEntry = { platform: 'unknown', os: 'unknown', architecture: 'unknown', digest: root.digest, mediaType: root.mediaType, size: root.size, imageSize: m.config.size + m.layers.reduce((n, l) => n + l.size, 0) };
  const text = Buffer.from(await source.getBlob(repo, m.config.digest, { signal, maxBytes: 4 * 1024 * 1024 })).toString('utf8');
  assertJsonShape(text, `Image config ${m.config.digest}`);
  const config = JSON.parse(text) as Record<string, unknown>;
  if (typeof config.os === 'string' && config.os) entry.os = config.os;
  if (typeof config.architecture === 'string' && config.architecture) entry.architecture = config.architecture;
  if (typeof config.variant === 'string' && config.variant) entry.variant = config.variant;
  entry.platform = [entry.os, entry.architecture, entry.variant].filter(Boolean).join('/');
  return entry;
}

async function buildkitArtifacts(source: ContentSource, repo: string, d: Descriptor, covered: string[], problems: GraphProblem[], signal?: AbortSignal): Promise<Artifact[]> {
  const coversDigest = d.annotations?.[Annotation.referenceDigest] ?? d.digest;
  if (!covered.includes(coversDigest)) {
    problems.push({ at: d.digest, code: 'DANGLING_ATTESTATION', message: `BuildKit attestation manifest ${d.digest} refers to ${coversDigest}, which is not a platform of this index.` });
  }
  const m = await source.getManifest(repo, d.digest, { signal });
  return (m.manifest?.layers ?? []).map((l) => {
    const predicateType = predicateOf(l);
    const a: Artifact = { coversDigest, kind: kindForPredicate(predicateType), format: 'buildkit-index', digest: l.digest, mediaType: l.mediaType, manifestDigest: d.digest, size: l.size };
    if (predicateType) a.predicateType = predicateType;
    return a;
  });
}

function cosignArtifacts(m: FetchedManifest, coversDigest: string, tag: string, kind: Artifact['kind'], others: OtherEntry[]): Artifact[] {
  if (!m.manifest) {
    others.push({ digest: m.digest, mediaType: m.mediaType, note: `cosign tag ${tag} holds an index, not a signature manifest; kept, not read` });
    return [];
  }
  return m.manifest.layers.map((l) => {
    const predicateType = predicateOf(l);
    const a: Artifact = { coversDigest, kind, format: 'cosign-tag', digest: l.digest, mediaType: l.mediaType, manifestDigest: m.digest, tag, size: l.size };
    if (predicateType) a.predicateType = predicateType;
    if (l.annotations) a.annotations = l.annotations;
    return a;
  });
}

interface ReferrerLimits {
  maxDepth: number;
  maxReferrers: number;
  knownTags: Set<string> | undefined;
  /** The walk's budget of lookups below depth 0, shared by every branch. */
  nested: { left: number; skipped: number };
}

async function referrerTree(source: ContentSource, repo: string, digest: string, limits: ReferrerLimits, depth: number, problems: GraphProblem[], signal?: AbortSignal): Promise<Artifact[]> {
  const found = await discoverReferrers(source, repo, digest, signal, limits.knownTags, limits.maxReferrers);
  if (found.unfinished) problems.push({ at: `referrers of ${digest}`, code: 'TRUNCATED', message: `Referrers of ${digest}: ${found.unfinished}. Referrers on the pages not read were not checked.` });
  if (found.descriptors.length > limits.maxReferrers) {
    problems.push({ at: `referrers of ${digest}`, code: 'TRUNCATED', message: `${found.descriptors.length} referrers name ${digest}; only the first ${limits.maxReferrers} were examined.` });
    found.descriptors.splice(limits.maxReferrers);
  }
  const out: Artifact[] = found.descriptors.map((d) => {
    const a: Artifact = { coversDigest: digest, kind: classifyReferrer(d), format: 'referrer', digest: d.digest, mediaType: d.mediaType, discovery: found.discovery, size: d.size };
    const predicateType = predicateOf(d);
    if (predicateType) a.predicateType = predicateType;
    if (d.artifactType) a.artifactType = d.artifactType;
    if (d.annotations) a.annotations = d.annotations;
    if (found.tag) a.tag = found.tag;
    if (depth > 0) a.depth = depth;
    return a;
  });
  if (depth < limits.maxDepth) {
    // A lookup the tag list already answers (no API, no such tag) costs nothing and is not counted.
    const free = (d: string): boolean => (source as { supportsReferrersApi?: boolean }).supportsReferrersApi === false && limits.knownTags !== undefined && !limits.knownTags.has(digestTag(d));
    const nested = await Promise.all(out.map(async (a) => {
      if (!free(a.digest)) {
        if (limits.nested.left <= 0) {
          limits.nested.skipped++;
          return [];
        }
        limits.nested.left--;
      }
      try {
        return await referrerTree(source, repo, a.digest, limits, depth + 1, problems, signal);
      } catch (e) {
        throwIfAborted(signal);
        problems.push({ at: `referrers of ${a.digest}`, code: e instanceof LensError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
        return [];
      }
    }));
    out.push(...nested.flat());
  }
  return out;
}

/** The predicateType of the in-toto statement inside a DSSE envelope, if it is one. */
function predicateFromEnvelope(bytes: Uint8Array): string | undefined {
  try {
    const text = Buffer.from(bytes).toString('utf8');
    assertJsonShape(text, 'DSSE envelope');
    const envelope = JSON.parse(text) as { payload?: unknown };
    if (typeof envelope.payload !== 'string') return undefined;
    const payload = Buffer.from(envelope.payload, 'base64').toString('utf8');
    assertJsonShape(payload, 'DSSE payload');
    const statement = JSON.parse(payload) as { predicateType?: unknown };
    return typeof statement.predicateType === 'string' ? statement.predicateType : undefined;
  } catch {
    return undefined;
  }
}
