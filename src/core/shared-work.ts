import { setMaxListeners } from 'node:events';
import { abortError, onAbort } from './abort';

/**
 * One piece of shared work as its owner sees it: callers join it, may hold it without a signal,
 * and the owner can tell whether an answer it is about to publish is still the key's.
 */
export interface SharedFlight<T> {
  readonly key: string;
  /** Still its key's work: not settled, abandoned, aborted or forgotten. A stale flight's answer is nobody's. */
  readonly current: boolean;
  /**
   * Waits for the answer. With a signal, this caller leaves at once when it fires (ABORTED, or
   * TIMEOUT for a deadline) and the others keep waiting; without one, the caller holds the work
   * (see `keep`).
   */
  join(signal: AbortSignal | undefined): Promise<T>;
  /** Holds the work without a signal (a view showing its result): it is not abandoned until `unkeep`. */
  keep(): void;
  /**
   * Withdraws the hold. Returns true when callers with a signal still wait, so the work goes on
   * for them; false when nobody wanted it any more and it was cancelled (no `onAbandoned`: the
   * caller of `unkeep` knows).
   */
  unkeep(): boolean;
  /** Cancels the work for everyone, and lets the next caller of its key start afresh. */
  abort(): void;
}

export interface SharedWorkOptions {
  /**
   * Called, at once, when the last caller with a signal leaves work nobody holds: the work was just
   * cancelled and is no longer its key's, so its owner can drop the key's state now rather than
   * when the work notices. Not called by `unkeep`, `forget` or `abortAll`, whose callers know.
   */
  readonly onAbandoned?: (key: string) => void;
}

/**
 * Work shared by concurrent callers: one request for everyone asking for the same manifest, blob
 * or token, one load for everyone asking for the same image. The work runs with its own signal,
 * which fires only when nobody wants the answer any more: every caller with a signal has given up
 * and nobody holds it without one. So one cancelled hover or image load never cancels another's.
 */
export class SharedWork<T = unknown> {
  private readonly flights = new Map<string, Flight<T>>();

  constructor(private readonly options: SharedWorkOptions = {}) {}

  /** Joins the key's work, starting it with `work` if there is none. */
  run<R extends T>(key: string, signal: AbortSignal | undefined, work: (signal: AbortSignal, flight: SharedFlight<T>) => Promise<R>): Promise<R> {
    // An aborted caller starts nothing: it would only leave at once and cancel what it started.
    if (signal?.aborted) return Promise.reject(abortError(signal));
    // The key names the answer, so a caller joining another's work gets the type it asked for.
    return (this.get(key) ?? this.start(key, work)).join(signal) as Promise<R>;
  }

  /** The key's work in flight, if any. */
  get(key: string): SharedFlight<T> | undefined {
    return this.flights.get(key);
  }

  /**
   * Starts the key's work without joining it (or returns the one in flight). Nobody waits on it
   * yet: join it, or keep it, before anyone could leave. `work` runs at once, and its flight is the
   * key's only once it has returned: work that needs to know (`current`) asks after its first await.
   */
  start(key: string, work: (signal: AbortSignal, flight: SharedFlight<T>) => Promise<T>): SharedFlight<T> {
    const running = this.flights.get(key);
    if (running) return running;
    const flight: Flight<T> = new Flight(key, this.flights, this.options.onAbandoned, work);
    this.flights.set(key, flight);
    return flight;
  }

  /** Cancels the key's work for everyone who waits on it. */
  forget(key: string): void {
    this.flights.get(key)?.abort();
  }

  /** Cancels all work in flight (a refresh, a shutdown); returns the keys it cancelled. */
  abortAll(): string[] {
    const keys = [...this.flights.keys()];
    for (const flight of [...this.flights.values()]) flight.abort();
    return keys;
  }
}

class Flight<T> implements SharedFlight<T> {
  private readonly controller = new AbortController();
  private readonly promise: Promise<T>;
  /** Callers waiting with a signal that has not fired. */
  private waiters = 0;
  /** Held without a signal: never abandoned until withdrawn. */
  private kept = false;

  constructor(
    readonly key: string,
    private readonly flights: Pick<Map<string, object>, 'get' | 'delete'>,
    private readonly onAbandoned: ((key: string) => void) | undefined,
    work: (signal: AbortSignal, flight: SharedFlight<T>) => Promise<T>,
  ) {
    // The work may hand its signal to any number of requests (an image walk fans out): expected,
    // not the leak Node's MaxListenersExceededWarning is for.
    setMaxListeners(0, this.controller.signal);
    this.promise = work(this.controller.signal, this).finally(() => this.drop());
    // Work only held (a tree node drawing it) has nobody awaiting it: its failure must not be an
    // unhandled rejection. Every joiner still sees it through its own chain.
    void this.promise.catch(() => undefined);
  }

  get current(): boolean {
    return this.flights.get(this.key) === this;
  }

  join(signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (!signal) {
      this.kept = true;
      return this.promise;
    }
    this.waiters++;
    return new Promise<T>((resolve, reject) => {
      let gone = false;
      // Once per caller: the signal may fire after the answer came but before it was handed over.
      const leave = (): boolean => {
        if (gone) return false;
        gone = true;
        forget();
        this.waiters--;
        return true;
      };
      const forget = onAbort(signal, () => {
        if (!leave()) return;
        reject(abortError(signal));
        if (this.waiters === 0 && !this.kept) this.cancel(signal.reason, true);
      });
      this.promise.then(
        (v) => {
          leave();
          resolve(v);
        },
        (e: unknown) => {
          leave();
          reject(e);
        },
      );
    });
  }

  keep(): void {
    this.kept = true;
  }

  unkeep(): boolean {
    this.kept = false;
    if (this.waiters > 0) return true;
    this.cancel(undefined, false);
    return false;
  }

  abort(): void {
    this.cancel(undefined, false);
  }

  /**
   * Drops the flight before aborting it: the next caller of the key (a panel asking again right
   * after cancelling) must start fresh work, not join this dying one.
   */
  private cancel(reason: unknown, abandoned: boolean): void {
    const wasCurrent = this.drop();
    this.controller.abort(reason);
    if (abandoned && wasCurrent) this.onAbandoned?.(this.key);
  }

  private drop(): boolean {
    if (!this.current) return false;
    this.flights.delete(this.key);
    return true;
  }
}
