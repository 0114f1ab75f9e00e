// The policy room: what a verification requires. `.provenance-lens.yaml` (parsed with a
// diagnostic per problem, resolved per image), identity and issuer matchers (RE2), GitHub
// workflow identities, attestation names, and the trust material a policy names. Reading files
// is in policy-read and policy-trust-root; the rest is pure. Outside this folder, import from here.
export { compilePattern, describeMatcher, identityChecks, matches } from './identity-policy';
export type { IdentityPolicy, Matcher } from './identity-policy';
export { githubAttestationPolicy, parseSignerWorkflow } from './github-attestation-policy';
export { applyGithubShortcuts, githubAttestationScope } from './github-shortcuts';
export type { GithubAttestationScope, GithubShortcuts, ShortcutNames } from './github-shortcuts';
export { COVERAGE_RULES } from './image-policy';
export type { CoverageRule, GithubClaims, ImagePolicy, SlsaExpectations } from './image-policy';
export { POLICY_FILE_NAME, formatDiagnostic, parsePolicyFile } from './policy-file';
export { loadPolicyFile, loadPolicyKeys, policyFiles } from './policy-read';
export type { PolicyNamedFile, PolicyReadOptions, PolicyReadResult } from './policy-read';
export { policyForImage } from './policy-resolve';
export { imageName, matchingEntries } from './policy-match';
export { GITHUB_ACTIONS_ISSUER } from './github-identity';
export { trustRootFor } from './policy-trust-root';
export type { PolicyDefaults, PolicyEntry, PolicyFile, PolicyParseResult } from './policy-types';
