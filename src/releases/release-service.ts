/**
 * The service the release views call: which releases there are, and for each image reference
 * its load state. Images resolve on their own (a slow or failing one never holds up the
 * others), at most `concurrency` at a time, and every change is announced per image so a view
 * redraws one node, not the tree. `refresh` cancels what is in flight and starts over.
 */
import { setMaxListeners } from 'node:events';
import { Semaphore } from '../core/abort';
import type { ImageGraph } from '../model/image-graph';
import { isAbort, loadFailure } from './failure';
import type { ImageLoad, Release } from './types';
import type { VerifyImage } from './verification';

export interface ReleaseServiceOptions {
  /**
   * Inspects one image (the registry graph walk). `priority` is the image's turn for the
   * registry's requests (FetchOptions.priority; registry/priority-source.ts applies it): 0 for an
   * image someone waits on, then 1, 2, ... in the order the images started.
   */
  inspect(reference: string, signal: AbortSignal, priority: number): Promise<ImageGraph>;
  /** The verification engine, when there is one. */
  verify?: VerifyImage;
  /**
   * Images inspected at once. Default 12: an image's walk waits a round trip between its steps,
   * and the others' requests fill the registry's slots meanwhile (16 in flight by default); each
   * image's requests take its turn, so the first images still finish first.
   */
  concurrency?: number;
}

export type ReleaseEvent = { readonly kind: 'releases' } | { readonly kind: 'image'; readonly reference: string };

/**
 * One load in flight, shared by everyone who asked for it. It is cancelled only when nobody wants
 * it any more: every caller that asked with a signal has aborted, and nobody asked without one (the
 * tree drawing the node, a hover filling the cache). One caller's cancel never takes the answer
 * from the others.
 */
interface Inflight {
  readonly controller: AbortController;
  readonly done: Promise<ImageLoad>;
  /** Callers waiting with a signal that has not aborted. */
  waiters: number;
  /** Someone asked without a signal: only a refresh or dispose cancels it. */
  kept: boolean;
  /** Someone waits on this image in particular (ensure): it goes before the background loads. */
  wanted: boolean;
  /** While it waits for a slot: moves it to the front of the queue. */
  promote?: () => void;
}

const IDLE: ImageLoad = { status: 'idle' };
const DEFAULT_IMAGES_AT_ONCE = 12;

export class ReleaseService {
  private list: readonly Release[] = [];
  private readonly loads = new Map<string, ImageLoad>();
  private readonly inflight = new Map<string, Inflight>();
  private readonly listeners = new Set<(e: ReleaseEvent) => void>();
  private readonly semaphore: Semaphore;
  private generation = newController();
  /** Images started so far: the next one's priority. */
  private started = 0;

  constructor(private readonly options: ReleaseServiceOptions) {
    this.semaphore = new Semaphore(Math.max(1, options.concurrency ?? DEFAULT_IMAGES_AT_ONCE));
  }

  get releases(): readonly Release[] {
    return this.list;
  }

  release(id: string): Release | undefined {
    return this.list.find((r) => r.id === id);
  }

  /**
   * Replaces the release list; states of references still listed are kept. A load someone is
   * waiting on (a panel restored before the list was read, a command) is left to finish for them,
   * no longer kept for the tree; everything else unlisted is forgotten.
   */
  setReleases(releases: readonly Release[]): void {
    this.list = releases;
    const wanted = new Set(releases.flatMap((r) => r.images.map((i) => i.reference)).filter((r): r is string => r !== null));
    for (const ref of [...this.loads.keys()]) {
      if (wanted.has(ref)) continue;
      const flight = this.inflight.get(ref);
      if (flight && flight.waiters > 0) flight.kept = false;
      else this.forget(ref);
    }
    this.emit({ kind: 'releases' });
  }

  /** The state of an image; an idle image starts loading (the view calls this as it draws). */
  state(reference: string): ImageLoad {
    const load = this.loads.get(reference) ?? IDLE;
    if (load.status === 'idle') this.start(reference, true);
    const flight = this.inflight.get(reference);
    if (flight) flight.kept = true; // the view shows it: a command's cancel must not stop it
    return this.loads.get(reference) ?? load;
  }

  /** The state without starting anything. */
  peek(reference: string): ImageLoad {
    return this.loads.get(reference) ?? IDLE;
  }

  /**
   * Resolves when the image is loaded or failed (starting it if needed). When `signal` aborts, this
   * caller gets `idle` at once; the load itself stops only if nobody else wants it (see Inflight).
   */
  async ensure(reference: string, signal?: AbortSignal): Promise<ImageLoad> {
    const current = this.loads.get(reference);
    if (current && (current.status === 'loaded' || current.status === 'failed') && !(current.status === 'loaded' && current.verifying)) return current;
    if (signal?.aborted) return IDLE;
    const flight = this.inflight.get(reference) ?? this.start(reference);
    if (!flight) return this.peek(reference);
    // Someone waits on this image (a hover, a command, the panel): it goes before the images the
    // tree queued in the background, so a 40-image release does not make a hover wait for 39.
    flight.wanted = true;
    flight.promote?.();
    if (!signal) {
      flight.kept = true;
      return flight.done;
    }
    flight.waiters++;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<ImageLoad>((resolve) => {
      onAbort = () => {
        if (--flight.waiters === 0 && !flight.kept) {
          flight.controller.abort();
          // Gone at once, not when the walk notices: the next caller (a panel asking again right
          // after cancelling) must start a fresh load, not join this dying one.
          this.cancelled(reference, flight);
        }
        resolve(IDLE);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([flight.done, aborted]);
    } finally {
      if (!signal.aborted) flight.waiters--;
      signal.removeEventListener('abort', onAbort!);
    }
  }

  /** Starts over: everything in flight is cancelled; with `reference`, only that image. */
  refresh(reference?: string): void {
    if (reference !== undefined) {
      this.forget(reference);
      this.emit({ kind: 'image', reference });
      return;
    }
    this.generation.abort();
    this.generation = newController();
    for (const ref of [...this.loads.keys()]) this.forget(ref);
    this.emit({ kind: 'releases' });
  }

  /** Reloads the images of one registry (after signing in to it), and only those. */
  refreshRegistry(registry: string): void {
    for (const [ref, load] of this.loads) {
      if (load.status === 'failed' ? load.failure.registry === registry : ref.startsWith(`${registry}/`)) this.refresh(ref);
    }
  }

  onDidChange(listener: (e: ReleaseEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.generation.abort();
    this.listeners.clear();
  }

  private forget(reference: string): void {
    this.inflight.get(reference)?.controller.abort();
    this.inflight.delete(reference);
    this.loads.delete(reference);
  }

  private set(reference: string, flight: Inflight, load: ImageLoad): void {
    if (this.inflight.get(reference) !== flight) return; // refreshed meanwhile: a stale answer
    this.loads.set(reference, load);
    this.emit({ kind: 'image', reference });
  }

  /** `quiet`: the caller is drawing the node and shows "loading" itself, so no change event. */
  private start(reference: string, quiet = false): Inflight | undefined {
    if (this.inflight.has(reference)) return this.inflight.get(reference);
    const controller = newController();
    const signal = AbortSignal.any([controller.signal, this.generation.signal]);
    setMaxListeners(0, signal);
    // The work starts a microtask later, once `flight` is registered.
    const flight: Inflight = {
      controller,
      done: Promise.resolve().then(() =>
        this.semaphore.run(
          () => {
            delete flight.promote;
            return this.run(reference, flight, signal);
          },
          (promote) => {
            flight.promote = promote;
            if (flight.wanted) promote();
          },
        ),
      ),
      waiters: 0,
      kept: quiet,
      wanted: false,
    };
    this.inflight.set(reference, flight);
    this.loads.set(reference, { status: 'loading' });
    if (!quiet) this.emit({ kind: 'image', reference });
    // Whoever awaits `done` sees its failure; this chain only forgets the flight, either way.
    const forget = (): void => {
      if (this.inflight.get(reference) === flight) this.inflight.delete(reference);
    };
    void flight.done.then(forget, forget);
    return flight;
  }

  private async run(reference: string, flight: Inflight, signal: AbortSignal): Promise<ImageLoad> {
    if (signal.aborted) return this.cancelled(reference, flight);
    const started = performance.now();
    const priority = flight.wanted ? 0 : ++this.started;
    let graph: ImageGraph;
    try {
      graph = await this.options.inspect(reference, signal, priority);
    } catch (e) {
      if (signal.aborted || isAbort(e)) return this.cancelled(reference, flight);
      const failed: ImageLoad = { status: 'failed', failure: loadFailure(e) };
      this.set(reference, flight, failed);
      return failed;
    }
    const ms = Math.round(performance.now() - started);
    const verify = this.options.verify;
    const inspected: ImageLoad = { status: 'loaded', graph, ms, ...(verify ? { verifying: true } : {}) };
    this.set(reference, flight, inspected);
    if (!verify) return inspected;
    let done: ImageLoad;
    try {
      done = { status: 'loaded', graph, ms, verification: await verify(graph, signal, priority) };
    } catch (e) {
      if (signal.aborted || isAbort(e)) return this.cancelled(reference, flight);
      done = { status: 'loaded', graph, ms, verificationFailure: loadFailure(e, graph.registry) };
    }
    this.set(reference, flight, done);
    return done;
  }

  /** A load cancelled by its caller (not by a refresh) leaves the image idle, to start again when drawn. */
  private cancelled(reference: string, flight: Inflight): ImageLoad {
    if (this.inflight.get(reference) === flight) {
      this.inflight.delete(reference);
      this.loads.delete(reference);
      this.emit({ kind: 'image', reference });
    }
    return IDLE;
  }

  private emit(e: ReleaseEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A listener's failure is its own; the others still hear about the change.
      }
    }
  }
}

function newController(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}
