import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../support/registry';
import { pushReleaseFixture, type ReleaseFixture } from '../support/fixtures';
import { RegistryClient } from '../../src/registry/client';
import { DiskCache } from '../../src/registry/cache';
import { DockerConfigCredentials } from '../../src/registry/docker-config';
import { buildGraph } from '../../src/registry/graph';
import { openReference } from '../../src/registry/open';
import { atPriority } from '../../src/registry/priority-source';
import { parseReference } from '../../src/registry/reference';
import type { Exchange } from '../../src/registry/transport';

async function inspect(client: RegistryClient, ref: string) {
  const { source, target } = openReference(parseReference(ref), client);
  return buildGraph(source, target);
}

describe('registry client behaviour against a real token-auth registry', () => {
  let reg: TestRegistry;
  let fx: ReleaseFixture;
  before(async () => {
    reg = await startRegistry({ auth: 'token', tokenTtlSeconds: 2 });
    fx = await pushReleaseFixture(reg, 'team/app', {
      cosignFor: ['index', 'linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/s390x'],
      referrersFor: ['index', 'linux/amd64'],
      sbom: true,
      dockerListTag: null,
      singleArchTag: null,
    });
  });
  after(() => reg.stop());

  function credentialsFile(entry: Record<string, string>): DockerConfigCredentials {
    const dir = mkdtempSync(join(tmpdir(), 'pl-dc-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [reg.host]: entry } }));
    return new DockerConfigCredentials({ env: { DOCKER_CONFIG: dir, PATH: process.env.PATH } });
  }

  test('nothing is fetched twice, one token per scope, independent requests in parallel', async () => {
    if (reg.auth.mode !== 'token') throw new Error('token mode');
    const exchanges: Exchange[] = [];
    const auth = Buffer.from(`${reg.auth.username}:${reg.auth.password}`).toString('base64');
    const client = new RegistryClient({ credentials: credentialsFile({ auth }), onExchange: (e) => exchanges.push(e) });
    reg.auth.tokenServer.clearRequests();
    const g = await inspect(client, `${reg.host}/team/app:v1.0.0`);
    await client.close();
    assert.equal(g.digest, fx.index.digest);
    assert.equal(g.artifacts.filter((a) => a.format === 'cosign-tag').length, fx.cosign.length);
    // Apart from the first request of each kind answered 401 and retried with a token,
    // every registry URL is requested once.
    const ok = exchanges.filter((e) => e.status !== 401 && !e.url.includes('/token'));
    const urls = ok.map((e) => `${e.method} ${e.url}`);
    assert.deepEqual(
      urls.filter((u, i) => urls.indexOf(u) !== i),
      [],
    );
    assert.equal(reg.auth.tokenServer.requests.length, 1);
    assert.deepEqual(reg.auth.tokenServer.requests[0]!.scopes, ['repository:team/app:pull']);
    assert.equal(reg.auth.tokenServer.requests[0]!.hasAuthorization, true);
    // No refresh token is kept, so none is asked for: the server issues one only with offline_token.
    assert.equal(reg.auth.tokenServer.requests[0]!.query.offline_token, undefined);
  });

  test('an identity (refresh) token from the Docker config is exchanged with a POST refresh_token grant', async () => {
    if (reg.auth.mode !== 'token') throw new Error('token mode');
    const refresh = reg.auth.tokenServer.issueRefreshToken(reg.auth.username);
    const client = new RegistryClient({ credentials: credentialsFile({ identitytoken: refresh }) });
    reg.auth.tokenServer.clearRequests();
    const g = await inspect(client, `${reg.host}/team/app:v1.0.0`);
    await client.close();
    assert.equal(g.digest, fx.index.digest);
    const [req] = reg.auth.tokenServer.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.grantType, 'refresh_token');
    assert.equal(req?.status, 200);
  });

  test('a token is cached until it expires, then fetched again', async () => {
    if (reg.auth.mode !== 'token') throw new Error('token mode');
    const auth = Buffer.from(`${reg.auth.username}:${reg.auth.password}`).toString('base64');
    const client = new RegistryClient({ credentials: credentialsFile({ auth }) });
    reg.auth.tokenServer.clearRequests();
    const source = client.source(reg.host);
    await source.getManifest('team/app', 'v1.0.0');
    await source.getManifest('team/app', fx.index.platforms[0]!.digest);
    assert.equal(reg.auth.tokenServer.requests.length, 1);
    await new Promise((r) => setTimeout(r, 2100)); // TTL 2 s
    await source.getManifest('team/app', fx.index.platforms[1]!.digest);
    assert.equal(reg.auth.tokenServer.requests.length, 2);
    await client.close();
  });

  test('with a persistent cache, a second inspect reads every digest from disk and asks only for what can change', async () => {
    if (reg.auth.mode !== 'token') throw new Error('token mode');
    const auth = Buffer.from(`${reg.auth.username}:${reg.auth.password}`).toString('base64');
    const dir = mkdtempSync(join(tmpdir(), 'pl-cache-'));
    const first: Exchange[] = [];
    const c1 = new RegistryClient({ credentials: credentialsFile({ auth }), cache: new DiskCache(dir), onExchange: (e) => first.push(e) });
    const g1 = await inspect(c1, `${reg.host}/team/app:v1.0.0`);
    await c1.close();
    const second: Exchange[] = [];
    const c2 = new RegistryClient({ credentials: credentialsFile({ auth }), cache: new DiskCache(dir), onExchange: (e) => second.push(e) });
    const g2 = await inspect(c2, `${reg.host}/team/app:v1.0.0`);
    await c2.close();
    assert.deepEqual(g2, g1);
    const registryCalls = (xs: Exchange[]) =>
      xs
        .filter((e) => new URL(e.url).pathname.startsWith('/v2/team/app/') && typeof e.status === 'number' && e.status !== 401)
        .map((e) => `${e.method} ${new URL(e.url).pathname.slice('/v2/team/app/'.length)}`);
    const byDigest = (xs: string[]) => xs.filter((x) => /^GET (manifests|blobs)\/sha256:/.test(x));
    assert.ok(byDigest(registryCalls(first)).length >= 8, `first run: ${registryCalls(first).join(', ')}`);
    // What can change: the image's tag, the tag list, the referrers API, and every cosign and
    // referrers tag (`sha256-<hex>.sig`, `sha256-<hex>`: cosign adds signatures to the same tag).
    const signatureTags = [...fx.cosign.map((c) => c.tag), ...fx.referrers.map((r) => r.tag)];
    assert.deepEqual(
      registryCalls(second).sort(),
      ['GET manifests/v1.0.0', 'GET tags/list', `GET referrers/sha256:${'0'.repeat(64)}`, ...signatureTags.map((t) => `GET manifests/${t}`)].sort(),
    );
  });

  test("requests waiting for a slot start by their image's turn, lower first, then in the order they came", async () => {
    if (reg.auth.mode !== 'token') throw new Error('token mode');
    const auth = Buffer.from(`${reg.auth.username}:${reg.auth.password}`).toString('base64');
    const started: string[] = [];
    const client = new RegistryClient({
      credentials: credentialsFile({ auth }),
      limits: { concurrencyPerHost: 1 },
      onExchange: (e) => e.status === 200 && started.push(new URL(e.url).pathname.split('/').pop()!),
    });
    const source = client.source(reg.host);
    await source.getManifest('team/app', 'v1.0.0'); // the token and the scheme, out of the way
    started.length = 0;
    const [p0, p1, p2, p3] = fx.index.platforms.map((p) => p.digest) as [string, string, string, string];
    const later = atPriority(source, 5);
    const sooner = atPriority(source, 1);
    await Promise.all([
      later.getManifest('team/app', p0),
      later.getManifest('team/app', p1),
      later.getManifest('team/app', p2),
      sooner.getManifest('team/app', p3),
    ]);
    await client.close();
    assert.deepEqual(started, [p0, p3, p1, p2], 'p0 had the slot; p3 went before the two asked for earlier at a later turn');
  });

  test('forty images opened at once: one request learns the scheme and one the referrers API, the others wait for their answers', async () => {
    if (reg.auth.mode !== 'token') throw new Error('token mode');
    const auth = Buffer.from(`${reg.auth.username}:${reg.auth.password}`).toString('base64');
    const exchanges: Exchange[] = [];
    const client = new RegistryClient({ credentials: credentialsFile({ auth }), onExchange: (e) => exchanges.push(e) });
    const graphs = await Promise.all(Array.from({ length: 40 }, () => inspect(client, `${reg.host}/team/app:v1.0.0`)));
    await client.close();
    assert.ok(graphs.every((g) => g.digest === fx.index.digest && g.referrersApi === false));
    // The registry speaks plain HTTP: one attempt over TLS failed, not one per image.
    assert.equal(exchanges.filter((e) => e.status === 'error').length, 1);
    assert.equal(exchanges.filter((e) => e.url.startsWith('https:')).length, 1);
    const probes = exchanges.filter((e) => new URL(e.url).pathname.includes('/referrers/') && e.status !== 401);
    assert.deepEqual(
      probes.map((e) => e.status),
      [404],
    );
  });

  test('per-host concurrency is bounded', async () => {
    if (reg.auth.mode !== 'token') throw new Error('token mode');
    const auth = Buffer.from(`${reg.auth.username}:${reg.auth.password}`).toString('base64');
    // Each exchange is logged with its duration when it ends: rebuild the timeline from that.
    const timeline: Array<[number, number]> = [];
    const client = new RegistryClient({
      credentials: credentialsFile({ auth }),
      limits: { concurrencyPerHost: 3 },
      onExchange: (e) => timeline.push([performance.now() - e.ms, performance.now()]),
    });
    await inspect(client, `${reg.host}/team/app:v1.0.0`);
    await client.close();
    let inFlight = 0;
    let peak = 0;
    const events = timeline
      .flatMap(
        ([s, e]) =>
          [
            [s, 1],
            [e, -1],
          ] as const,
      )
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [, d] of events) {
      inFlight += d;
      peak = Math.max(peak, inFlight);
    }
    assert.ok(peak <= 3, `peak ${peak}`);
    assert.ok(peak >= 2, `peak ${peak}: requests should overlap`);
  });
});
