/**
 * The workspace index's files read in worker threads (src/references/index-worker.ts), one per
 * core up to four: each file goes to a worker that already runs its parser, the least busy of them
 * (src/references/worker-lanes.ts). A worker that cannot start or dies hands its files to a reader
 * in this thread, so a listing never fails for want of a thread. `close` ends the workers.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerAnswer, WorkerRequest } from './index-worker';
import type { FileParser, Lane } from './worker-lanes';
import { laneFor, parserOf } from './worker-lanes';
import type { FileReadingOptions, IndexReader, IndexedFile } from './workspace-index';
import { FileReading } from './workspace-index';

interface Slot extends Lane {
  readonly worker: Worker;
  readonly pending: Map<number, { path: string; resolve: (e: IndexedFile | undefined) => void; reject: (e: Error) => void }>;
}

export class WorkerReader implements IndexReader {
  private slots: Slot[] | undefined;
  private next = 0;
  private readonly local: FileReading;
  private closed = false;

  /** `workerFile`: the built index-worker (dist/references-worker.js in the extension). */
  constructor(
    private readonly workerFile: string,
    private readonly options: FileReadingOptions = {},
    private readonly size = Math.max(1, Math.min(4, availableParallelism())),
  ) {
    this.local = new FileReading(options);
  }

  read(path: string): Promise<IndexedFile | undefined> {
    const slot = this.closed ? undefined : this.slot(parserOf(path));
    if (slot === undefined) return this.local.read(path);
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      // A worker with files in flight keeps the process alive; an idle one does not.
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { path, resolve, reject });
      slot.worker.postMessage({ id, path } satisfies WorkerRequest);
    });
  }

  forget(folder: string): void {
    this.local.forget(folder);
    for (const s of this.slots ?? []) s.worker.postMessage({ forget: folder } satisfies WorkerRequest);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots ?? [];
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** The worker for a file of this parser; the workers start on the first read. */
  private slot(parser: FileParser): Slot | undefined {
    if (this.slots === undefined) {
      this.slots = [];
      for (let i = 0; i < this.size; i++) {
        try {
          this.slots.push(this.start());
        } catch {
          break;
        }
      }
    }
    return laneFor(this.slots, parser);
  }

  private start(): Slot {
    const worker = new Worker(this.workerFile, { workerData: this.options });
    const pending: Slot['pending'] = new Map();
    const slot: Slot = {
      worker,
      pending,
      parsers: new Set(),
      get busy() {
        return pending.size;
      },
    };
    worker.unref();
    worker.on('message', (m: WorkerAnswer) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.entry as IndexedFile | undefined);
    });
    const gone = () => {
      this.slots = (this.slots ?? []).filter((s) => s !== slot);
      // Its files are read here instead.
      for (const [, p] of slot.pending) this.local.read(p.path).then(p.resolve, p.reject);
      slot.pending.clear();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    return slot;
  }
}
