import type { X509Certificate } from '@sigstore/core';
import { describeMatcher, matches } from '../policy';
import type { GithubClaims } from '../policy';
import type { ImageCheck } from './image-checks';
import { imageCheck } from './image-checks';

/**
 * GitHub Actions claims Fulcio copies from the OIDC token into the signing certificate
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md, OIDs 1.3.6.1.4.1.57264.1.12-21,
 * each a DER UTF8String). The SAN says which workflow signed; these say from which
 * repository, ref, commit and trigger it ran, which a release policy may pin as well.
 */
const CLAIMS: ReadonlyArray<[keyof GithubClaims, string, string]> = [
  ['sourceRepositoryUri', '1.3.6.1.4.1.57264.1.12', 'source repository'],
  ['sourceRepositoryOwnerUri', '1.3.6.1.4.1.57264.1.16', 'source repository owner'],
  ['sourceRepositoryDigest', '1.3.6.1.4.1.57264.1.13', 'source commit'],
  ['sourceRepositoryRef', '1.3.6.1.4.1.57264.1.14', 'source ref'],
  ['buildConfigUri', '1.3.6.1.4.1.57264.1.18', 'build configuration (workflow file)'],
  ['buildTrigger', '1.3.6.1.4.1.57264.1.20', 'workflow trigger'],
  ['runInvocationUri', '1.3.6.1.4.1.57264.1.21', 'run invocation'],
];

/** The value of a Fulcio UTF8String extension, or undefined when absent or malformed. */
export function fulcioClaim(cert: X509Certificate, oid: string): string | undefined {
  try {
    return cert.extension(oid)?.valueObj.subs[0]?.value.toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * What a GitHub Actions certificate says about the run that signed, for people (the panel, JSON):
 * https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md. Absent fields were not in it.
 */
export interface GithubCertificateClaims {
  /** 1.9 Build Signer URI: the workflow that signed (a reusable workflow's, when one signs). */
  signerWorkflow?: string;
  /** 1.11 Runner Environment: `github-hosted` or `self-hosted`. */
  runnerEnvironment?: string;
  /** 1.12 Source Repository URI. */
  repository?: string;
  /** 1.13 Source Repository Digest (the commit). */
  commit?: string;
  /** 1.14 Source Repository Ref. */
  ref?: string;
  /** 1.16 Source Repository Owner URI. */
  owner?: string;
  /** 1.18 Build Config URI: the caller's workflow file at its ref. */
  workflow?: string;
  /** 1.20 Build Trigger. */
  trigger?: string;
  /** 1.21 Run Invocation URI: the run's page. */
  run?: string;
  /** 1.22 Source Repository Visibility At Signing: `public`, `private` or `internal`. */
  visibility?: string;
}

const READ: ReadonlyArray<[keyof GithubCertificateClaims, string]> = [
  ['signerWorkflow', '1.9'], ['runnerEnvironment', '1.11'], ['repository', '1.12'], ['commit', '1.13'], ['ref', '1.14'],
  ['owner', '1.16'], ['workflow', '1.18'], ['trigger', '1.20'], ['run', '1.21'], ['visibility', '1.22'],
];

/** The run's claims in a certificate; undefined when it carries none (not a CI identity). */
export function githubCertificateClaims(cert: X509Certificate): GithubCertificateClaims | undefined {
  const out: GithubCertificateClaims = {};
  for (const [key, oid] of READ) {
    const value = fulcioClaim(cert, `1.3.6.1.4.1.57264.${oid}`);
    if (value !== undefined && value !== '') out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One GITHUB_CLAIMS check per claim the policy pins; none when it pins nothing. */
export function githubClaimChecks(cert: X509Certificate, claims: GithubClaims | undefined): ImageCheck[] {
  if (claims === undefined) return [];
  const out: ImageCheck[] = [];
  for (const [key, oid, label] of CLAIMS) {
    const matcher = claims[key];
    if (matcher === undefined) continue;
    const value = fulcioClaim(cert, oid);
    if (matches(matcher, value)) {
      out.push(imageCheck('GITHUB_CLAIMS', 'pass', `The certificate's ${label} ${JSON.stringify(value)} matches ${describeMatcher(matcher)}.`));
    } else {
      const found = value === undefined ? 'is not in the certificate' : `is ${JSON.stringify(value)}`;
      out.push(imageCheck('GITHUB_CLAIMS', 'fail', `The certificate's ${label} (${oid}) ${found}; the policy expects ${describeMatcher(matcher)}.`));
    }
  }
  return out;
}
