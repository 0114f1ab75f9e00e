import { createHash, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { X509Certificate } from '@sigstore/core';
import type { Bundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { certificateIdentity, fulcioIssuer } from '../../claims/certificate-fields';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';
import { keyFingerprint } from '../trust';

/**
 * What a Fulcio signing certificate says, read directly from the DER so the facts are
 * available even when a later check fails. The identity and issuer are read by
 * src/claims/certificate-fields.ts, which the release tree and the panel read them with too.
 */
export interface CertificateFacts {
  der: Buffer;
  cert: X509Certificate;
  key: KeyObject;
  /** SAN: URI, else email, else Fulcio's OtherName username. */
  identity?: string;
  /** OIDC issuer: 1.3.6.1.4.1.57264.1.8 (DER UTF8String), else the deprecated 1.1 (raw). */
  issuer?: string;
  fingerprint: string;
  keyFingerprint: string;
  notBefore: string;
  notAfter: string;
}

/** Certificates parsed lately, by DER: verifyBlob and the image checks read the same leaf. */
const parsed = new Map<string, X509Certificate>();
const PARSED_KEPT = 64;

/**
 * `@sigstore/core`'s parse, remembered for the last few certificates: its ASN.1 parser is
 * the slow part of reading a certificate, and one verification reads the leaf several times.
 * The object is only read, never changed, so sharing it is safe.
 */
export function parseCertificate(der: Uint8Array): X509Certificate {
  const key = Buffer.from(der).toString('base64');
  let cert = parsed.get(key);
  if (cert === undefined) {
    cert = X509Certificate.parse(Buffer.from(der));
    if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, cert);
  }
  return cert;
}

export function certificateFacts(der: Buffer): CertificateFacts {
  const cert = parseCertificate(der);
  const key = createPublicKey({ key: cert.publicKey, format: 'der', type: 'spki' });
  const identity = certificateIdentity(cert);
  const issuer = fulcioIssuer(cert);
  const facts: CertificateFacts = {
    der,
    cert,
    key,
    fingerprint: `sha256:${createHash('sha256').update(der).digest('hex')}`,
    keyFingerprint: keyFingerprint(key),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
  if (identity !== undefined) facts.identity = identity;
  if (issuer !== undefined) facts.issuer = issuer;
  return facts;
}

/** The leaf (signing) certificate of a bundle, in either v0.1/0.2 chain or v0.3 single form. */
export function leafCertificate(bundle: Bundle): Buffer | undefined {
  const vm = bundle.verificationMaterial.content;
  if (vm.$case === 'certificate') return Buffer.from(vm.certificate.rawBytes);
  if (vm.$case === 'x509CertificateChain') {
    const first = vm.x509CertificateChain.certificates[0];
    return first ? Buffer.from(first.rawBytes) : undefined;
  }
  return undefined;
}

/**
 * Certificates a v0.1/v0.2 bundle carries after the leaf. Chains are built only from
 * the trusted root, so extras never add trust; but protobuf-specs says signers MUST
 * NOT include root CAs. A self-signed certificate the trusted root does not contain
 * means the bundle claims a trust anchor we do not have: refused
 * (sigstore-conformance `bundle-with-root-cert_fail`). Old bundles that repeat the
 * trusted root's own certificates (sigstore-js v0.1 "full chain") are only noted.
 */
export function bundleChainCheck(bundle: Bundle, root: TrustedRoot): SignatureCheck | undefined {
  const vm = bundle.verificationMaterial.content;
  if (vm.$case !== 'x509CertificateChain' || vm.x509CertificateChain.certificates.length < 2) return undefined;
  const trusted = new Set<string>();
  for (const ca of [...root.certificateAuthorities, ...root.timestampAuthorities]) {
    for (const c of ca.certChain?.certificates ?? []) trusted.add(Buffer.from(c.rawBytes).toString('base64'));
  }
  let copies = 0;
  for (const [i, raw] of vm.x509CertificateChain.certificates.slice(1).entries()) {
    const b64 = Buffer.from(raw.rawBytes).toString('base64');
    if (trusted.has(b64)) {
      copies++;
      continue;
    }
    let cert: X509Certificate;
    try {
      cert = X509Certificate.parse(Buffer.from(raw.rawBytes));
    } catch {
      return check('BUNDLE_CHAIN', 'fail', `Certificate ${i + 1} of the bundle's chain cannot be parsed.`);
    }
    if (cert.subject.equals(cert.issuer) && safeVerify(cert)) {
      return check(
        'BUNDLE_CHAIN',
        'fail',
        'The bundle carries its own root CA certificate, one the trusted root does not contain; signers must not include root CAs, and this one would claim an anchor we do not trust.',
        {
          certificateFingerprint: `sha256:${createHash('sha256').update(raw.rawBytes).digest('hex')}`,
        },
      );
    }
  }
  const extra = vm.x509CertificateChain.certificates.length - 1;
  return check(
    'BUNDLE_CHAIN',
    'info',
    `The bundle carries ${extra} certificate(s) besides the leaf (${copies} identical to the trusted root's); chains are built from the trusted root only.`,
  );
}

function safeVerify(cert: X509Certificate): boolean {
  try {
    return cert.verify();
  } catch {
    return false;
  }
}

/** Each trusted CA's first (issuing) certificate, parsed once per trusted root. */
const issuers = new WeakMap<TrustedRoot, Array<{ uri: string; cert: X509Certificate }>>();

/**
 * The trusted CA (by URI) whose first certificate issued this leaf, for evidence. Called after
 * `@sigstore/verify` built and verified the chain, so the issuer name and the authority key
 * identifier are enough to say which CA it was (RFC 5280 §4.2.1.1); the signature is not
 * checked a second time. CA certificates are parsed once per root.
 */
export function issuingAuthority(leaf: X509Certificate, root: TrustedRoot): string | undefined {
  let cas = issuers.get(root);
  if (cas === undefined) {
    cas = [];
    for (const ca of root.certificateAuthorities) {
      const first = ca.certChain?.certificates[0];
      if (!first) continue;
      try {
        cas.push({ uri: ca.uri || 'unnamed CA', cert: X509Certificate.parse(Buffer.from(first.rawBytes)) });
      } catch {
        // A CA certificate we cannot parse cannot have issued the leaf.
      }
    }
    issuers.set(root, cas);
  }
  const aki = leaf.extAuthorityKeyID?.keyIdentifier;
  return cas.find(({ cert }) => {
    if (!cert.subject.equals(leaf.issuer)) return false;
    const ski = cert.extSubjectKeyID?.keyIdentifier;
    return aki === undefined || ski === undefined || aki.equals(ski);
  })?.uri;
}
