import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { LensError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import { anonymous, type CredentialProvider } from './credentials-types';
import { DEFAULT_LIMITS, type RegistryLimits } from './limits';
import { Transport, type Exchange, type HttpResponse } from './transport';
import { Authenticator } from './auth';
import { MemoryCache, type ContentCache } from './cache';
import { responseError } from './registry-errors';
import { apiHost } from './reference';
import { RegistrySource } from './registry-source';
import type { RegistryCall, RegistryConnection } from './registry-source';

export interface RegistryClientOptions {
  credentials?: CredentialProvider | undefined;
  /** `host:port` of registries spoken to over plain HTTP. */
  insecureRegistries?: string[] | undefined;
  /** Extra PEM CA certificates trusted besides the system roots (private registries, tests). */
  ca?: string[] | undefined;
  limits?: Partial<RegistryLimits> | undefined;
  cache?: ContentCache | undefined;
  logger?: Logger | undefined;
  /** For tests (undici MockAgent) and proxies. */
  dispatcher?: Dispatcher | undefined;
  onExchange?: ((e: Exchange) => void) | undefined;
  userAgent?: string | undefined;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/;

/**
 * The OCI distribution client (https://github.com/opencontainers/distribution-spec/blob/main/spec.md).
 * One per process: it owns the connection pool, the token cache and the content cache;
 * `source(registry)` gives the ContentSource for one registry.
 */
export class RegistryClient implements RegistryConnection {
  readonly limits: RegistryLimits;
  readonly cache: ContentCache;
  readonly logger: Logger;
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private readonly ownDispatcher?: Agent;
  private readonly schemes = new Map<string, 'https:' | 'http:'>();
  /** The first request to a registry whose scheme is not known yet, while it is on its way. */
  private readonly findingScheme = new Map<string, Promise<unknown>>();
  private readonly sources = new Map<string, RegistrySource>();

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.cache = options.cache ?? new MemoryCache();
    this.logger = options.logger ?? silentLogger;
    let dispatcher = options.dispatcher;
    if (!dispatcher) {
      this.ownDispatcher = new Agent({
        connections: this.limits.concurrencyPerHost,
        keepAliveTimeout: 30_000,
        connect: options.ca?.length ? { ca: [...rootCertificates, ...options.ca] } : {},
      });
      dispatcher = this.ownDispatcher;
    }
    this.transport = new Transport({
      dispatcher,
      limits: this.limits,
      logger: this.logger,
      userAgent: options.userAgent ?? 'provenance-lens/0.1',
      onExchange: options.onExchange,
    });
    this.auth = new Authenticator(options.credentials ?? anonymous, this.transport, this.logger);
    for (const host of options.insecureRegistries ?? []) this.schemes.set(host, 'http:');
  }

  /** The HTTP stack of this client (pool, retries, limits, redaction), for the other APIs of a run: GitHub's attestations API. */
  get http(): Transport {
    return this.transport;
  }

  source(registry: string): RegistrySource {
    let s = this.sources.get(registry);
    if (!s) {
      s = new RegistrySource(this, registry);
      this.sources.set(registry, s);
    }
    return s;
  }

  /** `GET /v2/`: is this a registry, and which auth does it ask for? */
  async ping(registry: string, signal?: AbortSignal): Promise<{ status: number; authScheme?: string | undefined; apiVersion?: string | undefined }> {
    const res = await this.withScheme(registry, (base) =>
      this.transport.send({ method: 'GET', url: new URL('/v2/', base), shown: { registryOrigin: base.origin }, signal }),
    );
    const challenge = res.headers['www-authenticate'];
    const apiVersion = res.headers['docker-distribution-api-version'];
    return {
      status: res.status,
      authScheme: typeof challenge === 'string' ? challenge.split(' ')[0]?.toLowerCase() : undefined,
      apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined,
    };
  }

  /**
   * Sends a request for `repository` on `registry` with pull authorisation: uses a cached
   * token, answers a 401 challenge once, and maps failures to errors naming `what`.
   * Statuses listed in `accept` are returned instead of thrown.
   */
  async call(registry: string, repository: string, req: RegistryCall): Promise<HttpResponse> {
    const scope = `repository:${repository}:pull`;
    const res = await this.withScheme(registry, async (base) => {
      const url = new URL(`/v2/${repository}/${req.path}`, base);
      const shown = { registryOrigin: base.origin };
      let authorization = this.auth.cached(registry, scope);
      let r = await this.transport.send({ ...req, url, shown, authorization });
      if (r.status === 401) {
        // A concurrent request may have fetched a token while this one was in flight.
        const fresh = this.auth.cached(registry, scope);
        authorization =
          fresh !== undefined && fresh !== authorization ? fresh : await this.auth.answer(registry, base, scope, r.headers['www-authenticate'], req.signal);
        r = await this.transport.send({ ...req, url, shown, authorization });
        if (r.status === 401) this.auth.invalidate(registry, scope);
      }
      return r;
    });
    if ((res.status >= 200 && res.status < 300) || req.accept?.includes(res.status)) return res;
    throw responseError(res, req.what, registry);
  }

  /**
   * Picks the scheme: https, http for registries named insecure, and for loopback
   * registries https first with a fall back to http when the server does not speak TLS
   * (what docker and go-containerregistry do for local registries).
   */
  private async withScheme<T>(registry: string, send: (base: URL) => Promise<T>): Promise<T> {
    // The first request to a registry finds out its scheme; those sent meanwhile (a release
    // opening forty images at once) wait for the answer rather than each trying TLS first.
    const finding = this.findingScheme.get(registry);
    if (finding && !this.schemes.has(registry)) await finding.catch(() => undefined);
    const known = this.schemes.get(registry);
    const host = apiHost(registry);
    if (known) return send(new URL(`${known}//${host}`));
    const first = this.firstOf(registry, host, send);
    this.findingScheme.set(registry, first);
    try {
      return await first;
    } finally {
      if (this.findingScheme.get(registry) === first) this.findingScheme.delete(registry);
    }
  }

  private async firstOf<T>(registry: string, host: string, send: (base: URL) => Promise<T>): Promise<T> {
    try {
      const r = await send(new URL(`https://${host}`));
      this.schemes.set(registry, 'https:');
      return r;
    } catch (e) {
      if (
        LOOPBACK.test(registry) &&
        e instanceof LensError &&
        (e.code === 'TLS' || e.code === 'NETWORK') &&
        /SSL|EPROTO|ECONNRESET|WRONG_VERSION/i.test(String(e.details.cause ?? e.message))
      ) {
        this.logger.info(`${registry} does not speak TLS; using plain HTTP for this loopback registry.`);
        this.schemes.set(registry, 'http:');
        return send(new URL(`http://${host}`));
      }
      throw e;
    }
  }

  /** Closes the connections and waits for the content cache's writes. */
  async close(): Promise<void> {
    await Promise.all([this.ownDispatcher?.close(), this.cache.flush?.()]);
  }
}
