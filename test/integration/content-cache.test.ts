// The CLI's persistent content cache against a real registry, counted by the fault proxy: a second
// `verify` of the same release asks the registry only what can change (the image's tag, the tag
// list, the referrers API, each cosign and referrers tag) and reads every digest from the cache,
// and still sees what was pushed between the runs: a signature under a new tag, and a cosign tag
// that moved (cosign adds a signature to the same `.sig` tag).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { startFaultProxy } from '../support/fault-proxy';
import type { FaultProxy, ProxyRecord } from '../support/fault-proxy';
import { DEFAULT_PLATFORMS, createSigner, pushCosignSignature, pushReleaseFixture } from '../support/fixtures';
import type { ReleaseFixture } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';

type VerifyJson = Omit<ImageGraph, 'artifacts'> & { artifacts: Array<ImageGraph['artifacts'][number] & ArtifactVerification>; verdict: ImageVerdict };

const REPO = 'team/release';
const TAG = 'v2.0.0';
const PROBE = `GET /v2/${REPO}/referrers/sha256:${'0'.repeat(64)}`;

describe('the content cache: a second verify of a release', () => {
  let reg: TestRegistry;
  let proxy: FaultProxy;
  let fx: ReleaseFixture;
  const work = mkdtempSync(join(tmpdir(), 'pl-content-cache-'));
  const cacheHome = join(work, 'cache');
  const keyFile = join(work, 'cosign.pub');
  before(async () => {
    reg = await startRegistry();
    fx = await pushReleaseFixture(reg, REPO, {
      tag: TAG,
      platforms: DEFAULT_PLATFORMS,
      cosignFor: ['index'],
      referrersFor: ['linux/amd64'],
      dockerListTag: null,
      singleArchTag: null,
    });
    writeFileSync(keyFile, fx.publicKeyPem);
    proxy = await startFaultProxy({ upstream: reg, otherHost: null });
  });
  after(async () => {
    await proxy?.close();
    await reg?.stop();
  });

  /** `verify --json` through the proxy with the shared cache folder; what it printed and asked. */
  async function verify(): Promise<{ out: VerifyJson; code: number; calls: string[] }> {
    proxy.reset();
    const r = await cli(['verify', `${proxy.host}/${REPO}:${TAG}`, '--json', '--key', keyFile, '--insecure-ignore-tlog', '--insecure-registry', proxy.host], {
      XDG_CACHE_HOME: cacheHome,
    });
    await proxy.settled();
    const calls = proxy.requests.filter((x: ProxyRecord) => x.path !== '/v2/').map((x) => `${x.method} ${x.path.split('?')[0]}`);
    return { out: JSON.parse(r.stdout) as VerifyJson, code: r.code, calls };
  }
  const byDigest = (calls: string[]) => calls.filter((c) => /^GET \/v2\/[^ ]+\/(manifests|blobs)\/sha256:/.test(c));

  test('the second run reads every digest from the cache: 3 requests for the image, plus one per signature tag', async () => {
    const first = await verify();
    assert.equal(first.code, 0, JSON.stringify(first.out.verdict));
    assert.ok(byDigest(first.calls).length >= 10, first.calls.join('\n'));
    const second = await verify();
    assert.deepEqual(second.out, first.out);
    const signatureTags = [...fx.cosign.map((c) => c.tag), ...fx.referrers.map((r) => r.tag)];
    assert.deepEqual(
      second.calls.sort(),
      [`GET /v2/${REPO}/manifests/${TAG}`, `GET /v2/${REPO}/tags/list`, PROBE, ...signatureTags.map((t) => `GET /v2/${REPO}/manifests/${t}`)].sort(),
    );
    console.log(
      `# ${fx.index.platforms.length}-platform release, ${signatureTags.length} signature tags: first run ${first.calls.length} requests, second ${second.calls.length} (${byDigest(second.calls).length} by digest)`,
    );
    // What the cache holds: digests only, in shards named by their first byte.
    const root = join(cacheHome, 'provenance-lens', 'manifests-and-blobs');
    for (const shard of readdirSync(root)) {
      assert.match(shard, /^[0-9a-f]{2}$/);
      for (const f of readdirSync(join(root, shard))) assert.match(f, new RegExp(`^sha256-${shard}[0-9a-f]{62}$`));
    }
  });

  test('a signature pushed under a new tag, and a cosign tag that moved, are seen by the next run', async () => {
    const before = await verify();
    assert.deepEqual([before.out.verdict.state, before.code], ['verified', 0]);
    const other = createSigner();
    const arm64 = fx.index.platforms.find((p) => p.key === 'linux/arm64')!.digest;
    // A new tag: a signature for one platform. A moved tag: the index's `.sig`, signed again by
    // another key, as re-signing leaves it (its old signature gone).
    const added = await pushCosignSignature(reg, REPO, arm64, other, fx.reference);
    const moved = await pushCosignSignature(reg, REPO, fx.index.digest, other, fx.reference);
    const after = await verify();
    const signatures = (o: VerifyJson) =>
      o.artifacts
        .filter((a) => a.format === 'cosign-tag' && a.kind === 'signature')
        .map((a) => [a.coversDigest, a.manifestDigest, a.state])
        .sort();
    assert.deepEqual(
      signatures(after.out),
      [
        [fx.index.digest, moved.digest, 'failed'],
        [arm64, added.digest, 'failed'],
      ].sort(),
    );
    assert.equal(after.code, 1);
    assert.notEqual(after.out.verdict.state, 'verified');
    // Only new content is fetched by digest: the new platform's signed payload. The index's payload
    // is the same bytes as before (cosign signs it in the manifest's annotation), read from the cache.
    assert.equal(moved.layerDigest, fx.cosign.find((c) => c.kind === 'sig')!.layerDigest);
    assert.deepEqual(byDigest(after.calls), [`GET /v2/${REPO}/blobs/${added.layerDigest}`]);
  });
});
