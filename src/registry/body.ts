import type { Readable } from 'node:stream';
import { LensError } from '../core/errors';

/**
 * Reads a response body into memory, refusing it as soon as it passes `limit`
 * (declared by Content-Length or counted while streaming), so an oversize or endless
 * body never fills memory. `shownUrl` is the URL as it may be printed (already redacted for
 * the request's registry by the transport), for the error.
 */
export async function readBounded(
  body: Readable & { destroy(err?: Error): void },
  limit: number,
  shownUrl: string,
  contentLength: string | string[] | undefined,
  what: string,
): Promise<Uint8Array> {
  const declared = typeof contentLength === 'string' ? Number(contentLength) : NaN;
  if (Number.isFinite(declared) && declared > limit) {
    abandon(body);
    throw tooLarge(what, shownUrl, limit, declared);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      abandon(body);
      throw tooLarge(what, shownUrl, limit, total);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/**
 * Stops reading a body. undici's body stream emits 'error' (RequestAbortedError) when destroyed
 * before its end, and a body refused by its Content-Length has no reader listening: without
 * this handler that event is an uncaught exception, which ends the CLI.
 */
function abandon(body: Readable & { destroy(err?: Error): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

function tooLarge(what: string, shownUrl: string, limit: number, seen: number): LensError {
  return new LensError(
    'TOO_LARGE',
    `${what} from ${shownUrl} is larger than the limit of ${limit} bytes (${seen} bytes ${Number.isFinite(seen) ? 'seen' : ''}); it was not read further. Raise the limit only if you trust this registry.`,
    { url: shownUrl, limit, seen },
  );
}
