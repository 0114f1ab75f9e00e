// The secrets tests' search: every credential a session handles, in every
// form it could leak in (raw, base64 as in a Basic header or a Docker config `auth`, URL- and
// form-encoded, JSON-escaped, UTF-16 as browsers store strings, a JWT's signed parts), searched
// in texts, files and whole folders. Findings name the secret by label and the form, never the
// value: a failing test's own output must not leak what it looked for.
// Also a recorder in front of a token server, so the bearer and refresh tokens it issues are
// known to the search (the token server itself never keeps them).
import { readFileSync, readdirSync, lstatSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import type { Dispatcher } from 'undici';

export interface Finding {
  /** A file path, or what the caller called the text. */
  readonly where: string;
  /** The secret's label, e.g. `htpasswd password`. */
  readonly secret: string;
  /** `raw`, `base64`, `url-encoded`, ... */
  readonly form: string;
  /** Where in the text or file, with the secret itself masked. */
  readonly context: string;
}

interface Form {
  readonly secret: string;
  readonly form: string;
  readonly value: string;
}

// Shorter values would match ordinary text; every secret the tests make is longer.
const MIN_LENGTH = 8;

function formsOf(value: string): [string, string][] {
  const out: [string, string][] = [['raw', value]];
  const b64 = Buffer.from(value).toString('base64');
  out.push(['base64', b64], ['base64 (unpadded)', b64.replace(/=+$/, '')], ['base64url', Buffer.from(value).toString('base64url')]);
  out.push(['url-encoded', encodeURIComponent(value)], ['form-encoded', new URLSearchParams({ v: value }).toString().slice(2)]);
  out.push(['JSON-escaped', JSON.stringify(value).slice(1, -1)]);
  return out;
}

/** The secrets of a session and the search for them. */
export class SecretScan {
  private readonly forms: Form[] = [];
  private readonly labels = new Map<string, string>();

  /** A password, a token, a pre-signed URL's signature: searched in all its forms. */
  add(secret: string, value: string): void {
    if (value.length < MIN_LENGTH) throw new Error(`secret "${secret}" is too short to search for (${value.length} characters)`);
    if (this.labels.has(value)) return;
    this.labels.set(value, secret);
    const seen = new Set(this.forms.map((f) => f.value));
    for (const [form, v] of formsOf(value)) {
      if (v.length >= MIN_LENGTH && !seen.has(v)) {
        seen.add(v);
        this.forms.push({ secret, form, value: v });
      }
    }
  }

  /** A user name and password: the password, and `user:pass` (whose base64 is the Basic credential). */
  addLogin(secret: string, username: string, password: string): void {
    this.add(`${secret} password`, password);
    this.add(`${secret} user:password`, `${username}:${password}`);
    this.add(`${secret} URL userinfo`, `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`);
  }

  /** A bearer token; a JWT's claims and signature are also searched on their own (its header is common to every token of the issuer). */
  addToken(secret: string, token: string): void {
    this.add(secret, token);
    const parts = token.split('.');
    if (parts.length === 3) {
      this.add(`${secret} (claims part)`, parts[1]!);
      this.add(`${secret} (signature part)`, parts[2]!);
    }
  }

  /** How many distinct secrets, and forms, are searched for. */
  get size(): { secrets: number; forms: number } {
    return { secrets: this.labels.size, forms: this.forms.length };
  }

  /** The labels of the secrets (for a report). */
  secrets(): string[] {
    return [...new Set(this.labels.values())];
  }

  /** True when `value` is one of the secrets (not a form of it). */
  has(value: string): boolean {
    return this.labels.has(value);
  }

  text(where: string, text: string): Finding[] {
    return this.bytes(where, Buffer.from(text, 'utf8'));
  }

  /** Searches bytes as UTF-8 and as UTF-16LE (how Chromium and V8 may store strings). */
  bytes(where: string, data: Buffer): Finding[] {
    const found: Finding[] = [];
    for (const f of this.forms) {
      for (const [encoding, needle] of [
        ['', Buffer.from(f.value, 'utf8')],
        [' (UTF-16)', Buffer.from(f.value, 'utf16le')],
      ] as const) {
        const at = data.indexOf(needle);
        if (at < 0) continue;
        found.push({ where, secret: f.secret, form: `${f.form}${encoding}`, context: this.context(data, at, needle.length) });
      }
    }
    return found;
  }

  /** Every file under `dir` (symbolic links not followed); `skip` leaves out paths the caller allows. */
  tree(dir: string, skip: (path: string) => boolean = () => false): { files: string[]; bytes: number; findings: Finding[] } {
    const files: string[] = [];
    let bytes = 0;
    const findings: Finding[] = [];
    const walk = (d: string): void => {
      let entries: string[];
      try {
        entries = readdirSync(d);
      } catch {
        return; // removed meanwhile
      }
      for (const e of entries) {
        const p = join(d, e);
        if (skip(p)) continue;
        let st;
        try {
          st = lstatSync(p);
        } catch {
          continue;
        }
        if (st.isDirectory()) walk(p);
        else if (st.isFile()) {
          let data: Buffer;
          try {
            data = readFileSync(p);
          } catch {
            continue;
          }
          files.push(p);
          bytes += data.length;
          findings.push(...this.bytes(p, data));
        }
      }
    };
    walk(dir);
    return { files, bytes, findings };
  }

  private context(data: Buffer, at: number, length: number): string {
    const before = data.subarray(Math.max(0, at - 60), at).toString('utf8');
    const after = data.subarray(at + length, at + length + 60).toString('utf8');
    // Other secrets may sit next to this one: mask them too.
    return this.mask(`${before}<SECRET>${after}`).replace(/[^\x20-\x7e]/g, '.');
  }

  private mask(text: string): string {
    let out = text;
    for (const f of this.forms) out = out.split(f.value).join('<SECRET>');
    return out;
  }
}

/** One line per finding, for an assertion message (no secret values in it). */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.where}: ${f.secret} as ${f.form} …${f.context}…`).join('\n');
}

/** A loopback forwarder in front of a token server that learns every token it hands out. */
export interface TokenRecorder {
  /** Use as the registry's realm (a fault proxy's `rewriteRealm`). */
  readonly realm: string;
  /** Access and refresh tokens issued so far, in order. */
  readonly tokens: readonly { readonly kind: 'access' | 'refresh'; readonly value: string }[];
  /** Requests answered, by status. */
  readonly statuses: readonly number[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the recorder for the token server whose realm is `realm` (e.g. `http://127.0.0.1:PORT/token`). */
export async function startTokenRecorder(
  realm: string,
  onToken: (kind: 'access' | 'refresh', value: string) => void = () => undefined,
): Promise<TokenRecorder> {
  const upstream = new URL(realm);
  const tokens: { kind: 'access' | 'refresh'; value: string }[] = [];
  const statuses: number[] = [];
  const keep = (kind: 'access' | 'refresh', value: unknown): void => {
    if (typeof value !== 'string' || value === '' || tokens.some((t) => t.value === value)) return;
    tokens.push({ kind, value });
    onToken(kind, value);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept', 'user-agent']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const up = await request(new URL(req.url ?? '/', upstream.origin), {
      method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
      headers,
      ...(body ? { body } : {}),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const answer = Buffer.from(await up.body.arrayBuffer());
    try {
      const json = JSON.parse(answer.toString('utf8')) as Record<string, unknown>;
      keep('access', json.token);
      keep('access', json.access_token);
      keep('refresh', json.refresh_token);
    } catch {
      /* an error page */
    }
    statuses.push(up.statusCode);
    res
      .writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json'), 'content-length': String(answer.length) })
      .end(answer);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      statuses.push(502);
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, upstream.hostname, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://${upstream.hostname}:${port}${upstream.pathname}`,
    tokens,
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
