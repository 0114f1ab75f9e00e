// A hover never hangs on a registry: it waits a bounded time for the release service's shared
// load, gives up with what it has ("loading"), and the next hover answers from the same load;
// cancelling a hover ends its wait, not the load the Releases view and the lenses share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { loadWithin } from '../../src/hovers/load-within';
import type { ImageGraph } from '../../src/model/image-graph';
import { ReleaseService } from '../../src/releases/release-service';

const REF = 'r.test/app:v1';

function graph(): ImageGraph {
  return {
    reference: REF,
    source: 'registry',
    registry: 'r.test',
    repository: 'app',
    tag: 'v1',
    digest: `sha256:${'a'.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 1,
    kind: 'index',
    platforms: [],
    artifacts: [],
    others: [],
    problems: [],
  };
}

/** A registry that answers after `ms`, counting the walks and whether one was aborted. */
function slowRegistry(ms: number) {
  const seen = { walks: 0, aborted: 0 };
  const service = new ReleaseService({
    inspect: async (_reference, signal) => {
      seen.walks++;
      signal.addEventListener('abort', () => seen.aborted++);
      await delay(ms);
      return graph();
    },
  });
  return { service, seen };
}

test('a slow registry: the first hover answers "loading" in time, the second from the same load', async () => {
  const { service, seen } = slowRegistry(1_000);
  const started = performance.now();
  const first = await loadWithin(service, REF, 50, new AbortController().signal);
  assert.equal(first.status, 'loading');
  assert.ok(performance.now() - started < 800, 'the hover did not wait for the registry');
  await service.ensure(REF);
  const again = performance.now();
  const second = await loadWithin(service, REF, 50, new AbortController().signal);
  assert.equal(second.status, 'loaded');
  assert.ok(performance.now() - again < 200, 'answered from the cache');
  assert.deepEqual(seen, { walks: 1, aborted: 0 });
  service.dispose();
});

test('a cancelled hover stops waiting at once; the shared load goes on', async () => {
  const { service, seen } = slowRegistry(1_000);
  const hover = new AbortController();
  const waiting = loadWithin(service, REF, 5_000, hover.signal);
  await delay(20);
  hover.abort();
  const started = performance.now();
  assert.equal((await waiting).status, 'loading');
  assert.ok(performance.now() - started < 500);
  assert.equal((await service.ensure(REF)).status, 'loaded');
  assert.deepEqual(seen, { walks: 1, aborted: 0 });
  service.dispose();
});

test('a fast registry: the hover has the answer, verification included', async () => {
  const service = new ReleaseService({
    inspect: async () => graph(),
    verify: async () => {
      await delay(30);
      throw Object.assign(new Error('no trusted root'), { code: 'INTERNAL' });
    },
  });
  const load = await loadWithin(service, REF, 1_000, new AbortController().signal);
  assert.equal(load.status, 'loaded');
  assert.ok(load.status === 'loaded' && !load.verifying && load.verificationFailure?.message === 'no trusted root');
  service.dispose();
});
