// What a hostile registry answers, as `script` faults for the fault proxy (fault-proxy.ts): bodies
// that trickle for ever, headers that never end or never fit, silence, redirects, canned bytes and
// the bytes of another digest. Each answer stops as soon as the client hangs up, so the proxy's
// records say exactly how much the client accepted before it gave up.
import type { Socket } from 'node:net';
import type { Fault, ProxyRecord, ScriptContext, ScriptedAnswer } from './fault-proxy';

export const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';

/** A `script` fault named for the attack it plays. */
export function attack(name: string, answer: ScriptedAnswer): Fault {
  return { kind: 'script', name, answer };
}

/** Resolves when the exchange's socket is gone (the client hung up or the proxy closed). */
function closed(ctx: ScriptContext): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.res.destroyed || ctx.req.socket.destroyed) return resolve();
    ctx.res.once('close', () => resolve());
  });
}

/** Writes `chunk` every `intervalMs` until the client hangs up; counts what went out. */
function drip(socket: Socket | ScriptContext['res'], record: ProxyRecord, chunk: Buffer, intervalMs: number, done: Promise<void>): Promise<void> {
  const timer = setInterval(() => {
    if (socket.destroyed) return;
    record.bytesSent += chunk.length;
    socket.write(chunk);
  }, intervalMs);
  return done.finally(() => clearInterval(timer));
}

/** 200 with a manifest's headers, then one byte every `intervalMs`, for ever (slow-loris). */
export function trickleBody(intervalMs: number): ScriptedAnswer {
  return (ctx) => {
    ctx.res.writeHead(200, { 'content-type': MANIFEST_TYPE });
    ctx.record.status = 200;
    ctx.res.write('{');
    return drip(ctx.res, ctx.record, Buffer.from(' '), intervalMs, closed(ctx));
  };
}

/** A status line, then one more header line every `intervalMs`: the headers never end. */
export function endlessHeaders(intervalMs: number): ScriptedAnswer {
  return (ctx) => {
    const socket = ctx.req.socket;
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/vnd.oci.image.manifest.v1+json\r\n');
    return drip(socket, ctx.record, Buffer.from('x-padding: 0123456789abcdef\r\n'), intervalMs, closed(ctx));
  };
}

/** A status line and one header of `bytes` bytes, written at once. */
export function hugeHeader(bytes: number): ScriptedAnswer {
  return (ctx) => {
    const line = Buffer.from(`HTTP/1.1 200 OK\r\nx-huge: ${'a'.repeat(bytes)}\r\n`);
    ctx.record.bytesSent += line.length;
    ctx.req.socket.write(line);
    return closed(ctx);
  };
}

export interface Silence {
  readonly answer: ScriptedAnswer;
  /** Resolves with the record of the first request that reached the silence. */
  readonly arrived: Promise<ProxyRecord>;
}

/** Accepts the request and never answers: for timeouts, and to cancel a stage while it waits. */
export function silence(): Silence {
  let arrive!: (r: ProxyRecord) => void;
  const arrived = new Promise<ProxyRecord>((resolve) => (arrive = resolve));
  return {
    arrived,
    answer: (ctx) => {
      arrive(ctx.record);
      return closed(ctx);
    },
  };
}

export interface Hold extends Silence {
  /** Lets every held request (and every later one) through to the registry. */
  release(): void;
}

/** Holds requests until `release()`, then answers with the registry's answer. */
export function hold(): Hold {
  const gate = silence();
  let open!: () => void;
  const released = new Promise<void>((resolve) => (open = resolve));
  return {
    arrived: gate.arrived,
    release: () => open(),
    answer: async (ctx) => {
      void gate.answer(ctx);
      await Promise.race([released, closed(ctx)]);
      if (ctx.res.destroyed) return;
      const up = await ctx.forward();
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
      ctx.res.writeHead(up.status, { ...headers, 'content-length': String(up.body.length) });
      ctx.record.status = up.status;
      ctx.record.bytesSent += up.body.length;
      ctx.res.end(up.body);
    },
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** `status` to `location` (relative to the request, or absolute). */
export function redirect(location: string, status = 307): ScriptedAnswer {
  return (ctx) => {
    ctx.res.writeHead(status, { location, 'content-length': '0' });
    ctx.record.status = status;
    ctx.res.end();
  };
}

/** 200 with these bytes and headers (content-length added). */
export function serveBytes(body: Buffer, headers: Record<string, string> = { 'content-type': MANIFEST_TYPE }): ScriptedAnswer {
  return (ctx) => {
    ctx.res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    ctx.record.status = 200;
    ctx.record.bytesSent += body.length;
    ctx.res.end(body);
  };
}

/**
 * The registry's answer for `path` instead of the one asked for: another manifest's bytes under
 * this digest. With `claim`, Docker-Content-Digest names that digest (the registry lies
 * consistently); otherwise the header of `path`'s own answer is dropped.
 */
export function bytesOf(path: string, claim?: string): ScriptedAnswer {
  return async (ctx) => {
    const up = await ctx.forward(path);
    const headers: Record<string, string> = { 'content-type': String(up.headers['content-type'] ?? MANIFEST_TYPE) };
    if (claim !== undefined) headers['docker-content-digest'] = claim;
    return serveBytes(up.body, headers)(ctx);
  };
}

/** Serves any digest of `contents` (a hostile registry's own manifests) and forwards the rest. */
export function serveDigests(contents: ReadonlyMap<string, Buffer>, contentType: string = MANIFEST_TYPE): ScriptedAnswer {
  return async (ctx) => {
    const digest = decodeURIComponent((ctx.req.url ?? '').split('?')[0]!.split('/').pop() ?? '');
    const body = contents.get(digest);
    if (body !== undefined) return serveBytes(body, { 'content-type': contentType, 'docker-content-digest': digest })(ctx);
    const up = await ctx.forward();
    ctx.res.writeHead(up.status, { 'content-type': String(up.headers['content-type'] ?? 'application/json'), 'content-length': String(up.body.length) });
    ctx.record.status = up.status;
    ctx.res.end(up.body);
  };
}
