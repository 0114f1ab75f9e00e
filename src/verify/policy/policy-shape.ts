/**
 * The keys `.provenance-lens.yaml` accepts, per object. The validator walks these and
 * `schemas/provenance-lens.schema.json` declares the same names (a test compares them),
 * so an editor and the verifier never disagree about what a key means.
 */
const RULE_KEYS = ['identity', 'issuer', 'github', 'keys', 'trustedRoot', 'certificateChain', 'requireTlog', 'coverage', 'attestations', 'slsa'] as const;

export const POLICY_KEYS = {
  root: ['version', 'defaults', 'images'],
  defaults: [...RULE_KEYS, 'derive'],
  image: ['image', ...RULE_KEYS, 'builtIn', 'exception'],
  github: ['repository', 'workflow', 'ref', 'trigger', 'commit', 'owner', 'signerWorkflow', 'signerRepository'],
  slsa: ['builders', 'source', 'requireKnownBuildType'],
  source: ['repository', 'ref', 'commit'],
  exception: ['reason'],
  matcher: ['exact', 'regexp'],
} as const satisfies Record<string, readonly string[]>;

export type PolicyObject = keyof typeof POLICY_KEYS;

// One "did you mean …?" for the policy file and the command line.
export { closest } from '../../core/closest';
