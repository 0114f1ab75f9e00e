// The "Provenance Lens" LogOutputChannel: what the engines log, and one line per registry
// request (method, URL without secrets, status, time). Everything passes the secret scrubber.
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { scrubbingLogger } from '../core/logger';
import type { Exchange } from '../registry/transport';

export interface HostLog extends vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** For the engines (scrubbed). */
  readonly logger: Logger;
  /** RegistryClient's `onExchange`. */
  exchange(e: Exchange): void;
  show(): void;
}

export function createLog(name = 'Provenance Lens'): HostLog {
  const channel = vscode.window.createOutputChannel(name, { log: true });
  const logger = scrubbingLogger({
    trace: (m) => channel.trace(m),
    // The transport's own per-request debug line duplicates `exchange`: keep it at trace.
    debug: (m) => channel.trace(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  });
  return {
    channel,
    logger,
    exchange(e) {
      const retry = e.attempt > 0 ? ` (retry ${e.attempt})` : '';
      // e.url is redacted already, for its registry's origin (the transport knows it; a second pass here would not).
      logger.info(`${e.method} ${e.url} ${e.status} ${Math.round(e.ms)} ms${retry}`);
    },
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
