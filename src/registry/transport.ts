import { maxHeaderSize } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { LensError } from '../core/errors';
import { redactUrl } from '../core/redact';
import type { UrlScope } from '../core/redact';
import { Semaphore, onAbort, sleep } from '../core/abort';
import type { Logger } from '../core/logger';
import type { RegistryLimits } from './limits';
import { readBounded } from './body';
import { backoffDelay, parseRetryAfter } from './backoff';

export type Headers = Record<string, string | string[] | undefined>;

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  /**
   * The registry this request serves, for every URL of it that is printed (logs, errors): on
   * its own origin the query keeps what is not secret, on any other (a redirect to blob
   * storage, the token service) every value is redacted. See core/redact.ts.
   */
  shown: UrlScope;
  headers?: Record<string, string> | undefined;
  /** Sent only to the origin of `url`; never follows a redirect to another origin. */
  authorization?: string | undefined;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Read the body of a 2xx answer up to `limit` bytes. */
  read?: { limit: number; what: string } | undefined;
  /** Its turn when the host's requests are all in flight: lower goes first, default 0 (Semaphore). */
  priority?: number | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body?: Uint8Array | undefined;
  /** Where the answer came from after redirects; print `shownUrl`, never this. */
  url: URL;
  /** `url` redacted for the request's registry (redactUrl with the request's `shown`). */
  shownUrl: string;
}

/** One request/response as the log and the benchmark see it. */
export interface Exchange {
  method: string;
  /** Already redacted for the request's registry (HttpRequest.shown): print it as it is. */
  url: string;
  status: number | 'error';
  ms: number;
  attempt: number;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const ERROR_BODY_LIMIT = 64 * 1024;
/** Code of the error an attempt ends with when it passes `requestTimeoutMs`. */
const REQUEST_DEADLINE = 'REQUEST_DEADLINE';
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  REQUEST_DEADLINE,
  'ECONNABORTED',
  'EHOSTUNREACH',
]);
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/;

export interface TransportOptions {
  dispatcher: Dispatcher;
  limits: RegistryLimits;
  logger: Logger;
  userAgent: string;
  onExchange?: ((e: Exchange) => void) | undefined;
}

/**
 * HTTP for the registry client: bounded concurrency per host, retries with backoff and
 * jitter on 5xx / network errors, 429 honouring Retry-After, redirects followed by hand
 * so that credentials never reach another origin, bodies read within limits.
 */
export class Transport {
  private readonly perHost = new Map<string, Semaphore>();

  constructor(private readonly options: TransportOptions) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    const { limits } = this.options;
    let attempt = 0;
    for (;;) {
      try {
        const res = await this.followRedirects(req, attempt);
        if (RETRY_STATUS.has(res.status) && attempt < limits.retries) {
          const retryAfter = parseRetryAfter(res.headers['retry-after']);
          // A wait longer than we accept ends the attempt now (429 -> RATE_LIMITED, 5xx -> REGISTRY_ERROR) rather than hanging.
          if (retryAfter !== undefined && retryAfter > limits.maxRetryAfterMs) return res;
          const wait = retryAfter ?? backoffDelay(attempt, limits.backoffBaseMs, limits.backoffMaxMs);
          this.options.logger.debug(
            `${req.method} ${redactUrl(req.url, req.shown)}: ${res.status}, retrying in ${Math.round(wait)} ms (attempt ${attempt + 2} of ${limits.retries + 1})`,
          );
          await sleep(wait, req.signal);
          attempt++;
          continue;
        }
        return res;
      } catch (e) {
        if (isRetryableNetworkError(e) && attempt < limits.retries && !req.signal?.aborted) {
          const wait = backoffDelay(attempt, limits.backoffBaseMs, limits.backoffMaxMs);
          this.options.logger.debug(`${req.method} ${redactUrl(req.url, req.shown)}: ${networkCode(e)}, retrying in ${Math.round(wait)} ms`);
          await sleep(wait, req.signal);
          attempt++;
          continue;
        }
        throw toLensError(e, req, limits);
      }
    }
  }

  private async followRedirects(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    let url = req.url;
    let authorization = req.authorization;
    const origin = req.url.origin;
    const seen = new Set<string>();
    for (let hop = 0; ; hop++) {
      const res = await this.exchange({ ...req, url, authorization }, attempt);
      if (!REDIRECT_STATUS.has(res.status)) return res;
      const location = res.headers.location;
      if (typeof location !== 'string' || location === '') {
        throw new LensError('PROTOCOL', `${redactUrl(url, req.shown)} answered ${res.status} without a Location header.`, {
          url: redactUrl(url, req.shown),
          status: res.status,
        });
      }
      const next = new URL(location, url);
      if (hop >= this.options.limits.maxRedirects || seen.has(next.href)) {
        throw new LensError(
          'REDIRECT',
          `Too many redirects (or a redirect loop) fetching ${redactUrl(req.url, req.shown)}; last target ${redactUrl(next, req.shown)}.`,
          { url: redactUrl(req.url, req.shown) },
        );
      }
      if (url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new LensError(
          'REDIRECT',
          `${redactUrl(url, req.shown)} redirected to a non-HTTPS location (${redactUrl(next, req.shown)}); refused, since content and credentials would travel unprotected.`,
          { url: redactUrl(url, req.shown) },
        );
      }
      seen.add(next.href);
      // Credentials are for the registry only; blob storage gets its own pre-signed URL.
      if (next.origin !== origin) authorization = undefined;
      url = next;
    }
  }

  private semaphore(host: string): Semaphore {
    let s = this.perHost.get(host);
    if (!s) {
      s = new Semaphore(this.options.limits.concurrencyPerHost);
      this.perHost.set(host, s);
    }
    return s;
  }

  private exchange(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    return this.semaphore(req.url.host).run(
      async () => {
        const started = performance.now();
        const shownUrl = redactUrl(req.url, req.shown);
        const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...req.headers };
        if (req.authorization) headers.authorization = req.authorization;
        let status: number | 'error' = 'error';
        // The caller's signal plus one deadline for the whole attempt (RegistryLimits.requestTimeoutMs);
        // the timer and the listener go on every path, so nothing outlives the attempt.
        const deadlineMs = this.options.limits.requestTimeoutMs;
        const attemptSignal = new AbortController();
        const cancel = () => attemptSignal.abort(req.signal?.reason);
        const timer = setTimeout(
          () => attemptSignal.abort(Object.assign(new Error(`no complete answer within ${deadlineMs} ms`), { code: REQUEST_DEADLINE })),
          deadlineMs,
        );
        if (req.signal?.aborted) cancel();
        const forget = req.signal && onAbort(req.signal, cancel);
        try {
          const res = await request(req.url, {
            method: req.method,
            headers,
            ...(req.body !== undefined ? { body: req.body } : {}),
            signal: attemptSignal.signal,
            dispatcher: this.options.dispatcher,
            headersTimeout: this.options.limits.headersTimeoutMs,
            bodyTimeout: this.options.limits.bodyTimeoutMs,
          });
          status = res.statusCode;
          let body: Uint8Array | undefined;
          if (req.method === 'HEAD') {
            await res.body.dump();
          } else if (res.statusCode >= 200 && res.statusCode < 300 && req.read) {
            body = await readBounded(res.body, req.read.limit, shownUrl, res.headers['content-length'], req.read.what);
          } else if (res.statusCode >= 400) {
            body = await readBounded(res.body, ERROR_BODY_LIMIT, shownUrl, undefined, 'Error body').catch(() => undefined);
          } else {
            await res.body.dump({ limit: ERROR_BODY_LIMIT }).catch(() => undefined);
          }
          return { status: res.statusCode, headers: res.headers, body, url: req.url, shownUrl };
        } catch (e) {
          if (attemptSignal.signal.aborted && !req.signal?.aborted) throw attemptSignal.signal.reason;
          throw e;
        } finally {
          clearTimeout(timer);
          forget?.();
          const ms = performance.now() - started;
          const e: Exchange = { method: req.method, url: shownUrl, status, ms, attempt };
          this.options.logger.debug(`${e.method} ${e.url} -> ${e.status} (${Math.round(ms)} ms)`);
          this.options.onExchange?.(e);
        }
      },
      undefined,
      req.priority,
    );
  }
}

function networkCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function isRetryableNetworkError(e: unknown): boolean {
  if (e instanceof LensError) return false;
  const code = networkCode(e);
  return code !== undefined && NETWORK_CODES.has(code);
}

function toLensError(e: unknown, req: HttpRequest, limits: RegistryLimits): LensError {
  if (e instanceof LensError) return e;
  const url = redactUrl(req.url, req.shown);
  if (req.signal?.aborted) {
    const reason = req.signal.reason as { name?: string } | undefined;
    if (reason?.name === 'TimeoutError') return new LensError('TIMEOUT', `${req.method} ${url} timed out.`, { url });
    return new LensError('ABORTED', 'The operation was cancelled.', { url });
  }
  const code = networkCode(e) ?? '';
  if (code === REQUEST_DEADLINE) {
    return new LensError(
      'TIMEOUT',
      `${req.method} ${url} did not finish within ${limits.requestTimeoutMs} ms (headers and body together); the registry sent its answer too slowly, so it was abandoned.`,
      { url, cause: code, limit: limits.requestTimeoutMs },
    );
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new LensError('TIMEOUT', `${req.method} ${url} timed out (${code}); the registry did not answer in time.`, { url, cause: code });
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return new LensError(
      'NETWORK',
      `${req.method} ${url}: the registry sent response headers larger than the HTTP client accepts (${maxHeaderSize} bytes); the answer was refused unread.`,
      { url, cause: code, limit: maxHeaderSize },
    );
  }
  if (TLS_CODE.test(code)) {
    return new LensError(
      'TLS',
      `TLS with ${req.url.host} failed (${code}). If the registry uses a private CA, pass it with --ca-file; for a plain-HTTP registry use --insecure-registry ${req.url.host}.`,
      { url, cause: code },
    );
  }
  const message = e instanceof Error ? e.message : String(e);
  return new LensError(
    'NETWORK',
    `${req.method} ${url} failed: ${code || message}. Check that the registry is reachable.`,
    { url, cause: code || undefined },
    { cause: e },
  );
}
