import { setMaxListeners } from 'node:events';
import { LensError } from './errors';

/** The typed error for a fired signal: TIMEOUT when a deadline fired it, ABORTED otherwise. */
export function abortError(signal: AbortSignal | undefined): LensError {
  const reason = signal?.reason as { name?: string } | undefined;
  if (reason?.name === 'TimeoutError') return new LensError('TIMEOUT', 'The operation timed out.');
  return new LensError('ABORTED', 'The operation was cancelled.');
}

/** Throws a typed ABORTED (or TIMEOUT) error if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

const waiters = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` once when `signal` fires (the caller checks `signal.aborted` first); returns a function
 * that forgets it. However many callers wait on one signal, the signal gets one listener:
 * EventTarget's addEventListener is linear in the listeners already there, so a walk handing one
 * signal to thousands of waiters (shared fetches, queued requests) was quadratic.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = waiters.get(signal);
  if (set === undefined) {
    const callbacks = new Set<() => void>();
    waiters.set(signal, callbacks);
    signal.addEventListener(
      'abort',
      () => {
        waiters.delete(signal);
        for (const f of callbacks) f();
        callbacks.clear();
      },
      { once: true },
    );
    set = callbacks;
  }
  const mine = set;
  mine.add(fn);
  return () => {
    mine.delete(fn);
  };
}

/** A signal that fires when any input fires or after `ms` (if given). */
export function combineSignals(signals: Array<AbortSignal | undefined>, ms?: number): AbortSignal {
  const all = signals.filter((s): s is AbortSignal => s !== undefined);
  if (ms !== undefined) all.push(AbortSignal.timeout(ms));
  if (all.length === 1) return all[0]!;
  return AbortSignal.any(all);
}

/**
 * Runs `work` with a signal of its own that follows `outer` and may have any number of
 * listeners: a walk hands one signal to dozens of requests at once, which is expected, not the
 * leak Node's MaxListenersExceededWarning is for (and `outer` is left with one listener).
 */
export async function withFanOutSignal<T>(outer: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const forward = (): void => inner.abort(outer?.reason);
  if (outer?.aborted) forward();
  outer?.addEventListener('abort', forward, { once: true });
  try {
    return await work(inner.signal);
  } finally {
    outer?.removeEventListener('abort', forward);
  }
}

/** Sleeps, waking early (with ABORTED) when the signal fires; never leaves a timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      forget?.();
      resolve();
    }, ms);
    const forget =
      signal &&
      onAbort(signal, () => {
        clearTimeout(timer);
        reject(abortError(signal));
      });
  });
}

/**
 * Runs tasks with at most `limit` in flight (per host limits live in the client). Waiting tasks
 * start in order of `priority` (lower first; the default 0), then of arrival: a release loads its
 * images in the order it started them, so the first image's requests are not queued behind the
 * fortieth's, and the pipe is still kept full with the others'.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<{ readonly resume: () => void; priority: number }> = [];
  constructor(private readonly limit: number) {}

  /**
   * Runs `task` when a slot is free. `onQueued`, when the task has to wait, receives a function
   * that moves it to the front of the queue (someone is waiting on this one in particular).
   */
  async run<T>(task: () => Promise<T>, onQueued?: (promote: () => void) => void, priority = 0): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so the
    // number in flight never exceeds the limit.
    if (this.active < this.limit) this.active++;
    else {
      await new Promise<void>((resume) => {
        const waiter = { resume, priority };
        // After every waiter of the same or a lower priority: equal ones keep their arrival order.
        let at = this.waiting.length;
        while (at > 0 && this.waiting[at - 1]!.priority > priority) at--;
        this.waiting.splice(at, 0, waiter);
        onQueued?.(() => {
          const i = this.waiting.indexOf(waiter);
          if (i <= 0) return;
          this.waiting.splice(i, 1);
          waiter.priority = Math.min(priority, this.waiting[0]?.priority ?? priority);
          this.waiting.unshift(waiter);
        });
      });
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next.resume();
      else this.active--;
    }
  }
}
