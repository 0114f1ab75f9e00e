import type { X509Certificate } from '@sigstore/core';
import { FulcioOid, fulcioExtension } from '../../claims/certificate-fields';
import { describeMatcher, matches } from '../policy';
import type { GithubClaims } from '../policy';
import type { ImageCheck } from './image-checks';
import { imageCheck } from './image-checks';

/**
 * GitHub Actions claims Fulcio copies from the OIDC token into the signing certificate
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md, read by
 * src/claims/certificate-fields.ts). The SAN says which workflow signed; these say from which
 * repository, ref, commit and trigger it ran, which a release policy may pin as well.
 */
const CLAIMS: ReadonlyArray<[keyof GithubClaims, string, string]> = [
  ['sourceRepositoryUri', FulcioOid.sourceRepositoryUri, 'source repository'],
  ['sourceRepositoryOwnerUri', FulcioOid.sourceRepositoryOwnerUri, 'source repository owner'],
  ['sourceRepositoryDigest', FulcioOid.sourceRepositoryDigest, 'source commit'],
  ['sourceRepositoryRef', FulcioOid.sourceRepositoryRef, 'source ref'],
  ['buildConfigUri', FulcioOid.buildConfigUri, 'build configuration (workflow file)'],
  ['buildTrigger', FulcioOid.buildTrigger, 'workflow trigger'],
  ['runInvocationUri', FulcioOid.runInvocationUri, 'run invocation'],
];

/** One GITHUB_CLAIMS check per claim the policy pins; none when it pins nothing. */
export function githubClaimChecks(cert: X509Certificate, claims: GithubClaims | undefined): ImageCheck[] {
  if (claims === undefined) return [];
  const out: ImageCheck[] = [];
  for (const [key, oid, label] of CLAIMS) {
    const matcher = claims[key];
    if (matcher === undefined) continue;
    const value = fulcioExtension(cert, oid);
    if (matches(matcher, value)) {
      out.push(imageCheck('GITHUB_CLAIMS', 'pass', `The certificate's ${label} ${JSON.stringify(value)} matches ${describeMatcher(matcher)}.`));
    } else {
      const found = value === undefined ? 'is not in the certificate' : `is ${JSON.stringify(value)}`;
      out.push(imageCheck('GITHUB_CLAIMS', 'fail', `The certificate's ${label} (${oid}) ${found}; the policy expects ${describeMatcher(matcher)}.`));
    }
  }
  return out;
}
