import { createHash } from 'node:crypto';

/**
 * RFC 6962 §2.1 Merkle tree hashing and audit paths, as Rekor (Trillian) computes them and
 * `@sigstore/verify` checks them: leaf = sha256(0x00 || body), node = sha256(0x01 || l || r).
 */
export const leafHash = (leaf: Uint8Array): Buffer =>
  createHash('sha256')
    .update(Buffer.from([0]))
    .update(leaf)
    .digest();
const nodeHash = (l: Buffer, r: Buffer): Buffer =>
  createHash('sha256')
    .update(Buffer.from([1]))
    .update(l)
    .update(r)
    .digest();

/** Largest power of two strictly below n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start:end]) over leaf hashes. */
export function treeHash(leaves: readonly Buffer[], start = 0, end = leaves.length): Buffer {
  const n = end - start;
  if (n === 0) return createHash('sha256').digest();
  if (n === 1) return leaves[start]!;
  const k = split(n);
  return nodeHash(treeHash(leaves, start, start + k), treeHash(leaves, start + k, end));
}

/** PATH(m, D[start:end]), lowest level first (the order verifiers chain it in). */
export function auditPath(leaves: readonly Buffer[], m: number, start = 0, end = leaves.length): Buffer[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = split(n);
  return m < k
    ? [...auditPath(leaves, m, start, start + k), treeHash(leaves, start + k, end)]
    : [...auditPath(leaves, m - k, start + k, end), treeHash(leaves, start, start + k)];
}
