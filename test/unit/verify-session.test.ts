// The verification session every caller opens (CLI verify, verify --release, diff, refs --verify,
// the editor): the policy for an image with the release tag, the caller's overlay, and one trust
// root per file and chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VerificationSession } from '../../src/verify';
import { parsePolicyFile } from '../../src/verify/policy';
import type { ImagePolicy } from '../../src/verify/policy';
import { realFixture } from '../support/real-fixtures';

const POLICY = parsePolicyFile(
  'version: 1\nimages:\n  - image: r.test/app\n    github: { repository: org/app, workflow: release.yml }\n',
  '/p/.provenance-lens.yaml',
).policy!;
/** The git ref whose release workflow identity the policy accepts, among the candidates. */
const acceptedRef = (p: ImagePolicy) =>
  ['v1.2.0', 'v9.9.9', 'v3.0.0', '1.2.0'].filter((t) => {
    const m = p.identity as { regexp?: string } | undefined;
    return m?.regexp !== undefined && new RegExp(m.regexp).test(`https://github.com/org/app/.github/workflows/release.yml@refs/tags/${t}`);
  });

test('the release tag stands for {{tag}} when the image tag is not it; a call may name its own', async () => {
  const session = new VerificationSession({ policyFile: POLICY, tag: 'v1.2.0' });
  assert.deepEqual(acceptedRef(await session.policyFor('r.test/app:1.2.0')), ['v1.2.0']);
  assert.deepEqual(acceptedRef(await session.policyFor('r.test/app:1.2.0', { tag: 'v9.9.9' })), ['v9.9.9']);
  // Without a session tag, the image's own tag is the release's (as policyForImage reads it).
  assert.deepEqual(acceptedRef(await new VerificationSession({ policyFile: POLICY }).policyFor('r.test/app:v3.0.0')), ['v3.0.0']);
});

test("the overlay gets the file's entry and has the last word", async () => {
  const seen: Array<[boolean, string]> = [];
  const session = new VerificationSession({
    policyFile: POLICY,
    overlay: (fromFile, reference) => {
      seen.push([fromFile?.matchedPattern === 'r.test/app', reference]);
      return { ...(fromFile ?? { requiredPredicateTypes: [], requireTlog: true, sources: {} }), requireTlog: false };
    },
  });
  assert.equal((await session.policyFor('r.test/app:v1')).requireTlog, false);
  assert.deepEqual(seen, [[true, 'r.test/app:v1']]);
});

test('one trust root per file and chain, loaded once; a failed load is tried again', async () => {
  const loaded: string[] = [];
  const root = realFixture('trusted-root', 'sigstore-public-good.trusted_root.json');
  const session = new VerificationSession({ trustedRoot: root, onTrustRoot: (r) => loaded.push(r.info.instance) });
  const policy: ImagePolicy = { requiredPredicateTypes: [], requireTlog: true, sources: {} };
  const [a, b] = await Promise.all([session.trustRoot(policy), session.trustRoot({ ...policy, trustedRoot: '/elsewhere.json' })]);
  assert.equal(a, b, "the session's file replaces the policy's, so both are one root");
  assert.equal(loaded.length, 1);

  const missing = new VerificationSession({ trustedRoot: '/nonexistent/trusted_root.json' });
  const first = missing.trustRoot(policy);
  await assert.rejects(first);
  const second = missing.trustRoot(policy);
  assert.notEqual(second, first, 'a failed load is not kept');
  await assert.rejects(second);
});
