import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { LensError } from '../../src/core/errors';
import { SharedWork } from '../../src/core/shared-work';

/** Work the test finishes by hand; records every start and the signal each one ran with. */
function manual<T>() {
  const runs: Array<{ signal: AbortSignal; resolve: (v: T) => void; reject: (e: unknown) => void }> = [];
  const work = (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      runs.push({ signal, resolve, reject });
    });
  return { work, runs };
}

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof LensError ? e.code : String(e);
  }
  return 'resolved';
}

test('concurrent callers of one key share one work and get its one answer', async () => {
  const shared = new SharedWork<string>();
  const { work, runs } = manual<string>();
  const a = shared.run('k', new AbortController().signal, work);
  const b = shared.run('k', undefined, work);
  const other = shared.run('other', undefined, work);
  assert.equal(runs.length, 2, 'one work for k, one for other');
  runs[0]!.resolve('answer');
  runs[1]!.resolve('other answer');
  assert.deepEqual(await Promise.all([a, b, other]), ['answer', 'answer', 'other answer']);
  assert.equal(shared.get('k'), undefined, 'settled work is forgotten: the next caller asks again');
});

test("one caller's abort ends its own wait and never cancels the work another waits on", async () => {
  const abandoned: string[] = [];
  const shared = new SharedWork<string>({ onAbandoned: (key) => abandoned.push(key) });
  const { work, runs } = manual<string>();
  const first = new AbortController();
  const second = new AbortController();
  const a = shared.run('k', first.signal, work);
  const b = shared.run('k', second.signal, work);
  first.abort();
  assert.equal(await rejection(a), 'ABORTED', 'the cancelled caller leaves before the work ends');
  assert.equal(runs[0]!.signal.aborted, false, 'the other caller still wants it');
  assert.equal(shared.get('k')?.current, true);
  runs[0]!.resolve('answer');
  assert.equal(await b, 'answer');
  assert.deepEqual(abandoned, []);
});

test('when the last caller with a signal leaves, the work is cancelled, dropped at once and announced once', async () => {
  const abandoned: string[] = [];
  const shared = new SharedWork<string>({ onAbandoned: (key) => abandoned.push(key) });
  const { work, runs } = manual<string>();
  const callers = [new AbortController(), new AbortController()];
  const waits = callers.map((c) => shared.run('k', c.signal, work));
  const flight = shared.get('k');
  callers[0]!.abort();
  assert.deepEqual(abandoned, []);
  callers[1]!.abort('gone');
  assert.equal(runs[0]!.signal.aborted, true, 'nobody wants it: the work is cancelled');
  assert.equal(runs[0]!.signal.reason, 'gone', 'with the reason of the last caller to leave');
  assert.deepEqual(abandoned, ['k'], 'the owner hears of it while the abort is still being handled');
  assert.equal(flight?.current, false);
  assert.equal(shared.get('k'), undefined);
  assert.deepEqual(await Promise.all(waits.map(rejection)), ['ABORTED', 'ABORTED']);
});

test('a new caller right after abandonment starts fresh work, and the dying work never touches it', async () => {
  const abandoned: string[] = [];
  const shared = new SharedWork<string>({ onAbandoned: (key) => abandoned.push(key) });
  const { work, runs } = manual<string>();
  const first = new AbortController();
  const cancelled = rejection(shared.run('k', first.signal, work));
  first.abort();
  // The same tick: the panel cancels its request and sends the next one.
  const again = shared.run('k', new AbortController().signal, work);
  assert.equal(runs.length, 2, 'a second work started');
  assert.equal(runs[1]!.signal.aborted, false);
  // The first work ends late: its settling must not drop the second from the key.
  runs[0]!.reject(new LensError('ABORTED', 'late'));
  await delay(1);
  assert.equal(shared.get('k')?.current, true, 'the fresh work is still the key’s');
  runs[1]!.resolve('fresh');
  assert.equal(await again, 'fresh');
  assert.equal(await cancelled, 'ABORTED');
  assert.deepEqual(abandoned, ['k']);
});

test('a caller without a signal holds the work: everyone else leaving does not cancel it', async () => {
  const abandoned: string[] = [];
  const shared = new SharedWork<string>({ onAbandoned: (key) => abandoned.push(key) });
  const { work, runs } = manual<string>();
  const leaving = new AbortController();
  const left = shared.run('k', leaving.signal, work);
  const held = shared.run('k', undefined, work);
  leaving.abort();
  assert.equal(await rejection(left), 'ABORTED');
  assert.equal(runs[0]!.signal.aborted, false, 'held without a signal');
  assert.deepEqual(abandoned, []);
  runs[0]!.resolve('answer');
  assert.equal(await held, 'answer');
});

test('keep holds started work; unkeep with nobody waiting cancels it and says so, without the abandoned callback', async () => {
  const abandoned: string[] = [];
  const shared = new SharedWork<string>({ onAbandoned: (key) => abandoned.push(key) });
  const { work, runs } = manual<string>();
  const flight = shared.start('k', work);
  flight.keep();
  assert.equal(shared.start('k', work), flight, 'start returns the work in flight');
  assert.equal(runs.length, 1);
  const leaving = new AbortController();
  const left = shared.run('k', leaving.signal, work);
  leaving.abort();
  assert.equal(await rejection(left), 'ABORTED');
  assert.equal(runs[0]!.signal.aborted, false, 'kept: a waiter leaving does not cancel it');
  assert.equal(flight.unkeep(), false, 'nobody waits: the hold was the last reason to run');
  assert.equal(runs[0]!.signal.aborted, true);
  assert.equal(shared.get('k'), undefined);
  assert.deepEqual(abandoned, [], 'the caller of unkeep knows; no callback');
});

test('unkeep while someone waits leaves the work to them; their leaving then abandons it', async () => {
  const abandoned: string[] = [];
  const shared = new SharedWork<string>({ onAbandoned: (key) => abandoned.push(key) });
  const { work, runs } = manual<string>();
  shared.start('k', work).keep();
  const waiter = new AbortController();
  const waiting = shared.run('k', waiter.signal, work);
  assert.equal(shared.get('k')!.unkeep(), true, 'someone still waits');
  assert.equal(runs[0]!.signal.aborted, false);
  assert.equal(shared.get('k')?.current, true);
  waiter.abort();
  assert.equal(await rejection(waiting), 'ABORTED');
  assert.equal(runs[0]!.signal.aborted, true, 'the hold was withdrawn: the last waiter leaving cancels it');
  assert.deepEqual(abandoned, ['k']);
});

test('a waiter that got its answer no longer counts: unkeep after it then cancels', async () => {
  const shared = new SharedWork<string>();
  const { work, runs } = manual<string>();
  const flight = shared.start('k', work);
  const waiting = flight.join(new AbortController().signal);
  runs[0]!.resolve('answer');
  assert.equal(await waiting, 'answer');
  assert.equal(flight.current, false, 'settled');
  assert.equal(flight.unkeep(), false);
});

test('forget cancels one key for everyone waiting on it, leaves the other keys, and starts afresh after', async () => {
  const abandoned: string[] = [];
  const shared = new SharedWork<string>({ onAbandoned: (key) => abandoned.push(key) });
  const works = new Map<string, Array<{ signal: AbortSignal; resolve: (v: string) => void }>>();
  const work = (key: string) => (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      works.set(key, [...(works.get(key) ?? []), { signal, resolve }]);
      signal.addEventListener('abort', () => reject(new LensError('ABORTED', 'stopped')), { once: true });
    });
  const a = shared.run('a', undefined, work('a'));
  const b = shared.run('b', new AbortController().signal, work('b'));
  shared.forget('a');
  assert.equal(works.get('a')![0]!.signal.aborted, true);
  assert.equal(works.get('b')![0]!.signal.aborted, false);
  assert.equal(await rejection(a), 'ABORTED', 'a waiter sees how the work ended');
  const again = shared.run('a', undefined, work('a'));
  assert.equal(works.get('a')!.length, 2);
  works.get('a')![1]!.resolve('second');
  works.get('b')![0]!.resolve('b');
  assert.deepEqual(await Promise.all([again, b]), ['second', 'b']);
  assert.deepEqual(abandoned, []);
});

test('abortAll cancels every work, names their keys, and the next callers start fresh work', async () => {
  const abandoned: string[] = [];
  const shared = new SharedWork<string>({ onAbandoned: (key) => abandoned.push(key) });
  const { work, runs } = manual<string>();
  const waits = ['a', 'b'].map((k) => shared.run(k, undefined, work));
  assert.deepEqual(shared.abortAll(), ['a', 'b']);
  assert.deepEqual(
    runs.map((r) => r.signal.aborted),
    [true, true],
  );
  assert.equal(shared.get('a'), undefined);
  assert.equal(shared.get('b'), undefined);
  const again = shared.run('a', undefined, work);
  assert.equal(runs.length, 3);
  runs[2]!.resolve('fresh');
  assert.equal(await again, 'fresh');
  runs[0]!.resolve('late a');
  runs[1]!.resolve('late b');
  assert.deepEqual(await Promise.all(waits), ['late a', 'late b'], 'waiters get whatever the cancelled work answered');
  assert.deepEqual(shared.abortAll(), [], 'nothing left in flight');
  assert.deepEqual(abandoned, []);
});

test('an aborted caller starts nothing; a deadline says TIMEOUT', async () => {
  const shared = new SharedWork<string>();
  const { work, runs } = manual<string>();
  const aborted = new AbortController();
  aborted.abort();
  assert.equal(await rejection(shared.run('k', aborted.signal, work)), 'ABORTED');
  assert.equal(runs.length, 0);
  const deadline = AbortSignal.timeout(1);
  const waiting = shared.run('k', deadline, work);
  assert.equal(await rejection(waiting), 'TIMEOUT');
  assert.equal(runs[0]!.signal.aborted, true, 'the only caller timed out: nobody wants it');
});

test('held work that fails with nobody awaiting it is no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const record = (e: unknown): void => {
    unhandled.push(e);
  };
  process.on('unhandledRejection', record);
  try {
    const shared = new SharedWork<string>();
    shared.start('k', () => Promise.reject(new LensError('NETWORK', 'down'))).keep();
    await delay(5);
    assert.deepEqual(unhandled, []);
    assert.equal(shared.get('k'), undefined, 'failed work is forgotten');
  } finally {
    process.off('unhandledRejection', record);
  }
});
