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

/** Bytes of a DER length field, as @sigstore/core's encodeLength writes it (short form below 128, else minimal big-endian long form). */
function lengthSize(len: number): number {
  if (len < 128) return 1;
  let n = 0;
  for (let v = len; v > 0; v = Math.floor(v / 256)) n++;
  return 1 + n;
}

/** Content length of every node, children first. */
function measure(node: ASN1Obj, sizes: Map<ASN1Obj, number>): number {
  let content = 0;
  if (node.subs.length > 0) for (const sub of node.subs) content += measure(sub, sizes);
  else content = node.value.length;
  sizes.set(node, content);
  return 1 + lengthSize(content) + content;
}

/** Writes the node at `at` (tag byte, length, then the children's encodings or the value, as ASN1Obj.toDER does); returns the end. */
function write(node: ASN1Obj, out: Buffer, at: number, sizes: Map<ASN1Obj, number>, ders: Map<ASN1Obj, Buffer>): number {
  const start = at;
  const content = sizes.get(node)!;
  out[at++] = node.tag.toDER() & 0xff;
  if (content < 128) out[at++] = content;
  else {
    const n = lengthSize(content) - 1;
    out[at++] = 0x80 | n;
    for (let i = n - 1; i >= 0; i--) out[at++] = Math.floor(content / 256 ** i) % 256;
  }
  if (node.subs.length > 0) for (const sub of node.subs) at = write(sub, out, at, sizes, ders);
  else at += node.value.copy(out, at);
  ders.set(node, out.subarray(start, at));
  return at;
}

/**
 * The DER `ASN1Obj.toDER` produces, for the node and each node below it, written into one
 * buffer in one pass (the library re-encodes through a fresh growing stream per node per call).
 * Byte for byte what the library answers: checked by test/unit/verify-chain-cache.test.ts.
 */
export function encodeTree(node: ASN1Obj): Map<ASN1Obj, Buffer> {
  const sizes = new Map<ASN1Obj, number>();
  const out = Buffer.alloc(measure(node, sizes));
  const ders = new Map<ASN1Obj, Buffer>();
  write(node, out, 0, sizes, ders);
  return ders;
}

/** Makes every node's `toDER` answer its encoding, computed once for the whole tree. */
function rememberDer(root: ASN1Obj): void {
  for (const [node, der] of encodeTree(root)) Object.defineProperty(node, 'toDER', { value: () => der, configurable: false, writable: false });
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

/** Leaves already prepared: parseCertificate shares one object per DER among verifications. */
const preparedLeaves = new WeakSet<X509Certificate>();

/**
 * Prepares a leaf for the library: encoded once, its signature checked against a trusted CA
 * with that CA's KeyObject made once. The leaf's own signature check still runs every time.
 * The object may be shared (certificate.ts parseCertificate, keyed by the exact DER): both
 * changes keep every answer the same, and preparing twice is a no-op.
 */
export function prepareLeaf(cert: X509Certificate): void {
  if (preparedLeaves.has(cert)) return;
  rememberDer(cert.root);
  Object.defineProperty(cert, 'verify', { configurable: false, writable: false, value: verifyWith(cert, cert.verify) });
  preparedLeaves.add(cert);
}
