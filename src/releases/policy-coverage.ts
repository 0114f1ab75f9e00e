/**
 * Whether a policy says anything about an image: an entry of the policy file names it (its
 * pattern matched), or a signer is pinned for every image (command-line flags, the editor's
 * settings). Images nobody wrote a policy for, typically the third-party base images a
 * Dockerfile starts from, get a neutral "no policy for this image" where their references are
 * written, never a failed verdict or a Problem: the policy's `defaults` and GitHub derivation
 * describe the project's own images, not golang's. The same rule for `refs --verify` and the editor.
 */
import type { ImagePolicy } from '../verify/policy';

/** The words every surface uses for an image the policy says nothing about. */
export const NO_POLICY = 'no policy for this image';

export function policyCovers(policy: ImagePolicy): boolean {
  if (policy.matchedPattern !== undefined) return true;
  return [policy.sources.identity, policy.sources.keys, policy.sources.github].some((s) => s === 'cli' || s === 'settings');
}
