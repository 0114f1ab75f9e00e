import type { KeyObject } from 'node:crypto';
import type { ASN1Obj, X509Certificate } from '@sigstore/core';
import { crypto as sigstoreCrypto } from '@sigstore/core';
import type { TrustMaterial } from '@sigstore/verify';

/**
 * Repeated work `@sigstore/verify` 3.1 does in its certificate chain builder
 * (key/certificate.js), done once instead. Per verification it re-encodes each certificate
 * to DER several times (`equals` re-serializes both sides through a growing ByteStream,
 * `dedupeCertificates` compares every pair, `verify` re-encodes the TBS, `clone` for SCTs),
 * re-creates the issuer's KeyObject from DER for every signature check, and re-verifies the
 * trusted CA certificates' own signatures (intermediate by root, root by itself). Measured,
 * that was two thirds of a whole verification.
 *
 * What changes, on objects we own only, never on the library's prototypes:
 * - `toDER` of every ASN.1 node of a trusted CA certificate and of the leaf handed to the
 *   library answers the bytes it computed the first time. `toDER` is a pure function of the
 *   node's tag, value and children; nothing changes these trees (the SCT check splices
 *   the extensions of a fresh `clone()`, a separate tree parsed from a copy of the bytes).
 * - A certificate's signature checked against a trusted CA certificate uses that CA's
 *   KeyObject, made once from the very DER `verify` would have used (`issuer.publicKey`);
 *   the check itself (`crypto.verify` over the TBS, signature, algorithm) is the library's
 *   own and runs every time for the leaf.
 * - The result of a trusted CA certificate's signature checked by a trusted CA certificate
 *   (both objects of one trust material, built once per TrustRoot object) is remembered:
 *   same immutable inputs, same answer. A leaf's signature is never remembered.
 * Results do not change: the same checks run in the same order and answer the same.
 */

/** Trusted CA certificates of prepared trust materials, with their issuer KeyObjects. */
const caKeys = new WeakMap<X509Certificate, KeyObject>();

/** Makes every node's `toDER` answer the bytes of its first encoding (children first, so each byte is encoded once). */
function rememberDer(node: ASN1Obj): void {
  for (const sub of node.subs) rememberDer(sub);
  const der = node.toDER();
  Object.defineProperty(node, 'toDER', { value: () => der, configurable: false, writable: false });
}

/** The library's X509Certificate.verify, with the KeyObject of a trusted issuer made once. */
function verifyWith(cert: X509Certificate, original: X509Certificate['verify']): X509Certificate['verify'] {
  return (issuer?: X509Certificate): boolean => {
    const key = caKeys.get(issuer ?? cert);
    if (key === undefined) return original.call(cert, issuer);
    return sigstoreCrypto.verify(cert.tbsCertificate.toDER(), key, cert.signatureValue, cert.signatureAlgorithm);
  };
}

/** Prepares a trust material built by `toTrustMaterial` for repeated verifications; call once, on a material nobody else holds. */
export function prepareTrustMaterial(material: TrustMaterial): TrustMaterial {
  const certs = [...material.certificateAuthorities, ...material.timestampAuthorities].flatMap((ca) => ca.certChain);
  for (const cert of certs) {
    rememberDer(cert.root);
    if (!caKeys.has(cert)) caKeys.set(cert, sigstoreCrypto.createPublicKey(cert.publicKey));
  }
  const trusted = new Set(certs);
  for (const cert of certs) {
    const original = cert.verify;
    const fast = verifyWith(cert, original);
    const results = new Map<X509Certificate, boolean>();
    Object.defineProperty(cert, 'verify', {
      configurable: false,
      writable: false,
      value: (issuer?: X509Certificate): boolean => {
        const by = issuer ?? cert;
        if (!trusted.has(by)) return fast(issuer);
        let ok = results.get(by);
        if (ok === undefined) {
          ok = fast(issuer);
          results.set(by, ok);
        }
        return ok;
      },
    });
  }
  return material;
}

/** Prepares the leaf the library will check: one DER encoding, trusted issuers' KeyObjects reused. Only for a leaf parsed for this one verification. */
export function prepareLeaf(cert: X509Certificate): void {
  rememberDer(cert.root);
  Object.defineProperty(cert, 'verify', { configurable: false, writable: false, value: verifyWith(cert, cert.verify) });
}
