import { secrets } from './redact';

/** The logger the pure code writes to; the host maps it to a LogOutputChannel, the CLI to stderr. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Wraps a logger so every line passes the secret scrubber first. */
export function scrubbingLogger(inner: Logger): Logger {
  return {
    trace: (m) => inner.trace(secrets.scrub(m)),
    debug: (m) => inner.debug(secrets.scrub(m)),
    info: (m) => inner.info(secrets.scrub(m)),
    warn: (m) => inner.warn(secrets.scrub(m)),
    error: (m) => inner.error(secrets.scrub(m)),
  };
}
