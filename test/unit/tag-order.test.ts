import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, releaseTags, sortTags } from '../../src/registry/tag-order';

test('release tags: newest semver first, prereleases below their release, others after', () => {
  const tags = ['latest', 'v0.9.0', 'v0.10.0', 'v0.10.0-rc.2', 'v0.10.0-rc.10', '0.11.0', 'dev', 'v0.10.1-alpha', 'sha256-' + 'a'.repeat(64) + '.sig', 'sha256-' + 'b'.repeat(64)];
  assert.deepEqual(releaseTags(tags), ['0.11.0', 'v0.10.1-alpha', 'v0.10.0', 'v0.10.0-rc.10', 'v0.10.0-rc.2', 'v0.9.0', 'dev', 'latest']);
  assert.equal(sortTags(tags).length, tags.length);
});

test('semver precedence follows the spec (https://semver.org/#spec-item-11)', () => {
  const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  for (let i = 1; i < ordered.length; i++) assert.ok(compareVersions(ordered[i - 1]!, ordered[i]!)! < 0, `${ordered[i - 1]} < ${ordered[i]}`);
  assert.equal(compareVersions('v1.2.3+build.5', '1.2.3'), 0);
  assert.equal(compareVersions('main', '1.0.0'), undefined);
});
