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
