// A hostile registry: cancellation in the middle of every stage of a walk and a verification, against
// a token-auth registry whose answer for that stage never comes: the root manifest, the second
// wave (platform manifests), referrers of referrers, a signature blob in verifyImage, and the
// token request. Each is ABORTED promptly; afterwards the process holds no socket or timer it did
// not hold before (process.getActiveResourcesInfo), and the proxies see every connection closed.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { LensError } from '../../src/core/errors';
import type { RegistryClient } from '../../src/registry/client';
import type { Credential } from '../../src/registry/credentials-types';
import { buildGraph } from '../../src/registry/graph';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import type { Exchange } from '../../src/registry/transport';
import type { FetchedManifest } from '../../src/model/oci';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import { verifyImage } from '../../src/verify/verify-image';
import type { FaultProxy, ProxyRecord } from '../support/fault-proxy';
import { pushReleaseFixture, pushSigstoreReferrers, TWO_PLATFORM_RELEASE } from '../support/fixtures';
import type { ReleaseFixture } from '../support/fixtures';
import { attack, hold, silence } from '../support/hostile-answers';
import type { Hold } from '../support/hostile-answers';
import { activeResources, leftBehind } from '../support/hostile-probes';
import { startHostileRegistry } from '../support/hostile-registry';
import type { HostileRegistry } from '../support/hostile-registry';

const TAG = TWO_PLATFORM_RELEASE.tag;
/** From abort() to the rejection, on a loaded 2-core machine; typically a few milliseconds. */
const PROMPT_MS = 200;

describe('hostile cancellation: every stage, against a registry that never answers it', () => {
  let h: HostileRegistry;
  let realm: FaultProxy;
  let fx: ReleaseFixture;
  /** The digest of a referrer that itself has referrers (a signed SBOM, say). */
  let referrer: string;
  const repo = 'hostile/cancel';
  const credentials = (): { get(registry: string): Promise<Credential | undefined> } => ({
    get: async () => (h.reg.auth.mode === 'token' ? { kind: 'basic', username: h.reg.auth.username, password: h.reg.auth.password } : undefined),
  });
  const ref = (): string => `${h.proxy.host}/${repo}:${TAG}`;

  before(async () => {
    h = await startHostileRegistry({ registry: { auth: 'token' }, realmProxy: true, proxy: { otherHost: null } });
    realm = h.realm!;
    fx = await pushReleaseFixture(h.reg, repo, TWO_PLATFORM_RELEASE);
    const first = fx.referrers[0]!.referrers[0]!;
    await pushSigstoreReferrers(h.reg, repo, first, { publicKeyPem: '', keyHint: '', sign: () => '' }, fx.reference);
    referrer = first.digest;
  });
  beforeEach(() => {
    h.proxy.reset();
    realm.reset();
  });
  after(() => h?.stop());

  /** Both proxies idle: no answer in progress, no client connection open. */
  async function quiet(): Promise<void> {
    await Promise.all([h.proxy.settled(), realm.settled()]);
    for (let i = 0; i < 200 && h.proxy.openConnections() + realm.openConnections() > 0; i++) await delay(10);
  }

  /**
   * Runs `work` with a fresh client while `proxy` never answers `path`; cancels as soon as a
   * request for it arrives. Asserts ABORTED within PROMPT_MS, every connection closed once the
   * client is closed, and nothing left in the process; returns the stalled request's record.
   */
  async function cancelWhileStalled(
    proxy: FaultProxy,
    path: string | RegExp,
    work: (client: RegistryClient, signal: AbortSignal) => Promise<unknown>,
  ): Promise<ProxyRecord> {
    await quiet();
    const baseline = activeResources();
    const gate = silence();
    proxy.inject({ path, method: 'GET', fault: attack('never answer', gate.answer) });
    const client = h.client({}, { credentials: credentials() });
    const controller = new AbortController();
    const outcome = work(client, controller.signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    const giveUp = new AbortController();
    const stalled = await Promise.race([
      gate.arrived,
      delay(5_000, undefined, { signal: giveUp.signal }).then(
        () => undefined,
        () => undefined,
      ),
    ]);
    giveUp.abort();
    assert.ok(stalled, `no request for ${String(path)} arrived`);
    const at = performance.now();
    controller.abort();
    const e = await outcome;
    const ms = performance.now() - at;
    assert.ok(e instanceof LensError, `expected ABORTED, got ${String(e)}`);
    assert.deepEqual([e.code, e.message], ['ABORTED', 'The operation was cancelled.']);
    assert.ok(ms < PROMPT_MS, `ABORTED ${ms.toFixed(1)} ms after abort()`);
    await client.close();
    await quiet();
    assert.deepEqual([h.proxy.openConnections(), realm.openConnections()], [0, 0], 'every client connection closed');
    assert.deepEqual(await leftBehind(baseline), [], 'no socket or timer left behind');
    assert.equal(stalled.aborted, true, 'the stalled answer was abandoned by the client');
    return stalled;
  }

  const graphOf = (client: RegistryClient, signal?: AbortSignal): ReturnType<typeof buildGraph> => {
    const { source, target } = openReference(parseReference(ref()), client);
    return buildGraph(source, target, signal ? { signal } : {});
  };

  test('cancelled during the root manifest fetch: ABORTED promptly, nothing left behind', async () => {
    const r = await cancelWhileStalled(h.proxy, `/v2/${repo}/manifests/${TAG}`, graphOf);
    assert.equal(r.method, 'GET');
  });

  test('cancelled during the second wave (platform manifests by digest): ABORTED promptly, nothing left behind', async () => {
    const r = await cancelWhileStalled(h.proxy, /\/manifests\/sha256:[0-9a-f]{64}$/, graphOf);
    assert.ok(fx.index.platforms.some((p) => r.path.endsWith(p.digest)) || fx.index.attestations.some((a) => r.path.endsWith(a.digest)), r.path);
    assert.equal(r.authScheme, 'Bearer', 'the second wave runs with the token');
  });

  test('cancelled during referrers of referrers (the tag-schema index of a referrer): ABORTED promptly, nothing left behind', async () => {
    await cancelWhileStalled(h.proxy, `/v2/${repo}/manifests/sha256-${referrer.slice(7)}`, graphOf);
  });

  test('cancelled during a signature blob fetch in verifyImage: ABORTED promptly, nothing left behind', async () => {
    const sig = fx.cosign.find((c) => c.kind === 'sig')!;
    await cancelWhileStalled(h.proxy, `/v2/${repo}/blobs/${sig.layerDigest}`, async (client, signal) => {
      const { source, target } = openReference(parseReference(ref()), client);
      const graph = await buildGraph(source, target);
      return verifyImage(source, graph, { policy: { requiredPredicateTypes: [], requireTlog: true, sources: {} }, trustRoot: embeddedTrustRoot(), signal });
    });
  });

  /** Waits (a macrotask at a time) until `ready()`; fails after 5 s. */
  async function until(ready: () => boolean): Promise<void> {
    const deadline = performance.now() + 5_000;
    while (!ready()) {
      assert.ok(performance.now() < deadline, 'timed out waiting');
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** What `p` settles to: its value, or what it was rejected with. */
  const settled = (p: Promise<unknown>): Promise<unknown> =>
    p.then(
      (v) => v,
      (e: unknown) => e,
    );

  /**
   * Cancels the caller that started a shared fetch (`first`, settling `a`): it gets ABORTED; then
   * opens `gate`, and the other caller (`b`) gets the manifest `digest` all the same.
   */
  async function cancelTheFirst(first: AbortController, a: Promise<unknown>, gate: Hold, b: Promise<unknown>, digest: string): Promise<void> {
    first.abort();
    const e = await a;
    assert.ok(e instanceof LensError && e.code === 'ABORTED', `the cancelled caller: ${String(e)}`);
    gate.release();
    const m = await b;
    assert.ok(!(m instanceof Error), `the other caller failed: ${m instanceof Error ? m.message : ''}`);
    assert.equal((m as FetchedManifest).digest, digest);
  }

  // Two callers on one client (the extension's tree and a hover, verify --release's images of one
  // repository) wait on one shared fetch; the one that started it is cancelled, then the fetch is
  // released: the other must get its answer, from the same single request.
  test('two callers wait on one token request; cancelling the one that started it leaves the other to finish with that token', async () => {
    await quiet();
    const gate = hold();
    realm.inject({ path: '/token', method: 'GET', fault: attack('hold until released', gate.answer) });
    const exchanges: Exchange[] = [];
    const client = h.client({}, { credentials: credentials(), onExchange: (x) => exchanges.push(x) });
    try {
      const source = client.source(h.proxy.host);
      const [amd64, arm64] = fx.index.platforms;
      const first = new AbortController();
      const a = settled(source.getManifest(repo, amd64!.digest, { signal: first.signal }));
      await gate.arrived;
      const b = settled(source.getManifest(repo, arm64!.digest, { signal: new AbortController().signal }));
      // The 401 is handled in microtasks after its exchange ends: one macrotask later, b waits on the token too.
      await until(() => exchanges.some((x) => x.url.endsWith(arm64!.digest) && x.status === 401));
      await new Promise((resolve) => setImmediate(resolve));
      await cancelTheFirst(first, a, gate, b, arm64!.digest);
      assert.equal(realm.requestsTo('/token').length, 1, 'one token request, shared');
    } finally {
      await client.close();
      await quiet();
    }
  });

  test('two callers wait on one manifest fetch; cancelling the one that started it leaves the other to finish with that answer', async () => {
    await quiet();
    const amd64 = fx.index.platforms[0]!;
    const path = `/v2/${repo}/manifests/${amd64.digest}`;
    const client = h.client({}, { credentials: credentials() });
    try {
      const source = client.source(h.proxy.host);
      await source.getManifest(repo, TAG); // the token, first
      const gate = hold();
      h.proxy.inject({ path, method: 'GET', fault: attack('hold until released', gate.answer) });
      const first = new AbortController();
      const a = settled(source.getManifest(repo, amd64.digest, { signal: first.signal }));
      const b = settled(source.getManifest(repo, amd64.digest, { signal: new AbortController().signal }));
      await gate.arrived;
      await cancelTheFirst(first, a, gate, b, amd64.digest);
      assert.deepEqual(
        h.proxy.requestsTo(path).map((r) => [r.status, r.aborted]),
        [[200, false]],
        'one request, shared, answered whole',
      );
    } finally {
      await client.close();
      await quiet();
    }
  });

  test('cancelled during the token request (realm on another host): ABORTED promptly, nothing left behind', async () => {
    const r = await cancelWhileStalled(realm, '/token', graphOf);
    assert.equal(r.authScheme, 'Basic', 'the token request carried the credentials to the realm');
    assert.deepEqual(
      h.proxy.requests.filter((x) => x.authorization),
      [],
      'no registry request went out with a token',
    );
  });
});
