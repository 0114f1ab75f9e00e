import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { causeHeadline, elideShared, wrap } from '../../src/cli/cause-line';
import { identityShort as shortIdentity } from '../../src/releases/cause-words';
import { shortTypes } from '../../src/cli/release-table';

// The command line's short forms of a cause: both sides of a wrong signer cut to what differs,
// GitHub workflow identities in a table cell, requirement types, and wrapping to the terminal.
const wf = (repo: string, file: string, ref: string) => `https://github.com/${repo}/.github/workflows/${file}@refs/tags/${ref}`;

describe('elideShared: the signer seen and the one expected, cut to what differs', () => {
  test('another tag of the same workflow: the ref stays visible on both sides', () => {
    assert.deepEqual(elideShared(wf('org/repo', 'release.yml', 'v1.3.0'), wf('org/repo', 'release.yml', 'v1.2.0')), [
      '…release.yml@refs/tags/v1.3.0',
      '…@refs/tags/v1.2.0',
    ]);
  });

  test('another repository, against a pattern: the owners differ, the shared rest is elided, the pattern shown as written', () => {
    const pattern = '^https://github\\.com/rancher/fleet/\\.github/workflows/release\\.yml@refs/tags/v0\\.13\\.0$';
    assert.deepEqual(elideShared(wf('fleet-fork/fleet', 'release.yml', 'v0.13.0'), { regexp: pattern }), [
      'https://github.com/fleet-fork/…',
      'the pattern ^https://github\\.com/rancher/…',
    ]);
  });

  test('short values are shown whole', () => {
    assert.deepEqual(elideShared('alice@example.com', 'bob@example.com'), ['alice@example.com', 'bob@example.com']);
  });

  test('a headline for each kind of cause', () => {
    const seen = [{ identity: wf('org/repo', 'release.yml', 'v1.3.0'), issuer: 'https://token.actions.githubusercontent.com' }];
    assert.equal(
      causeHeadline({ code: 'IDENTITY_MISMATCH', message: 'm.', seen, expected: { identity: wf('org/repo', 'release.yml', 'v1.2.0') } }),
      'signed by …release.yml@refs/tags/v1.3.0, but the policy expects …@refs/tags/v1.2.0',
    );
    assert.equal(
      causeHeadline({ code: 'ISSUER_MISMATCH', message: 'm.', seen, expected: { issuer: 'https://accounts.example' } }),
      'signed with the OIDC issuer https://token.actions.githubusercontent.com, but the policy expects https://accounts.example',
    );
    assert.equal(
      causeHeadline({ code: 'IDENTITY_MISMATCH', message: 'm.', seen, expected: { keys: ['sha256:ab'] } }),
      `signed by ${seen[0]!.identity}, but the policy expects the key sha256:ab`,
    );
    assert.equal(causeHeadline({ code: 'NO_SIGNATURE', message: 'linux/s390x is not signed.', platform: 'linux/s390x' }), 'linux/s390x is not signed');
  });
});

describe('table cells and wrapping', () => {
  test('GitHub workflow identities as owner/repo/file@tag; a branch keeps refs/heads/; others as they are', () => {
    assert.equal(shortIdentity(wf('org/app', 'release.yml', 'v1.0.0')), 'org/app/release.yml@v1.0.0');
    assert.equal(shortIdentity('https://github.com/org/app/.github/workflows/ci.yml@refs/heads/main'), 'org/app/ci.yml@refs/heads/main');
    assert.equal(shortIdentity('release@example.com'), 'release@example.com');
  });

  test('a requirement with alternatives is one short cell', () => {
    assert.equal(shortTypes('any of https://slsa.dev/provenance/v0.2, https://slsa.dev/provenance/v1'), 'slsa.dev/provenance/{v0.2,v1}');
    assert.equal(shortTypes('https://slsa.dev/provenance/v1'), 'slsa.dev/provenance/v1');
    assert.equal(shortTypes('any of https://spdx.dev/Document, https://cyclonedx.org/bom'), 'spdx.dev/Document|cyclonedx.org/bom');
  });

  test('wrap keeps the indent of the first line and hangs the rest; a word longer than a line has its own', () => {
    assert.deepEqual(wrap('  - one two three four', 12, '    '), ['  - one two', '    three', '    four']);
    assert.deepEqual(wrap('a https://very.long/url/that/does/not/fit b', 10, '  '), ['a', '  https://very.long/url/that/does/not/fit', '  b']);
  });
});
