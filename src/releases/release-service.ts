/**
 * The service the release views call: which releases there are, and for each image reference
 * its load state. Images resolve on their own (a slow or failing one never holds up the
 * others), at most `concurrency` at a time, and every change is announced per image so a view
 * redraws one node, not the tree. `refresh` cancels what is in flight and starts over.
 */
import { Semaphore } from '../core/abort';
import { SharedWork } from '../core/shared-work';
import type { SharedFlight } from '../core/shared-work';
import type { ImageGraph } from '../model/image-graph';
import { isAbort, loadFailure } from './failure';
import { loadSettled, loadUnderWay } from './types';
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
 * When a load gets a slot: scheduling, kept beside the sharing (which SharedWork does). Images
 * take their turn in the order they started, unless someone waits on one in particular.
 */
interface Turn {
  /** Someone waits on this image in particular (ensure): it goes before the background loads. */
  wanted: boolean;
  /** While it waits for a slot: moves it to the front of the queue. */
  promote?: () => void;
}

const IDLE: ImageLoad = { status: 'idle' };

const underWay = (load: ImageLoad | undefined): boolean => load !== undefined && loadUnderWay(load);

/**
 * The image loads by reference, counting those under way as they change, so `busy` costs nothing
 * however many images a workspace names (the lenses ask at every change of every image).
 */
class LoadTable extends Map<string, ImageLoad> {
  private underWay = 0;

  get busy(): boolean {
    return this.underWay > 0;
  }

  override set(reference: string, load: ImageLoad): this {
    this.underWay += Number(underWay(load)) - Number(underWay(this.get(reference)));
    return super.set(reference, load);
  }

  override delete(reference: string): boolean {
    this.underWay -= Number(underWay(this.get(reference)));
    return super.delete(reference);
  }

  override clear(): void {
    this.underWay = 0;
    super.clear();
  }
}
/** Images read at the same time by default (their requests share the registry's requests in flight). */
const DEFAULT_IMAGES_AT_ONCE = 12;

export class ReleaseService {
  private list: readonly Release[] = [];
  private readonly loads = new LoadTable();
  /**
   * Loads in flight, each shared by everyone who asked for it. One is cancelled only when nobody
   * wants it any more: every caller that asked with a signal has aborted, and nobody holds it
   * without one (the tree drawing the node, a hover filling the cache; a new release list without
   * the image withdraws the tree's hold). One caller's cancel never takes the answer from the others.
   */
  private readonly inflight = new SharedWork<ImageLoad>({
    // Gone at once, not when the walk notices: the image is idle again, to start when drawn, and
    // the next caller (a panel asking again right after cancelling) starts a fresh load.
    onAbandoned: (reference) => this.dropped(reference),
  });
  private readonly turns = new WeakMap<SharedFlight<ImageLoad>, Turn>();
  private readonly listeners = new Set<(e: ReleaseEvent) => void>();
  private readonly semaphore: Semaphore;
  /** Images read at the same time; the others wait for their turn (ImageLoad `queued`). */
  readonly imagesAtOnce: number;
  /** After dispose nothing starts: a late draw or hover would only start a load nobody can see. */
  private disposed = false;
  /** Images started so far: the next one's priority. */
  private started = 0;

  constructor(private readonly options: ReleaseServiceOptions) {
    this.imagesAtOnce = Math.max(1, options.concurrency ?? DEFAULT_IMAGES_AT_ONCE);
    this.semaphore = new Semaphore(this.imagesAtOnce);
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
      // Still running for whoever waits on it; with nobody waiting, cancelled and forgotten.
      if (this.inflight.get(ref)?.unkeep() !== true) this.loads.delete(ref);
    }
    this.emit({ kind: 'releases' });
  }

  /** The state of an image; an idle image starts loading (the view calls this as it draws). */
  state(reference: string): ImageLoad {
    const load = this.loads.get(reference) ?? IDLE;
    if (load.status === 'idle') this.start(reference, true);
    this.inflight.get(reference)?.keep(); // the view shows it: a command's cancel must not stop it
    return this.loads.get(reference) ?? load;
  }

  /** Whether any image is being read or verified. */
  get busy(): boolean {
    return this.loads.busy;
  }

  /** The state without starting anything. */
  peek(reference: string): ImageLoad {
    return this.loads.get(reference) ?? IDLE;
  }

  /**
   * Resolves when the image is loaded or failed (starting it if needed). When `signal` aborts, this
   * caller gets `idle` at once; the load itself stops only if nobody else wants it (see inflight).
   */
  async ensure(reference: string, signal?: AbortSignal): Promise<ImageLoad> {
    const current = this.loads.get(reference);
    if (current && loadSettled(current)) return current;
    if (signal?.aborted) return IDLE;
    const flight = this.inflight.get(reference) ?? this.start(reference);
    if (!flight) return this.peek(reference);
    // Someone waits on this image (a hover, a command, the panel): it goes before the images the
    // tree queued in the background, so a 40-image release does not make a hover wait for 39.
    const turn = this.turns.get(flight);
    if (turn) {
      turn.wanted = true;
      turn.promote?.();
    }
    try {
      return await flight.join(signal);
    } catch (e) {
      // This caller left (its signal fired); the load goes on for anyone else who wants it.
      if (signal?.aborted) return IDLE;
      throw e;
    }
  }

  /** Starts over: everything in flight is cancelled; with `reference`, only that image. */
  refresh(reference?: string): void {
    if (reference !== undefined) {
      this.inflight.forget(reference);
      this.loads.delete(reference);
      this.emit({ kind: 'image', reference });
      return;
    }
    this.inflight.abortAll();
    this.loads.clear();
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
    this.disposed = true;
    // A load cancelled here is no longer loading; what finished stays readable.
    for (const ref of this.inflight.abortAll()) this.loads.delete(ref);
    this.listeners.clear();
  }

  private set(reference: string, flight: SharedFlight<ImageLoad>, load: ImageLoad): void {
    if (!flight.current) return; // refreshed meanwhile: a stale answer
    this.loads.set(reference, load);
    this.emit({ kind: 'image', reference });
  }

  /** `quiet`: the caller is drawing the node and shows "loading" itself, so no change event. */
  private start(reference: string, quiet = false): SharedFlight<ImageLoad> | undefined {
    if (this.disposed) return undefined;
    const running = this.inflight.get(reference);
    if (running) return running;
    const turn: Turn = { wanted: false };
    // The work starts a microtask later: the caller that started it (ensure) has marked it wanted
    // by then, and the flight is registered before the work asks whether its answer is current.
    const flight = this.inflight.start(reference, (signal, self) =>
      Promise.resolve().then(() =>
        this.semaphore.run(
          () => {
            delete turn.promote;
            return this.run(reference, self, turn, signal);
          },
          (promote) => {
            turn.promote = promote;
            if (turn.wanted) promote();
          },
        ),
      ),
    );
    this.turns.set(flight, turn);
    this.loads.set(reference, { status: 'loading', queued: true });
    if (!quiet) this.emit({ kind: 'image', reference });
    return flight;
  }

  private async run(reference: string, flight: SharedFlight<ImageLoad>, turn: Turn, signal: AbortSignal): Promise<ImageLoad> {
    if (signal.aborted) return this.cancelled(reference, flight);
    // Its turn: now it is being read (the tree shows a spinner for this one, not for the queue).
    this.set(reference, flight, { status: 'loading' });
    const started = performance.now();
    const priority = turn.wanted ? 0 : ++this.started;
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

  /** A load that ended cancelled while still the image's (not by a refresh) leaves it idle. */
  private cancelled(reference: string, flight: SharedFlight<ImageLoad>): ImageLoad {
    if (flight.current) {
      flight.abort();
      this.dropped(reference);
    }
    return IDLE;
  }

  /** The image is idle again, to start when next drawn or asked for. */
  private dropped(reference: string): void {
    this.loads.delete(reference);
    this.emit({ kind: 'image', reference });
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
