import { constants, publicDecrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Signature verification over a digest alone ("prehashed"), for `verify-blob sha256:<hex>`
 * of a message-signature bundle: the signature is over the artifact's hash, and a
 * maintainer often has the digest (from a registry, a release page) but not the bytes.
 * Node's `crypto.verify` always hashes its input and has no prehash mode, and
 * `@sigstore/verify` needs the artifact bytes; so ECDSA (P-256, P-384: what Fulcio and
 * cosign keys use) is checked here with the textbook algorithm (SEC 1 v2 §4.1.4, FIPS
 * 186-5 §6.4.2) and RSA PKCS#1 v1.5 by recovering the DigestInfo (RFC 8017 §8.2.2).
 * Only public values are involved, so constant time is not a concern.
 */

export class PrehashUnsupportedError extends Error {
  override readonly name = 'PrehashUnsupportedError';
}

interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
}

// Curve domain parameters from SEC 2 v2 §2.4.2 / §2.5.1 (= NIST P-256 / P-384).
const P256: Curve = {
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
  b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};
const P384: Curve = {
  p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
  a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
  b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
  gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
};

/** Exposed for tests that check the constants against OpenSSL. */
export const CURVES: Readonly<Record<string, Curve>> = { 'P-256': P256, 'P-384': P384 };

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1).
const DIGEST_INFO: Readonly<Record<string, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** Verifies `signature` over a message whose `hashAlgorithm` digest is `digest`. */
export function verifyPrehashed(key: KeyObject, hashAlgorithm: string, digest: Buffer, signature: Buffer): boolean {
  if (key.asymmetricKeyType === 'ec') {
    const jwk = key.export({ format: 'jwk' });
    const curve = jwk.crv !== undefined ? CURVES[jwk.crv] : undefined;
    if (curve === undefined || jwk.x === undefined || jwk.y === undefined) {
      throw new PrehashUnsupportedError(`ECDSA on curve ${jwk.crv ?? 'unknown'} cannot be verified from a digest; pass the artifact file.`);
    }
    const rs = parseDerSignature(signature);
    if (rs === undefined) return false;
    const q = { x: toBig(Buffer.from(jwk.x, 'base64url')), y: toBig(Buffer.from(jwk.y, 'base64url')) };
    return ecdsaVerify(curve, q, digest, rs.r, rs.s);
  }
  if (key.asymmetricKeyType === 'rsa') {
    const prefix = DIGEST_INFO[hashAlgorithm];
    if (prefix === undefined) throw new PrehashUnsupportedError(`RSA with ${hashAlgorithm} cannot be verified from a digest.`);
    let recovered: Buffer;
    try {
      recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    } catch {
      return false;
    }
    return recovered.equals(Buffer.concat([Buffer.from(prefix, 'hex'), digest]));
  }
  throw new PrehashUnsupportedError(`A ${key.asymmetricKeyType ?? 'unknown'} signature cannot be verified from a digest alone; pass the artifact file.`);
}

function ecdsaVerify(c: Curve, q: { x: bigint; y: bigint }, digest: Buffer, r: bigint, s: bigint): boolean {
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  if (!onCurve(c, q.x, q.y)) return false;
  const nBits = c.n.toString(2).length;
  let e = toBig(digest);
  if (digest.length * 8 > nBits) e >>= BigInt(digest.length * 8 - nBits);
  const w = modInverse(s, c.n);
  const u1 = (e * w) % c.n;
  const u2 = (r * w) % c.n;
  const point = add(c, multiply(c, { x: c.gx, y: c.gy, z: 1n }, u1), multiply(c, { x: q.x, y: q.y, z: 1n }, u2));
  if (point.z === 0n) return false;
  return toAffineX(c, point) % c.n === r;
}

export function onCurve(c: Curve, x: bigint, y: bigint): boolean {
  if (x < 0n || x >= c.p || y < 0n || y >= c.p) return false;
  return mod(y * y - (x * x * x + c.a * x + c.b), c.p) === 0n;
}

// Jacobian coordinates: (X, Y, Z) is the affine point (X/Z², Y/Z³); Z = 0 is infinity.
interface Jacobian {
  x: bigint;
  y: bigint;
  z: bigint;
}
const INFINITY: Jacobian = { x: 1n, y: 1n, z: 0n };

export function multiply(c: Curve, pt: Jacobian, k: bigint): Jacobian {
  let acc = INFINITY;
  for (const bit of k.toString(2)) {
    acc = double(c, acc);
    if (bit === '1') acc = add(c, acc, pt);
  }
  return acc;
}

function double(c: Curve, pt: Jacobian): Jacobian {
  if (pt.z === 0n || pt.y === 0n) return INFINITY;
  const { p } = c;
  const y2 = mod(pt.y * pt.y, p);
  const s = mod(4n * pt.x * y2, p);
  const z2 = mod(pt.z * pt.z, p);
  const m = mod(3n * pt.x * pt.x + c.a * z2 * z2, p);
  const x = mod(m * m - 2n * s, p);
  const y = mod(m * (s - x) - 8n * y2 * y2, p);
  return { x, y, z: mod(2n * pt.y * pt.z, p) };
}

function add(c: Curve, a: Jacobian, b: Jacobian): Jacobian {
  if (a.z === 0n) return b;
  if (b.z === 0n) return a;
  const { p } = c;
  const az2 = mod(a.z * a.z, p);
  const bz2 = mod(b.z * b.z, p);
  const u1 = mod(a.x * bz2, p);
  const u2 = mod(b.x * az2, p);
  const s1 = mod(a.y * bz2 * b.z, p);
  const s2 = mod(b.y * az2 * a.z, p);
  if (u1 === u2) return s1 === s2 ? double(c, a) : INFINITY;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const h2 = mod(h * h, p);
  const h3 = mod(h2 * h, p);
  const x = mod(r * r - h3 - 2n * u1 * h2, p);
  const y = mod(r * (u1 * h2 - x) - s1 * h3, p);
  return { x, y, z: mod(h * a.z * b.z, p) };
}

function toAffineX(c: Curve, pt: Jacobian): bigint {
  const zi = modInverse(pt.z, c.p);
  return mod(pt.x * zi * zi, c.p);
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

function toBig(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3), strict DER. */
function parseDerSignature(sig: Buffer): { r: bigint; s: bigint } | undefined {
  let pos = 0;
  const len = (): number | undefined => {
    const first = sig[pos++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    if (first !== 0x81) return undefined; // signatures are < 256 bytes
    const l = sig[pos++];
    return l !== undefined && l >= 0x80 ? l : undefined;
  };
  const int = (): bigint | undefined => {
    if (sig[pos++] !== 0x02) return undefined;
    const l = len();
    if (l === undefined || l === 0 || pos + l > sig.length) return undefined;
    const v = sig.subarray(pos, pos + l);
    pos += l;
    if ((v[0]! & 0x80) !== 0) return undefined; // negative
    if (l > 1 && v[0] === 0 && (v[1]! & 0x80) === 0) return undefined; // non-minimal
    return toBig(v);
  };
  if (sig[pos++] !== 0x30) return undefined;
  const total = len();
  if (total === undefined || pos + total !== sig.length) return undefined;
  const r = int();
  const s = int();
  if (r === undefined || s === undefined || pos !== sig.length) return undefined;
  return { r, s };
}
