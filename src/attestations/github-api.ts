import { LensError } from '../core/errors';
import { combineSignals } from '../core/abort';
import type { Transport, HttpResponse } from '../registry/transport';
import type { ExternalBundle } from './bundle-lines';
import { MAX_BUNDLE_BYTES } from './bundle-lines';
import type { AttestationCache } from './github-api-cache';

/**
 * GitHub's artifact attestations API, read as `gh attestation verify` reads it
 * (https://docs.github.com/en/rest/repos/attestations#list-attestations,
 * https://docs.github.com/en/rest/orgs/attestations#list-attestations):
 * `GET /repos/{owner}/{repo}/attestations/{subject_digest}` or `GET /orgs/{org}/attestations/{subject_digest}`,
 * answering `{ "attestations": [{ "bundle": {…}, "repository_id": 1, "bundle_url": "…" }] }`, paged by
 * the `Link` header's `rel="next"`, 404 when there is none. Over the registry client's HTTP stack
 * (undici, retries with backoff, `Retry-After`, bounded bodies; the token sent to the API's origin
 * only), bounded in pages, bundles, bytes and time, and cached by digest (github-api-cache.ts).
 */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
/** The REST API version whose listing carries each bundle inline. */
export const GITHUB_API_VERSION = '2022-11-28';

export interface GithubApiLimits {
  /** Pages followed per digest. */
  pages: number;
  perPage: number;
  /** Bundles kept per digest; more are left and said so. */
  bundles: number;
  /** Largest page body. */
  responseBytes: number;
  /** All pages of one digest together. */
  timeoutMs: number;
}

export const DEFAULT_GITHUB_API_LIMITS: GithubApiLimits = { pages: 10, perPage: 100, bundles: 256, responseBytes: 32 * 1024 * 1024, timeoutMs: 60_000 };

export interface GithubApiOptions {
  transport: Transport;
  /** GH_TOKEN / GITHUB_TOKEN; sent as a bearer token to the API's origin only. */
  token: string;
  /** Where the token came from, for the sentence a refusal (401) makes; default `GH_TOKEN / GITHUB_TOKEN`. */
  tokenSource?: string | undefined;
  /** GITHUB_API_URL, as in Actions (GitHub Enterprise Server: https://HOST/api/v3); default https://api.github.com. */
  baseUrl?: string | undefined;
  /** `org` (with no repository: the organisation's listing) and `org/name`. */
  owner: string;
  repository?: string | undefined;
  cache?: AttestationCache | undefined;
  limits?: Partial<GithubApiLimits> | undefined;
  signal?: AbortSignal | undefined;
}

export interface GithubAttestations {
  bundles: ExternalBundle[];
  /** Sentences about what was not taken, or that there was none. */
  notes: string[];
  /** The first page's URL, as printed. */
  url: string;
  cached: boolean;
}

interface Listing {
  attestations?: Array<{ bundle?: unknown; bundle_url?: unknown }>;
}

/** The attestations GitHub holds for one subject digest. */
export async function githubAttestations(digest: string, o: GithubApiOptions): Promise<GithubAttestations> {
  const limits = { ...DEFAULT_GITHUB_API_LIMITS, ...o.limits };
  const base = new URL(`${(o.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '')}/`);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new LensError('USAGE', `GITHUB_API_URL must be an http(s) URL, not ${base.protocol}.`);
  const scope = o.repository !== undefined ? `repos/${o.repository}` : `orgs/${o.owner}`;
  // The digest goes in as gh writes it (`sha256:<hex>`); only a well-formed one is asked for.
  if (!/^sha(?:256|512):[0-9a-f]{64,128}$/.test(digest))
    throw new LensError('USAGE', `${JSON.stringify(digest)} is not a digest GitHub lists attestations by (sha256:<hex>).`);
  const first = new URL(`${scope.split('/').map(encodeURIComponent).join('/')}/attestations/${digest}?per_page=${limits.perPage}`, base);
  const shown = { registryOrigin: base.origin };
  const url = first.toString();
  const key = `${base.href} ${scope} ${digest}`;
  const hit = await o.cache?.get(key);
  if (hit !== undefined) return { bundles: hit, notes: [], url, cached: true };

  // One deadline for every page of this digest, besides each request's own (the transport's).
  const signal = combineSignals([o.signal], limits.timeoutMs);
  {
    const bundles: ExternalBundle[] = [];
    const notes: string[] = [];
    let next: URL | undefined = first;
    for (let page = 1; next !== undefined; page++) {
      if (page > limits.pages) {
        notes.push(`GitHub lists more attestations for ${digest} than ${limits.pages} pages of ${limits.perPage}; the rest were not read.`);
        break;
      }
      const res: HttpResponse = await o.transport.send({
        method: 'GET',
        url: next,
        shown,
        signal,
        authorization: `Bearer ${o.token}`,
        headers: { accept: 'application/vnd.github+json', 'x-github-api-version': GITHUB_API_VERSION },
        read: { limit: limits.responseBytes, what: "GitHub's attestations listing" },
      });
      if (res.status === 404 && page === 1) {
        notes.push(`GitHub has no attestation for ${digest} in ${scope} (404).`);
        break;
      }
      if (res.status !== 200) throw apiError(res, scope, o.tokenSource ?? 'GH_TOKEN / GITHUB_TOKEN');
      for (const [i, a] of listing(res).entries()) {
        if (bundles.length === limits.bundles) {
          notes.push(`GitHub lists more than ${limits.bundles} attestations for ${digest}; the rest were not read.`);
          next = undefined;
          break;
        }
        const origin = `${res.shownUrl} #${i + 1}`;
        if (a.bundle === undefined || a.bundle === null) {
          notes.push(
            `${origin} carries no bundle inline, only a bundle_url (a compressed bundle this version does not read); download it with gh attestation download and give it with --bundle.`,
          );
          continue;
        }
        const bytes = Buffer.from(JSON.stringify(a.bundle), 'utf8');
        if (bytes.length > MAX_BUNDLE_BYTES) notes.push(`${origin} is ${bytes.length} bytes, over the ${MAX_BUNDLE_BYTES}-byte limit for a bundle; left out.`);
        else bundles.push({ bytes, origin });
      }
      if (next !== undefined) next = nextPage(res, base);
    }
    await o.cache?.set(key, bundles);
    return { bundles, notes, url, cached: false };
  }
}

function listing(res: HttpResponse): Array<{ bundle?: unknown }> {
  let doc: Listing;
  try {
    doc = JSON.parse(Buffer.from(res.body ?? []).toString('utf8')) as Listing;
  } catch {
    throw new LensError('PROTOCOL', `${res.shownUrl} did not answer JSON.`, { url: res.shownUrl });
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.attestations)) {
    throw new LensError('PROTOCOL', `${res.shownUrl} answered no "attestations" list.`, { url: res.shownUrl });
  }
  return doc.attestations.filter((a) => typeof a === 'object' && a !== null);
}

/** `Link: <…>; rel="next"` (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api), same origin only. */
function nextPage(res: HttpResponse, base: URL): URL | undefined {
  const link = res.headers.link;
  const text = Array.isArray(link) ? link.join(',') : link;
  const m = text === undefined ? null : /<([^>]+)>\s*;\s*rel="?next"?/.exec(text);
  if (m === null) return undefined;
  const next = new URL(m[1]!, base);
  // The token goes to the API's origin only; a next page elsewhere is not followed.
  return next.origin === base.origin ? next : undefined;
}

/** What a refusal means and what to do; GitHub's own message (JSON `message`) kept short. */
function apiError(res: HttpResponse, scope: string, tokenSource: string): LensError {
  const said = githubMessage(res);
  const url = res.shownUrl;
  const header = (name: string): string | undefined => {
    const v = res.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (res.status === 401) {
    return new LensError(
      'UNAUTHORIZED',
      `GitHub's API refused the token from ${tokenSource} (401${said}) at ${url}; give a token that can read ${scope}'s attestations.`,
      { url, status: 401 },
    );
  }
  const reset = Number(header('x-ratelimit-reset'));
  if ((res.status === 403 || res.status === 429) && (header('x-ratelimit-remaining') === '0' || res.status === 429)) {
    const retryAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : undefined;
    return new LensError(
      'RATE_LIMITED',
      `GitHub's API rate limit is used up (${res.status}${said}) at ${url}${retryAt ? `; it resets at ${retryAt}` : ''}. Retry then, or with a token that has a higher limit.`,
      { url, status: res.status, ...(retryAt ? { retryAt } : {}) },
    );
  }
  if (res.status === 403) {
    return new LensError(
      'DENIED',
      `GitHub's API denied reading ${scope}'s attestations (403${said}) at ${url}; the token needs the attestations:read permission (fine-grained) or access to the repository.`,
      { url, status: 403 },
    );
  }
  if (res.status === 404) return new LensError('NOT_FOUND', `GitHub's API answered 404${said} for a next page at ${url}.`, { url, status: 404 });
  return new LensError(res.status >= 500 ? 'NETWORK' : 'PROTOCOL', `GitHub's API answered ${res.status}${said} at ${url}.`, { url, status: res.status });
}

function githubMessage(res: HttpResponse): string {
  try {
    const m = (JSON.parse(Buffer.from(res.body ?? []).toString('utf8')) as { message?: unknown }).message;
    return typeof m === 'string' && m !== '' ? `: ${JSON.stringify(m.slice(0, 200))}` : '';
  } catch {
    return '';
  }
}
