// A local server (node:http on loopback) answering as GitHub's attestations API does, with the
// shapes of its documentation (https://docs.github.com/en/rest/repos/attestations#list-attestations):
// `{ "attestations": [{ "bundle": {…}, "repository_id": …, "bundle_url": … }] }`, pages linked by
// `Link: <…>; rel="next"` (a cursor in `after`), `{ "message": "Not Found", "documentation_url": … }`
// with 404, `Bad credentials` with 401, and the rate limit's 403 with `x-ratelimit-remaining: 0`
// and `x-ratelimit-reset` (epoch seconds). It records every request, Authorization included.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GithubApiServer {
  readonly url: string;
  readonly requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  /** Per listing path (`/repos/o/r/attestations/sha256:…`): the bundles, served `perPage` at a time. */
  attestations: Map<string, unknown[]>;
  perPage: number;
  /** Answer every request with this status (401, 403 rate limit, 500) instead. */
  fail?: { status: number; message: string; headers?: Record<string, string> };
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest/repos/attestations#list-attestations';

export async function startGithubApiServer(): Promise<GithubApiServer> {
  const state: Omit<GithubApiServer, 'url' | 'close'> = { requests: [], attestations: new Map(), perPage: 30 };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.requests.push({ path: `${url.pathname}${url.search}`, headers: req.headers });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const bytes = Buffer.from(JSON.stringify(body));
      res
        .writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': bytes.length,
          'x-github-api-version-selected': '2022-11-28',
          ...headers,
        })
        .end(bytes);
    };
    if (state.fail !== undefined) {
      json(state.fail.status, { message: state.fail.message, documentation_url: DOCS, status: String(state.fail.status) }, state.fail.headers);
      return;
    }
    const all = state.attestations.get(decodeURIComponent(url.pathname));
    if (all === undefined || all.length === 0) {
      json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      return;
    }
    const start = Number(url.searchParams.get('after') ?? '0');
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), state.perPage);
    const page = all.slice(start, start + perPage);
    const headers: Record<string, string> = {};
    if (start + perPage < all.length) {
      const next = new URL(`http://${req.headers.host}${url.pathname}`);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('after', String(start + perPage));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    json(
      200,
      {
        attestations: page.map((bundle, i) => ({
          bundle,
          repository_id: 702485467,
          bundle_url: `https://example.blob.core.windows.net/bundles/${start + i}?sig=x`,
        })),
      },
      headers,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
