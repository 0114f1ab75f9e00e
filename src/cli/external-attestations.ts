import { join } from 'node:path';
import { LensError } from '../core/errors';
import { secrets } from '../core/redact';
import { existingUserCacheDir } from '../core/user-cache-dir';
import type { ImageGraph } from '../model/image-graph';
import type { RegistryClient } from '../registry/client';
import { DiskAttestationCache, MemoryAttestationCache, addImageAttestations, readBundleFile } from '../attestations';
import type { ExternalBundle, WithImageAttestations } from '../attestations';
import type { OptionDocs } from './options';

/** `verify`'s attestations from outside the registry (src/attestations). */
export const externalOptionSpec = {
  bundle: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: 'a Sigstore bundle, or a .jsonl of bundles as gh attestation download writes them, verified as attestations of the image: each covers the image digest its own signed subject names (repeatable)',
  },
  'github-attestations': {
    type: 'boolean',
    help: "also fetch the attestations GitHub's attestations API holds for the image's digests, as gh attestation verify does: needs --owner or --repo, a token in GH_TOKEN or GITHUB_TOKEN, and the network (GITHUB_API_URL sets the API's base URL, as in Actions)",
  },
} as const satisfies OptionDocs;

export type ExternalValues = { bundle?: string[]; 'github-attestations'?: boolean; owner?: string; repo?: string; offline?: boolean; 'no-cache'?: boolean };

/** Checked before anything is read: the API path's flags and token. The token is registered as a secret. */
export function githubToken(values: ExternalValues, env: NodeJS.ProcessEnv): string | undefined {
  if (!values['github-attestations']) return undefined;
  if (values.offline)
    throw new LensError(
      'USAGE',
      "--github-attestations reads GitHub's API over the network; --offline forbids it. Give one of them (or download them with gh attestation download and pass --bundle).",
    );
  if (values.owner === undefined && values.repo === undefined)
    throw new LensError(
      'USAGE',
      '--github-attestations needs --owner or --repo: GitHub lists attestations by organisation or repository, as gh attestation verify does.',
    );
  const token = env.GH_TOKEN || env.GITHUB_TOKEN || undefined;
  if (token === undefined)
    throw new LensError('USAGE', "--github-attestations needs a GitHub token in GH_TOKEN or GITHUB_TOKEN (one that can read the repository's attestations).");
  secrets.add(token);
  return token;
}

/** The graph with the given bundle files' and GitHub's attestations added as artifacts (src/attestations). */
export async function addExternalAttestations(
  values: ExternalValues,
  graph: ImageGraph,
  client: RegistryClient,
  env: NodeJS.ProcessEnv,
  token: string | undefined,
  signal: AbortSignal,
): Promise<WithImageAttestations> {
  const files: ExternalBundle[] = [];
  for (const path of values.bundle ?? []) files.push(...(await readBundleFile(path)));
  if (token === undefined) return addImageAttestations(graph, { files }, signal);
  const cacheRoot = values['no-cache'] ? undefined : existingUserCacheDir(env);
  const cache = cacheRoot === undefined ? new MemoryAttestationCache() : new DiskAttestationCache(join(cacheRoot, 'github-attestations'));
  const repo = values.repo;
  const owner = values.owner ?? repo!.split('/')[0]!;
  return addImageAttestations(
    graph,
    {
      files,
      github: {
        transport: client.http,
        token,
        owner,
        ...(repo !== undefined ? { repository: repo } : {}),
        cache,
        ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
      },
    },
    signal,
  );
}
