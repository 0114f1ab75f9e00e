import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, releaseTags, sortTags } from '../../src/registry/tag-order';
import { parseSemver } from '../../src/core/semver';
import * as goreleaser from '../../src/goreleaser/semver';

test('release tags: newest semver first, prereleases below their release, others after', () => {
  const tags = [
    'latest',
    'v0.9.0',
    'v0.10.0',
    'v0.10.0-rc.2',
    'v0.10.0-rc.10',
    '0.11.0',
    'dev',
    'v0.10.1-alpha',
    'sha256-' + 'a'.repeat(64) + '.sig',
    'sha256-' + 'b'.repeat(64),
  ];
  assert.deepEqual(releaseTags(tags), ['0.11.0', 'v0.10.1-alpha', 'v0.10.0', 'v0.10.0-rc.10', 'v0.10.0-rc.2', 'v0.9.0', 'dev', 'latest']);
  assert.equal(sortTags(tags).length, tags.length);
});

test('semver precedence follows the spec (https://semver.org/#spec-item-11)', () => {
  const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  for (let i = 1; i < ordered.length; i++) assert.ok(compareVersions(ordered[i - 1]!, ordered[i]!)! < 0, `${ordered[i - 1]} < ${ordered[i]}`);
  assert.equal(compareVersions('v1.2.3+build.5', '1.2.3'), 0);
  assert.equal(compareVersions('main', '1.0.0'), undefined);
});

test('one semver reader: complete versions order release tags, GoReleaser also reads partial ones', () => {
  // semver.org's own precedence example (spec item 11), shuffled.
  const spec = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  assert.deepEqual(sortTags([...spec].reverse().sort()), [...spec].reverse());
  assert.equal(parseSemver('v1.2'), undefined, 'a release tag is a complete version');
  assert.deepEqual(goreleaser.parseLooseSemver('v1.2'), { major: 1, minor: 2, patch: 0, prerelease: '', metadata: '' });
  assert.equal(goreleaser.incrementVersion('v1.2.3-rc.1', 'patch'), 'v1.2.3');
  assert.equal(parseSemver('01.2.3'), undefined, 'no leading zeros (spec item 2)');
});
