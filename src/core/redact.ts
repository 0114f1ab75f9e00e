/**
 * Redaction of secrets from anything that may reach a log, an error or a UI.
 * Registries put tokens in query strings (token realms, pre-signed blob URLs)
 * and userinfo in URLs; we strip both rather than trying to recognise values.
 */
const SENSITIVE_QUERY = /^(?:.*token.*|.*secret.*|.*password.*|.*signature.*|sig|x-amz-.*|x-goog-.*|se|sp|sv|sr|skoid|sktid|skt|ske|sks|skv|code|key|expires|policy|key-pair-id)$/i;

/** A URL safe to print: no userinfo, sensitive query values replaced. */
export function redactUrl(url: string | URL): string {
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
  for (const key of [...u.searchParams.keys()]) {
    if (SENSITIVE_QUERY.test(key)) u.searchParams.set(key, 'REDACTED');
  }
  return u.toString();
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
