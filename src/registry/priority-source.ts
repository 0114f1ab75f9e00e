import type { ContentSource, FetchOptions } from './source';

/**
 * The same source, every request of it taking its turn at `priority` (FetchOptions.priority:
 * lower goes first when the registry's requests are all in flight). A release hands each image
 * its own, so the graph walk and the verification of one image need not pass it along.
 */
export function atPriority(source: ContentSource, priority: number): ContentSource {
  const at = <T extends FetchOptions>(options: T | undefined): T => ({ ...options, priority }) as T;
  const view: ContentSource = {
    kind: source.kind,
    description: source.description,
    resolve: (repository, reference, options) => source.resolve(repository, reference, at(options)),
    getManifest: ((repository: string, reference: string, options?: FetchOptions & { optional?: boolean }) =>
      source.getManifest(repository, reference, at(options) as FetchOptions & { optional: true })) as ContentSource['getManifest'],
    getBlob: (repository, digest, options) => source.getBlob(repository, digest, at(options)),
    listTags: (repository, options) => source.listTags(repository, at(options)),
    referrers: (repository, digest, options) => source.referrers(repository, digest, at(options)),
    // What the registry said about its referrers API is the source's, read when asked.
    get supportsReferrersApi() {
      return source.supportsReferrersApi;
    },
  };
  if (source.knownTags) {
    const knownTags = source.knownTags.bind(source);
    view.knownTags = (repository, options) => knownTags(repository, at(options));
  }
  return view;
}
