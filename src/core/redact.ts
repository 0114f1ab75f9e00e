/**
 * Redaction of secrets from anything that may reach a log, an error or a UI.
 *
 * URLs: userinfo is always dropped. On the registry's own origin, query values whose key looks
 * secret are replaced and the rest kept: its `n`/`last` pagination and `digest` say what was
 * asked. On any other origin (blob storage, a CDN, a token service) every query value is
 * replaced, whatever its key: a pre-signed URL is a read capability and names its signature as
 * it likes (Docker Hub's CDN: `verify=<expiry>-<HMAC>`; S3: `X-Amz-Signature`; Azure: `sig`), so
 * recognising keys there can only fall behind.
 */
const SENSITIVE_QUERY =
  /^(?:.*token.*|.*secret.*|.*password.*|.*signature.*|sig|x-amz-.*|x-goog-.*|se|sp|sv|sr|skoid|sktid|skt|ske|sks|skv|code|key|expires|policy|key-pair-id|verify)$/i;

/** The registry a URL is printed for: whose origin it is, and which query values the client wrote itself. */
export interface UrlScope {
  /** The registry's own origin, as `URL.origin` gives it (`https://registry-1.docker.io`). */
  readonly registryOrigin: string;
  /**
   * Query keys whose values this client wrote and that hold no secret, kept on any origin (the
   * token request's `service` and `scope`, see registry/auth.ts). Values are still replaced when
   * the key looks secret.
   */
  readonly keep?: readonly string[];
}

/**
 * A URL safe to print: no userinfo, no fragment, and query values replaced by `REDACTED` by the
 * rule above. Without a scope the origin is unknown and treated as another origin: every value goes.
 */
export function redactUrl(url: string | URL, scope?: UrlScope): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return '<invalid url>';
  }
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
  }
  u.hash = '';
  const own = scope !== undefined && u.origin === scope.registryOrigin;
  const kept = (key: string): boolean => !SENSITIVE_QUERY.test(key) && (own || (scope?.keep ?? []).includes(key));
  // Pair by pair on the raw text, so repeated keys (`scope=a&scope=b`) and the original
  // encoding of what is kept survive; URLSearchParams would merge the one and re-encode the other.
  if (u.search.length > 1) {
    u.search = u.search
      .slice(1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        // A bare segment (`?<token>`) may be the capability itself: it goes whole unless kept.
        if (eq < 0) return pair === '' || kept(queryKey(pair)) ? pair : 'REDACTED';
        const rawKey = pair.slice(0, eq);
        return kept(queryKey(rawKey)) ? pair : `${rawKey}=REDACTED`;
      })
      .join('&');
  }
  return u.toString();
}

function queryKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw; // malformed escapes: judged as written
  }
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-registry-auth']);

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/**
 * A registry of values known to be secret in this process (passwords, tokens),
 * so a last line of defence can scrub them from any text before it is shown.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    // Very short values would scrub ordinary words; they are not real secrets.
    if (value && value.length >= 6) this.values.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const v of this.values) {
      if (out.includes(v)) out = out.split(v).join('***');
    }
    return out;
  }
}

export const secrets = new SecretRegistry();
