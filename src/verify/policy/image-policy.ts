import type { Matcher } from './identity-policy';
import type { PublicKeyMaterial } from '../trust';

/**
 * What one image must satisfy: the resolved policy the verifier applies, whatever it came
 * from (CLI flags, `.provenance-lens.yaml`, derivation for GitHub-built images).
 * Every field says where it came from, so results can explain a requirement.
 */
/** `settings`: the editor's settings (its gh shortcuts), which stand where the command line's flags do. */
export type PolicySource = 'cli' | 'settings' | 'policy-file' | 'derived' | 'default';

/**
 * What counts as covering a digest. `signatures` (the default) is `cosign verify`'s rule: only
 * signatures cover, attestations never do. `signatures-or-attestations` is `slsa-verifier`'s:
 * a VERIFIED attestation (signed by the pinned signer, statement subject = the digest) covers
 * it too, which is how slsa-github-generator's container workflow (`cosign attest` only,
 * no `.sig`) vouches for an image.
 */
export type CoverageRule = 'signatures' | 'signatures-or-attestations';

export const COVERAGE_RULES: readonly CoverageRule[] = ['signatures', 'signatures-or-attestations'];

/** Claims Fulcio puts in GitHub Actions certificates (OIDs 1.3.6.1.4.1.57264.1.*). */
export interface GithubClaims {
  /** 1.12 Source Repository URI, e.g. `https://github.com/rancher/fleet`. */
  sourceRepositoryUri?: Matcher;
  /** 1.16 Source Repository Owner URI, e.g. `https://github.com/rancher` (`gh attestation verify --owner`). */
  sourceRepositoryOwnerUri?: Matcher;
  /** 1.14 Source Repository Ref, e.g. `refs/tags/v0.13.0`. */
  sourceRepositoryRef?: Matcher;
  /** 1.13 Source Repository Digest (the commit). */
  sourceRepositoryDigest?: Matcher;
  /** 1.18 Build Config URI (the workflow file at a ref). */
  buildConfigUri?: Matcher;
  /** 1.20 Build Trigger, e.g. `push`, `workflow_dispatch`. */
  buildTrigger?: Matcher;
  /** 1.21 Run Invocation URI. */
  runInvocationUri?: Matcher;
}

export interface SlsaExpectations {
  /** Builder ids allowed (exact or pattern). Empty: any builder, reported as info. */
  builderIds?: Matcher[];
  /** Repository the image is built from, e.g. `https://github.com/rancher/fleet` (git+ prefixes tolerated). */
  sourceRepository?: string;
  /** `refs/tags/v1.2.3` or a bare tag. */
  sourceRef?: string;
  sourceCommit?: string;
  /** Refuse unknown build types (default: warn). */
  requireKnownBuildType?: boolean;
}

export interface ImagePolicy {
  /** The image pattern that selected this policy (policy file), for the explanation. */
  matchedPattern?: string | undefined;
  identity?: Matcher | undefined;
  issuer?: Matcher | undefined;
  github?: GithubClaims | undefined;
  /** Key-based signing: any of these keys. */
  keys?: PublicKeyMaterial[] | undefined;
  /** Predicate types that must be present as SIGNED attestations covering the image. */
  requiredPredicateTypes: string[];
  /**
   * Every required attestation, each met by ANY of its predicate types (`slsa-provenance`
   * is v0.2 or v1). When present it is the complete list and supersedes
   * `requiredPredicateTypes`, which then holds only the requirements naming one type.
   */
  requiredAttestations?: AttestationRequirement[] | undefined;
  slsa?: SlsaExpectations | undefined;
  /** The repository the image is built in, when not the image's own name (rancher/fleet-agent -> rancher/fleet). */
  builtIn?: string | undefined;
  /** A stated exception: the image is not required to be signed, with the reason shown. */
  exception?: { reason: string } | undefined;
  /** Require a transparency-log entry (default true). */
  requireTlog: boolean;
  /** A `trusted_root.json` to verify against instead of the public-good root (absolute path). */
  trustedRoot?: string | undefined;
  /**
   * A private PKI: PEM CA certificates (intermediates and root, absolute path) that replace the
   * trusted root's certificate authorities, as `cosign verify --certificate-chain` does.
   */
  certificateChain?: string | undefined;
  /** What covers a digest; absent means `signatures`. */
  coverage?: CoverageRule | undefined;
  /** Plain sentences on how the policy was resolved (e.g. "identity derived from the image name"), for the explanation. */
  notes?: string[] | undefined;
  /** Where each requirement came from. */
  sources: Partial<
    Record<
      | 'identity'
      | 'issuer'
      | 'keys'
      | 'requiredPredicateTypes'
      | 'slsa'
      | 'github'
      | 'exception'
      | 'builtIn'
      | 'trustedRoot'
      | 'requireTlog'
      | 'certificateChain'
      | 'coverage',
      PolicySource
    >
  >;
}

/** One required attestation: a name for people and the predicate types that satisfy it. */
export interface AttestationRequirement {
  /** As written in the policy: an alias (`slsa-provenance`) or the predicate type itself. */
  name: string;
  predicateTypes: string[];
}
