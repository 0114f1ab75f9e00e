import { createHash, X509Certificate as NodeCertificate } from 'node:crypto';
import { X509Certificate } from '@sigstore/core';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';
import { subjectLine } from '../trust';

/**
 * Extended Key Usage on a signing certificate's chain, as cosign asks Go's crypto/x509 to check
 * it (`x509.VerifyOptions{KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}}`,
 * https://github.com/sigstore/cosign/blob/main/pkg/cosign/verify.go): every certificate of the
 * chain that carries the extension must list codeSigning or anyExtendedKeyUsage; one without
 * the extension allows every usage (RFC 5280 §4.2.1.12,
 * https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12; Go's checkChainForKeyUsage nests
 * the usages from the root down). `@sigstore/verify` does not look at the extension at all.
 */
const OID_EXT_KEY_USAGE = '2.5.29.37';
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const ANY_USAGE = '2.5.29.37.0';
/** The universal tag number of a SEQUENCE (X.690 §8.9). */
const SEQUENCE = 16;

/** Names as RFC 5280 §4.2.1.12 and Go's ExtKeyUsage give them; other OIDs are shown as OIDs. */
const USAGE_NAMES: Readonly<Record<string, string>> = {
  [ANY_USAGE]: 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  [CODE_SIGNING]: 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.5': 'ipsecEndSystem',
  '1.3.6.1.5.5.7.3.6': 'ipsecTunnel',
  '1.3.6.1.5.5.7.3.7': 'ipsecUser',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

/** A certificate's EKU OIDs; undefined without the extension. Throws when the extension is not a SEQUENCE of OIDs. */
export function extendedKeyUsages(cert: X509Certificate): string[] | undefined {
  const ext = cert.extension(OID_EXT_KEY_USAGE);
  if (ext === undefined) return undefined;
  // extnValue is an OCTET STRING wrapping the DER of ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId.
  const list = ext.valueObj.subs[0];
  if (list === undefined || !list.tag.isUniversal() || list.tag.number !== SEQUENCE) throw new Error('the Extended Key Usage extension is not a SEQUENCE');
  return list.subs.map((s) => s.toOID());
}

export function usageNames(oids: readonly string[]): string {
  return oids.length === 0 ? 'none' : oids.map((o) => USAGE_NAMES[o] ?? o).join(', ');
}

/** Go counts an extension that lists nothing as no restriction (len(ExtKeyUsage) == 0). */
function allowsCodeSigning(oids: readonly string[] | undefined): boolean {
  return oids === undefined || oids.length === 0 || oids.includes(CODE_SIGNING) || oids.includes(ANY_USAGE);
}

interface TrustedCa {
  cert: X509Certificate;
  der: Buffer;
  /** undefined: no extension; 'malformed': an extension that is not a list of OIDs. */
  usages: string[] | undefined | 'malformed';
}

/** Every CA certificate of a trusted root, parsed once per root. */
const trusted = new WeakMap<TrustedRoot, TrustedCa[]>();

function trustedCas(root: TrustedRoot): TrustedCa[] {
  let cas = trusted.get(root);
  if (cas === undefined) {
    cas = [];
    for (const ca of root.certificateAuthorities) {
      for (const raw of ca.certChain?.certificates ?? []) {
        const der = Buffer.from(raw.rawBytes);
        let cert: X509Certificate;
        try {
          cert = X509Certificate.parse(der);
        } catch {
          continue; // A CA certificate that cannot be parsed cannot be on a chain the library built.
        }
        let usages: TrustedCa['usages'];
        try {
          usages = extendedKeyUsages(cert);
        } catch {
          usages = 'malformed';
        }
        cas.push({ cert, der, usages });
      }
    }
    trusted.set(root, cas);
  }
  return cas;
}

/** The trusted CA certificates that may have issued `cert`: its issuer name, and its authority key id when both carry one (RFC 5280 §4.2.1.1). */
function issuersOf(cert: X509Certificate, cas: readonly TrustedCa[]): TrustedCa[] {
  const aki = cert.extAuthorityKeyID?.keyIdentifier;
  return cas.filter(({ cert: ca }) => {
    if (!ca.subject.equals(cert.issuer)) return false;
    const ski = ca.extSubjectKeyID?.keyIdentifier;
    return aki === undefined || ski === undefined || aki.equals(ski);
  });
}

const fingerprint = (der: Uint8Array): string => `sha256:${createHash('sha256').update(der).digest('hex')}`;

/**
 * The failing CERTIFICATE_CHAIN check when the leaf, or a trusted CA certificate above it, rules
 * out code signing; undefined when the chain allows it. Called once `@sigstore/verify` built and
 * verified the chain from the trusted root's CA certificates only (the ones a bundle carries are
 * never used), so the CA certificates that can be on it are those linked upward from the leaf by
 * issuer name and key identifier. All of them must allow codeSigning: when a root holds several
 * such paths this is stricter than Go, which accepts any one valid path; it never accepts less.
 */
export function codeSigningRefusal(leaf: X509Certificate, root: TrustedRoot): SignatureCheck | undefined {
  let leafUsages: string[] | undefined;
  try {
    leafUsages = extendedKeyUsages(leaf);
  } catch {
    return check(
      'CERTIFICATE_CHAIN',
      'fail',
      'The signing certificate has an Extended Key Usage extension that cannot be read, so it cannot be shown to allow codeSigning, which signing needs.',
      { certificateFingerprint: fingerprint(leaf.root.toDER()) },
    );
  }
  if (!allowsCodeSigning(leafUsages)) {
    return check(
      'CERTIFICATE_CHAIN',
      'fail',
      `The signing certificate's Extended Key Usage is ${usageNames(leafUsages!)}, without codeSigning: it is not a code-signing certificate, and signing needs codeSigning (as cosign requires).`,
      { certificateFingerprint: fingerprint(leaf.root.toDER()) },
    );
  }
  const cas = trustedCas(root);
  const seen = new Set<TrustedCa>();
  let level: X509Certificate[] = [leaf];
  // A chain is short; the bound only guards against a root whose CA certificates name each other in a loop.
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const next: X509Certificate[] = [];
    for (const cert of level) {
      if (cert !== leaf && cert.subject.equals(cert.issuer)) continue; // a self-issued root ends the path
      for (const ca of issuersOf(cert, cas)) {
        if (seen.has(ca)) continue;
        seen.add(ca);
        if (ca.usages === 'malformed' || !allowsCodeSigning(ca.usages)) return caRefusal(ca);
        next.push(ca.cert);
      }
    }
    level = next;
  }
  return undefined;
}

function caRefusal(ca: TrustedCa): SignatureCheck {
  const name = subjectLine(new NodeCertificate(ca.der).subject);
  const what =
    ca.usages === 'malformed'
      ? 'has an Extended Key Usage extension that cannot be read'
      : `limits Extended Key Usage to ${usageNames(ca.usages!)}, without codeSigning`;
  return check(
    'CERTIFICATE_CHAIN',
    'fail',
    `The CA certificate ${name} on the signing certificate's chain ${what}, so the certificates it issues may not sign; signing needs codeSigning (as cosign requires).`,
    { certificateFingerprint: fingerprint(ca.der) },
  );
}
