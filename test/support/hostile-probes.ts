// Measurements the hostile registry suite asserts on: what a client leaves behind in the process
// (sockets, timers: process.getActiveResourcesInfo), and how long the event loop stalls while a
// walk runs (perf_hooks.monitorEventLoopDelay).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** Active resources by type ('TCPSocketWrap', 'Timeout', ...), as counts. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** What `now` holds beyond `baseline`, e.g. `['TCPSocketWrap +1']`. */
export function extraResources(baseline: ReadonlyMap<string, number>, now: ReadonlyMap<string, number> = activeResources()): string[] {
  const extra: string[] = [];
  for (const [type, n] of now) {
    const more = n - (baseline.get(type) ?? 0);
    if (more > 0) extra.push(`${type} +${more}`);
  }
  return extra.sort();
}

/**
 * Waits up to `ms` for the process to hold nothing beyond `baseline` (closing sockets need a
 * turn or two of the loop), then says what is left: [] when nothing leaked.
 */
export async function leftBehind(baseline: ReadonlyMap<string, number>, ms = 2_000): Promise<string[]> {
  const until = performance.now() + ms;
  let extra = extraResources(baseline);
  while (extra.length > 0 && performance.now() < until) {
    await delay(10);
    extra = extraResources(baseline);
  }
  return extra;
}

export interface LoopDelay {
  /** Milliseconds. */
  readonly p99: number;
  readonly max: number;
}

/** Runs `work` while sampling event-loop delay every 10 ms. */
export async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; loop: LoopDelay; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    h.disable();
    return { result, ms, loop: { p99: h.percentile(99) / 1e6, max: h.max / 1e6 } };
  } finally {
    h.disable();
  }
}
