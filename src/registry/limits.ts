/**
 * Size limits and timing defaults for registry traffic. Manifests are small by nature
 * (distribution refuses > 4 MiB by default); JSON blobs (signatures, attestations, configs)
 * are bounded so a hostile registry cannot exhaust memory.
 */
export interface RegistryLimits {
  manifestBytes: number;
  jsonBlobBytes: number;
  /** Time to receive response headers, per attempt. */
  headersTimeoutMs: number;
  /** Longest pause between body chunks, per attempt. */
  bodyTimeoutMs: number;
  /**
   * Longest time for one attempt, from sending the request to the last body byte. The two
   * timeouts above bound pauses only: a registry that trickles a byte before each pause ends
   * (slow-loris) would otherwise hold a request for ever.
   */
  requestTimeoutMs: number;
  /** Attempts after the first on 5xx, 429 and network errors. */
  retries: number;
  /** First backoff step; doubles per attempt, with full jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Longest `Retry-After` we are willing to wait before giving up with RATE_LIMITED. */
  maxRetryAfterMs: number;
  /**
   * Requests in flight per registry host (the extension's `provenanceLens.concurrency` defaults
   * to the same). Registries bound how many requests a client makes (Docker Hub's pulls, GCR's
   * requests per 10 minutes), not how many at once, and a 429 is waited out (Retry-After).
   */
  concurrencyPerHost: number;
  maxRedirects: number;
}

export const DEFAULT_LIMITS: RegistryLimits = {
  manifestBytes: 4 * 1024 * 1024,
  jsonBlobBytes: 32 * 1024 * 1024,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  requestTimeoutMs: 120_000,
  retries: 3,
  backoffBaseMs: 200,
  backoffMaxMs: 5_000,
  maxRetryAfterMs: 60_000,
  concurrencyPerHost: 16,
  maxRedirects: 5,
};
