import { LensError } from '../core/errors';
import { SharedWork } from '../core/shared-work';
import { redactUrl, secrets } from '../core/redact';
import type { Logger } from '../core/logger';
import type { Credential, CredentialProvider } from './credentials-types';
import type { Transport } from './transport';
import { parseChallenges } from './challenge';
import { assertJsonShape } from './json-shape';
import { responseError } from './registry-errors';

/**
 * Registry authentication as the distribution token spec describes
 * (https://distribution.github.io/distribution/spec/auth/token/ and /oauth/):
 * a 401 names a scheme; Basic gets the credential directly, Bearer exchanges it
 * (or nothing, for anonymous pulls) at the realm for a scoped token, cached until it expires.
 */
interface CachedToken {
  header: string;
  expiresAt: number;
}

const TOKEN_LIMIT = 1024 * 1024;
const DEFAULT_TOKEN_SECONDS = 60;

export class Authenticator {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new SharedWork();

  constructor(
    private readonly credentials: CredentialProvider,
    private readonly transport: Transport,
    private readonly logger: Logger,
    private readonly clientId = 'provenance-lens',
  ) {}

  /** The Authorization header we already hold for this registry and scope, if still fresh. */
  cached(registry: string, scope: string): string | undefined {
    const t = this.tokens.get(`${registry} ${scope}`);
    if (t && t.expiresAt > Date.now()) return t.header;
    return undefined;
  }

  /**
   * Answers a 401 challenge; concurrent callers for one scope share one token request, which
   * is cancelled only when all of them have cancelled.
   */
  answer(registry: string, registryUrl: URL, scope: string, wwwAuthenticate: string | string[] | undefined, signal?: AbortSignal): Promise<string> {
    return this.pending.run(`${registry} ${scope}`, signal, (shared) => this.fetchHeader(registry, registryUrl, scope, wwwAuthenticate, shared));
  }

  /** Forgets a token the registry refused, so the next request asks again. */
  invalidate(registry: string, scope: string): void {
    this.tokens.delete(`${registry} ${scope}`);
  }

  private async fetchHeader(
    registry: string,
    registryUrl: URL,
    scope: string,
    wwwAuthenticate: string | string[] | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const challenges = parseChallenges(wwwAuthenticate ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    const credential = await this.credentials.get(registry, signal);
    if (bearer) {
      const header = await this.bearer(registry, registryUrl, bearer.params, scope, credential, signal);
      return header;
    }
    if (basic) {
      if (credential?.kind !== 'basic') {
        throw unauthorized(
          registry,
          credential
            ? 'it asks for a username and password, and the stored credential is a token'
            : 'it asks for a username and password and none is configured',
        );
      }
      const header = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
      secrets.add(header.slice(6));
      this.tokens.set(`${registry} ${scope}`, { header, expiresAt: Number.MAX_SAFE_INTEGER });
      return header;
    }
    throw new LensError('UNAUTHORIZED', `${registry} answered 401 without a usable WWW-Authenticate challenge (Basic or Bearer).`, { registry });
  }

  private async bearer(
    registry: string,
    registryUrl: URL,
    params: Record<string, string>,
    scope: string,
    credential: Credential | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    if (credential?.kind === 'registry-token') return `Bearer ${credential.token}`;
    const realmText = params.realm;
    if (!realmText) throw new LensError('PROTOCOL', `${registry} sent a Bearer challenge without a realm.`, { registry });
    let realm: URL;
    try {
      realm = new URL(realmText);
    } catch {
      throw new LensError('PROTOCOL', `${registry} sent a Bearer challenge with an invalid realm.`, { registry });
    }
    // The realm is printed as any URL of this registry's requests: off the registry's origin every
    // query value goes. Except `service` and `scope`: this client writes them (from the challenge
    // and the repository asked for), they hold no credential (those travel in the Authorization
    // header or the POST body), and they are what a reader of -v needs to tell which repository
    // and access a refused token was for.
    const shown = { registryOrigin: registryUrl.origin, keep: ['service', 'scope'] };
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && registryUrl.protocol === 'http:')) {
      throw new LensError(
        'PROTOCOL',
        `${registry} names a token service over ${realm.protocol} (${redactUrl(realm, shown)}); refused, since credentials would travel unprotected.`,
        { registry },
      );
    }
    if (realm.host !== registryUrl.host) this.logger.debug(`${registry}: token service on another host, ${realm.host}`);
    const service = params.service;
    // The challenge's scope is what the registry wants; ours is what we asked for. Ask for both.
    const scopes = new Set([scope, ...(params.scope ? params.scope.split(' ') : [])].filter(Boolean));

    let res;
    if (credential?.kind === 'identity-token') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.token, client_id: this.clientId });
      if (service) form.set('service', service);
      form.set('scope', [...scopes].join(' '));
      res = await this.transport.send({
        method: 'POST',
        url: realm,
        shown,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal,
        read: { limit: TOKEN_LIMIT, what: 'Token response' },
      });
    } else {
      const url = new URL(realm);
      if (service) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      url.searchParams.set('client_id', this.clientId);
      let authorization: string | undefined;
      if (credential?.kind === 'basic') {
        authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
        secrets.add(authorization.slice(6));
        // No offline_token: we keep no refresh token, so none is asked for (one secret fewer in flight).
      }
      res = await this.transport.send({ method: 'GET', url, shown, authorization, signal, read: { limit: TOKEN_LIMIT, what: 'Token response' } });
    }
    if (res.status === 401 || res.status === 403) {
      throw unauthorized(registry, credential ? 'the token service refused the stored credentials' : 'the token service refused an anonymous token');
    }
    // Rate limits and outages of the token service say when to come back, as the registry's own do.
    if (res.status === 429 || res.status >= 500) throw responseError(res, `a token from its token service (${redactUrl(realm, shown)})`, registry);
    if (res.status !== 200 || !res.body) {
      throw new LensError('REGISTRY_ERROR', `The token service of ${registry} (${redactUrl(realm, shown)}) answered ${res.status}.`, {
        registry,
        status: res.status,
      });
    }
    const text = Buffer.from(res.body).toString('utf8');
    assertJsonShape(text, `The token service's answer for ${registry}`);
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new LensError('PROTOCOL', `The token service of ${registry} answered with something that is not JSON.`, { registry });
    }
    const token = typeof parsed.token === 'string' && parsed.token ? parsed.token : typeof parsed.access_token === 'string' ? parsed.access_token : '';
    if (!token) throw new LensError('PROTOCOL', `The token service of ${registry} answered without a token.`, { registry });
    secrets.add(token);
    const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_SECONDS;
    const issued = typeof parsed.issued_at === 'string' ? Date.parse(parsed.issued_at) : NaN;
    const start = Number.isNaN(issued) ? Date.now() : Math.min(issued, Date.now());
    const header = `Bearer ${token}`;
    // Renew a little early so a token never expires in flight.
    this.tokens.set(`${registry} ${scope}`, { header, expiresAt: start + seconds * 1000 * 0.9 });
    return header;
  }
}

function unauthorized(registry: string, why: string): LensError {
  return new LensError(
    'UNAUTHORIZED',
    `Not authorised by ${registry}: ${why}. Sign in with \`docker login ${registry}\` (or "Provenance Lens: Sign In to Registry" in VS Code), then try again.`,
    { registry },
  );
}
