import type { ImageGraph } from '../model/image-graph';
import type { ExternalBundle } from './bundle-lines';
import { externalArtifacts, withExternalArtifacts } from './external-artifacts';
import type { ExternalArtifacts } from './external-artifacts';
import { githubAttestations } from './github-api';
import type { GithubApiOptions } from './github-api';

/**
 * An image's attestations from outside the registry, added to its graph: bundles read from files
 * (`bundle-file`) and those GitHub's attestations API holds for the image's digests (`github-api`),
 * each covering the digest its own signed subject names. One path for `verify --bundle` /
 * `--github-attestations` and the editor's "Add Attestation File…" and GitHub fetch.
 */
export interface ImageAttestationSources {
  /** Bundles read from files (readBundleFile), in the order given. */
  files: readonly ExternalBundle[];
  /** GitHub's API, asked for the image's own digest and each platform's. */
  github?: Omit<GithubApiOptions, 'signal'>;
}

export interface WithImageAttestations {
  graph: ImageGraph;
  /** The bytes of every added artifact by its digest (verifyImage's and collectProvenance's `externalBundles`). */
  bundles?: Map<string, Uint8Array>;
  /** What was not taken, or that GitHub had none: one sentence each. */
  notes: string[];
}

/** Digests of one image asked for at GitHub: the image's own and its platforms', at most this many. */
export const MAX_API_DIGESTS = 32;

export async function addImageAttestations(graph: ImageGraph, sources: ImageAttestationSources, signal?: AbortSignal): Promise<WithImageAttestations> {
  let out: WithImageAttestations = { graph, notes: [] };
  if (sources.files.length > 0) out = merge(out, externalArtifacts(out.graph, sources.files, 'bundle-file'));
  const api = sources.github;
  if (api === undefined) return out;
  const digests = [graph.digest, ...graph.platforms.map((p) => p.digest)].filter((d, i, all) => all.indexOf(d) === i);
  if (digests.length > MAX_API_DIGESTS)
    out.notes.push(`GitHub's attestations were asked for the first ${MAX_API_DIGESTS} of the image's ${digests.length} digests only.`);
  const answers = await Promise.all(digests.slice(0, MAX_API_DIGESTS).map((digest) => githubAttestations(digest, { ...api, ...(signal ? { signal } : {}) })));
  for (const a of answers) out.notes.push(...a.notes);
  return merge(
    out,
    externalArtifacts(
      out.graph,
      answers.flatMap((a) => a.bundles),
      'github-api',
    ),
  );
}

function merge(into: WithImageAttestations, extra: ExternalArtifacts): WithImageAttestations {
  const bundles = new Map([...(into.bundles ?? []), ...extra.bundles]);
  return { graph: withExternalArtifacts(into.graph, extra), bundles, notes: into.notes };
}
