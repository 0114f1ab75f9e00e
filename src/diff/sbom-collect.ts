import { throwIfAborted } from '../core/abort';
import { LensError, describeError } from '../core/errors';
import type { Artifact, ArtifactKind, ImageGraph } from '../model/image-graph';
import type { ContentSource } from '../registry/source';
import { fetchDocument } from '../provenance/collect';
import { decodeAttestation } from '../claims/envelope';
import { ProvenanceError } from '../claims/errors';
import { parseBoundedJson } from '../claims/json';
import { provenanceLimits } from '../claims/limits';
import type { SbomContents } from './sbom-document';
import { sbomContents } from './sbom-document';

/** One SBOM document the image carries, read. Not verified: who signed it is the signers' business. */
export interface SbomFound {
  /** The digest it is about: the index or a platform manifest. */
  coversDigest: string;
  artifactDigest: string;
  contents: SbomContents;
}

/** An SBOM that could not be read, or is in a format not read here. */
export interface SbomSkipped {
  code: 'UNREADABLE' | 'SBOM_UNSUPPORTED';
  at: string;
  problem?: string;
  message: string;
}

export interface SbomOptions {
  signatureRepository?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Packages read per document (default 50,000). */
  maxPackages?: number | undefined;
  /** Largest document, statement or envelope read (default the provenance reader's, 16 MiB). */
  maxBytes?: number | undefined;
}

export const DEFAULT_MAX_SBOM_PACKAGES = 50_000;

/**
 * The SBOMs the graph found about the image, in every place they live: BuildKit's in-index
 * statements (SPDX), cosign `.att` envelopes (`cosign attest --type spdxjson|cyclonedx`), cosign
 * `.sbom` attachments (the document itself) and OCI referrers (a Sigstore bundle or the document).
 * `kinds` says what each graph artifact is, as the verifier read it from the signed statement
 * where it could (same order as `graph.artifacts`); the graph's own kind otherwise. SBOMs about
 * other artifacts (depth > 0) are not the image's.
 */
export async function collectSboms(
  source: ContentSource,
  graph: ImageGraph,
  kinds: readonly ArtifactKind[],
  options: SbomOptions = {},
): Promise<{ found: SbomFound[]; skipped: SbomSkipped[] }> {
  const limits = provenanceLimits(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {});
  const max = options.maxPackages ?? DEFAULT_MAX_SBOM_PACKAGES;
  const sboms = graph.artifacts.filter((a, i) => !a.depth && (kinds[i] ?? a.kind) === 'sbom');
  const found: SbomFound[] = [];
  const skipped: SbomSkipped[] = [];
  await Promise.all(
    sboms.map(async (a) => {
      try {
        const bytes = await fetchDocument(source, graph.repository, options.signatureRepository ?? graph.repository, a, limits, options.signal);
        const contents = sbomContents(documentOf(bytes, limits), max);
        if (contents === undefined)
          skipped.push({
            code: 'SBOM_UNSUPPORTED',
            at: a.digest,
            message: `The SBOM ${a.digest} (${describe(a)}) is not SPDX 2 JSON or CycloneDX JSON, so its packages were not compared.`,
          });
        else found.push({ coversDigest: a.coversDigest, artifactDigest: a.digest, contents });
      } catch (e) {
        throwIfAborted(options.signal);
        const problem = e instanceof LensError || e instanceof ProvenanceError ? e.code : 'INTERNAL';
        skipped.push({
          code: 'UNREADABLE',
          at: a.digest,
          problem,
          message: `The SBOM ${a.digest} (${describe(a)}) could not be read, so its packages were not compared: ${describeError(e)} [${problem}]`,
        });
      }
    }),
  );
  throwIfAborted(options.signal);
  // Promise.all settles in any order: keep the graph's.
  const order = new Map(graph.artifacts.map((a, i) => [a.digest, i]));
  const rank = (digest: string): number => order.get(digest) ?? 0;
  found.sort((x, y) => rank(x.artifactDigest) - rank(y.artifactDigest));
  skipped.sort((x, y) => rank(x.at) - rank(y.at));
  return { found, skipped };
}

/** The SBOM inside an in-toto statement (its predicate), or the document itself (`cosign attach sbom`, a plain referrer). */
function documentOf(bytes: Uint8Array, limits: ReturnType<typeof provenanceLimits>): unknown {
  try {
    return decodeAttestation(bytes, limits).statement.predicate;
  } catch (e) {
    if (e instanceof ProvenanceError && e.code === 'UNRECOGNISED') return parseBoundedJson(bytes, limits, 'SBOM document');
    throw e;
  }
}

function describe(a: Artifact): string {
  const where = {
    'buildkit-index': 'BuildKit, in the index',
    'cosign-tag': `cosign ${a.tag ?? 'tag'}`,
    referrer: 'OCI referrer',
    'bundle-file': 'bundle file',
    'github-api': "GitHub's attestations API",
  }[a.format];
  return `${where}, about ${a.coversDigest}`;
}
