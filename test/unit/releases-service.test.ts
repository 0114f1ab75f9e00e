import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { LensError } from '../../src/core/errors';
import type { ImageGraph } from '../../src/model/image-graph';
import { ReleaseService } from '../../src/releases/release-service';
import type { ReleaseEvent } from '../../src/releases/release-service';
import type { Release } from '../../src/releases/types';
import type { ImageVerification } from '../../src/releases/verification';
import { digestVerdict, indexGraph } from '../support/image-graphs';

const D = (c: string) => `sha256:${c.repeat(64)}`;

/** An index with no platforms at `reference` (any text: the service does not parse it). */
const graph = (reference: string): ImageGraph => indexGraph(D('a'), [], { reference, registry: 'r.test', repository: 'app' });

function verification(digest: string): ImageVerification {
  return {
    artifacts: [],
    verdict: {
      verified: true,
      state: 'verified',
      coverage: 'index signed by x',
      causes: [],
      checks: [],
      digests: [digestVerdict(digest, 'index', 'verified', 'verified', { signedBy: ['x'] })],
    },
    trustRoot: {} as ImageVerification['trustRoot'],
  };
}

function release(...refs: string[]): Release {
  return { id: 'user', origin: 'user', name: '', images: refs.map((reference) => ({ reference })) };
}

/** An inspect function whose answers the test releases one by one. */
function controlled() {
  const pending = new Map<string, { resolve: (g: ImageGraph) => void; reject: (e: unknown) => void; signal: AbortSignal }>();
  const started: string[] = [];
  let active = 0;
  let maxActive = 0;
  const inspect = (reference: string, signal: AbortSignal) =>
    new Promise<ImageGraph>((resolve, reject) => {
      started.push(reference);
      active++;
      maxActive = Math.max(maxActive, active);
      const done = () => {
        active--;
        pending.delete(reference);
      };
      pending.set(reference, {
        resolve: (g) => {
          done();
          resolve(g);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        signal,
      });
      signal.addEventListener(
        'abort',
        () => {
          done();
          reject(new LensError('ABORTED', 'cancelled'));
        },
        { once: true },
      );
    });
  return { inspect, pending, started, maxActive: () => maxActive };
}

test('each image resolves on its own and announces its own change', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect, concurrency: 4 });
  const events: ReleaseEvent[] = [];
  service.onDidChange((e) => events.push(e));
  service.setReleases([release('r.test/a:1', 'r.test/b:1')]);
  assert.equal(service.state('r.test/a:1').status, 'loading');
  assert.equal(service.state('r.test/b:1').status, 'loading');
  await delay(1);
  // Each announced its turn (it left the queue); from now on only its own answer.
  assert.deepEqual(
    events.filter((e) => e.kind === 'image'),
    [
      { kind: 'image', reference: 'r.test/a:1' },
      { kind: 'image', reference: 'r.test/b:1' },
    ],
  );
  events.length = 0;
  c.pending.get('r.test/b:1')!.resolve(graph('r.test/b:1'));
  await delay(1);
  assert.equal(service.peek('r.test/b:1').status, 'loaded');
  assert.equal(service.peek('r.test/a:1').status, 'loading', 'a slow image does not hold up the others');
  assert.deepEqual(
    events.filter((e) => e.kind === 'image'),
    [{ kind: 'image', reference: 'r.test/b:1' }],
  );
  c.pending.get('r.test/a:1')!.reject(new LensError('UNAUTHORIZED', 'Not authorised', { registry: 'r.test', status: 401 }));
  await delay(1);
  const failed = service.peek('r.test/a:1');
  assert.equal(failed.status, 'failed');
  assert.deepEqual(failed.status === 'failed' && failed.failure, { code: 'UNAUTHORIZED', message: 'Not authorised', registry: 'r.test' });
});

test('an image waiting for its turn is loading and queued, until its turn comes', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect, concurrency: 1 });
  service.setReleases([release('r.test/a:1', 'r.test/b:1')]);
  service.state('r.test/a:1');
  service.state('r.test/b:1');
  await delay(1);
  assert.deepEqual(service.peek('r.test/a:1'), { status: 'loading' }, 'a is being read');
  assert.deepEqual(service.peek('r.test/b:1'), { status: 'loading', queued: true }, 'b waits for the one slot');
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  await delay(1);
  assert.equal(service.peek('r.test/a:1').status, 'loaded');
  assert.deepEqual(service.peek('r.test/b:1'), { status: 'loading' }, "b's turn came");
});

test('no more than `concurrency` images load at once', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect, concurrency: 2 });
  const refs = Array.from({ length: 6 }, (_, i) => `r.test/app${i}:1`);
  service.setReleases([release(...refs)]);
  refs.forEach((r) => service.state(r));
  await delay(1);
  assert.equal(c.started.length, 2);
  while (c.pending.size) {
    [...c.pending.values()][0]!.resolve(graph('x'));
    await delay(1);
  }
  assert.equal(c.started.length, 6);
  assert.equal(c.maxActive(), 2);
  assert.ok(refs.every((r) => service.peek(r).status === 'loaded'));
});

test('refresh cancels what is in flight; a late answer is never shown', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  service.setReleases([release('r.test/a:1')]);
  service.state('r.test/a:1');
  await delay(1);
  const first = c.pending.get('r.test/a:1')!;
  service.refresh();
  assert.equal(first.signal.aborted, true);
  assert.equal(service.peek('r.test/a:1').status, 'idle');
  service.state('r.test/a:1');
  await delay(1);
  c.pending.get('r.test/a:1')!.resolve(graph('second'));
  await delay(1);
  const load = service.peek('r.test/a:1');
  assert.equal(load.status === 'loaded' && load.graph.reference, 'second');
});

test('ensure waits for the image; cancelling it leaves the image idle to load again', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  const controller = new AbortController();
  const waiting = service.ensure('r.test/a:1', controller.signal);
  await delay(1);
  controller.abort();
  assert.equal((await waiting).status, 'idle');
  assert.equal(service.peek('r.test/a:1').status, 'idle');
  const again = service.ensure('r.test/a:1');
  await delay(1);
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  assert.equal((await again).status, 'loaded');
});

test("one caller's cancel ends its own wait at once and never takes the shared load from the others", async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  const first = new AbortController();
  const second = new AbortController();
  const a = service.ensure('r.test/a:1', first.signal);
  const b = service.ensure('r.test/a:1', second.signal);
  await delay(1);
  assert.deepEqual(c.started, ['r.test/a:1'], 'one load for both callers');
  first.abort();
  assert.equal((await a).status, 'idle', 'the cancelled caller stops waiting before the load ends');
  assert.equal(c.pending.get('r.test/a:1')!.signal.aborted, false, 'the other caller still wants it');
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  assert.equal((await b).status, 'loaded');
  assert.equal(service.peek('r.test/a:1').status, 'loaded');
});

test('a command cancelled while the tree shows the image (or a hover waits on it) leaves the load running', async () => {
  for (const other of ['tree', 'hover'] as const) {
    const c = controlled();
    const service = new ReleaseService({ inspect: c.inspect });
    const command = new AbortController();
    const waiting = service.ensure('r.test/a:1', command.signal);
    if (other === 'tree') assert.equal(service.state('r.test/a:1').status, 'loading');
    const hover = other === 'hover' ? service.ensure('r.test/a:1') : undefined;
    await delay(1);
    command.abort();
    assert.equal((await waiting).status, 'idle');
    assert.equal(c.pending.get('r.test/a:1')!.signal.aborted, false, `${other}: still loading`);
    c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
    await delay(1);
    assert.equal(service.peek('r.test/a:1').status, 'loaded', other);
    if (hover) assert.equal((await hover).status, 'loaded');
  }
});

test('when every caller has cancelled and nobody else wants it, the load stops and the image is idle', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  const callers = [new AbortController(), new AbortController()];
  const waits = callers.map((k) => service.ensure('r.test/a:1', k.signal));
  await delay(1);
  const inspecting = c.pending.get('r.test/a:1')!.signal;
  callers[0]!.abort();
  assert.equal(inspecting.aborted, false);
  callers[1]!.abort();
  assert.equal(inspecting.aborted, true, 'nobody wants it: the registry walk is cancelled');
  assert.deepEqual(
    (await Promise.all(waits)).map((l) => l.status),
    ['idle', 'idle'],
  );
  await delay(1);
  assert.equal(service.peek('r.test/a:1').status, 'idle');
  const already = new AbortController();
  already.abort();
  assert.equal((await service.ensure('r.test/a:1', already.signal)).status, 'idle', 'an aborted signal starts nothing');
  assert.equal(c.started.length, 1);
});

test('asked again right after the only caller cancelled: a fresh load, never the cancelled one', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  const first = new AbortController();
  const cancelled = service.ensure('r.test/a:1', first.signal);
  await delay(1);
  first.abort();
  // The same tick: the panel cancels its request and sends the next one.
  const again = service.ensure('r.test/a:1', new AbortController().signal);
  assert.equal((await cancelled).status, 'idle');
  await delay(1);
  assert.deepEqual(c.started, ['r.test/a:1', 'r.test/a:1'], 'a second load started');
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  assert.equal((await again).status, 'loaded');
});

test('a new release list without the image does not cancel a load a panel waits on (restored before the list was read)', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  const panel = service.ensure('r.test/a:1', new AbortController().signal);
  await delay(1);
  service.setReleases([release('r.test/b:1')]);
  assert.equal(c.pending.get('r.test/a:1')!.signal.aborted, false, 'the panel still gets its answer');
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  assert.equal((await panel).status, 'loaded');
  // Nobody waiting: an unlisted image is forgotten as before.
  service.setReleases([release('r.test/b:1')]);
  assert.equal(service.peek('r.test/a:1').status, 'idle');
});

test('an image someone waits on (a hover, a command) goes before the images the tree queued', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect, concurrency: 1 });
  for (const r of ['a', 'b', 'c', 'd']) service.state(`r.test/${r}:1`);
  await delay(1);
  assert.deepEqual(c.started, ['r.test/a:1']);
  const hovered = service.ensure('r.test/d:1');
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  await delay(1);
  assert.deepEqual(c.started, ['r.test/a:1', 'r.test/d:1'], 'd jumped the queue');
  c.pending.get('r.test/d:1')!.resolve(graph('r.test/d:1'));
  assert.equal((await hovered).status, 'loaded');
  // An image nobody had queued yet, asked for while others wait: next, not last.
  const command = service.ensure('r.test/e:1', new AbortController().signal);
  await delay(1);
  c.pending.get('r.test/b:1')!.resolve(graph('r.test/b:1'));
  await delay(1);
  assert.deepEqual(c.started.slice(2), ['r.test/b:1', 'r.test/e:1']);
  c.pending.get('r.test/e:1')!.resolve(graph('r.test/e:1'));
  assert.equal((await command).status, 'loaded');
  c.pending.get('r.test/c:1')!.resolve(graph('r.test/c:1'));
  await delay(1);
  assert.equal(service.peek('r.test/c:1').status, 'loaded', 'the others still load');
});

test("each image takes its turn for requests: the tree's in the order they started, one someone waits on first; its verification at the same turn", async () => {
  const turns = new Map<string, number>();
  const verifiedAt = new Map<string, number>();
  const service = new ReleaseService({
    inspect: async (reference, _signal, priority) => {
      turns.set(reference, priority);
      await delay(1);
      return graph(reference);
    },
    verify: async (g, _signal, priority) => {
      verifiedAt.set(g.reference, priority);
      return verification(g.digest);
    },
    concurrency: 2,
  });
  for (const r of ['a', 'b', 'c']) service.state(`r.test/${r}:1`);
  const hovered = service.ensure('r.test/d:1');
  await hovered;
  await Promise.all(['a', 'b', 'c'].map((r) => service.ensure(`r.test/${r}:1`)));
  assert.deepEqual(Object.fromEntries(turns), { 'r.test/a:1': 1, 'r.test/b:1': 2, 'r.test/d:1': 0, 'r.test/c:1': 3 });
  assert.deepEqual(Object.fromEntries(verifiedAt), Object.fromEntries(turns));
});

test('with a verifier, the inspected image shows first, then its verification', async () => {
  const c = controlled();
  let finish!: () => void;
  const service = new ReleaseService({
    inspect: c.inspect,
    verify: (g) =>
      new Promise((resolve) => {
        finish = () => resolve(verification(g.digest));
      }),
  });
  const done = service.ensure('r.test/a:1');
  await delay(1);
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  await delay(1);
  const first = service.peek('r.test/a:1');
  assert.equal(first.status === 'loaded' && first.verifying, true);
  finish();
  const last = await done;
  assert.equal(last.status === 'loaded' && last.verification?.verdict.state, 'verified');
});

test('refreshRegistry reloads the images of that registry only', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  service.setReleases([release('r.test/a:1', 'other.test/b:1')]);
  service.state('r.test/a:1');
  service.state('other.test/b:1');
  await delay(1);
  c.pending.get('r.test/a:1')!.reject(new LensError('UNAUTHORIZED', 'no', { registry: 'r.test' }));
  c.pending.get('other.test/b:1')!.resolve(graph('b'));
  await delay(1);
  service.refreshRegistry('r.test');
  assert.equal(service.peek('r.test/a:1').status, 'idle');
  assert.equal(service.peek('other.test/b:1').status, 'loaded');
});

test('setReleases keeps the states of images still listed and drops the others', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  service.setReleases([release('r.test/a:1', 'r.test/b:1')]);
  service.state('r.test/a:1');
  service.state('r.test/b:1');
  await delay(1);
  c.pending.get('r.test/a:1')!.resolve(graph('a'));
  await delay(1);
  const b = c.pending.get('r.test/b:1')!;
  service.setReleases([release('r.test/a:1')]);
  assert.equal(service.peek('r.test/a:1').status, 'loaded');
  assert.equal(b.signal.aborted, true);
});

test('dispose cancels what is in flight and starts nothing after; what finished stays readable', async () => {
  const c = controlled();
  const service = new ReleaseService({ inspect: c.inspect });
  service.state('r.test/a:1');
  service.state('r.test/b:1');
  await delay(1);
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  await delay(1);
  const loading = c.pending.get('r.test/b:1')!;
  service.dispose();
  assert.equal(loading.signal.aborted, true);
  assert.equal(service.peek('r.test/b:1').status, 'idle');
  assert.equal(service.peek('r.test/a:1').status, 'loaded');
  assert.equal((await service.ensure('r.test/c:1')).status, 'idle');
  assert.equal(service.state('r.test/d:1').status, 'idle');
  await delay(1);
  assert.deepEqual(c.started, ['r.test/a:1', 'r.test/b:1'], 'nothing started after dispose');
});

test('busy while any image is read or verified; not once every load has ended (the lenses redraw then)', async () => {
  const c = controlled();
  let finishVerify: ((v: ImageVerification) => void) | undefined;
  const service = new ReleaseService({
    inspect: c.inspect,
    verify: (g) => new Promise<ImageVerification>((resolve) => (finishVerify = () => resolve(verification(g.digest)))),
    concurrency: 2,
  });
  assert.equal(service.busy, false, 'nothing asked yet');
  service.setReleases([release('r.test/a:1', 'r.test/b:1')]);
  service.state('r.test/a:1');
  service.state('r.test/b:1');
  assert.equal(service.busy, true, 'two images loading');
  await delay(1);
  c.pending.get('r.test/b:1')!.reject(new LensError('UNAUTHORIZED', 'no', { registry: 'r.test', status: 401 }));
  c.pending.get('r.test/a:1')!.resolve(graph('r.test/a:1'));
  await delay(1);
  const a = service.peek('r.test/a:1');
  assert.ok(a.status === 'loaded' && a.verifying, 'a is being verified');
  assert.equal(service.busy, true, 'a verification under way is still busy');
  finishVerify!(verification(D('a')));
  await delay(1);
  assert.equal(service.busy, false, 'a verified, b failed: nothing under way');
  // Started again, then cancelled one by one and all at once: never busy for what is gone.
  service.refresh('r.test/b:1');
  service.state('r.test/b:1');
  assert.equal(service.busy, true, 'b reads again');
  service.refresh('r.test/b:1');
  assert.equal(service.busy, false, 'b forgotten');
  service.state('r.test/b:1');
  service.refresh();
  assert.equal(service.busy, false, 'everything forgotten');
});
