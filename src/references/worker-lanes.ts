/**
 * Which of the index's worker threads reads a file (src/references/worker-reader.ts). A worker's
 * first files of a parser run that parser cold — interpreted, then compiled by V8 as it gets hot —
 * which costs once per parser and worker about as much CPU as parsing four hundred files warm
 * (measured: 350 ms for `yaml`, 300 ms for dockerfile-ast, most of it V8 compiling on its own
 * threads). Spread over every worker, both parsers warm up in each, and on a two-core machine that
 * undid what the second worker gained. So the files of one parser go to the workers that already
 * run it:
 *
 * - a parser's first file takes a worker that runs no parser yet, or, when none is left, the least
 *   busy worker (which then runs both);
 * - its later files go to its own workers, the least busy first;
 * - it takes one more free worker only when each of its own has BACKLOG files in flight: a
 *   workspace of one kind still gets every worker, and in a mixed one each parser has a worker of
 *   its own (unless the first parser had taken them all before the other's first file came).
 */
import { kindByName } from './kind';

/** The parser a file's kind needs: dockerfile-ast for Dockerfiles, `yaml` for every other kind. */
export type FileParser = 'dockerfile' | 'yaml';

/** Files in flight on each of a parser's workers before it takes another: a quarter of the index's window (workspace-index.ts). */
export const BACKLOG = 8;

/** From the name alone, as the walk sees it (a YAML file only its content can decide is YAML too). */
export function parserOf(path: string): FileParser {
  return kindByName(path) === 'dockerfile' ? 'dockerfile' : 'yaml';
}

export interface Lane {
  /** The parsers this worker has been given files of. */
  readonly parsers: Set<FileParser>;
  /** Files in flight on the worker. */
  readonly busy: number;
}

function leastBusy<T extends Lane>(lanes: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const l of lanes) if (best === undefined || l.busy < best.busy) best = l;
  return best;
}

/** The worker for a file of `parser`, which is then counted as running it; undefined without workers. */
export function laneFor<T extends Lane>(lanes: readonly T[], parser: FileParser): T | undefined {
  const own = leastBusy(lanes.filter((l) => l.parsers.has(parser)));
  const free = lanes.find((l) => l.parsers.size === 0);
  const chosen = own === undefined || (own.busy >= BACKLOG && free) ? (free ?? leastBusy(lanes)) : own;
  chosen?.parsers.add(parser);
  return chosen;
}
