// The Releases view's question "signed by other signers than the release before?" (SignerWatch):
// when it is asked (once the whole release has settled, never with a policy that pins both), what
// it answers, and that an answer belongs to the load it was asked for. The rule itself is
// signerChangeBetween's (diff-parts.test.ts); the whole path through a real registry is the
// e2e diff-view suite's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import type { ImageGraph } from '../../src/model/image-graph';
import { ReleaseService } from '../../src/releases/release-service';
import { SignerWatch } from '../../src/releases/signer-watch';
import type { SignerWatchPorts } from '../../src/releases/signer-watch';
import type { Release } from '../../src/releases/types';
import type { ImageVerification } from '../../src/releases/verification';
import { releaseSignerChange, signerChangedText, signerChangedTooltip } from '../../src/views/signer-change-words';
import { indexGraph, letterDigest } from '../support/image-graphs';

const GHA = 'https://token.actions.githubusercontent.com';
const workflow = (repo: string, tag: string): string => `https://github.com/${repo}/.github/workflows/release.yml@refs/tags/${tag}`;

/** Who signs which image: `app` moved to a fork's workflow at v1.1.0; `same` is signed by its own workflow at each tag. */
const SIGNED_BY: Record<string, string> = {
  'r.test/app:v1.0.0': workflow('acme/app', 'v1.0.0'),
  'r.test/app:v1.1.0': workflow('fork/app', 'v1.1.0'),
  'r.test/same:v1.0.0': workflow('acme/same', 'v1.0.0'),
  'r.test/same:v1.1.0': workflow('acme/same', 'v1.1.0'),
};

/** An index with no platforms at `reference` (r.test/<repository>:<tag>). */
const graph = (reference: string): ImageGraph => indexGraph(letterDigest('a'), [], { reference });

/** A verification with one valid signature nobody pinned, by SIGNED_BY's identity: what signersOf reads. */
function verification(g: ImageGraph): ImageVerification {
  const identity = SIGNED_BY[g.reference]!;
  return {
    artifacts: [{ kind: 'signature', state: 'unpinned', identity, issuer: GHA, digest: 'sha256:s', coversDigest: g.digest, checks: [] }],
    verdict: { state: 'unpinned', causes: [], checks: [], digests: [] },
    trustRoot: {},
  } as unknown as ImageVerification;
}

function setup(o: { pinned?: boolean; tags?: string[] } = {}) {
  const inspected: string[] = [];
  const held = new Map<string, () => void>();
  const service = new ReleaseService({
    inspect: async (reference) => {
      inspected.push(reference);
      // The release's own images wait until the test lets them go.
      if (reference.endsWith(':v1.1.0')) await new Promise<void>((resolve) => held.set(reference, resolve));
      return graph(reference);
    },
    verify: async (g) => verification(g),
  });
  const asked: string[] = [];
  const ports: SignerWatchPorts = {
    listTags: async (reference) => {
      asked.push(reference);
      return o.tags ?? ['latest', 'v1.0.0', 'v1.1.0', 'v1.2.0-rc.1', 'sha256-abc.sig'];
    },
    policy: async () => (o.pinned ? { identity: {} as never } : {}),
  };
  const watch = new SignerWatch(service, ports);
  const heard: string[] = [];
  watch.onDidChange((r) => heard.push(r));
  const release: Release = {
    id: 'goreleaser:/w/.goreleaser.yaml',
    origin: 'goreleaser',
    name: 'app',
    tag: 'v1.1.0',
    images: [{ reference: 'r.test/app:v1.1.0' }, { reference: 'r.test/same:v1.1.0' }, { reference: null, unresolved: ['.Env.X'] }],
  };
  service.setReleases([release]);
  // The tree draws the images: that starts their loads.
  for (const i of release.images) if (i.reference) service.state(i.reference);
  const letGo = async (reference: string): Promise<void> => {
    while (!held.has(reference)) await delay(1);
    held.get(reference)!();
    held.delete(reference);
    await service.ensure(reference);
  };
  return { service, watch, asked, inspected, heard, letGo };
}

test("asked once every image of the release has settled; a fork's workflow is another signer, its own workflow at its own tag is not", async () => {
  const { service, watch, asked, inspected, heard, letGo } = setup();
  await letGo('r.test/app:v1.1.0');
  await delay(5);
  assert.deepEqual(asked, [], 'one image of the release is still loading: nothing is asked yet');
  await letGo('r.test/same:v1.1.0');
  await delay(5);
  await watch.idle();
  assert.deepEqual(asked.sort(), ['r.test/app:v1.1.0', 'r.test/same:v1.1.0']);
  // The previous release is v1.0.0 (a prerelease of a later version is not before v1.1.0), read through the service.
  assert.deepEqual(inspected.filter((r) => r.endsWith(':v1.0.0')).sort(), ['r.test/app:v1.0.0', 'r.test/same:v1.0.0']);
  const app = watch.change('r.test/app:v1.1.0');
  assert.deepEqual(app && { ...app }, {
    previous: 'r.test/app:v1.0.0',
    previousTag: 'v1.0.0',
    changed: true,
    before: [{ identity: workflow('acme/app', 'v1.0.0'), issuer: GHA }],
    after: [{ identity: workflow('fork/app', 'v1.1.0'), issuer: GHA }],
    beforeText: [`${workflow('acme/app', 'v1.0.0')} (issuer ${GHA})`],
    afterText: [`${workflow('fork/app', 'v1.1.0')} (issuer ${GHA})`],
  });
  assert.equal(watch.change('r.test/same:v1.1.0')?.changed, false);
  assert.deepEqual(heard.sort(), ['r.test/app:v1.1.0', 'r.test/same:v1.1.0']);

  // The words of the view.
  assert.equal(signerChangedText(app!), 'Signed by other signers than v1.0.0');
  assert.equal(releaseSignerChange([{ seen: app! }]), 'signer changed since v1.0.0');
  assert.equal(releaseSignerChange([]), undefined);
  assert.deepEqual(signerChangedTooltip(app!).split('\n').slice(0, 3), [
    'Signed by other signers than r.test/app:v1.0.0, the release before.',
    `Then: ${workflow('acme/app', 'v1.0.0')} (issuer ${GHA}).`,
    `Now: ${workflow('fork/app', 'v1.1.0')} (issuer ${GHA}).`,
  ]);

  // A refresh drops the answer with the load it was about; the new load asks again.
  service.refresh('r.test/app:v1.1.0');
  assert.equal(watch.change('r.test/app:v1.1.0'), undefined);
  service.state('r.test/app:v1.1.0');
  await letGo('r.test/app:v1.1.0');
  await delay(5);
  await watch.idle();
  assert.equal(watch.change('r.test/app:v1.1.0')?.changed, true);
  watch.dispose();
  service.dispose();
});

test('a policy that pins a signer for both releases leaves nothing to ask: the previous release is not even read', async () => {
  const { service, watch, inspected, letGo } = setup({ pinned: true });
  await letGo('r.test/app:v1.1.0');
  await letGo('r.test/same:v1.1.0');
  await delay(5);
  await watch.idle();
  assert.equal(watch.change('r.test/app:v1.1.0'), undefined);
  assert.deepEqual(
    inspected.filter((r) => r.endsWith(':v1.0.0')),
    [],
  );
  watch.dispose();
  service.dispose();
});

test('no release before the tag: nothing to compare, nothing said', async () => {
  const { service, watch, inspected, letGo } = setup({ tags: ['v1.1.0', 'v2.0.0', 'latest'] });
  await letGo('r.test/app:v1.1.0');
  await letGo('r.test/same:v1.1.0');
  await delay(5);
  await watch.idle();
  assert.equal(watch.change('r.test/app:v1.1.0'), undefined);
  assert.deepEqual(inspected.sort(), ['r.test/app:v1.1.0', 'r.test/same:v1.1.0']);
  watch.dispose();
  service.dispose();
});
