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
