import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseTagOf } from '../../src/releases/release-tag';
import type { Release } from '../../src/releases/types';

const release = (id: string, tag: string | undefined, refs: string[], origin: Release['origin'] = 'goreleaser'): Release => ({
  id,
  origin,
  name: id,
  ...(tag !== undefined ? { tag } : {}),
  images: refs.map((reference) => ({ reference })),
});

test('the tag of the GoReleaser release that lists the image; none when unknown or ambiguous', () => {
  const fleet = release('goreleaser:/w/.goreleaser.yaml', 'v1.2.0', ['r.test/fleet:1.2.0', 'r.test/fleet:latest']);
  assert.equal(releaseTagOf([fleet], 'r.test/fleet:1.2.0'), 'v1.2.0');
  assert.equal(releaseTagOf([fleet], 'r.test/fleet:latest'), 'v1.2.0');
  assert.equal(releaseTagOf([fleet], 'r.test/other:1.2.0'), undefined);
  // A user's image list has no release tag: the image's own tag stands.
  assert.equal(releaseTagOf([release('user', 'v9', ['r.test/fleet:1.2.0'], 'user')], 'r.test/fleet:1.2.0'), undefined);
  const other = release('goreleaser:/w2/.goreleaser.yaml', 'v2.0.0', ['r.test/fleet:latest']);
  assert.equal(releaseTagOf([fleet, other], 'r.test/fleet:latest'), undefined, 'two releases, two tags: neither is assumed');
  assert.equal(releaseTagOf([fleet, other], 'r.test/fleet:1.2.0'), 'v1.2.0');
});
