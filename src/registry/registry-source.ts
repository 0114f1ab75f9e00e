import { LensError } from '../core/errors';
import { SharedWork } from '../core/shared-work';
import type { ContentSource, FetchOptions, ReferrerList, TagList } from './source';
import type { Descriptor, FetchedManifest } from '../model/oci';
import type { Logger } from '../core/logger';
import type { ContentCache } from './cache';
import type { RegistryLimits } from './limits';
import type { HttpRequest, HttpResponse } from './transport';
import { MANIFEST_ACCEPT, MediaType } from './media-types';
import { assertDigest, digestOf, isDigest, parseDigest } from './digest';
import { parseManifest } from './manifest';
import { DOCKER_HUB } from './reference';
import { PageGuard, nextLink } from './link';
import { assertJsonShape } from './json-shape';

const MAX_TAG_PAGES = 1000;
const MAX_REFERRER_PAGES = 100;

/** A request for `repository` on a registry: a path below `/v2/<repository>/`, and what it is for messages. */
export type RegistryCall = Omit<HttpRequest, 'url' | 'authorization' | 'shown'> & { path: string; what: string; accept?: number[] | undefined };

/**
 * What a source asks of the client that made it (RegistryClient): authorised requests, the
 * content cache, the limits and the log. Declared here so the source needs nothing else of it.
 */
export interface RegistryConnection {
  readonly limits: RegistryLimits;
  readonly cache: ContentCache;
  readonly logger: Logger;
  call(registry: string, repository: string, req: RegistryCall): Promise<HttpResponse>;
}

/**
 * One registry as a ContentSource. Digest-addressed content comes from the cache when it
 * can; concurrent requests for the same thing share one network call ("nothing is fetched twice"),
 * which is cancelled only when every caller waiting on it has cancelled.
 */
export class RegistrySource implements ContentSource {
  readonly kind = 'registry';
  readonly description: string;
  private readonly inflight = new SharedWork();
  private referrersApi: boolean | undefined;
  /** The request that will tell whether the registry has the referrers API, while it is on its way. */
  private askingReferrersApi: Promise<unknown> | undefined;

  constructor(
    private readonly client: RegistryConnection,
    readonly registry: string,
  ) {
    this.description = `registry ${registry}`;
  }

  async resolve(repository: string, reference: string, options: FetchOptions = {}): Promise<Descriptor> {
    const what = `manifest ${repository}:${reference}`;
    const res = await this.client.call(this.registry, repository, {
      method: 'HEAD',
      path: `manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      signal: options.signal,
      priority: options.priority,
      what,
    });
    const digest = res.headers['docker-content-digest'];
    const type = res.headers['content-type'];
    const length = Number(res.headers['content-length']);
    if (typeof digest === 'string' && isDigest(digest) && Number.isFinite(length)) {
      if (isDigest(reference) && digest !== reference) {
        throw new LensError('DIGEST_MISMATCH', `${this.registry} answered for ${reference} with digest ${digest}.`, { expected: reference, actual: digest });
      }
      return { mediaType: typeof type === 'string' ? type.split(';')[0]!.trim() : '', digest, size: length };
    }
    // No usable digest header: fetch and compute it ourselves.
    const m = await this.getManifest(repository, reference, options);
    return { mediaType: m.mediaType, digest: m.digest, size: m.size };
  }

  getManifest(repository: string, reference: string, options?: FetchOptions & { optional?: false }): Promise<FetchedManifest>;
  getManifest(repository: string, reference: string, options: FetchOptions & { optional: true }): Promise<FetchedManifest | undefined>;
  getManifest(repository: string, reference: string, options: FetchOptions & { optional?: boolean } = {}): Promise<FetchedManifest | undefined> {
    const byDigest = isDigest(reference);
    const key = byDigest ? `m ${reference}` : `m ${repository}:${reference}`;
    return this.inflight.run(key, options.signal, (signal) => this.fetchManifest(repository, reference, byDigest, { ...options, signal }));
  }

  private async fetchManifest(
    repository: string,
    reference: string,
    byDigest: boolean,
    options: FetchOptions & { optional?: boolean },
  ): Promise<FetchedManifest | undefined> {
    const what = `manifest ${repository}${byDigest ? '@' : ':'}${reference}`;
    if (byDigest) {
      const cached = await this.client.cache.get(reference);
      if (cached) return parseManifest(cached, reference, undefined);
    } else if (this.registry === DOCKER_HUB) {
      // A HEAD costs nothing against Docker Hub's pull limit and may hit the cache. Elsewhere a
      // tag is read with one GET, cached content or not: a HEAD first would cost a request and a
      // round trip whenever the content is new, and save only bytes when it is not.
      try {
        const d = await this.resolve(repository, reference, options);
        const cached = await this.client.cache.get(d.digest);
        if (cached) return parseManifest(cached, d.digest, d.mediaType);
      } catch (e) {
        if (options.optional && e instanceof LensError && e.code === 'NOT_FOUND') return undefined;
        throw e;
      }
    }
    const res = await this.client.call(this.registry, repository, {
      method: 'GET',
      path: `manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      signal: options.signal,
      priority: options.priority,
      what,
      read: { limit: this.client.limits.manifestBytes, what: `Manifest ${repository}${byDigest ? '@' : ':'}${reference}` },
      accept: options.optional ? [404] : undefined,
    });
    if (res.status === 404) return undefined;
    const bytes = res.body ?? new Uint8Array();
    let digest: string;
    if (byDigest) {
      assertDigest(bytes, reference, `Manifest ${repository}@${reference} from ${this.registry}`);
      digest = reference;
    } else {
      const header = res.headers['docker-content-digest'];
      const algorithm = typeof header === 'string' && header.startsWith('sha512:') ? 'sha512' : 'sha256';
      digest = digestOf(bytes, algorithm);
      // The header is only a hint, but a registry whose hint disagrees with its bytes is lying.
      if (typeof header === 'string' && isDigest(header) && header !== digest) {
        throw new LensError(
          'DIGEST_MISMATCH',
          `Manifest ${repository}:${reference} from ${this.registry}: the registry says its digest is ${header}, but the bytes it sent hash to ${digest}. Nothing from it was used.`,
          { expected: header, actual: digest },
        );
      }
    }
    const contentType = res.headers['content-type'];
    const parsed = parseManifest(bytes, digest, typeof contentType === 'string' ? contentType : undefined);
    await this.client.cache.put(digest, bytes);
    return parsed;
  }

  getBlob(repository: string, digest: string, options: FetchOptions & { maxBytes?: number } = {}): Promise<Uint8Array> {
    parseDigest(digest);
    return this.inflight.run(`b ${digest}`, options.signal, async (signal) => {
      const cached = await this.client.cache.get(digest);
      if (cached) return cached;
      const limit = options.maxBytes ?? this.client.limits.jsonBlobBytes;
      const res = await this.client.call(this.registry, repository, {
        method: 'GET',
        path: `blobs/${digest}`,
        signal,
        priority: options.priority,
        what: `blob ${repository}@${digest}`,
        read: { limit, what: `Blob ${repository}@${digest}` },
      });
      const bytes = res.body ?? new Uint8Array();
      assertDigest(bytes, digest, `Blob ${repository}@${digest} from ${this.registry}`);
      await this.client.cache.put(digest, bytes);
      return bytes;
    });
  }

  async listTags(repository: string, options: FetchOptions = {}): Promise<TagList> {
    const tags: TagList = [];
    let path: string | undefined = 'tags/list?n=1000';
    const guard = new PageGuard('tag listing', MAX_TAG_PAGES);
    while (path) {
      const stop = guard.stop(path);
      if (stop) {
        tags.unfinished = stop;
        break;
      }
      const res = await this.client.call(this.registry, repository, {
        method: 'GET',
        path,
        signal: options.signal,
        priority: options.priority,
        what: `tags of ${repository}`,
        read: { limit: this.client.limits.jsonBlobBytes, what: 'Tag list' },
      });
      const body = parseJson(res.body, `tag list of ${repository}`) as { tags?: unknown };
      if (Array.isArray(body.tags)) for (const t of body.tags) if (typeof t === 'string') tags.push(t);
      path = nextLink(res.headers.link, repository);
    }
    return tags;
  }

  async knownTags(repository: string, options: FetchOptions = {}): Promise<Set<string> | undefined> {
    try {
      const res = await this.client.call(this.registry, repository, {
        method: 'GET',
        path: 'tags/list?n=1000',
        signal: options.signal,
        priority: options.priority,
        what: `tags of ${repository}`,
        read: { limit: this.client.limits.jsonBlobBytes, what: 'Tag list' },
      });
      if (nextLink(res.headers.link, repository) !== undefined) return undefined;
      const body = parseJson(res.body, `tag list of ${repository}`) as { tags?: unknown };
      return new Set(Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string') : []);
    } catch (e) {
      // Listing may be forbidden while pulling is allowed: then every tag is asked for.
      if (options.signal?.aborted) throw e;
      this.client.logger.debug(
        `${this.registry}/${repository}: tag list unavailable (${e instanceof Error ? e.message : String(e)}); looking up cosign and referrers tags one by one`,
      );
      return undefined;
    }
  }

  async referrers(
    repository: string,
    digest: string,
    options: FetchOptions & { artifactType?: string; limit?: number } = {},
  ): Promise<ReferrerList | undefined> {
    parseDigest(digest);
    // Until the registry has said whether it has the API, one request asks; the others wait
    // for its answer instead of each asking (forty images opened at once, forty 404s).
    if (this.referrersApi === undefined && this.askingReferrersApi) await this.askingReferrersApi.catch(() => undefined);
    if (this.referrersApi === false) return undefined;
    if (this.referrersApi === undefined) {
      const asking = this.listReferrers(repository, digest, options);
      this.askingReferrersApi = asking;
      try {
        return await asking;
      } finally {
        if (this.askingReferrersApi === asking) this.askingReferrersApi = undefined;
      }
    }
    return this.listReferrers(repository, digest, options);
  }

  private async listReferrers(
    repository: string,
    digest: string,
    options: FetchOptions & { artifactType?: string; limit?: number },
  ): Promise<ReferrerList | undefined> {
    const out: ReferrerList = [];
    let path: string | undefined = `referrers/${digest}${options.artifactType ? `?artifactType=${encodeURIComponent(options.artifactType)}` : ''}`;
    const guard = new PageGuard('referrers listing', MAX_REFERRER_PAGES);
    while (path) {
      const stop = guard.stop(path);
      if (stop) {
        out.unfinished = stop;
        break;
      }
      const res = await this.client.call(this.registry, repository, {
        method: 'GET',
        path,
        headers: { accept: MediaType.ociIndex },
        signal: options.signal,
        priority: options.priority,
        what: `referrers of ${repository}@${digest}`,
        read: { limit: this.client.limits.manifestBytes, what: 'Referrers index' },
        accept: [404, 405, 400],
      });
      if (res.status !== 200) {
        // The registry does not implement the API: callers use the referrers tag schema.
        this.referrersApi = false;
        return undefined;
      }
      this.referrersApi = true;
      const index = parseManifest(res.body ?? new Uint8Array(), digestOf(res.body ?? new Uint8Array()), MediaType.ociIndex);
      for (const d of index.kind === 'index' ? index.index.manifests : []) out.push(d);
      // A registry that pages for ever would otherwise fill memory before the caller truncates.
      if (options.limit !== undefined && out.length > options.limit) break;
      path = nextLink(res.headers.link, repository);
    }
    if (!options.artifactType) return out;
    const filtered: ReferrerList = out.filter((d) => d.artifactType === options.artifactType);
    if (out.unfinished) filtered.unfinished = out.unfinished;
    return filtered;
  }

  /** Whether the last referrers call found the API (undefined before any call). */
  get supportsReferrersApi(): boolean | undefined {
    return this.referrersApi;
  }
}

function parseJson(body: Uint8Array | undefined, what: string): Record<string, unknown> {
  const text = Buffer.from(body ?? new Uint8Array()).toString('utf8');
  assertJsonShape(text, `The ${what}`);
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new LensError('PROTOCOL', `The ${what} is not a JSON object.`);
}
