// What templates are rendered with: fields derived from a tag as GoReleaser derives them,
// where an unresolved name comes from, which variables a template reads, Go time layouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoTime } from '../../src/goreleaser/go-time';
import { incrementVersion, parseLooseSemver } from '../../src/goreleaser/semver';
import { parseGoTemplate, templateVariables } from '../../src/goreleaser/template';
import { contextFromTag, variableSource } from '../../src/goreleaser/template-context';

test('a release tag gives Tag, Version without the v, and the semver parts', () => {
  const { fields } = contextFromTag('v0.13.1');
  assert.deepEqual(fields, {
    IsSnapshot: false,
    IsNightly: false,
    Tag: 'v0.13.1',
    Version: '0.13.1',
    Major: 0,
    Minor: 13,
    Patch: 1,
    Prerelease: '',
    RawVersion: '0.13.1',
  });
});

test('pre-release and build metadata: Prerelease drops the metadata, RawVersion drops both', () => {
  const { fields } = contextFromTag('v1.0.0-beta.1+build.5');
  assert.equal(fields.Version, '1.0.0-beta.1+build.5');
  assert.equal(fields.Prerelease, 'beta.1');
  assert.equal(fields.RawVersion, '1.0.0');
});

test('a tag without v, and a short tag Masterminds completes (v2.1 is 2.1.0)', () => {
  assert.equal(contextFromTag('1.2.3').fields.Version, '1.2.3');
  const { fields } = contextFromTag('v2.1');
  assert.deepEqual([fields.Major, fields.Minor, fields.Patch, fields.RawVersion], [2, 1, 0, '2.1.0']);
});

test('a tag that is not semver keeps Tag and Version but leaves the semver fields unresolved', () => {
  const { fields } = contextFromTag('nightly');
  assert.equal(fields.Tag, 'nightly');
  assert.equal(fields.Version, 'nightly');
  assert.equal('Major' in fields, false);
  assert.equal(parseLooseSemver('v01.2.3'), undefined);
});

test('commit, short commit, branch, dates and flags', () => {
  const c = contextFromTag('v1.0.0', {
    commit: '3b2c622ce176b11644abc7fb768f87c3ffb5a3ab',
    shortCommit: '3b2c622c',
    branch: 'release/v0.13',
    dirty: true,
    commitDate: new Date('2025-06-01T10:00:00Z'),
    date: new Date('2025-06-02T11:00:00.123Z'),
    snapshot: true,
    nightly: false,
    draft: true,
  });
  assert.equal(c.fields.FullCommit, '3b2c622ce176b11644abc7fb768f87c3ffb5a3ab');
  assert.equal(c.fields.ShortCommit, '3b2c622c');
  assert.equal(c.fields.Branch, 'release/v0.13');
  assert.deepEqual([c.fields.IsGitDirty, c.fields.IsGitClean, c.fields.GitTreeState], [true, false, 'dirty']);
  assert.deepEqual([c.fields.CommitDate, c.fields.CommitTimestamp], ['2025-06-01T10:00:00Z', 1748772000]);
  assert.deepEqual([c.fields.Date, c.fields.Timestamp], ['2025-06-02T11:00:00Z', 1748862000]);
  assert.deepEqual([c.fields.IsSnapshot, c.fields.IsNightly, c.fields.IsDraft], [true, false, true]);
  assert.equal(c.now?.toISOString(), '2025-06-02T11:00:00.123Z');
  assert.equal(contextFromTag('v1', { commit: '0123456789abcdef' }).fields.ShortCommit, '0123456');
});

test('unresolved names say where they come from', () => {
  assert.equal(variableSource('.Env.STAGE_REGISTRY'), 'env');
  assert.equal(variableSource('.Tag'), 'tag');
  assert.equal(variableSource('.Major'), 'tag');
  assert.equal(variableSource('.FullCommit'), 'git');
  assert.equal(variableSource('.ProjectName'), 'config');
  assert.equal(variableSource('time'), 'clock');
  assert.equal(variableSource('.IsDraft'), 'release');
});

test('the variables a template reads, in order, including isEnvSet, envOrDefault and index .Env', () => {
  const parsed = parseGoTemplate(
    '{{ if isEnvSet "IS_HOTFIX" }}{{ .Env.IS_HOTFIX }}{{ end }}{{ .Tag }}-{{ envOrDefault "ARCH" "amd64" }}{{ index .Env "X" }}{{ time "2006" }}{{ with .Env.Y }}{{ .Z }}{{ end }}',
  );
  assert.ok(parsed.ok);
  assert.deepEqual(templateVariables(parsed.template), ['.Env.IS_HOTFIX', '.Tag', '.Env.ARCH', '.Env.X', 'time', '.Env.Y']);
});

test('Masterminds increments keep the v and drop pre-releases', () => {
  assert.equal(incrementVersion('v1.2.3-rc.1', 'patch'), 'v1.2.3');
  assert.equal(incrementVersion('v1.2.3-rc.1', 'minor'), 'v1.3.0');
  assert.equal(incrementVersion('1.2.3+meta', 'patch'), '1.2.4');
  assert.equal(incrementVersion('v0.9.9', 'major'), 'v1.0.0');
  assert.equal(incrementVersion('main', 'patch'), undefined);
});

test('Go reference-time layouts, in UTC', () => {
  const d = new Date('2006-01-02T15:04:05.120Z');
  assert.equal(formatGoTime(d, '2006-01-02T15:04:05Z07:00'), '2006-01-02T15:04:05Z');
  assert.equal(formatGoTime(d, 'Mon Jan _2 15:04:05 MST 2006'), 'Mon Jan  2 15:04:05 UTC 2006');
  assert.equal(formatGoTime(d, '02/01/06 03:04PM -0700'), '02/01/06 03:04PM +0000');
  assert.equal(formatGoTime(d, 'Monday, January 2 .000 .999 002'), 'Monday, January 2 .120 .12 002');
  assert.equal(formatGoTime(new Date('2025-12-31T00:00:00Z'), '2006.002 3pm'), '2025.365 12am');
});
