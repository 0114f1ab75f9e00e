// The policy edits behind the editor's quick fixes (src/fixes/policy-edit.ts): what is written
// into `.provenance-lens.yaml`, that every other byte stays, and that the validator that reads the
// file for verification then expects the pinned signer (or states the exception) for that image
// and nothing more.
import { before, test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { exceptionEdit, NEW_POLICY_HEADER, pinSignerEdit } from '../../src/fixes/policy-edit';
import type { PolicyEdit } from '../../src/fixes/policy-edit';
import { policyStarter } from '../../src/fixes/policy-starter';
import { parsePolicyFile, policyForImage } from '../../src/verify/policy';
import type { ImagePolicy } from '../../src/verify/policy';
import { writeDemoWorkspace } from '../../tools/demo-workspace';

const ISSUER = 'https://token.actions.githubusercontent.com';
const FORK = 'https://github.com/fleet-fork/fleet/.github/workflows/release.yml@refs/tags/v0.13.0';
const AGENT = '127.0.0.1:5000/rancher/fleet-agent:v0.13.0';
const PATH = '/ws/.provenance-lens.yaml';

/** The demo workspace's policy (tools/demo-workspace.ts), as `npm run demo` writes it. */
let DEMO = '';
before(() => {
  const dir = mkdtempSync(join(tmpdir(), 'pl-fixes-policy-'));
  try {
    writeDemoWorkspace(dir, { registryHost: '127.0.0.1:5000' });
    DEMO = readFileSync(join(dir, '.provenance-lens.yaml'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.match(DEMO, /\n {2}- image: "\*\/rancher\/fleet-agent"\n {4}builtIn: rancher\/fleet\n$/);
});

function ok<E extends PolicyEdit>(edit: E): E & { ok: true } {
  if (!edit.ok) assert.fail(edit.reason);
  return edit as E & { ok: true };
}

function resolved(text: string, reference: string): ImagePolicy {
  const parsed = parsePolicyFile(text, PATH);
  assert.deepEqual(parsed.diagnostics, []);
  return policyForImage(parsed.policy, reference);
}

test('pin on the demo: fleet-agent gets its own entry, a copy of the glob entry with github: naming the fork, after it', () => {
  const edit = ok(pinSignerEdit({ text: DEMO, path: PATH, reference: AGENT }, { identity: FORK, issuer: ISSUER }));
  assert.equal(edit.how, 'copied');
  assert.equal(edit.from, '*/rancher/fleet-agent');
  assert.equal(edit.entry, '127.0.0.1:5000/rancher/fleet-agent');
  assert.equal(edit.label, "fleet-fork/fleet's release.yml");
  assert.deepEqual(edit.change, {
    start: DEMO.length,
    end: DEMO.length,
    insert:
      '  - image: 127.0.0.1:5000/rancher/fleet-agent\n    builtIn: rancher/fleet\n    github:\n      repository: fleet-fork/fleet\n      workflow: release.yml\n',
  });
  assert.equal(edit.text, DEMO + edit.change.insert);
  const agent = resolved(edit.text, AGENT);
  assert.equal(agent.matchedPattern, '127.0.0.1:5000/rancher/fleet-agent');
  assert.deepEqual(agent.identity, { regexp: '^https://github\\.com/fleet-fork/fleet/\\.github/workflows/release\\.yml@refs/tags/v0\\.13\\.0$' });
  assert.deepEqual(agent.issuer, { exact: ISSUER });
  assert.equal(agent.slsa?.sourceRepository, 'https://github.com/fleet-fork/fleet');
  assert.deepEqual(agent.requiredPredicateTypes, []);
  assert.deepEqual(
    agent.requiredAttestations?.map((a) => a.name),
    ['slsa-provenance'],
  );
  // The glob is not widened: fleet-agent elsewhere still needs rancher/fleet.
  const elsewhere = resolved(edit.text, 'ghcr.io/rancher/fleet-agent:v0.13.0');
  assert.equal(elsewhere.matchedPattern, '*/rancher/fleet-agent');
  assert.match(JSON.stringify(elsewhere.identity), /rancher\/fleet\/\\\\\.github/);
});

test('pin into an exact entry: edited in place, its keys dropped, comments and layout elsewhere untouched', () => {
  const text = [
    'version: 1',
    'defaults:',
    '  attestations: [slsa-provenance]   # signed',
    '',
    'images:',
    '  - image: ghcr.io/org/app    # the app',
    '    keys: [keys/cosign.pub]',
    '    requireTlog: false',
    '  - image: ghcr.io/org/other',
    '',
  ].join('\n');
  const signer = { identity: 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v2.0.0', issuer: ISSUER };
  const edit = ok(pinSignerEdit({ text, path: PATH, reference: 'ghcr.io/org/app:v2.0.0' }, signer));
  assert.equal(edit.how, 'edited');
  assert.equal(
    edit.text,
    [
      'version: 1',
      'defaults:',
      '  attestations: [slsa-provenance]   # signed',
      '',
      'images:',
      '  - image: ghcr.io/org/app # the app',
      '    requireTlog: false',
      '    github:',
      '      repository: org/app',
      '      workflow: release.yml',
      '  - image: ghcr.io/org/other',
      '',
    ].join('\n'),
  );
  assert.equal(edit.text.slice(0, edit.change.start), text.slice(0, edit.change.start));
  assert.equal(edit.text.slice(edit.change.start + edit.change.insert.length), text.slice(edit.change.end));
  const p = resolved(edit.text, 'ghcr.io/org/app:v2.0.0');
  assert.equal(p.keys, undefined);
  assert.deepEqual(p.identity, { regexp: '^https://github\\.com/org/app/\\.github/workflows/release\\.yml@refs/tags/v2\\.0\\.0$' });
});

test('no policy file yet: a new file with version 1 and an entry for the image', () => {
  const edit = ok(pinSignerEdit({ text: undefined, path: PATH, reference: AGENT }, { identity: FORK, issuer: ISSUER }));
  assert.equal(edit.how, 'new-file');
  assert.equal(
    edit.text,
    `${NEW_POLICY_HEADER}images:\n  - image: 127.0.0.1:5000/rancher/fleet-agent\n    github:\n      repository: fleet-fork/fleet\n      workflow: release.yml\n`,
  );
  assert.match(edit.text, /^# .*\n# .*\nversion: 1\n/);
  assert.deepEqual(resolved(edit.text, AGENT).identity, {
    regexp: '^https://github\\.com/fleet-fork/fleet/\\.github/workflows/release\\.yml@refs/tags/v0\\.13\\.0$',
  });
});

test("a signer that is no GitHub workflow: identity and issuer as exact text, the entry's own github: dropped, a default github: named as a caveat", () => {
  const text =
    'version: 1\ndefaults:\n  github: { workflow: release.yml }\nimages:\n  - image: registry.example.com/team/app\n    github: { repository: team/app }\n';
  const signer = { identity: 'release-bot@example.com', issuer: 'https://accounts.example.com' };
  const edit = ok(pinSignerEdit({ text, path: PATH, reference: 'registry.example.com/team/app:1.0' }, signer));
  assert.equal(
    edit.text,
    'version: 1\ndefaults:\n  github: { workflow: release.yml }\nimages:\n  - image: registry.example.com/team/app\n    identity: release-bot@example.com\n    issuer: https://accounts.example.com\n',
  );
  assert.equal(edit.caveat, 'defaults.github still applies its GitHub certificate claims to this image.');
  const p = resolved(edit.text, 'registry.example.com/team/app:1.0');
  assert.deepEqual([p.identity, p.issuer], [{ exact: 'release-bot@example.com' }, { exact: 'https://accounts.example.com' }]);
});

test('an identity stated in defaults would win over github:, so the entry states the seen one, with {{tag}} for the tag', () => {
  const text =
    'version: 1\ndefaults:\n  identity: https://github.com/{{builtIn}}/.github/workflows/release.yml@refs/tags/{{tag}}\n  issuer: https://token.actions.githubusercontent.com\nimages:\n  - image: ghcr.io/org/app\n';
  const signer = { identity: 'https://github.com/org/app/.github/workflows/publish.yml@refs/tags/v3.1.0', issuer: ISSUER };
  const edit = ok(pinSignerEdit({ text, path: PATH, reference: 'ghcr.io/org/app:v3.1.0' }, signer));
  assert.match(
    edit.text,
    /\n {4}identity: https:\/\/github\.com\/org\/app\/\.github\/workflows\/publish\.yml@refs\/tags\/\{\{tag\}\}\n {4}issuer: https:\/\/token\.actions\.githubusercontent\.com\n$/,
  );
  assert.deepEqual(resolved(edit.text, 'ghcr.io/org/app:v3.1.0').identity, {
    exact: 'https://github.com/org/app/.github/workflows/publish.yml@refs/tags/v3.1.0',
  });
  assert.deepEqual(resolved(edit.text, 'ghcr.io/org/app:v3.2.0').identity, {
    exact: 'https://github.com/org/app/.github/workflows/publish.yml@refs/tags/v3.2.0',
  });
});

test('a run from a branch pins that ref; a default ref other than the tag is overridden back to it', () => {
  const branch = { identity: 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main', issuer: ISSUER };
  const edit = ok(pinSignerEdit({ text: 'version: 1\nimages: []\n', path: PATH, reference: 'ghcr.io/org/app:latest' }, branch));
  assert.match(edit.text, /github:\n\s+repository: org\/app\n\s+workflow: release\.yml\n\s+ref: refs\/heads\/main\n/);
  const tagged = { identity: 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v1.0.0', issuer: ISSUER };
  const text = 'version: 1\ndefaults:\n  github: { ref: refs/heads/main }\nimages:\n  - image: ghcr.io/org/app\n';
  const again = ok(pinSignerEdit({ text, path: PATH, reference: 'ghcr.io/org/app:v1.0.0' }, tagged));
  assert.match(again.text, /\n {6}ref: refs\/tags\/\{\{tag\}\}\n$/);
  assert.deepEqual(resolved(again.text, 'ghcr.io/org/app:v1.0.0').identity, {
    regexp: '^https://github\\.com/org/app/\\.github/workflows/release\\.yml@refs/tags/v1\\.0\\.0$',
  });
});

test('an image no entry matches: a new entry at the end of images:, or an images: list when there is none', () => {
  const signer = { identity: FORK, issuer: ISSUER };
  const added = ok(
    pinSignerEdit({ text: 'version: 1\nimages:\n  - image: ghcr.io/x/y\n', path: PATH, reference: 'docker.io/rancher/fleet-agent:v0.13.0' }, signer),
  );
  assert.equal(added.how, 'added');
  assert.equal(
    added.text,
    'version: 1\nimages:\n  - image: ghcr.io/x/y\n  - image: docker.io/rancher/fleet-agent\n    github:\n      repository: fleet-fork/fleet\n      workflow: release.yml\n',
  );
  const none = ok(
    pinSignerEdit({ text: '# mine\nversion: 1', path: PATH, reference: 'nginx:1.27' }, { identity: 'a@example.com', issuer: 'https://issuer.example' }),
  );
  assert.equal(none.text, '# mine\nversion: 1\nimages:\n  - image: docker.io/library/nginx\n    identity: a@example.com\n    issuer: https://issuer.example\n');
});

test("exception: the reason is stated on the image's entry (a copy of a glob's); an empty reason is refused", () => {
  const edit = ok(exceptionEdit({ text: DEMO, path: PATH, reference: '127.0.0.1:5000/rancher/fleet:v0.13.0' }, '  Staging image, signed at promotion. '));
  assert.equal(edit.change.insert, '  - image: 127.0.0.1:5000/rancher/fleet\n    exception:\n      reason: Staging image, signed at promotion.\n');
  // Inserted right after the glob it copies, before the next entry.
  assert.equal(edit.change.start, DEMO.indexOf('  - image: "*/rancher/fleet-agent"'));
  assert.deepEqual(resolved(edit.text, '127.0.0.1:5000/rancher/fleet:v0.13.0').exception, { reason: 'Staging image, signed at promotion.' });
  assert.equal(resolved(edit.text, 'docker.io/rancher/fleet:v0.13.0').exception, undefined);
  assert.deepEqual(exceptionEdit({ text: DEMO, path: PATH, reference: AGENT }, '  '), {
    ok: false,
    reason: 'An exception needs a reason: it is shown beside every result for the image.',
  });
});

test('a policy with errors is not edited: none of it is used, and the reason says where', () => {
  const edit = pinSignerEdit(
    { text: 'version: 1\nimages:\n  - image: ghcr.io/o/a\n    identiy: x\n', path: PATH, reference: 'ghcr.io/o/a:v1' },
    { identity: FORK, issuer: ISSUER },
  );
  assert.equal(edit.ok, false);
  assert.match(edit.ok ? '' : edit.reason, /^\/ws\/\.provenance-lens\.yaml has errors, so none of it is used \(line 4: .*identiy.*\); fix them first\.$/);
});

test('a key is not pinned from its fingerprint', () => {
  const edit = pinSignerEdit({ text: DEMO, path: PATH, reference: AGENT }, { keyId: 'SHA256:abc' });
  assert.equal(edit.ok, false);
});

test('flow-style lists: an empty one becomes a block list; an entry joins a non-empty one in its style', () => {
  const signer = { identity: 'a@example.com', issuer: 'https://issuer.example' };
  const empty = ok(pinSignerEdit({ text: 'version: 1\nimages: []   # none yet\n', path: PATH, reference: 'ghcr.io/o/a:v1' }, signer));
  assert.equal(empty.text, 'version: 1\nimages:\n  - image: ghcr.io/o/a\n    identity: a@example.com\n    issuer: https://issuer.example   # none yet\n');
  const flow = ok(pinSignerEdit({ text: 'version: 1\nimages: [{ image: ghcr.io/o/b }]\n', path: PATH, reference: 'ghcr.io/o/a:v1' }, signer));
  assert.equal(flow.text, 'version: 1\nimages: [{image: ghcr.io/o/b}, {image: ghcr.io/o/a, identity: a@example.com, issuer: https://issuer.example}]\n');
  const inPlace = ok(
    pinSignerEdit({ text: 'version: 1\nimages:\n  - { image: ghcr.io/o/a }\n  - image: ghcr.io/o/b\n', path: PATH, reference: 'ghcr.io/o/a:v1' }, signer),
  );
  assert.equal(
    inPlace.text,
    'version: 1\nimages:\n  - {image: ghcr.io/o/a, identity: a@example.com, issuer: https://issuer.example}\n  - image: ghcr.io/o/b\n',
  );
  for (const e of [empty, flow, inPlace]) assert.deepEqual(resolved(e.text, 'ghcr.io/o/a:v1').identity, { exact: 'a@example.com' });
});

test('the first policy "Open Policy File" offers: valid, one entry per image the workspace publishes, an example when none', () => {
  const text = policyStarter(['127.0.0.1:5000/rancher/fleet:v0.13.0', '127.0.0.1:5000/rancher/fleet:latest', 'nginx:1.27', 'not a reference']);
  assert.deepEqual(parsePolicyFile(text, PATH).diagnostics, []);
  assert.deepEqual(
    parsePolicyFile(text, PATH).policy?.images.map((e) => e.image),
    ['127.0.0.1:5000/rancher/fleet', 'docker.io/library/nginx'],
  );
  assert.ok(text.startsWith(NEW_POLICY_HEADER));
  const example = policyStarter([]);
  assert.deepEqual(parsePolicyFile(example, PATH).diagnostics, []);
  assert.deepEqual(
    parsePolicyFile(example, PATH).policy?.images.map((e) => e.image),
    ['ghcr.io/owner/app'],
  );
  assert.deepEqual(
    resolved(example, 'ghcr.io/owner/app:v1.0.0').requiredAttestations?.map((a) => a.name),
    ['slsa-provenance'],
  );
});
