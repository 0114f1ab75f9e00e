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
  // `yaml` reads process.env.LOG_TOKENS for every token it parses and LOG_STREAM for every
  // document (its Parser.next and Composer.next,
  // https://github.com/eemeli/yaml/blob/main/src/parse/parser.ts). Each read of process.env calls
  // into Node's C++ (a quarter of a microsecond), about a tenth of the CPU a worker spends parsing
  // YAML. A worker's process.env is already its own copy of the environment
  // (https://nodejs.org/api/worker_threads.html#new-workerfilename-options, `env`), and the worker
  // starts no process and reads no variable itself: a plain object of the same values answers the
  // same, without the calls.
  process.env = { ...process.env };
  const reading = new FileReading(workerData as FileReadingOptions);
  port.on('message', (m: WorkerRequest) => {
    if ('forget' in m) return reading.forget(m.forget);
    reading.read(m.path).then(
      (entry) => port.postMessage({ id: m.id, entry } satisfies WorkerAnswer),
      (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerAnswer),
    );
  });
}
