import { X509Certificate, pem } from '@sigstore/core';

/**
 * What a Fulcio signing certificate claims about who signed, read with `@sigstore/core`'s ASN.1
 * parser: the identity in the SAN and the OIDC token's claims Fulcio copies into extensions
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md). One reader for the verifier's
 * evidence, its GitHub claim checks, the panel's run facts and the release tree's signer, so all
 * of them name the same signer. Nothing here is verified: the certificate's chain and validity are
 * the verifier's to check.
 */
const FULCIO = '1.3.6.1.4.1.57264.1';

/** Fulcio's extension OIDs this tool reads (oid-info.md). */
export const FulcioOid = {
  /** 1.1 Issuer (deprecated): the raw issuer string. */
  issuerV1: `${FULCIO}.1`,
  /** 1.7 OtherName SAN: the username, for identities that are neither URI nor email. */
  otherNameUsername: `${FULCIO}.7`,
  /** 1.8 Issuer (V2): a DER UTF8String, as every extension from 1.8 on. */
  issuer: `${FULCIO}.8`,
  buildSignerUri: `${FULCIO}.9`,
  runnerEnvironment: `${FULCIO}.11`,
  sourceRepositoryUri: `${FULCIO}.12`,
  sourceRepositoryDigest: `${FULCIO}.13`,
  sourceRepositoryRef: `${FULCIO}.14`,
  sourceRepositoryOwnerUri: `${FULCIO}.16`,
  buildConfigUri: `${FULCIO}.18`,
  buildTrigger: `${FULCIO}.20`,
  runInvocationUri: `${FULCIO}.21`,
  sourceRepositoryVisibility: `${FULCIO}.22`,
} as const;

const UTF8_STRING = 0x0c;

/**
 * The value of an extension Fulcio writes as a DER UTF8String (1.8 on); undefined when it is
 * absent or anything else.
 */
export function fulcioExtension(cert: X509Certificate, oid: string): string | undefined {
  try {
    const subs = cert.extension(oid)?.valueObj.subs;
    const value = subs?.length === 1 ? subs[0] : undefined;
    return value !== undefined && value.tag.isUniversal() && value.tag.number === UTF8_STRING ? value.value.toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The OIDC issuer: 1.8, else the deprecated 1.1, whose value is the raw string. */
export function fulcioIssuer(cert: X509Certificate): string | undefined {
  if (cert.extension(FulcioOid.issuer) !== undefined) return fulcioExtension(cert, FulcioOid.issuer);
  return cert.extension(FulcioOid.issuerV1)?.value.toString('utf8');
}

/** The signer's identity: the SAN's URI, else its email, else Fulcio's OtherName username. */
export function certificateIdentity(cert: X509Certificate): string | undefined {
  const san = cert.extSubjectAltName;
  return san?.uri ?? san?.rfc822Name ?? san?.otherName(FulcioOid.otherNameUsername);
}

/**
 * What a GitHub Actions certificate says about the run that signed, for people (the panel, JSON).
 * Absent fields were not in it.
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

const CLAIMS: ReadonlyArray<[keyof GithubCertificateClaims, string]> = [
  ['signerWorkflow', FulcioOid.buildSignerUri],
  ['runnerEnvironment', FulcioOid.runnerEnvironment],
  ['repository', FulcioOid.sourceRepositoryUri],
  ['commit', FulcioOid.sourceRepositoryDigest],
  ['ref', FulcioOid.sourceRepositoryRef],
  ['owner', FulcioOid.sourceRepositoryOwnerUri],
  ['workflow', FulcioOid.buildConfigUri],
  ['trigger', FulcioOid.buildTrigger],
  ['run', FulcioOid.runInvocationUri],
  ['visibility', FulcioOid.sourceRepositoryVisibility],
];

/** The run's claims in a certificate; undefined when it carries none (not a CI identity). */
export function githubCertificateClaims(cert: X509Certificate): GithubCertificateClaims | undefined {
  const out: GithubCertificateClaims = {};
  for (const [key, oid] of CLAIMS) {
    const value = fulcioExtension(cert, oid);
    if (value !== undefined && value !== '') out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export interface CertificateSigner {
  readonly identity?: string;
  readonly issuer?: string;
}

/** The signer the first certificate of a PEM text names; undefined when it holds no certificate. */
export function certificateSigner(pemText: string): CertificateSigner | undefined {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pemText);
  if (block === null) return undefined;
  try {
    const cert = X509Certificate.parse(pem.toDER(block[0]));
    const identity = certificateIdentity(cert);
    const issuer = fulcioIssuer(cert);
    return { ...(identity !== undefined ? { identity } : {}), ...(issuer !== undefined ? { issuer } : {}) };
  } catch {
    return undefined;
  }
}
