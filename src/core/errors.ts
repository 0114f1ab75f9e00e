/**
 * Errors with a stable string code and the facts that explain them.
 * UI text is made at the edge (CLI, VS Code); here we keep a plain sentence
 * and structured details. Details never hold secrets: URLs are redacted
 * before they get here (see redact.ts).
 */
export type ErrorCode =
  | 'REFERENCE_INVALID'
  | 'LAYOUT_INVALID'
  | 'NOT_FOUND'
  | 'MANIFEST_UNKNOWN'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'RATE_LIMITED'
  | 'DIGEST_MISMATCH'
  | 'DIGEST_UNSUPPORTED'
  | 'TOO_LARGE'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'NETWORK'
  | 'TLS'
  | 'REGISTRY_ERROR'
  | 'PROTOCOL'
  /** Registry JSON that two readers (ours and a container runtime's) could read differently: refused. */
  | 'AMBIGUOUS_JSON'
  /** Bytes at a digest that should be an image manifest or index are not one. */
  | 'NOT_A_MANIFEST'
  | 'REDIRECT'
  | 'CREDENTIALS'
  | 'USAGE'
  | 'INTERNAL';

export class LensError extends Error {
  override readonly name = 'LensError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, string | number | boolean | undefined>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isLensError(e: unknown, code?: ErrorCode): e is LensError {
  return e instanceof LensError && (code === undefined || e.code === code);
}

/** The message of any thrown value, for the edge. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
