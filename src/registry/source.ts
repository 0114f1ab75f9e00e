import type { Descriptor, FetchedManifest } from '../model/oci';

export interface FetchOptions {
  signal?: AbortSignal | undefined;
  /**
   * Its turn among the registry's requests when they are all in flight: lower goes first,
   * default 0. A release gives each image its own, in the order the images started.
   */
  priority?: number | undefined;
}

/**
 * Where image content comes from: a registry over HTTP, or a local OCI image layout
 * (https://github.com/opencontainers/image-spec/blob/main/image-layout.md).
 * The graph walker only sees this interface, so a release can be inspected before it is pushed.
 */
export interface ContentSource {
  /** What it reads: a registry over HTTP, or a local OCI layout (the graph's `source`). */
  readonly kind: 'registry' | 'oci-layout';
  /** For messages only: `registry localhost:5000` or `OCI layout /path`. */
  readonly description: string;

  /** Resolves a tag or digest to its descriptor without downloading the manifest (HEAD). */
  resolve(repository: string, reference: string, options?: FetchOptions): Promise<Descriptor>;

  /**
   * Fetches a manifest by tag or digest. The bytes are checked against the digest
   * (the requested one, or the computed one for a tag). With `optional`, a 404 gives `undefined`.
   */
  getManifest(repository: string, reference: string, options?: FetchOptions & { optional?: false }): Promise<FetchedManifest>;
  getManifest(repository: string, reference: string, options: FetchOptions & { optional: true }): Promise<FetchedManifest | undefined>;

  /** Fetches a blob, streamed, checked against its digest, aborted past `maxBytes`. */
  getBlob(repository: string, digest: string, options?: FetchOptions & { maxBytes?: number }): Promise<Uint8Array>;

  /** All tags of a repository (following pagination); `unfinished` when the listing was cut short. */
  listTags(repository: string, options?: FetchOptions): Promise<TagList>;

  /**
   * The repository's tags when ONE request returns them all; `undefined` when the list is
   * paginated, refused or not worth it (a local layout). Lets the graph walker skip lookups
   * of cosign and referrers tags that do not exist, instead of asking for each one.
   */
  knownTags?(repository: string, options?: FetchOptions): Promise<Set<string> | undefined>;

  /**
   * The OCI 1.1 referrers API (`GET /v2/<name>/referrers/<digest>`). `undefined` means the
   * source does not implement it, and the caller falls back to the referrers tag schema.
   * With `limit`, no further page is read once more than `limit` referrers are listed.
   */
  referrers(repository: string, digest: string, options?: FetchOptions & { artifactType?: string; limit?: number }): Promise<ReferrerList | undefined>;

  /**
   * Whether the registry implements the referrers API, once a request has told (`undefined`
   * before, and for sources where the question does not arise).
   */
  readonly supportsReferrersApi?: boolean | undefined;
}

/** What a paginated listing read; `unfinished` says why it stopped before its last page. */
export type Listing<T> = T[] & { unfinished?: string };
export type ReferrerList = Listing<Descriptor>;
export type TagList = Listing<string>;
