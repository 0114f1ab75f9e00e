/**
 * A worker thread of the workspace index (src/references/worker-reader.ts): reads and parses the
 * files it is sent, with what is read beside them, and answers each with its references. Parsing
 * YAML and Dockerfiles is what listing a workspace spends its time on; in workers it runs on every
 * core, and off the thread of the caller (the editor's extension host).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FileReadingOptions } from './workspace-index';
import { FileReading } from './workspace-index';

export type WorkerRequest = { readonly id: number; readonly path: string } | { readonly forget: string };
export type WorkerAnswer = { readonly id: number; readonly entry?: unknown; readonly error?: string };

const port = parentPort;
if (port) {
  const reading = new FileReading(workerData as FileReadingOptions);
  port.on('message', (m: WorkerRequest) => {
    if ('forget' in m) return reading.forget(m.forget);
    reading.read(m.path).then(
      (entry) => port.postMessage({ id: m.id, entry } satisfies WorkerAnswer),
      (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerAnswer),
    );
  });
}
