/**
 * Who a Fulcio certificate names, read with Node's built-in X509Certificate (no sigstore code is
 * loaded to draw a tree node): the SAN (URI, else email) and the OIDC issuer extension
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md: 1.3.6.1.4.1.57264.1.8, a DER
 * UTF8String; the deprecated 1.1 holds the raw string). For display only: nothing is verified.
 */
import { X509Certificate } from 'node:crypto';

const PEM = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;
// OID 1.3.6.1.4.1.57264.1.8 and .1.1, DER-encoded with their tag and length.
const ISSUER_V2 = Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x08]);
const ISSUER_V1 = Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x01]);

/** A DER length at `pos`: [length, offset of the content]. */
function derLength(der: Buffer, pos: number): [number, number] | undefined {
  const first = der[pos];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, pos + 1];
  const n = first & 0x7f;
  if (n === 0 || n > 3) return undefined;
  let len = 0;
  for (let i = 1; i <= n; i++) len = (len << 8) | (der[pos + i] ?? 0);
  return [len, pos + 1 + n];
}

/** The extnValue (OCTET STRING content) of the extension whose encoded OID is `oid`. */
function extensionValue(der: Buffer, oid: Buffer): Buffer | undefined {
  let pos = der.indexOf(oid);
  if (pos < 0) return undefined;
  pos += oid.length;
  if (der[pos] === 0x01) pos += 3; // critical BOOLEAN
  if (der[pos] !== 0x04) return undefined;
  const len = derLength(der, pos + 1);
  if (!len || len[1] + len[0] > der.length) return undefined;
  return der.subarray(len[1], len[1] + len[0]);
}

function issuerOf(der: Buffer): string | undefined {
  const v2 = extensionValue(der, ISSUER_V2);
  if (v2 && v2[0] === 0x0c) {
    const len = derLength(v2, 1);
    if (len) return v2.subarray(len[1], len[1] + len[0]).toString('utf8');
  }
  return extensionValue(der, ISSUER_V1)?.toString('utf8');
}

function sanOf(cert: X509Certificate): string | undefined {
  const entries = (cert.subjectAltName ?? '').split(/,\s*(?=[A-Za-z ]+:)/);
  const pick = (prefix: string) => entries.find((e) => e.startsWith(prefix))?.slice(prefix.length).replace(/^"(.*)"$/, '$1');
  return pick('URI:') ?? pick('email:');
}

export interface CertificateSigner {
  readonly identity?: string;
  readonly issuer?: string;
}

/** The signer a PEM certificate names; undefined when it is not a certificate. */
export function certificateSigner(pem: string): CertificateSigner | undefined {
  const m = PEM.exec(pem);
  if (!m) return undefined;
  try {
    const der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
    const cert = new X509Certificate(der);
    const identity = sanOf(cert);
    const issuer = issuerOf(der);
    return { ...(identity !== undefined ? { identity } : {}), ...(issuer !== undefined ? { issuer } : {}) };
  } catch {
    return undefined;
  }
}
