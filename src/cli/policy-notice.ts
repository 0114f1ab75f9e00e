import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_FILE_NAME } from '../verify/policy';
import type { PolicyFlagValues } from './policy-flags';

/**
 * A `.provenance-lens.yaml` in the folder the command runs in, when nothing says whom to trust
 * (no --policy, no identity, issuer, key, --owner or --repo flag): the line that says it is there and how to use
 * it. It is never applied by itself: a cloned repository must not choose its own keys, roots or
 * exceptions (the rule the editor's Restricted Mode follows too).
 */
export function unusedPolicyNotice(values: PolicyFlagValues & { policy?: string }, cwd: string): string | undefined {
  const stated =
    values.policy !== undefined ||
    values.key !== undefined ||
    [
      values['certificate-identity'],
      values['certificate-identity-regexp'],
      values['certificate-oidc-issuer'],
      values['certificate-oidc-issuer-regexp'],
      values.owner,
      values.repo,
    ].some((v) => v !== undefined);
  if (stated || !existsSync(join(cwd, POLICY_FILE_NAME))) return undefined;
  return `note: ./${POLICY_FILE_NAME} is here but not used: a policy file applies only when named; to verify against it, add --policy ${POLICY_FILE_NAME}.`;
}
