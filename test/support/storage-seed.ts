// Lays manifests and blobs straight into distribution's filesystem storage. Needed because
// real `cosign save` layouts (slsa-verifier testdata) hold manifests whose image layer blobs were
// never saved: the registry would refuse to PUT them, but happily serves them once on disk, since it
// only checks referenced blobs when a manifest is pushed. Layout of the storage (distribution
// registry/storage/paths.go):
//   docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data
//   docker/registry/v2/repositories/<name>/_layers/sha256/<hex>/link              (blobs)
//   docker/registry/v2/repositories/<name>/_manifests/revisions/sha256/<hex>/link (manifests)
//   docker/registry/v2/repositories/<name>/_manifests/tags/<tag>/current/link
//   docker/registry/v2/repositories/<name>/_manifests/tags/<tag>/index/sha256/<hex>/link
// Link files hold `sha256:<hex>` with no newline. The registry reads them on every request
// (no cache configured), so seeding works before start or while it runs.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256Digest } from './push';

const ROOT = ['docker', 'registry', 'v2'];
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

function hexOf(digest: string): string {
  const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
  if (!m?.[1]) throw new Error(`not a sha256 digest: ${digest}`);
  return m[1];
}

function writeFileDeep(path: string, data: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

function repoPath(storageDir: string, repo: string, ...rest: string[]): string {
  return join(storageDir, ...ROOT, 'repositories', repo, ...rest);
}

function writeBlobData(storageDir: string, bytes: Buffer): string {
  const digest = sha256Digest(bytes);
  const hex = hexOf(digest);
  const path = join(storageDir, ...ROOT, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  if (!existsSync(path)) writeFileDeep(path, bytes);
  return digest;
}

/** Stores a blob and links it into `repo` (so GET /v2/<repo>/blobs/<digest> serves it). */
export function seedBlob(storageDir: string, repo: string, bytes: Uint8Array): string {
  const digest = writeBlobData(storageDir, Buffer.from(bytes));
  writeFileDeep(repoPath(storageDir, repo, '_layers', 'sha256', hexOf(digest), 'link'), digest);
  return digest;
}

/** Points `tag` at `digest` (the manifest must be seeded or pushed too). */
export function tagManifest(storageDir: string, repo: string, tag: string, digest: string): void {
  const tagDir = repoPath(storageDir, repo, '_manifests', 'tags', tag);
  writeFileDeep(join(tagDir, 'current', 'link'), digest);
  writeFileDeep(join(tagDir, 'index', 'sha256', hexOf(digest), 'link'), digest);
}

/** Stores manifest bytes as a revision of `repo`, optionally tagged; returns its digest. */
export function seedManifest(storageDir: string, repo: string, bytes: Uint8Array, tags: readonly string[] = []): string {
  const digest = writeBlobData(storageDir, Buffer.from(bytes));
  writeFileDeep(repoPath(storageDir, repo, '_manifests', 'revisions', 'sha256', hexOf(digest), 'link'), digest);
  for (const tag of tags) tagManifest(storageDir, repo, tag, digest);
  return digest;
}

export interface SeededLayout {
  /** The image (or image index) the layout is about, from the `.digest` file. */
  readonly imageDigest: string;
  readonly imageMediaType: string;
  readonly tag: string;
  /** cosign tag-scheme artifacts, when the layout has them. */
  readonly attDigest?: string;
  readonly attTag?: string;
  readonly sigDigest?: string;
  readonly sigTag?: string;
  /** Every manifest digest laid down (image, children, attestation manifests). */
  readonly manifests: readonly string[];
  /** Every non-manifest blob laid down. */
  readonly blobs: readonly string[];
  /** Blobs manifests name but the layout lacks (typically the image layers). */
  readonly missingBlobs: readonly string[];
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size?: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

const KIND = 'kind';
const IMAGE_KINDS = new Set(['dev.cosignproject.cosign/image', 'dev.cosignproject.cosign/imageIndex']);

/**
 * Seeds a `cosign save` OCI layout (index.json entries annotated `kind`) into `repo`: tags the
 * image with `tag`, its `atts` manifest with `sha256-<hex>.att` and `sigs` with `.sig`.
 * The image digest must match the `<layoutDir>.digest` file next to the layout when present.
 */
export function seedLayout(storageDir: string, repo: string, layoutDir: string, opts: { readonly tag: string }): SeededLayout {
  const blobDir = join(layoutDir, 'blobs', 'sha256');
  const read = (digest: string): Buffer | undefined => {
    const path = join(blobDir, hexOf(digest));
    return existsSync(path) ? readFileSync(path) : undefined;
  };
  const index = JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
  const top = index.manifests ?? [];
  const image = top.find((d) => IMAGE_KINDS.has(d.annotations?.[KIND] ?? ''));
  if (!image) throw new Error(`${layoutDir}: no index.json entry with a cosign image kind`);
  const digestFile = `${layoutDir}.digest`;
  if (existsSync(digestFile)) {
    const expected = readFileSync(digestFile, 'utf8').trim();
    if (expected !== image.digest) throw new Error(`${layoutDir}: index.json image ${image.digest} != ${digestFile} ${expected}`);
  }

  const manifests = new Set<string>();
  const blobs = new Set<string>();
  const missing = new Set<string>();
  // Walk from index.json: descriptors in an index are manifests, config/layers of a manifest are blobs.
  const visitManifest = (d: Descriptor): void => {
    if (manifests.has(d.digest)) return;
    const bytes = read(d.digest);
    if (!bytes) throw new Error(`${layoutDir}: manifest ${d.digest} is not in the layout`);
    if (sha256Digest(bytes) !== d.digest) throw new Error(`${layoutDir}: blob ${d.digest} does not match its digest`);
    seedManifest(storageDir, repo, bytes);
    manifests.add(d.digest);
    const doc = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
    if (INDEX_TYPES.has(doc.mediaType ?? d.mediaType)) {
      (doc.manifests ?? []).forEach(visitManifest);
      return;
    }
    for (const b of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) {
      const data = read(b.digest);
      if (data) blobs.add(seedBlob(storageDir, repo, data));
      else missing.add(b.digest);
    }
  };
  top.forEach(visitManifest);
  // Anything else in the layout (unreferenced blobs) is served too: harmless, and keeps it complete.
  for (const hex of readdirSync(blobDir)) {
    const digest = `sha256:${hex}`;
    if (!manifests.has(digest) && !blobs.has(digest)) blobs.add(seedBlob(storageDir, repo, readFileSync(join(blobDir, hex))));
  }

  tagManifest(storageDir, repo, opts.tag, image.digest);
  const cosignTag = (kind: string, suffix: string): { digest: string; tag: string } | undefined => {
    const d = top.find((x) => x.annotations?.[KIND] === `dev.cosignproject.cosign/${kind}`);
    if (!d) return undefined;
    const tag = `sha256-${hexOf(image.digest)}.${suffix}`;
    tagManifest(storageDir, repo, tag, d.digest);
    return { digest: d.digest, tag };
  };
  const att = cosignTag('atts', 'att');
  const sig = cosignTag('sigs', 'sig');
  return {
    imageDigest: image.digest,
    imageMediaType: image.mediaType,
    tag: opts.tag,
    ...(att ? { attDigest: att.digest, attTag: att.tag } : {}),
    ...(sig ? { sigDigest: sig.digest, sigTag: sig.tag } : {}),
    manifests: [...manifests],
    blobs: [...blobs],
    missingBlobs: [...missing],
  };
}
