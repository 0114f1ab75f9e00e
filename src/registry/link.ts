/**
 * The `Link: <url>; rel="next"` header of paginated listings
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags).
 * Returns the path relative to `/v2/<repository>/`, or undefined. A link that leaves the
 * repository is not followed: pagination must not become a way to redirect our requests.
 */
export function nextLink(header: string | string[] | undefined, repository: string): string | undefined {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
      if (!m || !/rel="?next"?/i.test(m[2]!)) continue;
      let url: URL;
      try {
        url = new URL(m[1]!, 'http://registry.invalid');
      } catch {
        return undefined;
      }
      const prefix = `/v2/${repository}/`;
      if (!url.pathname.startsWith(prefix)) return undefined;
      return `${url.pathname.slice(prefix.length)}${url.search}`;
    }
  }
  return undefined;
}

/**
 * Guards a paginated listing: a registry that pages for ever, or in a circle, is not followed
 * to the end. `stop(path)`, asked before each page, gives the reason to stop (said to the user
 * as the listing's `unfinished`, never hidden), or undefined to read the page.
 */
export class PageGuard {
  private readonly seen = new Set<string>();
  private pages = 0;
  constructor(
    private readonly listing: string,
    private readonly maxPages: number,
  ) {}

  stop(path: string): string | undefined {
    if (this.pages === this.maxPages) return `the registry's ${this.listing} went on past ${this.maxPages} pages; the rest was not read`;
    if (this.seen.has(path)) return `the registry's ${this.listing} links back to a page already read (${path}); the rest was not read`;
    this.seen.add(path);
    this.pages++;
    return undefined;
  }
}
