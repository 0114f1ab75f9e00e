import { LensError } from '../core/errors';
import { throwIfAborted, withFanOutSignal } from '../core/abort';
import type { ContentSource } from './source';
import type { Descriptor, FetchedManifest } from '../model/oci';
import type { Artifact, GraphProblem, ImageGraph, NestedIndex, OtherEntry, PlatformEntry } from '../model/image-graph';
import type { WalkLimits } from './graph-limits';
import { DEFAULT_WALK_LIMITS, truncated } from './graph-limits';
import type { ArtifactWalk } from './graph-artifacts';
import { buildkitArtifacts, cosignArtifacts, predicateFromEnvelope, referrerTree } from './graph-artifacts';
import { platformKey, splitIndexEntries } from './graph-index';
import { Annotation, isIndexMediaType, isManifestMediaType } from './media-types';
import { digestTag } from './digest';
import { COSIGN_SUFFIXES } from './classify';
import { assertJsonShape } from './json-shape';
import { assertUnambiguousJson } from './strict-json';

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
  signal?: AbortSignal | undefined;
  /** Where cosign stores signatures when not beside the image (cosign's COSIGN_REPOSITORY). */
  signatureRepository?: string | undefined;
  /** How deep to follow artifacts about artifacts (a signed SBOM). 0 = only the image. */
  referrerDepth?: number | undefined;
  /** Caps of the walk (graph-limits.ts); each cut is a TRUNCATED problem. */
  limits?: Partial<WalkLimits> | undefined;
  /** Shorthand for `limits.platforms`. */
  maxPlatforms?: number | undefined;
  /** Shorthand for `limits.referrers`. */
  maxReferrers?: number | undefined;
}

/**
 * Walks the supply-chain graph of an image: index -> every entry a runtime could select (nested
 * indexes walked) -> BuildKit attestation manifests, and for the index, every nested index and
 * every platform digest the cosign tags and the OCI referrers. Everything that depends only on
 * the index is requested at once, so the critical path is root -> everything else (-> referrers of
 * referrers, or a nested index's entries).
 */
export async function buildGraph(source: ContentSource, target: GraphTarget, options: GraphOptions = {}): Promise<ImageGraph> {
  return withFanOutSignal(options.signal, (signal) => walk(source, target, options, signal));
}

/** A platform found in the walk, with its place in index order (nested entries sort inside their index). */
interface Found {
  readonly order: number[];
  readonly entry: PlatformEntry;
}

class Walk {
  readonly problems: GraphProblem[] = [];
  readonly artifacts: Artifact[] = [];
  readonly others: OtherEntry[] = [];
  readonly found: Found[] = [];
  readonly indexes: NestedIndex[] = [];
  readonly attestationManifests: Descriptor[] = [];
  private readonly tasks: Array<Promise<void>> = [];
  private platformRoom: number;
  /** Digests whose artifacts are looked up already: an index may list one digest many times. */
  private readonly lookedUp = new Set<string>();
  readonly artifactWalk: ArtifactWalk;

  constructor(
    readonly source: ContentSource,
    readonly repo: string,
    private readonly sigRepo: string,
    private readonly sigTags: Set<string> | undefined,
    readonly limits: WalkLimits,
    private readonly referrerDepth: number,
    readonly signal: AbortSignal,
    knownTags: Set<string> | undefined,
  ) {
    this.platformRoom = limits.platforms;
    this.artifactWalk = { source, repository: repo, limits, problems: this.problems, signal, knownTags, nested: { left: limits.nestedReferrers, skipped: 0 } };
  }

  /** Waits for every task, including those started by tasks (a nested index's entries). */
  async settle(): Promise<void> {
    while (this.tasks.length > 0) await Promise.all(this.tasks.splice(0));
    throwIfAborted(this.signal);
  }

  /** Records a failure of one part and goes on; cancellation always stops everything. */
  guard(at: string, task: () => Promise<unknown>): void {
    this.tasks.push(
      task().then(
        () => undefined,
        (e: unknown) => {
          throwIfAborted(this.signal);
          this.problems.push({ at, code: e instanceof LensError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
        },
      ),
    );
  }

  /** The signatures, attestations and SBOMs about one digest: referrers first (others wait on them), then cosign tags. */
  lookUpArtifacts(digest: string): void {
    if (this.lookedUp.has(digest)) return;
    this.lookedUp.add(digest);
    this.guard(`referrers of ${digest}`, async () => this.artifacts.push(...(await referrerTree(this.artifactWalk, digest, this.referrerDepth))));
    for (const { suffix, kind } of COSIGN_SUFFIXES) {
      const tag = `${digestTag(digest)}.${suffix}`;
      if (this.sigTags && !this.sigTags.has(tag)) continue;
      this.guard(tag, async () => {
        const m = await this.source.getManifest(this.sigRepo, tag, { signal: this.signal, optional: true });
        if (!m) return;
        const found = cosignArtifacts(this.artifactWalk, m, digest, tag, kind, this.others);
        // Older cosign releases did not annotate the predicate type: read it from the envelope (a label only).
        await Promise.all(
          found
            .filter((a) => a.kind === 'attestation' && !a.predicateType)
            .map(async (a) => {
              const predicateType = predicateFromEnvelope(await this.source.getBlob(this.sigRepo, a.digest, { signal: this.signal }));
              if (predicateType) a.predicateType = predicateType;
            }),
        );
        this.artifacts.push(...found);
      });
    }
  }

  /** Every entry of an index a runtime could select, and its BuildKit attestation manifests. */
  visitIndex(index: FetchedManifest & { kind: 'index' }, via: string[], order: number[]): void {
    const { images, attestations } = splitIndexEntries(index.index.manifests);
    // BuildKit writes one attestation manifest per image entry of the same index. Only that one is
    // read: more, or one naming no entry here, cost reads and could never change the verdict.
    const listed = new Set(images.map((d) => d.digest));
    const first = new Map<string, Descriptor>();
    const extra: Descriptor[] = [];
    for (const a of attestations) {
      const covers = a.annotations?.[Annotation.referenceDigest] ?? '';
      if (!listed.has(covers))
        this.problems.push({
          at: a.digest,
          code: 'DANGLING_ATTESTATION',
          message: `BuildKit attestation manifest ${a.digest} refers to ${covers || 'nothing'}, which is not an image entry of index ${index.digest}; it was not read.`,
        });
      else if (first.has(covers)) extra.push(a);
      else first.set(covers, a);
    }
    if (extra.length > 0) {
      this.problems.push({
        at: `entries of ${index.digest}`,
        code: 'TRUNCATED',
        cut: { cap: 'attestation-manifests', limit: 1, unread: extra.length, unsigned: true },
        message: `Index ${index.digest} lists ${extra.length} more BuildKit attestation manifests for entries that already have one; BuildKit writes one per entry, so only the first of each was read. They are unsigned and never change the verdict.`,
      });
    }
    const maxAttestations = this.limits.attestationManifests;
    const wanted = [...first.values()];
    if (wanted.length > maxAttestations) {
      this.problems.push(
        truncated(
          `entries of ${index.digest}`,
          { cap: 'attestation-manifests', limit: maxAttestations, unread: wanted.length - maxAttestations, unsigned: true },
          `Index ${index.digest} lists ${wanted.length} BuildKit attestation manifests; only the first ${maxAttestations} were read`,
        ),
      );
    }
    for (const a of wanted.slice(0, maxAttestations)) {
      this.attestationManifests.push(a);
      this.guard(a.digest, async () => this.artifacts.push(...(await buildkitArtifacts(this.artifactWalk, a))));
    }
    const kept = images.slice(0, this.platformRoom);
    this.platformRoom -= kept.length;
    if (kept.length < images.length) {
      const unread = images.length - kept.length;
      this.problems.push(
        truncated(
          `entries of ${index.digest}`,
          { cap: 'platforms', limit: this.limits.platforms, unread, index: index.digest },
          `Index ${index.digest} lists ${images.length} image entries; ${unread} of them were not examined`,
        ),
      );
    }
    kept.forEach((d, i) => this.visitEntry(d, via, [...order, i]));
  }

  private visitEntry(d: Descriptor, via: string[], order: number[]): void {
    this.lookUpArtifacts(d.digest);
    this.tasks.push(this.readEntry(d, via, order));
  }

  /** What the bytes at an entry's digest are decides how it is walked; anything else leaves it unexamined. */
  private async readEntry(d: Descriptor, via: string[], order: number[]): Promise<void> {
    let m: FetchedManifest;
    try {
      m = await this.source.getManifest(this.repo, d.digest, { signal: this.signal });
    } catch (e) {
      throwIfAborted(this.signal);
      this.addPlatform(d, via, order, { code: e instanceof LensError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const declared = isIndexMediaType(d.mediaType) ? 'index' : isManifestMediaType(d.mediaType) ? 'manifest' : undefined;
    if (declared !== undefined && declared !== m.kind) {
      this.addPlatform(d, via, order, {
        code: 'MEDIA_TYPE_MISMATCH',
        message: `The index lists ${d.digest} as an image ${declared} (${d.mediaType}), but its bytes are an image ${m.kind}; runtimes could read it either way, so it was not examined.`,
      });
      return;
    }
    if (m.size !== d.size) {
      this.addPlatform(d, via, order, {
        code: 'SIZE_MISMATCH',
        message: `The index says ${d.digest} is ${d.size} bytes; it is ${m.size}. A runtime checking sizes refuses it, so it was not examined.`,
      });
      return;
    }
    if (m.kind === 'index') {
      const nested: NestedIndex = { digest: d.digest, mediaType: m.mediaType, size: m.size, via };
      if (d.platform) nested.platform = platformKey(d);
      this.indexes.push(nested);
      if (via.length + 1 > this.limits.nesting) {
        this.problems.push(
          truncated(
            `entries of ${d.digest}`,
            { cap: 'nesting', limit: this.limits.nesting, unread: m.index.manifests.length, index: d.digest },
            `${d.digest} is an index nested ${via.length + 1} levels deep; its ${m.index.manifests.length} entries were not examined`,
          ),
        );
        return;
      }
      this.visitIndex(m, [...via, d.digest], order);
      return;
    }
    const entry = this.addPlatform(d, via, order);
    entry.imageSize = m.manifest.config.size + m.manifest.layers.reduce((n, l) => n + l.size, 0);
    // containerd reads the config of an entry without a platform to decide whether to pull it.
    if (!d.platform) {
      try {
        Object.assign(entry, await platformFromConfig(this.source, this.repo, m, this.signal));
      } catch (e) {
        throwIfAborted(this.signal);
        entry.problem = { code: e instanceof LensError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
        this.problems.push({ at: d.digest, ...entry.problem });
      }
    }
  }

  addPlatform(d: Descriptor, via: string[], order: number[], problem?: { code: string; message: string }): PlatformEntry {
    const p = d.platform;
    const entry: PlatformEntry = {
      platform: platformKey(d),
      os: p?.os || 'unknown',
      architecture: p?.architecture || 'unknown',
      digest: d.digest,
      mediaType: d.mediaType,
      size: d.size,
    };
    if (p?.variant) entry.variant = p.variant;
    if (p?.['os.version']) entry.osVersion = p['os.version'];
    if (via.length > 0) entry.via = via;
    if (problem !== undefined) {
      entry.problem = problem;
      this.problems.push({ at: d.digest, ...problem });
    }
    this.found.push({ order, entry });
    return entry;
  }
}

async function walk(source: ContentSource, target: GraphTarget, options: GraphOptions, signal: AbortSignal): Promise<ImageGraph> {
  const repo = target.repository;
  const sigRepo = options.signatureRepository ?? repo;
  // Learn whether the registry has a referrers API while the root is on its way (unless an
  // earlier walk learnt it), and read one page of the tag list: it tells which cosign and
  // referrers tags exist, so the second wave asks only for those.
  const [root, , tags] = await Promise.all([
    source.getManifest(repo, target.digest ?? target.tag ?? (target.source === 'oci-layout' ? '' : 'latest'), { signal }),
    source.supportsReferrersApi === undefined ? source.referrers(repo, PROBE_DIGEST, { signal, limit: 0 }).catch(() => undefined) : undefined,
    source.knownTags?.(repo, { signal }),
  ]);
  const limits: WalkLimits = {
    ...DEFAULT_WALK_LIMITS,
    ...options.limits,
    ...(options.maxPlatforms !== undefined ? { platforms: options.maxPlatforms } : {}),
    ...(options.maxReferrers !== undefined ? { referrers: options.maxReferrers } : {}),
  };
  const w = new Walk(source, repo, sigRepo, sigRepo === repo ? tags : undefined, limits, options.referrerDepth ?? 1, signal, tags);
  w.lookUpArtifacts(root.digest);
  if (root.kind === 'index') {
    w.visitIndex(root, [], []);
  } else {
    w.guard(root.digest, async () => {
      const entry = w.addPlatform({ mediaType: root.mediaType, digest: root.digest, size: root.size }, [], [0]);
      entry.imageSize = root.manifest.config.size + root.manifest.layers.reduce((n, l) => n + l.size, 0);
      try {
        Object.assign(entry, await platformFromConfig(source, repo, root, signal));
      } catch (e) {
        throwIfAborted(signal);
        entry.problem = { code: e instanceof LensError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
        throw e;
      }
    });
  }
  await w.settle();
  return assemble(w, root, target);
}

function assemble(w: Walk, root: FetchedManifest, target: GraphTarget): ImageGraph {
  const platforms = w.found.sort((a, b) => compareOrder(a.order, b.order)).map((f) => f.entry);
  const digests = [root.digest, ...w.indexes.map((i) => i.digest), ...platforms.map((p) => p.digest)];
  for (const a of w.attestationManifests) {
    const covers = a.annotations?.[Annotation.referenceDigest];
    const p = platforms.find((x) => x.digest === covers);
    if (p) p.attestationManifest ??= a.digest;
  }
  if (w.artifactWalk.nested.skipped > 0) {
    const { nestedReferrers } = w.limits;
    w.problems.push(
      truncated(
        'referrers of referrers',
        { cap: 'nested-referrers', limit: nestedReferrers, unread: w.artifactWalk.nested.skipped },
        `The referrers of ${w.artifactWalk.nested.skipped} artifacts were not looked up`,
      ),
    );
  }
  const order = new Map(digests.map((d, i) => [d, i]));
  const artifacts = capArtifacts(w, order);
  artifacts.sort(
    (a, b) =>
      (order.get(a.coversDigest) ?? Infinity) - (order.get(b.coversDigest) ?? Infinity) ||
      ordinal(a.format, b.format) ||
      ordinal(a.kind, b.kind) ||
      ordinal(a.digest, b.digest),
  );
  const graph: ImageGraph = {
    reference: target.reference,
    source: target.source,
    repository: target.repository,
    digest: root.digest,
    mediaType: root.mediaType,
    size: root.size,
    kind: root.kind,
    platforms,
    artifacts,
    others: w.others,
    problems: w.problems,
  };
  if (w.indexes.length > 0) graph.indexes = w.indexes;
  if (target.registry !== undefined) graph.registry = target.registry;
  if (target.tag !== undefined) graph.tag = target.tag;
  if (w.source.supportsReferrersApi !== undefined) graph.referrersApi = w.source.supportsReferrersApi;
  return graph;
}

/**
 * At most `limits.artifacts` artifacts leave the walk (each costs a read when verified), of which at
 * most `limits.statements` BuildKit statements. Those that can cover a digest go first: signed
 * formats directly on a digest, in digest order; then artifacts about artifacts; BuildKit's unsigned
 * statements last. Signed formats cut and unsigned statements cut are told apart: only the first
 * can change a verdict.
 */
function capArtifacts(w: Walk, order: Map<string, number>): Artifact[] {
  const rank = (a: Artifact): number => (a.format === 'buildkit-index' ? 2 : a.depth ? 1 : 0);
  const ranked = [...w.artifacts].sort(
    (a, b) => rank(a) - rank(b) || (order.get(a.coversDigest) ?? Infinity) - (order.get(b.coversDigest) ?? Infinity) || ordinal(a.digest, b.digest),
  );
  const { artifacts: limit, statements } = w.limits;
  const signed = ranked.filter((a) => a.format !== 'buildkit-index');
  const unsigned = ranked.filter((a) => a.format === 'buildkit-index');
  const keptSigned = signed.slice(0, limit);
  const keptUnsigned = unsigned.slice(0, Math.max(0, Math.min(statements, limit - keptSigned.length)));
  if (keptSigned.length < signed.length) {
    const unread = signed.length - keptSigned.length;
    w.problems.push(
      truncated('artifacts', { cap: 'artifacts', limit, unread }, `The image has ${signed.length} signatures, attestations and SBOMs; ${unread} were not read`),
    );
  }
  if (keptUnsigned.length < unsigned.length) {
    const unread = unsigned.length - keptUnsigned.length;
    w.problems.push(
      truncated(
        'statements',
        { cap: 'statements', limit: Math.min(statements, limit), unread, unsigned: true },
        `The image's BuildKit attestation manifests hold ${unsigned.length} statements; ${unread} were not read (they are unsigned and never change the verdict)`,
      ),
    );
  }
  return [...keptSigned, ...keptUnsigned];
}

/**
 * Code-unit order: the same order as localeCompare for digests and our ASCII format and kind
 * names, without setting up an ICU collator (about 7 ms of every CLI run).
 */
function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The platform of an image manifest, from its config blob (read strictly, as a runtime would). */
async function platformFromConfig(
  source: ContentSource,
  repo: string,
  m: FetchedManifest & { kind: 'manifest' },
  signal: AbortSignal,
): Promise<Pick<PlatformEntry, 'platform' | 'os' | 'architecture' | 'variant'>> {
  const what = `Image config ${m.manifest.config.digest}`;
  const text = Buffer.from(await source.getBlob(repo, m.manifest.config.digest, { signal, maxBytes: 4 * 1024 * 1024 })).toString('utf8');
  assertJsonShape(text, what);
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new LensError('PROTOCOL', `${what} is not valid JSON.`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new LensError('PROTOCOL', `${what} is not a JSON object.`);
  assertUnambiguousJson(text, what, 'config');
  const { os: o, architecture: arch, variant } = config as Record<string, unknown>;
  const os = typeof o === 'string' && o ? o : 'unknown';
  const architecture = typeof arch === 'string' && arch ? arch : 'unknown';
  const out: Pick<PlatformEntry, 'platform' | 'os' | 'architecture' | 'variant'> = { platform: '', os, architecture };
  if (typeof variant === 'string' && variant) out.variant = variant;
  out.platform = [os, architecture, out.variant].filter(Boolean).join('/');
  return out;
}
