import { resolve } from 'node:path';
import { LensError } from '../core/errors';
import { loadPublicKeyFile } from '../verify/trust';
import type { PublicKeyMaterial } from '../verify/trust';
import { applyGithubShortcuts, compilePattern, COVERAGE_RULES, formatDiagnostic, loadPolicyFile } from '../verify/policy';
import type { ImagePolicy, Matcher, PolicyFile } from '../verify/policy';
import type { OptionDocs } from './options';
import { trustOptionSpec } from './trust-options';

/**
 * The policy and trust options of every command that verifies (`verify`, `verify --release`,
 * `diff`): one definition, so each accepts the same flags with the same help.
 */
export const policyOptionSpec = {
  'certificate-identity': { type: 'string', value: 'S', help: "the signer's certificate identity (SAN), exact" },
  'certificate-identity-regexp': { type: 'string', value: 'R', help: "... or an RE2 expression (as cosign's), matching the whole SAN" },
  'certificate-oidc-issuer': { type: 'string', value: 'S', help: 'the OIDC issuer, exact' },
  'certificate-oidc-issuer-regexp': { type: 'string', value: 'R', help: '... or an RE2 expression matching the whole issuer' },
  key: { type: 'string', multiple: true, value: 'FILE', help: 'accept signatures made with this PEM public key (repeatable)' },
  'insecure-ignore-tlog': { type: 'boolean', help: 'do not require a transparency-log entry (key-based signing)' },
  'require-attestation': {
    type: 'string',
    multiple: true,
    value: 'TYPE',
    help: 'require a verified attestation of this predicate type covering every platform (repeatable)',
  },
  coverage: {
    type: 'string',
    value: 'RULE',
    help: "what covers a digest: signatures (default, cosign verify's rule) or signatures-or-attestations (a verified attestation from the pinned signer covers it too, as slsa-verifier)",
  },
  owner: {
    type: 'string',
    value: 'ORG',
    help: "as gh attestation verify --owner: the certificate's source repository owner (OID 1.3.6.1.4.1.57264.1.16) is github.com/ORG, and a workflow of one of its repositories signed; no ref pinned",
  },
  repo: {
    type: 'string',
    value: 'ORG/NAME',
    help: "as gh attestation verify --repo: the certificate's source repository (OID 1.3.6.1.4.1.57264.1.12) is github.com/ORG/NAME, its owner ORG, and a workflow of it signed; no ref pinned",
  },
  'signer-workflow': {
    type: 'string',
    value: 'ORG/REPO/.github/workflows/FILE.yml',
    help: 'with --owner or --repo: the workflow that signed (the SAN), at any ref unless @REF follows, e.g. a reusable workflow',
  },
  'signer-repo': { type: 'string', value: 'ORG/REPO', help: 'with --owner or --repo: any workflow of this repository signed (the SAN)' },
  'trusted-root': {
    type: 'string',
    value: 'FILE',
    help: "a trusted_root.json, used alone (default: the embedded public-good root, and GitHub's for bundles its instance signed)",
  },
  'certificate-chain': {
    type: 'string',
    value: 'FILE',
    help: "a private PKI: PEM CA certificates (intermediates, then the root) that replace the root's certificate authorities, as cosign --certificate-chain; with --insecure-ignore-tlog and no signed time, certificates are checked at the current time",
  },
  ...trustOptionSpec,
  policy: {
    type: 'string',
    value: 'FILE',
    help: 'a .provenance-lens.yaml policy (docs/policy.md); flags given as well replace its value for that requirement. A policy file is used only when named here, never found by itself',
  },
} as const satisfies OptionDocs;

/**
 * The requirements command-line flags state (`provenance-lens verify`, `verify --release`), on
 * top of a policy file's for the image: a flag replaces the file's value for that requirement
 * and is marked as coming from the command line (docs/verify-json.md, "Policy").
 */
export type PolicyFlagValues = {
  [
    K in
      | 'certificate-identity'
      | 'certificate-identity-regexp'
      | 'certificate-oidc-issuer'
      | 'certificate-oidc-issuer-regexp'
      | 'trusted-root'
      | 'coverage'
      | 'certificate-chain'
      | 'owner'
      | 'repo'
      | 'signer-workflow'
      | 'signer-repo'
  ]?: string;
} & {
  key?: string[];
  'require-attestation'?: string[];
  'insecure-ignore-tlog'?: boolean;
};

/**
 * A policy file, refused whole (USAGE) when it has any error; warnings go to `warn`, one line
 * each with file, line and column.
 */
export async function readPolicyFile(path: string, warn: (line: string) => void): Promise<PolicyFile> {
  const parsed = await loadPolicyFile(path);
  if (parsed.policy === undefined) {
    throw new LensError('USAGE', `The policy file has errors, so none of it is used:\n${parsed.diagnostics.map(formatDiagnostic).join('\n')}`, { path });
  }
  for (const d of parsed.diagnostics) warn(formatDiagnostic(d));
  return parsed.policy;
}

/**
 * The ImagePolicy the flags state, on top of the policy file's when there is one: a flag
 * replaces the file's value for that requirement (and is marked as coming from the command line).
 */
export async function policyFromFlags(values: PolicyFlagValues, base?: ImagePolicy): Promise<ImagePolicy> {
  const policy: ImagePolicy = base ?? { requiredPredicateTypes: [], requireTlog: true, sources: {} };
  if (values['insecure-ignore-tlog']) Object.assign(policy, { requireTlog: false }).sources.requireTlog = 'cli';
  if (values['certificate-chain'] !== undefined)
    Object.assign(policy, { certificateChain: resolve(values['certificate-chain']) }).sources.certificateChain = 'cli';
  if (values.coverage !== undefined) {
    const coverage = COVERAGE_RULES.find((r) => r === values.coverage);
    if (coverage === undefined) throw new LensError('USAGE', `--coverage takes ${COVERAGE_RULES.join(' or ')}, got ${JSON.stringify(values.coverage)}.`);
    Object.assign(policy, { coverage }).sources.coverage = 'cli';
  }
  applyGithubFlags(values, policy);
  const identity = matcherFromFlags(values['certificate-identity'], values['certificate-identity-regexp'], '--certificate-identity');
  const issuer = matcherFromFlags(values['certificate-oidc-issuer'], values['certificate-oidc-issuer-regexp'], '--certificate-oidc-issuer');
  if (identity !== undefined) Object.assign(policy, { identity }).sources.identity = 'cli';
  if (issuer !== undefined) Object.assign(policy, { issuer }).sources.issuer = 'cli';
  const keys: PublicKeyMaterial[] = [];
  for (const f of values.key ?? []) keys.push(await loadPublicKeyFile(f));
  if (keys.length > 0) Object.assign(policy, { keys }).sources.keys = 'cli';
  for (const t of values['require-attestation'] ?? []) {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(t))
      throw new LensError('USAGE', `--require-attestation takes a predicate type URI (e.g. https://slsa.dev/provenance/v1), got ${JSON.stringify(t)}.`);
    if (!policy.requiredPredicateTypes.includes(t)) policy.requiredPredicateTypes.push(t);
    // A policy file's requirements (with alternatives) are the complete list when present: add to it.
    if (policy.requiredAttestations && !policy.requiredAttestations.some((r) => r.predicateTypes.length === 1 && r.predicateTypes[0] === t)) {
      policy.requiredAttestations.push({ name: t, predicateTypes: [t] });
    }
    policy.sources.requiredPredicateTypes = 'cli';
  }
  return policy;
}

/**
 * `--owner`, `--repo`, `--signer-workflow`, `--signer-repo` with gh's meaning (the policy room's
 * applyGithubShortcuts): the signer and the pinned claims replace the policy file's; an identity
 * or issuer flag given as well still wins over them, as in gh.
 */
function applyGithubFlags(values: PolicyFlagValues, policy: ImagePolicy): void {
  applyGithubShortcuts(
    policy,
    {
      ...(values.owner !== undefined ? { owner: values.owner } : {}),
      ...(values.repo !== undefined ? { repo: values.repo } : {}),
      ...(values['signer-workflow'] !== undefined ? { signerWorkflow: values['signer-workflow'] } : {}),
      ...(values['signer-repo'] !== undefined ? { signerRepo: values['signer-repo'] } : {}),
    },
    'cli',
  );
}

/** `--flag` (exact) or `--flag-regexp` (checked now, so a bad pattern is a usage error, not a failed check later). */
export function matcherFromFlags(exact: string | undefined, regexp: string | undefined, flag: string): Matcher | undefined {
  if (exact !== undefined && regexp !== undefined) throw new LensError('USAGE', `Give ${flag} or ${flag}-regexp, not both.`);
  if (exact !== undefined) return { exact };
  if (regexp === undefined) return undefined;
  compilePattern(regexp);
  return { regexp };
}
