// Hostile content, made as bytes (never as objects: a 100,000-level document would overflow the
// stack of the JSON.stringify that built it): gzip bombs, JSON bombs, deep nesting, and indexes
// with 10,000 entries whose manifests a hostile registry serves itself.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { INDEX_TYPE, MANIFEST_TYPE } from './hostile-answers';

export const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** `bytes` zeros, gzip-compressed: about a thousandth of the size, expanding to all of it. */
export function gzipBomb(bytes: number): Buffer {
  return gzipSync(Buffer.alloc(bytes), { level: 9 });
}

/** `[[[...]]]`, `depth` levels: 2 bytes per level. */
export function nestedArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** A schema 2 image index whose `hostile` field is `depth` nested arrays (unknown fields are allowed). */
export function deepIndex(depth: number): Buffer {
  return Buffer.from(`{"schemaVersion":2,"mediaType":"${INDEX_TYPE}","manifests":[],"hostile":${nestedArrays(depth)}}`);
}

/** An index whose `manifests` holds `count` empty objects: a million objects in a few MiB. */
export function tinyObjectsIndex(count: number): Buffer {
  return Buffer.from(`{"schemaVersion":2,"mediaType":"${INDEX_TYPE}","manifests":[${new Array<string>(count).fill('{}').join(',')}]}`);
}

export interface HostileIndex {
  readonly bytes: Buffer;
  readonly digest: string;
  /** Digest -> bytes of every platform manifest it lists, for the hostile registry to serve. */
  readonly manifests: ReadonlyMap<string, Buffer>;
  readonly entries: number;
}

/**
 * An index of `count` platform manifests, each a distinct small manifest (its config descriptor
 * names a different annotation), so every entry is a different digest that really resolves.
 */
export function hugeIndex(count: number, configDigest: string): HostileIndex {
  const manifests = new Map<string, Buffer>();
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST_TYPE,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: 2 },
        layers: [],
        annotations: { 'org.example.entry': String(i) },
      }),
    );
    const digest = sha256(bytes);
    manifests.set(digest, bytes);
    entries.push(JSON.stringify({ mediaType: MANIFEST_TYPE, digest, size: bytes.length, platform: { os: 'linux', architecture: `arch${i}` } }));
  }
  const bytes = Buffer.from(`{"schemaVersion":2,"mediaType":"${INDEX_TYPE}","manifests":[${entries.join(',')}]}`);
  return { bytes, digest: sha256(bytes), manifests, entries: count };
}

/** A referrers-tag-schema index listing `count` Sigstore-bundle referrers (that no registry holds). */
export function referrersIndex(count: number): Buffer {
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    const digest = sha256(Buffer.from(`referrer ${i}`));
    entries.push(
      JSON.stringify({
        mediaType: MANIFEST_TYPE,
        digest,
        size: 512,
        artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        annotations: { 'dev.sigstore.bundle.content': 'message-signature' },
      }),
    );
  }
  return Buffer.from(`{"schemaVersion":2,"mediaType":"${INDEX_TYPE}","manifests":[${entries.join(',')}]}`);
}
