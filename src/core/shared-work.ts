import { abortError, onAbort } from './abort';

interface Flight {
  readonly controller: AbortController;
  readonly promise: Promise<unknown>;
  /** Callers still waiting that could leave (those with a signal); callers without one never leave. */
  leavable: number;
  /** A caller without a signal joined: the work is never cancelled. */
  pinned: boolean;
}

/**
 * Work shared by concurrent callers: one request for everyone asking for the same manifest, blob
 * or token. The work runs with its own signal, which fires only when every caller has given up.
 * A caller whose signal fires leaves at once (ABORTED, or TIMEOUT for a deadline); the others
 * keep waiting, so one cancelled hover or image load never cancels another's.
 */
export class SharedWork {
  private readonly flights = new Map<string, Flight>();

  run<T>(key: string, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    let flight = this.flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const promise: Promise<unknown> = work(controller.signal).finally(() => {
        if (this.flights.get(key)?.promise === promise) this.flights.delete(key);
      });
      flight = { controller, promise, leavable: 0, pinned: false };
      this.flights.set(key, flight);
    }
    return this.join(key, flight, signal) as Promise<T>;
  }

  private join(key: string, flight: Flight, signal: AbortSignal | undefined): Promise<unknown> {
    if (!signal) {
      flight.pinned = true;
      return flight.promise;
    }
    flight.leavable++;
    return new Promise((resolve, reject) => {
      const leave = (): void => {
        flight.leavable--;
        reject(abortError(signal));
        if (flight.leavable === 0 && !flight.pinned) {
          // Nobody waits any more: stop the work, and let the next caller start afresh.
          if (this.flights.get(key) === flight) this.flights.delete(key);
          flight.controller.abort(signal.reason);
        }
      };
      const forget = onAbort(signal, leave);
      flight.promise.then(
        (v) => {
          forget();
          resolve(v);
        },
        (e: unknown) => {
          forget();
          reject(e);
        },
      );
    });
  }
}
