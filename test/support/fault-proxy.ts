// A loopback reverse proxy in front of a real test registry that tests script per request:
// a fixed delay on every request (the benchmark's simulated RTT), answers the registry never
// gives (429 with Retry-After, 500), a flipped byte, a connection reset mid-body, blob GETs
// redirected to "another host" (127.0.0.2, a second small server that plays the role of blob
// storage behind a pre-signed URL), an oversize manifest. It records every request it sees, on
// both hosts, with timings for round-trip analysis; Authorization is recorded as its scheme and
// a short fingerprint only, never the credential. A `script` fault hands the answer to the test
// (the hostile registry suite: trickled bodies, raw header streams, bytes of another digest), and
// `tls` serves both listeners over HTTPS.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';

export type Fault =
  /** Answer this status without asking the registry (429 with `retryAfter`, 500, ...). */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  /** Forward, then XOR one byte of the body (default: the middle one) with 0x01. */
  | { readonly kind: 'flip-byte'; readonly offset?: number }
  /** Forward, send the headers (full Content-Length) and part of the body, then reset the socket. */
  | { readonly kind: 'reset-mid-body'; readonly fraction?: number }
  /**
   * Forward; answer a 2xx GET with 307 to the other host, which serves the same bytes, at a URL
   * shaped like a pre-signed one: S3's `?X-Amz-Signature=<hex>` (default), or Docker Hub's CDN
   * `?verify=<expiry>-<hex>`; the hex is what the other host checks.
   */
  | { readonly kind: 'redirect-other-host'; readonly presigned?: 's3' | 'docker-hub' }
  /** Answer 200 with a manifest-typed body of `bytes` bytes, streamed (chunked unless `declareLength`). */
  | { readonly kind: 'oversize'; readonly bytes: number; readonly declareLength?: boolean }
  /** Let `answer` write the response (or the raw socket); `name` is what the test calls the attack. */
  | { readonly kind: 'script'; readonly name: string; readonly answer: ScriptedAnswer };

/** What a scripted answer gets: the exchange, its record, and the registry one request away. */
export interface ScriptContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly record: ProxyRecord;
  /** Asks the registry for `path` (default: the request's own), with the request's method and headers. */
  forward(path?: string): Promise<Upstream>;
}

/** Writes the answer; resolves when it is done (or abandoned: the client hung up). */
export type ScriptedAnswer = (ctx: ScriptContext) => Promise<void> | void;

export interface FaultRule {
  /** Exact path (`/v2/...`, query excluded) or a pattern tested against path + query. */
  readonly path: string | RegExp;
  /** Default: any method. */
  readonly method?: string;
  /** Which listener the rule applies to; default the proxy itself. */
  readonly on?: 'proxy' | 'other';
  /** How many matching requests get the fault before the rule goes quiet; default every one. */
  readonly times?: number;
  readonly fault: Fault;
}

export interface ProxyRecord {
  readonly seq: number;
  readonly server: 'proxy' | 'other';
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  /** What the client got; 0 if nothing was answered. */
  status: number;
  /** performance.now() when the request arrived (before the delay) and when its answer ended. */
  readonly start: number;
  end: number;
  readonly authorization: boolean;
  /** `Bearer`, `Basic`, ...: the scheme only. */
  readonly authScheme?: string;
  /** First 16 hex of sha256(header): tells headers apart without holding them. */
  readonly authFingerprint?: string;
  fault?: Fault['kind'];
  bytesSent: number;
  /** The answer ended before its whole body went out (the client hung up, or a reset fault). */
  aborted: boolean;
}

export interface FaultProxyOptions {
  /** The registry (or any HTTP server) to forward to: a TestRegistry fits. */
  readonly upstream: { readonly url: string; readonly dispatcher?: Dispatcher };
  /** Loopback address of the proxy; default 127.0.0.1. */
  readonly listenHost?: string;
  /** Address of the "other host" blob server; default 127.0.0.2; `null` for none. */
  readonly otherHost?: string | null;
  /** Added to every request on both listeners before it is served; changeable later. */
  readonly delayMs?: number;
  /** Rewrites the realm of Bearer challenges, e.g. to a second proxy in front of the token server. */
  readonly rewriteRealm?: string;
  /** Serve HTTPS on both listeners with this leaf (test/support/tls.ts makeTestTls). */
  readonly tls?: { readonly certPath: string; readonly keyPath: string };
}

export interface FaultProxy {
  /** `127.0.0.1:PORT`, for image references and `--insecure-registry`. */
  readonly host: string;
  readonly url: string;
  /** `127.0.0.2:PORT` of the blob server, when there is one. */
  readonly otherHost?: string;
  readonly requests: readonly ProxyRecord[];
  delayMs: number;
  inject(rule: FaultRule): void;
  /** Drops rules and records (between tests). */
  reset(): void;
  /** Records whose path (query excluded) equals `path`, or whose path+query matches a pattern. */
  requestsTo(path: string | RegExp, server?: 'proxy' | 'other'): ProxyRecord[];
  /** The statuses the client got for `path`, in arrival order. */
  statuses(path: string | RegExp, server?: 'proxy' | 'other'): number[];
  /** Resolves once every answer begun so far has ended (records are final then). */
  settled(): Promise<void>;
  /** Client connections open on both listeners right now (0 once a client has hung up everything). */
  openConnections(): number;
  close(): Promise<void>;
}

export interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);
const CHUNK = 64 * 1024;

const pathOnly = (p: string): string => p.split('?')[0]!;
const matches = (path: string | RegExp, actual: string): boolean => (typeof path === 'string' ? pathOnly(actual) === path : path.test(actual));

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function upstreamHeaders(headers: Upstream['headers'], upstream: URL, self: string, rewriteRealm: string | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    if (k === 'www-authenticate' && rewriteRealm) out[k] = String(v).replace(/realm="[^"]*"/i, `realm="${rewriteRealm}"`);
    // The registry names itself in absolute Locations (uploads); keep the client on the proxy.
    else if (k === 'location' && typeof v === 'string' && v.startsWith(upstream.origin)) out[k] = self + v.slice(upstream.origin.length);
    else out[k] = v;
  }
  return out;
}

/** Ends `res` with `body`, counting the bytes. */
function send(res: ServerResponse, record: ProxyRecord, body: Buffer): void {
  record.bytesSent += body.length;
  res.end(body);
}

/** Streams `total` bytes of a JSON manifest that never fits, stopping when the client hangs up. */
async function streamOversize(res: ServerResponse, record: ProxyRecord, total: number): Promise<void> {
  const head = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","annotations":{"padding":"');
  const tail = Buffer.from('"}}');
  const pad = Buffer.alloc(CHUNK, 'a');
  let left = total - head.length - tail.length;
  const write = (chunk: Buffer): Promise<void> | undefined => {
    record.bytesSent += chunk.length;
    return res.write(chunk)
      ? undefined
      : new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.once('drain', done);
          res.once('close', done);
        });
  };
  await write(head);
  while (left > 0 && !res.destroyed) {
    const n = Math.min(left, CHUNK);
    left -= n;
    await write(n === CHUNK ? pad : pad.subarray(0, n));
  }
  if (!res.destroyed) res.end(tail, () => void (record.bytesSent += tail.length));
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const listenHost = opts.listenHost ?? '127.0.0.1';
  const otherAddress = opts.otherHost === undefined ? '127.0.0.2' : opts.otherHost;
  const upstreamUrl = new URL(opts.upstream.url);
  const ownAgent = opts.upstream.dispatcher ? undefined : new Agent();
  const dispatcher = opts.upstream.dispatcher ?? ownAgent!;
  const records: ProxyRecord[] = [];
  const rules: Array<{ rule: FaultRule; left: number }> = [];
  // Bodies handed out through redirects, by one-time id (what a pre-signed URL points at).
  const stash = new Map<string, Upstream>();
  const sockets = new Set<Socket>();
  const open = new Set<Promise<void>>();
  let otherBase = '';
  let selfUrl = '';

  const takeFault = (server: 'proxy' | 'other', method: string, path: string): Fault | undefined => {
    for (const entry of rules) {
      const { rule } = entry;
      if (entry.left <= 0 || (rule.on ?? 'proxy') !== server) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (!matches(rule.path, path)) continue;
      entry.left--;
      return rule.fault;
    }
    return undefined;
  };

  const begin = (server: 'proxy' | 'other', req: IncomingMessage, res: ServerResponse): ProxyRecord => {
    const auth = req.headers.authorization;
    const record: ProxyRecord = {
      seq: records.length,
      server,
      method: req.method ?? '',
      path: req.url ?? '/',
      status: 0,
      start: performance.now(),
      end: 0,
      authorization: auth !== undefined,
      bytesSent: 0,
      aborted: false,
      ...(auth !== undefined
        ? {
            authScheme: auth.split(' ')[0] ?? '',
            authFingerprint: createHash('sha256').update(auth).digest('hex').slice(0, 16),
          }
        : {}),
    };
    records.push(record);
    const closed = new Promise<void>((resolve) =>
      res.once('close', () => {
        record.end = performance.now();
        record.status = res.headersSent ? res.statusCode : record.status;
        record.aborted = !res.writableFinished;
        open.delete(closed);
        resolve();
      }),
    );
    open.add(closed);
    return record;
  };

  const forward = async (req: IncomingMessage, path: string = req.url ?? '/'): Promise<Upstream> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readRequestBody(req);
    const res = await request(new URL(path, upstreamUrl), {
      method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
      headers,
      dispatcher,
      ...(body ? { body } : {}),
    });
    return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
  };

  /** Answers with `up`, applying a body fault if one is due. */
  const reply = (req: IncomingMessage, res: ServerResponse, record: ProxyRecord, up: Upstream, fault: Fault | undefined): void => {
    const headers = upstreamHeaders(up.headers, upstreamUrl, selfUrl, opts.rewriteRealm);
    const isHead = req.method === 'HEAD';
    // HEAD keeps the registry's Content-Length: it describes the GET body, not this empty one.
    if (isHead && up.headers['content-length'] !== undefined) headers['content-length'] = String(up.headers['content-length']);
    else headers['content-length'] = String(up.body.length);
    const ok = up.status >= 200 && up.status < 300 && !isHead && up.body.length > 0;
    if (ok && fault?.kind === 'flip-byte') {
      const body = Buffer.from(up.body);
      const at = Math.min(body.length - 1, fault.offset ?? Math.floor(body.length / 2));
      body[at] = body[at]! ^ 0x01;
      res.writeHead(up.status, headers);
      return send(res, record, body);
    }
    if (ok && fault?.kind === 'reset-mid-body') {
      const part = up.body.subarray(0, Math.max(1, Math.floor(up.body.length * (fault.fraction ?? 0.5))));
      res.writeHead(up.status, headers);
      record.status = up.status;
      record.bytesSent += part.length;
      res.write(part, () => {
        const socket = res.socket;
        if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket?.destroy();
      });
      return;
    }
    if (ok && fault?.kind === 'redirect-other-host' && req.method === 'GET' && otherBase) {
      const id = randomBytes(12).toString('hex');
      stash.set(id, up);
      const digest = /\/blobs\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? 'content';
      // Shaped like a pre-signed storage URL; the client must not add its own credentials to it.
      const query = fault.presigned === 'docker-hub' ? `verify=${Math.floor(Date.now() / 1000) + 1200}-${id}` : `X-Amz-Signature=${id}`;
      const location = `${otherBase}/storage/${encodeURIComponent(digest)}?${query}`;
      res.writeHead(307, { location, 'content-length': '0' });
      return send(res, record, Buffer.alloc(0));
    }
    res.writeHead(up.status, headers);
    send(res, record, isHead ? Buffer.alloc(0) : up.body);
  };

  const answerFault = async (req: IncomingMessage, res: ServerResponse, record: ProxyRecord, fault: Fault): Promise<boolean> => {
    if (fault.kind === 'script') {
      await fault.answer({ req, res, record, forward: (path) => forward(req, path) });
      return true;
    }
    if (fault.kind === 'status') {
      const code = fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
      const body = Buffer.from(JSON.stringify({ errors: [{ code, message: `injected HTTP ${fault.status}`, detail: null }] }));
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        'content-length': String(body.length),
        ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}),
      });
      send(res, record, body);
      return true;
    }
    if (fault.kind === 'oversize') {
      res.writeHead(200, {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        ...(fault.declareLength ? { 'content-length': String(fault.bytes) } : {}),
      });
      record.status = 200;
      await streamOversize(res, record, fault.bytes);
      return true;
    }
    return false;
  };

  const handle =
    (server: 'proxy' | 'other') =>
    (req: IncomingMessage, res: ServerResponse): void => {
      const record = begin(server, req, res);
      void (async () => {
        if (proxy.delayMs > 0) await delay(proxy.delayMs);
        const fault = takeFault(server, req.method ?? '', req.url ?? '/');
        if (fault) record.fault = fault.kind;
        if (fault && (await answerFault(req, res, record, fault))) return;
        let up: Upstream | undefined;
        if (server === 'proxy') {
          up = await forward(req);
        } else {
          const id = presignedId(req.url ?? '/');
          up = stash.get(id) ?? { status: 403, headers: { 'content-type': 'text/plain' }, body: Buffer.from('unknown or expired signature\n') };
          stash.delete(id);
        }
        reply(req, res, record, up, fault);
      })().catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`fault proxy: ${e instanceof Error ? e.message : String(e)}\n`);
        } else {
          res.destroy();
        }
      });
    };

  const servers: Server[] = [];
  const track = (server: Server): Server => {
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    servers.push(server);
    return server;
  };
  const tls = opts.tls ? { cert: readFileSync(opts.tls.certPath), key: readFileSync(opts.tls.keyPath) } : undefined;
  const scheme = tls ? 'https' : 'http';
  const serve = (server: 'proxy' | 'other'): Server => (tls ? createHttpsServer(tls, handle(server)) : createServer(handle(server)));
  const main = track(serve('proxy'));
  const port = await listen(main, listenHost);
  selfUrl = `${scheme}://${listenHost}:${port}`;
  let otherHost: string | undefined;
  if (otherAddress !== null) {
    const other = track(serve('other'));
    try {
      otherHost = `${otherAddress}:${await listen(other, otherAddress)}`;
    } catch (e) {
      main.close();
      throw new Error(`fault proxy: cannot listen on ${otherAddress} (Linux routes all of 127.0.0.0/8 to lo; other systems need an alias): ${String(e)}`);
    }
    otherBase = `${scheme}://${otherHost}`;
  }

  const select = (path: string | RegExp, server: 'proxy' | 'other'): ProxyRecord[] => records.filter((r) => r.server === server && matches(path, r.path));
  const proxy: FaultProxy = {
    host: `${listenHost}:${port}`,
    url: selfUrl,
    ...(otherHost ? { otherHost } : {}),
    requests: records,
    delayMs: opts.delayMs ?? 0,
    inject: (rule) => void rules.push({ rule, left: rule.times ?? Infinity }),
    reset: () => {
      rules.splice(0);
      records.splice(0);
      stash.clear();
    },
    requestsTo: (path, server = 'proxy') => select(path, server),
    statuses: (path, server = 'proxy') => select(path, server).map((r) => r.status),
    settled: async () => {
      while (open.size > 0) await Promise.all([...open]);
    },
    openConnections: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      await ownAgent?.close();
    },
  };
  return proxy;
}

/**
 * Depth of the longest chain of requests in which each one started after the previous one
 * ended: the number of round trips on the critical path, whatever ran in parallel beside it.
 */
export function criticalPathDepth(records: readonly Pick<ProxyRecord, 'start' | 'end'>[]): number {
  const sorted = [...records].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= sorted[i]!.start) d = Math.max(d, depth[j]! + 1);
    depth.push(d);
    best = Math.max(best, d);
  }
  return best;
}

/** The signature of a pre-signed URL the proxy handed out (S3's or Docker Hub's CDN shape), or ''. */
export function presignedId(path: string): string {
  const q = new URL(path, 'http://x').searchParams;
  return q.get('X-Amz-Signature') ?? /^\d+-(.+)$/.exec(q.get('verify') ?? '')?.[1] ?? '';
}
