import { open, readFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { throwIfAborted } from '../core/abort';
import { LensError, isLensError } from '../core/errors';
import { assertDigest, digestTag, isDigest, parseDigest } from './digest';
import { assertJsonShape } from './json-shape';
import { parseManifest } from './manifest';
import { isIndexMediaType, isManifestMediaType } from './media-types';
import { assertUnambiguousJson } from './strict-json';
import type { FetchOptions, ContentSource } from './source';
import type { Descriptor, FetchedManifest, ImageIndex, ImageManifest } from '../model/oci';

/**
 * A ContentSource over a local OCI image layout
 * (https://github.com/opencontainers/image-spec/blob/main/image-layout.md): `oci-layout`,
 * `index.json`, `blobs/<alg>/<encoded>`. A layout holds one repository, so `repository` is ignored.
 *
 * Tags are the `org.opencontainers.image.ref.name` annotations of index.json. Layouts written by
 * `cosign save` have no names; their entries carry `kind` annotations instead
 * (https://github.com/sigstore/cosign/blob/main/pkg/oci/layout/index.go), and we answer the
 * cosign tags `sha256-<hex>.sig|.att|.sbom` of the image from the `sigs|atts|sboms` entries.
 * index.json is read once per LayoutSource; make a new one to see later changes.
 */
export interface LayoutSourceOptions {
  /** Default 4 MiB, as distribution's default for manifests. */
  maxManifestBytes?: number;
  /** Default limit for getBlob when the call gives none; default 32 MiB. */
  maxBlobBytes?: number;
}

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
export const COSIGN_KIND_ANNOTATION = 'kind';
export const CosignLayoutKind = {
  image: 'dev.cosignproject.cosign/image',
  imageIndex: 'dev.cosignproject.cosign/imageIndex',
  sigs: 'dev.cosignproject.cosign/sigs',
  atts: 'dev.cosignproject.cosign/atts',
  sboms: 'dev.cosignproject.cosign/sboms',
} as const;

const COSIGN_SUFFIX: Record<string, string> = { [CosignLayoutKind.sigs]: '.sig', [CosignLayoutKind.atts]: '.att', [CosignLayoutKind.sboms]: '.sbom' };
const COSIGN_TAG = /^sha(256|512)-[a-f0-9]+(\.(sig|att|sbom))?$/;
const DEFAULT_MANIFEST_BYTES = 4 * 1024 * 1024;
const DEFAULT_BLOB_BYTES = 32 * 1024 * 1024;
const INDEX_JSON_BYTES = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;

interface Catalog {
  entries: Descriptor[];
  /** Entries that are images rather than cosign attachments. */
  images: Descriptor[];
  /** Tag -> entry: ref names, then synthesized cosign tags. */
  tags: Map<string, Descriptor>;
}

function invalid(message: string, details: Record<string, string | number> = {}): LensError {
  return new LensError('LAYOUT_INVALID', message, details);
}

export class LayoutSource implements ContentSource {
  readonly path: string;
  readonly kind = 'oci-layout';
  readonly description: string;
  private readonly maxManifestBytes: number;
  private readonly maxBlobBytes: number;
  private catalogPromise: Promise<Catalog> | undefined;
  private readonly manifests = new Map<string, Promise<FetchedManifest>>();

  constructor(path: string, options: LayoutSourceOptions = {}) {
    this.path = resolvePath(path);
    this.description = `OCI layout ${this.path}`;
    this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MANIFEST_BYTES;
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_BLOB_BYTES;
  }

  /** `reference` is a tag, a digest, or `''` for "the image of this layout" (when there is one). */
  async resolve(_repository: string, reference: string, options: FetchOptions = {}): Promise<Descriptor> {
    const entry = this.pick(await this.catalog(options.signal), reference);
    if (entry) return structuredClone(entry);
    // A digest not listed in index.json (a platform manifest of an index): its media type is inside.
    const m = await this.manifest(reference, undefined, options.signal);
    return { mediaType: m.mediaType, digest: m.digest, size: m.size };
  }

  getManifest(repository: string, reference: string, options?: FetchOptions & { optional?: false }): Promise<FetchedManifest>;
  getManifest(repository: string, reference: string, options: FetchOptions & { optional: true }): Promise<FetchedManifest | undefined>;
  async getManifest(_repository: string, reference: string, options: FetchOptions & { optional?: boolean } = {}): Promise<FetchedManifest | undefined> {
    try {
      const entry = this.pick(await this.catalog(options.signal), reference);
      return await this.manifest(entry?.digest ?? reference, entry, options.signal);
    } catch (e) {
      if (options.optional && isLensError(e, 'NOT_FOUND')) return undefined;
      throw e;
    }
  }

  async getBlob(_repository: string, digest: string, options: FetchOptions & { maxBytes?: number } = {}): Promise<Uint8Array> {
    const bytes = await this.readBlob(digest, options.maxBytes ?? this.maxBlobBytes, 'Blob', options.signal);
    assertDigest(bytes, digest, `Blob ${digest} in ${this.description}`);
    return bytes;
  }

  async listTags(_repository: string, options: FetchOptions = {}): Promise<string[]> {
    return [...(await this.catalog(options.signal)).tags.keys()];
  }

  /**
   * Referrers of `digest` among the manifests index.json lists (a layout has no referrers API, but
   * tools such as `oras` store referrers as index.json entries). Descriptors as the distribution
   * spec's referrers response has them (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers).
   */
  async referrers(_repository: string, digest: string, options: FetchOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    parseDigest(digest);
    const seen = new Set<string>();
    const out: Descriptor[] = [];
    for (const entry of (await this.catalog(options.signal)).entries) {
      if (seen.has(entry.digest) || !(isIndexMediaType(entry.mediaType) || isManifestMediaType(entry.mediaType))) continue;
      seen.add(entry.digest);
      const m = await this.manifest(entry.digest, entry, options.signal);
      const body: ImageIndex | ImageManifest = m.kind === 'index' ? m.index : m.manifest;
      if (body.subject?.digest !== digest) continue;
      const artifactType = body.artifactType ?? (m.kind === 'manifest' ? m.manifest.config.mediaType : undefined);
      if (options.artifactType !== undefined && artifactType !== options.artifactType) continue;
      const d: Descriptor = { mediaType: m.mediaType, digest: m.digest, size: m.size };
      if (artifactType !== undefined) d.artifactType = artifactType;
      if (body.annotations) d.annotations = { ...body.annotations };
      out.push(d);
    }
    return out;
  }

  /** The index.json entry a reference names; `undefined` for a digest index.json does not list. */
  private pick(catalog: Catalog, reference: string): Descriptor | undefined {
    if (isDigest(reference)) return catalog.entries.find((e) => e.digest === reference);
    // Something shaped like a digest but invalid: say what is wrong with it rather than "no such tag".
    if (/^[a-z0-9]+:[^/]*$/.test(reference) && !catalog.tags.has(reference)) parseDigest(reference);
    const available = () => (catalog.tags.size ? [...catalog.tags.keys()].join(', ') : 'none');
    if (reference === '') {
      if (catalog.images.length === 1) return catalog.images[0];
      if (catalog.images.length === 0) throw new LensError('NOT_FOUND', `${this.description} holds no image.`, { path: this.path });
      throw new LensError(
        'USAGE',
        `${this.description} lists ${catalog.images.length} manifests in index.json; name one with a tag (${available()}) or a digest.`,
        { path: this.path },
      );
    }
    const named = catalog.tags.get(reference);
    if (named) return named;
    // Full references as ref names (`example.com/app:v1`, written by some tools): match their tag.
    const byTagPart = [...catalog.tags.entries()].filter(([name]) => name.includes('/') && name.endsWith(`:${reference}`));
    if (byTagPart.length === 1) return byTagPart[0]![1];
    if (byTagPart.length > 1) {
      throw new LensError(
        'USAGE',
        `Tag "${reference}" names ${byTagPart.length} images in ${this.description} (${byTagPart.map(([n]) => n).join(', ')}); use the full name or a digest.`,
        { path: this.path },
      );
    }
    // A `cosign save` layout (or one unnamed image) has no tags: its image answers any tag.
    const only = catalog.images.length === 1 ? catalog.images[0]! : undefined;
    if (only && !only.annotations?.[REF_NAME_ANNOTATION] && !COSIGN_TAG.test(reference)) return only;
    throw new LensError('NOT_FOUND', `Tag "${reference}" is not in ${this.description}; available tags: ${available()}.`, { path: this.path, tag: reference });
  }

  /** Read once; a concurrent caller shares the first caller's read (and its signal). */
  private catalog(signal?: AbortSignal): Promise<Catalog> {
    if (!this.catalogPromise) {
      this.catalogPromise = this.readCatalog(signal);
      this.catalogPromise.catch(() => (this.catalogPromise = undefined));
    }
    return this.catalogPromise;
  }

  private async readJson(name: string, limit: number, signal?: AbortSignal): Promise<unknown> {
    const file = join(this.path, name);
    let text: string;
    try {
      const bytes = await readFile(file, { signal });
      if (bytes.length > limit) throw new LensError('TOO_LARGE', `${file} is larger than ${limit} bytes.`, { path: file, limit });
      text = bytes.toString('utf8');
    } catch (e) {
      if (isLensError(e)) throw e;
      if ((e as Error).name === 'AbortError') throw new LensError('ABORTED', 'The operation was cancelled.');
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? 'error'})`;
      throw invalid(
        `${this.path} is not an OCI image layout: ${why}. Expected a directory written by e.g. "cosign save", "oras copy --to-oci-layout" or "skopeo copy ... oci:DIR".`,
        { path: this.path },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw invalid(`${file} is not valid JSON.`, { path: file });
    }
    // index.json is an image index that skopeo and containerd read with Go's decoder: read it as they do.
    if (name === 'index.json') {
      assertJsonShape(text, file);
      assertUnambiguousJson(text, file, 'manifest');
    }
    return json;
  }

  private async readCatalog(signal?: AbortSignal): Promise<Catalog> {
    const marker = (await this.readJson('oci-layout', 64 * 1024, signal)) as { imageLayoutVersion?: unknown } | null;
    const version = marker?.imageLayoutVersion;
    // https://github.com/opencontainers/image-spec/blob/main/image-layout.md#oci-layout-file
    if (typeof version !== 'string' || !/^1\.\d+\.\d+$/.test(version)) {
      throw invalid(`${join(this.path, 'oci-layout')} declares imageLayoutVersion ${JSON.stringify(version)}; only 1.x layouts are supported.`, {
        path: this.path,
      });
    }
    const index = (await this.readJson('index.json', INDEX_JSON_BYTES, signal)) as { manifests?: unknown } | null;
    if (!Array.isArray(index?.manifests)) throw invalid(`${join(this.path, 'index.json')} has no "manifests" array.`, { path: this.path });
    const entries = index.manifests.map((raw: unknown, i) => this.entry(raw, i));
    const images: Descriptor[] = [];
    const tags = new Map<string, Descriptor>();
    const attachments: Array<[Descriptor, Descriptor | undefined]> = [];
    let lastImage: Descriptor | undefined;
    for (const e of entries) {
      const kind = e.annotations?.[COSIGN_KIND_ANNOTATION];
      const name = e.annotations?.[REF_NAME_ANNOTATION];
      if (name && !tags.has(name)) tags.set(name, e);
      if (kind !== undefined && COSIGN_SUFFIX[kind]) {
        attachments.push([e, lastImage]);
      } else {
        images.push(e);
        if (kind === CosignLayoutKind.image || kind === CosignLayoutKind.imageIndex) lastImage = e;
      }
    }
    // cosign writes an image and then its signatures and attestations; an attachment belongs to
    // the image before it (or the first one, for a layout written in another order).
    const firstCosignImage = images.find((e) => e.annotations?.[COSIGN_KIND_ANNOTATION] !== undefined);
    for (const [e, owner] of attachments) {
      const image = owner ?? firstCosignImage;
      const tag = image && `${digestTag(image.digest)}${COSIGN_SUFFIX[e.annotations![COSIGN_KIND_ANNOTATION]!]}`;
      if (tag && !tags.has(tag)) tags.set(tag, e);
    }
    return { entries, images, tags };
  }

  private entry(raw: unknown, i: number): Descriptor {
    const e = raw as Partial<Descriptor> | null;
    const where = `${join(this.path, 'index.json')} manifests[${i}]`;
    if (typeof e?.mediaType !== 'string' || typeof e.digest !== 'string' || !Number.isSafeInteger(e.size) || e.size! < 0) {
      throw invalid(`${where} is not a descriptor (mediaType, digest and size are required).`, { path: this.path });
    }
    try {
      parseDigest(e.digest);
    } catch (err) {
      throw invalid(`${where}: ${(err as Error).message}`, { path: this.path });
    }
    const annotations = e.annotations && typeof e.annotations === 'object' ? e.annotations : undefined;
    return annotations ? { ...(e as Descriptor), annotations } : { ...(e as Descriptor) };
  }

  /** Reads, checks and parses a manifest; cached, since referrers() and the walker read the same ones. */
  private manifest(digest: string, entry: Descriptor | undefined, signal?: AbortSignal): Promise<FetchedManifest> {
    let pending = this.manifests.get(digest);
    if (!pending) {
      pending = this.readManifest(digest, entry, signal);
      this.manifests.set(digest, pending);
      pending.catch(() => this.manifests.delete(digest));
    }
    return pending;
  }

  private async readManifest(digest: string, entry: Descriptor | undefined, signal?: AbortSignal): Promise<FetchedManifest> {
    const bytes = await this.readBlob(digest, this.maxManifestBytes, 'Manifest', signal);
    assertDigest(bytes, digest, `Manifest ${digest} in ${this.description}`);
    // The media type inside the digested bytes is authenticated; index.json's descriptor is not.
    return parseManifest(bytes, digest, entry?.mediaType);
  }

  /** Reads `blobs/<alg>/<hex>`, at most `limit` bytes, checking the signal between chunks. */
  private async readBlob(digest: string, limit: number, what: string, signal?: AbortSignal): Promise<Uint8Array> {
    // parseDigest admits only [a-f0-9] encodings, so the path cannot leave the layout.
    const { algorithm, hex } = parseDigest(digest);
    const file = join(this.path, 'blobs', algorithm, hex);
    throwIfAborted(signal);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        // `cosign save` stores manifests, configs and signatures but not always image layers.
        throw new LensError(
          'NOT_FOUND',
          `${what} ${digest} is not in ${this.description} (no blobs/${algorithm}/${hex}). Layouts written by "cosign save" may lack image layers.`,
          { digest, path: this.path },
        );
      }
      throw invalid(`${what} ${digest} in ${this.description} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, { digest, path: this.path });
    }
    try {
      const { size } = await handle.stat();
      if (size > limit)
        throw new LensError('TOO_LARGE', `${what} ${digest} in ${this.description} is ${size} bytes, over the limit of ${limit}.`, { digest, size, limit });
      const buffer = Buffer.alloc(size);
      let offset = 0;
      while (offset < size) {
        throwIfAborted(signal);
        const { bytesRead } = await handle.read(buffer, offset, Math.min(CHUNK, size - offset), offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      // A file that shrank meanwhile yields fewer bytes; the digest check then says so.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, offset);
    } finally {
      await handle.close();
    }
  }
}
