import { VerificationSession } from '../verify';
import type { PolicyFile } from '../verify/policy';
import type { PolicyFlagValues } from './policy-flags';
import { policyFromFlags } from './policy-flags';
import type { TrustLoadOptions } from './trust-options';

/**
 * The verification session of one command run (src/verify/session.ts): the --policy file's entry
 * for each image under the policy flags, the release tag when there is one, and one trust root
 * per file and chain for every image of the run (online, one shared refresh).
 */
export function cliSession(values: PolicyFlagValues, policyFile: PolicyFile | undefined, trustLoad: TrustLoadOptions, tag?: string): VerificationSession {
  return new VerificationSession({
    ...(policyFile !== undefined ? { policyFile } : {}),
    ...(tag !== undefined ? { tag } : {}),
    overlay: (fromFile) => policyFromFlags(values, fromFile),
    ...(values['trusted-root'] !== undefined ? { trustedRoot: values['trusted-root'] } : {}),
    trustLoad,
  });
}
