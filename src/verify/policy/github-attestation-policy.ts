import { LensError } from '../../core/errors';
import type { Matcher } from './identity-policy';
import type { GithubClaims } from './image-policy';
import { GITHUB_ACTIONS_ISSUER, anyCase, isGithubRepository, workflowPath } from './github-identity';
import type { GithubPolicy } from './github-identity';
import { escapeRegExp } from './policy-regexp';

/**
 * `gh attestation verify`'s policy shortcuts, with the meaning gh gives them
 * (https://github.com/cli/cli, pkg/cmd/attestation/verify/policy.go): `--owner` and `--repo` pin
 * the certificate's Source Repository Owner URI (Fulcio OID 1.3.6.1.4.1.57264.1.16) and Source
 * Repository URI (1.12), compared without regard to case; the signer is read from the SAN (the
 * Build Signer URI): `--signer-repo` any workflow of that repository, `--signer-workflow` that
 * workflow file, else any workflow of `--repo`, else of any repository of `--owner`. No ref is
 * pinned unless asked: `ref` (the source ref, 1.14), or `@ref` after the signer workflow.
 * Fulcio's extensions: https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md
 */
export interface GithubAttestationSpec {
  /** `org`: the repository owner. With `repository`, it must be that repository's owner. */
  owner?: string;
  /** `org/name`: the source repository. */
  repository?: string;
  /** `org/repo/.github/workflows/file.yml`, optionally `@ref` (a `github.com/` prefix is allowed). */
  signerWorkflow?: string;
  /** `org/repo`: any workflow of it signed (a reusable workflow's repository). */
  signerRepository?: string;
  /** The caller's workflow file (1.18 Build Config URI), `release.yml` or `.github/workflows/release.yml`. */
  workflow?: string;
  /** The source ref (1.14), exact or a pattern; absent: any ref. */
  ref?: Matcher;
  trigger?: string;
  commit?: string;
}

const SIGNER_WORKFLOW =
  /^(?:https:\/\/)?(?:github\.com\/)?([A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100})\/(\.github\/workflows\/[^/@\s]+\.ya?ml)(?:@(\S+))?$/;

/** The parts of a signer workflow as gh takes it; undefined when it is not one. */
export function parseSignerWorkflow(text: string): { repository: string; path: string; ref?: string } | undefined {
  const m = SIGNER_WORKFLOW.exec(text);
  if (m === null || !isGithubRepository(m[1]!)) return undefined;
  return { repository: m[1]!, path: m[2]!, ...(m[3] !== undefined ? { ref: m[3] } : {}) };
}

/** Any case for the owner and repository: GitHub's names are case-insensitive, certificates keep the owner's spelling. */
const url = (ownerOrRepository: string): string => `https://github\\.com/${anyCase(escapeRegExp(ownerOrRepository))}`;
const ANY_WORKFLOW = '/\\.github/workflows/[^/@]+@.+';

/** The owner the spec pins: the repository's, else the one given; USAGE when they differ or neither is given. */
export function attestationOwner(spec: Pick<GithubAttestationSpec, 'owner' | 'repository'>): string {
  const fromRepository = spec.repository?.split('/')[0];
  if (fromRepository !== undefined && spec.owner !== undefined && fromRepository.toLowerCase() !== spec.owner.toLowerCase()) {
    throw new LensError(
      'USAGE',
      `The owner ${spec.owner} is not the owner of the repository ${spec.repository}; give one of them, or the repository's own owner.`,
    );
  }
  const owner = fromRepository ?? spec.owner;
  if (owner === undefined)
    throw new LensError(
      'USAGE',
      'GitHub attestations are pinned to an owner or a repository, as gh attestation verify asks: give --owner or --repo (owner: or repository: in the policy).',
    );
  return owner;
}

export function githubAttestationPolicy(spec: GithubAttestationSpec): GithubPolicy {
  const owner = attestationOwner(spec);
  if (spec.signerWorkflow !== undefined && spec.signerRepository !== undefined) {
    throw new LensError('USAGE', 'Give a signer workflow or a signer repository, not both: the signer workflow already names its repository.');
  }
  const refPattern = spec.ref === undefined ? '.+' : 'exact' in spec.ref ? escapeRegExp(spec.ref.exact) : `(?:${spec.ref.regexp.replace(/^\^|\$$/g, '')})`;
  let identity: string;
  if (spec.signerRepository !== undefined) {
    identity = `${url(spec.signerRepository)}${ANY_WORKFLOW}`;
  } else if (spec.signerWorkflow !== undefined) {
    const signer = parseSignerWorkflow(spec.signerWorkflow);
    if (signer === undefined)
      throw new LensError('USAGE', `"${spec.signerWorkflow}" is not a signer workflow: write org/repo/.github/workflows/file.yml, optionally with @ref.`);
    identity = `https://github\\.com/${escapeRegExp(`${signer.repository}/${signer.path}`)}@${signer.ref !== undefined ? escapeRegExp(signer.ref) : '.+'}`;
  } else if (spec.repository !== undefined) {
    const workflow = spec.workflow !== undefined ? `/${escapeRegExp(workflowPath(spec.workflow))}` : '/\\.github/workflows/[^/@]+';
    identity = `${url(spec.repository)}${workflow}@${refPattern}`;
  } else {
    identity = `${url(owner)}/[^/]+${ANY_WORKFLOW}`;
  }
  const github: GithubClaims = { sourceRepositoryOwnerUri: { regexp: `^${url(owner)}$` } };
  if (spec.repository !== undefined) github.sourceRepositoryUri = { regexp: `^${url(spec.repository)}$` };
  if (spec.ref !== undefined) github.sourceRepositoryRef = 'exact' in spec.ref ? { exact: spec.ref.exact } : { regexp: `^${refPattern}$` };
  if (spec.workflow !== undefined && spec.repository !== undefined)
    github.buildConfigUri = { regexp: `^${url(spec.repository)}/${escapeRegExp(workflowPath(spec.workflow))}@${refPattern}$` };
  if (spec.trigger !== undefined) github.buildTrigger = { exact: spec.trigger };
  if (spec.commit !== undefined) github.sourceRepositoryDigest = { exact: spec.commit };
  // gh reads no provenance content: the certificate's claims bind the repository, so no SLSA expectations.
  return { identity: { regexp: `^${identity}$` }, issuer: { exact: GITHUB_ACTIONS_ISSUER }, github, slsa: {} };
}
