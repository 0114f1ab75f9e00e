import { LensError } from '../../core/errors';
import { parseReference } from '../../registry/reference';
import { githubAttestationPolicy } from './github-attestation-policy';
import type { ImagePolicy, PolicySource } from './image-policy';
import { matchingEntries } from './policy-match';
import type { GithubSpec, PolicyFile } from './policy-types';

/**
 * `gh attestation verify`'s `--owner`, `--repo`, `--signer-workflow` and `--signer-repo`, given
 * outside a policy file (command-line flags, the editor's settings), over an image's resolved
 * policy: the signer and the pinned claims (githubAttestationPolicy) replace the file's; keys go.
 */
export interface GithubShortcuts {
  owner?: string;
  /** `org/name`. */
  repo?: string;
  signerWorkflow?: string;
  signerRepo?: string;
}

/** How the place the shortcuts came from names each one, for the sentences of a USAGE error. */
export type ShortcutNames = Record<keyof GithubShortcuts, string>;

export const FLAG_NAMES: ShortcutNames = { owner: '--owner', repo: '--repo', signerWorkflow: '--signer-workflow', signerRepo: '--signer-repo' };

/** Applies the shortcuts to `policy` (marked as coming from `source`); nothing when none is given. USAGE when they contradict. */
export function applyGithubShortcuts(policy: ImagePolicy, s: GithubShortcuts, source: PolicySource, names: ShortcutNames = FLAG_NAMES): void {
  const { owner, repo, signerWorkflow, signerRepo } = s;
  if (owner === undefined && repo === undefined) {
    if (signerWorkflow !== undefined || signerRepo !== undefined)
      throw new LensError(
        'USAGE',
        `${names.signerWorkflow} and ${names.signerRepo} go with ${names.owner} or ${names.repo}, as in gh attestation verify: say whose artifacts these are.`,
      );
    return;
  }
  if (repo !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new LensError('USAGE', `${names.repo} takes ORG/NAME, got ${JSON.stringify(repo)}.`);
  const gh = githubAttestationPolicy({
    ...(owner !== undefined ? { owner } : {}),
    ...(repo !== undefined ? { repository: repo } : {}),
    ...(signerWorkflow !== undefined ? { signerWorkflow } : {}),
    ...(signerRepo !== undefined ? { signerRepository: signerRepo } : {}),
  });
  Object.assign(policy, { identity: gh.identity, issuer: gh.issuer, github: gh.github });
  policy.sources.identity = source;
  policy.sources.issuer = source;
  policy.sources.github = source;
  delete policy.keys;
  delete policy.sources.keys;
}

/** Whose attestations GitHub's API is asked for: an owner, and a repository when one is named. */
export interface GithubAttestationScope {
  owner: string;
  /** `org/name`. */
  repository?: string;
}

/**
 * The owner or repository a policy file names for an image's GitHub attestations: its entry's
 * `github:` block over the defaults' (as policyForImage merges them), `owner` and `repository`,
 * else the entry's `builtIn`. Never guessed from the image name: GitHub's API is asked only
 * under a name someone wrote, as gh asks for `--owner` or `--repo`.
 */
export function githubAttestationScope(file: PolicyFile | undefined, reference: string): GithubAttestationScope | undefined {
  const parsed = parseReference(reference);
  if (file === undefined || parsed.kind !== 'registry') return undefined;
  const entry = matchingEntries(file.images, parsed)[0];
  const specs = [entry?.github, file.defaults?.github].filter((g): g is GithubSpec => g !== undefined);
  if (specs.length === 0) return undefined;
  const spec = Object.assign({}, ...[...specs].reverse()) as GithubSpec;
  const repository = spec.repository ?? entry?.builtIn;
  const owner = repository?.split('/')[0] ?? spec.owner;
  return owner === undefined ? undefined : { owner, ...(repository !== undefined ? { repository } : {}) };
}
