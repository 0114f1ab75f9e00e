// Fulcio's certificate extensions as `openssl ca` extension-file lines. Values are written as
// `DER:<hex>` (the extnValue content octets), so no user text meets openssl's config syntax.
// Issuer 1.1 and claims 1.2-1.6 are raw strings; 1.8 and later are DER UTF8Strings.
// https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md
import type { SubjectAlternativeName } from './der';
import { generalNames, utf8String } from './der';

/** GitHub Actions claims Fulcio copies from the OIDC token (OIDs 1.3.6.1.4.1.57264.1.<n>). */
export interface GithubClaims {
  /** Deprecated raw-string claims 1.2-1.6 (still issued). */
  workflowTrigger?: string;
  workflowSha?: string;
  workflowName?: string;
  workflowRepository?: string;
  workflowRef?: string;
  /** DER UTF8String claims 1.9-1.22. */
  buildSignerUri?: string;
  buildSignerDigest?: string;
  runnerEnvironment?: string;
  sourceRepositoryUri?: string;
  sourceRepositoryDigest?: string;
  sourceRepositoryRef?: string;
  sourceRepositoryIdentifier?: string;
  sourceRepositoryOwnerUri?: string;
  sourceRepositoryOwnerIdentifier?: string;
  buildConfigUri?: string;
  buildConfigDigest?: string;
  buildTrigger?: string;
  runInvocationUri?: string;
  sourceRepositoryVisibilityAtSigning?: string;
}

const CLAIM_OIDS: Record<keyof GithubClaims, number> = {
  workflowTrigger: 2,
  workflowSha: 3,
  workflowName: 4,
  workflowRepository: 5,
  workflowRef: 6,
  buildSignerUri: 9,
  buildSignerDigest: 10,
  runnerEnvironment: 11,
  sourceRepositoryUri: 12,
  sourceRepositoryDigest: 13,
  sourceRepositoryRef: 14,
  sourceRepositoryIdentifier: 15,
  sourceRepositoryOwnerUri: 16,
  sourceRepositoryOwnerIdentifier: 17,
  buildConfigUri: 18,
  buildConfigDigest: 19,
  buildTrigger: 20,
  runInvocationUri: 21,
  sourceRepositoryVisibilityAtSigning: 22,
};

export const fulcioOid = (n: number): string => `1.3.6.1.4.1.57264.1.${n}`;

/** An extension given as its extnValue content octets. */
export interface RawExtension {
  readonly oid: string;
  readonly value: Buffer;
  readonly critical?: boolean;
}

function extensionLine(ext: RawExtension): string {
  return `${ext.oid} = ${ext.critical ? 'critical,' : ''}DER:${ext.value.toString('hex')}`;
}

export interface LeafExtensionInput {
  san: SubjectAlternativeName;
  issuer: string;
  issuerExtensions?: 'both' | 'v1' | 'v2' | 'none';
  github?: GithubClaims;
  extraExtensions?: readonly RawExtension[];
  /** openssl `extendedKeyUsage` value (default `codeSigning`, as Fulcio); null leaves the extension out. */
  extendedKeyUsage?: string | null;
}

/**
 * The `openssl ca -extfile` section for a leaf, in Fulcio's order: usage, key ids, SAN
 * (critical: the subject is empty), issuer 1.1, raw claims 1.2-1.6, issuer 1.8, claims 1.9+.
 */
export function leafExtensionSection(options: LeafExtensionInput): string {
  const issuer = options.issuer;
  const which = options.issuerExtensions ?? 'both';
  const raw: RawExtension[] = [];
  if (which === 'both' || which === 'v1') raw.push({ oid: fulcioOid(1), value: Buffer.from(issuer, 'utf8') });
  const claims = options.github ?? {};
  for (const [name, n] of Object.entries(CLAIM_OIDS).filter(([, n]) => n <= 6)) {
    const v = claims[name as keyof GithubClaims];
    if (v !== undefined) raw.push({ oid: fulcioOid(n), value: Buffer.from(v, 'utf8') });
  }
  if (which === 'both' || which === 'v2') raw.push({ oid: fulcioOid(8), value: utf8String(issuer) });
  for (const [name, n] of Object.entries(CLAIM_OIDS).filter(([, n]) => n >= 9)) {
    const v = claims[name as keyof GithubClaims];
    if (v !== undefined) raw.push({ oid: fulcioOid(n), value: utf8String(v) });
  }
  raw.push(...(options.extraExtensions ?? []));
  return [
    '[ leaf ]',
    'keyUsage = critical,digitalSignature',
    ...(options.extendedKeyUsage === null ? [] : [`extendedKeyUsage = ${options.extendedKeyUsage ?? 'codeSigning'}`]),
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    `subjectAltName = critical,DER:${generalNames(options.san).toString('hex')}`,
    ...raw.map(extensionLine),
    '',
  ].join('\n');
}
