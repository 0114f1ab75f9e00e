// A loopback token server for distribution's `auth.token` mode, following the Docker token
// authentication spec (https://distribution.github.io/distribution/spec/auth/token/) and its
// OAuth2 variant (spec/auth/oauth/). It records every request so tests can assert how a client
// authenticates, without ever recording a password or a refresh token.
import { createHash, createPrivateKey, createPublicKey, randomBytes, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SigningCert } from './tls';

/** One entry of the JWT `access` claim. */
export interface TokenAccess {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

export interface TokenRequestRecord {
  readonly method: string;
  readonly path: string;
  /** Query parameters (GET flow); never contains secrets. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly hasAuthorization: boolean;
  /** OAuth2 POST flow only: `password` | `refresh_token` | ... */
  readonly grantType?: string;
  /** Requested scopes, from the query (GET) or the form (POST). */
  readonly scopes: readonly string[];
  /** Status the server answered. */
  status: number;
}

export interface TokenServerOptions {
  readonly signing: SigningCert;
  readonly service: string;
  readonly issuer: string;
  /** Loopback IP to bind, e.g. 127.0.0.2 to act as another host. Default 127.0.0.1. */
  readonly host?: string;
  /** username -> password; these users get every requested action on every repository. */
  readonly users?: Readonly<Record<string, string>>;
  /** Repositories anyone may pull without credentials. */
  readonly publicRepos?: readonly string[];
  readonly tokenTtlSeconds?: number;
  /** Serve HTTPS with this leaf (see tls.ts). */
  readonly tls?: { readonly certPath: string; readonly keyPath: string };
  /** Overrides the grant policy: returns the actions granted to `subject` ('' = anonymous). */
  readonly authorize?: (subject: string, requested: TokenAccess) => readonly string[];
}

export interface TokenServer {
  /** The realm to put in the registry config, e.g. http://127.0.0.2:PORT/token */
  readonly realm: string;
  readonly host: string;
  readonly service: string;
  readonly issuer: string;
  /** libtrust key id of the signing key (the JWT header `kid`). */
  readonly kid: string;
  readonly requests: readonly TokenRequestRecord[];
  clearRequests(): void;
  /** Mint a token directly (no HTTP round trip, nothing recorded): used by the harness itself to push. */
  issueToken(subject: string, access: readonly TokenAccess[]): string;
  /** A refresh token for `username`, as a credential store would hold after a login. */
  issueRefreshToken(username: string): string;
  close(): Promise<void>;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * libtrust key id, which distribution uses to pick the verifying key from its rootcertbundle:
 * base32 of the first 240 bits of sha256(DER SubjectPublicKeyInfo), in groups of 4 joined by ':'.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const b32 = base32(createHash('sha256').update(der).digest().subarray(0, 30));
  return b32.match(/.{4}/g)!.join(':');
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Parses `repository:name:pull,push` (the name may itself contain ':' only in theory; take the last one). */
export function parseScope(scope: string): TokenAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function basicCredentials(header: string | undefined): { user: string; pass: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const host = opts.host ?? '127.0.0.1';
  const privateKey = createPrivateKey(opts.signing.keyPem);
  const kid = libtrustKeyId(createPublicKey(opts.signing.certPem));
  const ttl = opts.tokenTtlSeconds ?? 300;
  const users = opts.users ?? {};
  const publicRepos = new Set(opts.publicRepos ?? []);
  const refreshTokens = new Map<string, string>();
  const requests: TokenRequestRecord[] = [];

  const issueToken = (subject: string, access: readonly TokenAccess[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', kid };
    const claims = { iss: opts.issuer, sub: subject, aud: opts.service, exp: now + ttl, nbf: now - 1, iat: now, jti: randomUUID(), access };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${signingInput}.${b64url(sign('sha256', Buffer.from(signingInput), privateKey))}`;
  };
  const issueRefreshToken = (username: string): string => {
    const token = randomBytes(24).toString('base64url');
    refreshTokens.set(token, username);
    return token;
  };
  const grant = (subject: string, requested: TokenAccess): TokenAccess => {
    if (opts.authorize) return { ...requested, actions: [...opts.authorize(subject, requested)] };
    if (subject !== '') return requested;
    const pullable = requested.type === 'repository' && publicRepos.has(requested.name);
    return { ...requested, actions: pullable ? requested.actions.filter((a) => a === 'pull') : [] };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, record: TokenRequestRecord & { status: number }): Promise<void> => {
    const reply = (status: number, body: unknown): void => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (record.path !== '/token') return reply(404, { error: 'not_found' });
    const url = new URL(req.url ?? '/', 'http://x');
    let subject = '';
    let params: URLSearchParams;
    let offline = false;
    if (req.method === 'POST') {
      params = new URLSearchParams(await readBody(req));
      const grantType = params.get('grant_type') ?? '';
      Object.assign(record, { grantType, scopes: (params.get('scope') ?? '').split(' ').filter(Boolean) });
      offline = params.get('access_type') === 'offline';
      if (grantType === 'password') {
        const user = params.get('username') ?? '';
        if (!(user in users) || users[user] !== params.get('password')) return reply(400, { error: 'invalid_grant' });
        subject = user;
      } else if (grantType === 'refresh_token') {
        const user = refreshTokens.get(params.get('refresh_token') ?? '');
        if (user === undefined) return reply(400, { error: 'invalid_grant' });
        subject = user;
        offline = true; // keep handing the (same) refresh token back, as Docker Hub does
      } else {
        return reply(400, { error: 'unsupported_grant_type' });
      }
    } else if (req.method === 'GET') {
      params = url.searchParams;
      offline = params.get('offline_token') === 'true';
      const creds = basicCredentials(req.headers.authorization);
      if (req.headers.authorization !== undefined) {
        if (!creds || !(creds.user in users) || users[creds.user] !== creds.pass) {
          return reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] });
        }
        subject = creds.user;
      }
    } else {
      return reply(405, { error: 'method_not_allowed' });
    }
    if (params.get('service') !== opts.service) return reply(400, { error: 'invalid_request', error_description: 'unknown service' });
    const access = record.scopes
      .map(parseScope)
      .filter((a): a is TokenAccess => a !== undefined)
      .map((a) => grant(subject, a));
    const token = issueToken(
      subject,
      access.filter((a) => a.actions.length > 0),
    );
    const refresh =
      offline && subject !== ''
        ? req.method === 'POST' && params.get('grant_type') === 'refresh_token'
          ? params.get('refresh_token')!
          : issueRefreshToken(subject)
        : undefined;
    reply(200, {
      token,
      access_token: token,
      expires_in: ttl,
      issued_at: new Date().toISOString(),
      ...(refresh !== undefined ? { refresh_token: refresh } : {}),
    });
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const record = {
      method: req.method ?? '',
      path: url.pathname,
      query,
      hasAuthorization: req.headers.authorization !== undefined,
      scopes: url.searchParams
        .getAll('scope')
        .flatMap((s) => s.split(' '))
        .filter(Boolean),
      status: 0,
    };
    requests.push(record);
    handle(req, res, record).catch(() => {
      record.status = 500;
      if (!res.headersSent) res.writeHead(500).end();
    });
  };

  const server: Server = opts.tls
    ? createHttpsServer({ cert: readFileSync(opts.tls.certPath), key: readFileSync(opts.tls.keyPath) }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    realm: `${opts.tls ? 'https' : 'http'}://${host}:${port}/token`,
    host: `${host}:${port}`,
    service: opts.service,
    issuer: opts.issuer,
    kid,
    requests,
    clearRequests: () => void requests.splice(0),
    issueToken,
    issueRefreshToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
