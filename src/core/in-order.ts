/**
 * Maps items with at most `limit` calls in flight, yielding the answers in the items' order as soon
 * as each is ready: reading a folder of files one at a time leaves the process waiting on the disk
 * between files, while a window of reads keeps the disk and the parser busy together and still
 * streams the output in a repeatable order. A failing call fails the iteration where its answer
 * is due (the calls already started run to their end unobserved).
 */
export async function* inOrder<T, R>(items: AsyncIterable<T> | Iterable<T>, limit: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  for await (const item of items) {
    const next = fn(item);
    // Observed once it is due; until then a rejection must not count as unhandled.
    next.catch(() => undefined);
    window.push(next);
    if (window.length >= Math.max(1, limit)) yield await window.shift()!;
  }
  while (window.length > 0) yield await window.shift()!;
}
