// The "Provenance Lens" LogOutputChannel: what the engines log, and one line per registry
// request (method, URL without secrets, status, time) at the debug level, as the CLI prints them
// only with -v: a 40-image release makes a thousand requests, and writing each line at the
// default level cost the extension host a tenth of its time while loading. Everything passes the
// secret scrubber; a line below the channel's level is neither scrubbed nor formatted.
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { scrubbingLogger } from '../core/logger';
import { secrets } from '../core/redact';
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
  // LogLevel: Off 0, Trace 1, Debug 2, Info 3, ...; a level is shown when it is at least the channel's.
  const shown = (level: vscode.LogLevel): boolean => channel.logLevel !== vscode.LogLevel.Off && level >= channel.logLevel;
  const scrubbed = scrubbingLogger({
    trace: (m) => channel.trace(m),
    // The transport's own per-request debug line duplicates `exchange`: keep it at trace.
    debug: (m) => channel.trace(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  });
  const logger: Logger = {
    ...scrubbed,
    trace: (m) => (shown(vscode.LogLevel.Trace) ? scrubbed.trace(m) : undefined),
    debug: (m) => (shown(vscode.LogLevel.Trace) ? scrubbed.debug(m) : undefined),
  };
  return {
    channel,
    logger,
    exchange(e) {
      if (!shown(vscode.LogLevel.Debug)) return;
      const retry = e.attempt > 0 ? ` (retry ${e.attempt})` : '';
      // e.url is redacted already, for its registry's origin (the transport knows it; a second pass here would not).
      channel.debug(secrets.scrub(`${e.method} ${e.url} ${e.status} ${Math.round(e.ms)} ms${retry}`));
    },
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
