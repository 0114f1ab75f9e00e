import { createHash } from 'node:crypto';
import { LensError } from '../core/errors';

/**
 * Content digests as the OCI image spec defines them
 * (https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests).
 * We verify sha256 and sha512; anything else is refused rather than trusted.
 */
export type DigestAlgorithm = 'sha256' | 'sha512';

const ENCODED_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };
const DIGEST_SHAPE = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** Parses `sha256:<64 hex>` / `sha512:<128 hex>`; says what is wrong otherwise. */
export function parseDigest(digest: string): ParsedDigest {
  const m = DIGEST_SHAPE.exec(digest);
  if (!m) throw new LensError('REFERENCE_INVALID', `"${digest}" is not a digest: expected algorithm:hex, e.g. sha256:<64 hex characters>.`);
  const algorithm = m[1]!;
  const hex = m[2]!;
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new LensError('DIGEST_UNSUPPORTED', `Digest algorithm "${algorithm}" is not supported: use sha256 or sha512.`, { digest });
  }
  const want = ENCODED_LENGTH[algorithm];
  if (hex.length !== want || !/^[a-f0-9]+$/.test(hex)) {
    throw new LensError(
      'REFERENCE_INVALID',
      `"${digest}" is not a valid ${algorithm} digest: expected ${want} lowercase hex characters, got ${hex.length} characters.`,
      { digest },
    );
  }
  return { algorithm, hex };
}

export function isDigest(s: string): boolean {
  try {
    parseDigest(s);
    return true;
  } catch {
    return false;
  }
}

export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Incremental hasher for streamed bodies. */
export function digester(algorithm: DigestAlgorithm): { update(chunk: Uint8Array): void; digest(): string } {
  const h = createHash(algorithm);
  return {
    update: (chunk) => void h.update(chunk),
    digest: () => `${algorithm}:${h.digest('hex')}`,
  };
}

/** Throws DIGEST_MISMATCH naming both digests when bytes do not match. */
export function assertDigest(bytes: Uint8Array, expected: string, what: string): void {
  const { algorithm } = parseDigest(expected);
  const actual = digestOf(bytes, algorithm);
  if (actual !== expected) {
    throw new LensError(
      'DIGEST_MISMATCH',
      `${what}: content does not match its digest ${expected} (computed ${actual}); the registry or a proxy returned different bytes. Nothing from it was used.`,
      { expected, actual },
    );
  }
}

/** The cosign / referrers-tag-schema tag for a digest: `sha256:abc` -> `sha256-abc`. */
export function digestTag(digest: string): string {
  return digest.replace(':', '-');
}

export function shortDigest(digest: string, length = 8): string {
  const i = digest.indexOf(':');
  return `${digest.slice(0, i + 1)}${digest.slice(i + 1, i + 1 + length)}`;
}
