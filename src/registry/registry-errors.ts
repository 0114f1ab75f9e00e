import { LensError } from '../core/errors';
import type { HttpResponse } from './transport';
import { parseRetryAfter } from './backoff';

/** The `errors` array of a distribution error body (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes). */
function registryMessage(res: HttpResponse): string | undefined {
  if (!res.body || res.body.length === 0) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(res.body).toString('utf8')) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    const first = parsed.errors?.[0];
    if (first)
      return [first.code, first.message]
        .filter((x) => typeof x === 'string' && x)
        .join(': ')
        .slice(0, 300);
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/** Turns a non-success answer into an error that says what happened and what to do. */
export function responseError(res: HttpResponse, what: string, registry: string): LensError {
  const url = res.shownUrl;
  const detail = registryMessage(res);
  const said = detail ? ` (registry said: ${detail})` : '';
  switch (res.status) {
    case 401:
      return new LensError(
        'UNAUTHORIZED',
        `Not authorised to read ${what} from ${registry}${said}. Sign in with \`docker login ${registry}\` (or "Provenance Lens: Sign In to Registry" in VS Code), then try again.`,
        { registry, url, status: 401 },
      );
    case 403:
      return new LensError('DENIED', `Access to ${what} on ${registry} is denied${said}; the credentials in use do not allow pulling it.`, {
        registry,
        url,
        status: 403,
      });
    case 404:
      // `what` opens the sentence: "Manifest rancher/fleet:v1 was not found", never "… registry. manifest …".
      return new LensError(
        'NOT_FOUND',
        `${what.charAt(0).toUpperCase()}${what.slice(1)} was not found on ${registry}${said}. Check the repository name and the tag or digest.`,
        { registry, url, status: 404 },
      );
    case 429: {
      const wait = parseRetryAfter(res.headers['retry-after']);
      const at = wait !== undefined ? new Date(Date.now() + wait).toISOString() : undefined;
      return new LensError(
        'RATE_LIMITED',
        `${registry} is rate limiting requests (refused ${what})${at ? `; retry at ${at}` : '; retry later'}${said}. Signing in usually raises the limit.`,
        { registry, url, status: 429, retryAt: at },
      );
    }
    default:
      if (res.status >= 500) {
        return new LensError('REGISTRY_ERROR', `${registry} failed with HTTP ${res.status} while serving ${what}${said}, after retries. Try again later.`, {
          registry,
          url,
          status: res.status,
        });
      }
      return new LensError('PROTOCOL', `${registry} answered HTTP ${res.status} for ${what}${said}.`, { registry, url, status: res.status });
  }
}
