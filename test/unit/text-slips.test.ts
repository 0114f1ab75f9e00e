import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { responseError } from '../../src/registry/registry-errors';
import type { HttpResponse } from '../../src/registry/transport';
import { artifactFromDigest, verifyBlob } from '../../src/verify/bundle';
import { identityChecks } from '../../src/verify/policy';
import { describeTrustRoot, loadTrustRoot } from '../../src/verify/trust';

// Sentences users read, each once found broken (a missing verb, a doubled full stop, an empty
// pair of brackets), tested on the exact string so they stay whole.
describe('text: identity and issuer checks are sentences', () => {
  const identity = 'https://github.com/fork/app/.github/workflows/release.yml@refs/tags/v1.3.0';
  test('a wrong identity and issuer: what the certificate says, then what the policy expects', () => {
    const checks = identityChecks(
      { identity, issuer: 'https://accounts.example' },
      { identity: { regexp: '^https://github\\.com/org/app/.*$' }, issuer: { exact: 'https://token.actions.githubusercontent.com' } },
    );
    assert.deepEqual(
      checks.map((c) => c.message),
      [
        `The certificate identity is "${identity}"; the policy expects the pattern /^(?:^https://github\\.com/org/app/.*$)$/.`,
        'The OIDC issuer is "https://accounts.example"; the policy expects "https://token.actions.githubusercontent.com".',
      ],
    );
  });

  test('a certificate without them says it names none', () => {
    const checks = identityChecks({}, { identity: { exact: identity }, issuer: { exact: 'https://token.actions.githubusercontent.com' } });
    assert.deepEqual(
      checks.map((c) => c.message),
      [
        `The certificate names no identity; the policy expects "${identity}".`,
        'The certificate names no OIDC issuer; the policy expects "https://token.actions.githubusercontent.com".',
      ],
    );
  });
});

describe('text: one full stop, one capital', () => {
  test('a trusted root with a note: the TRUST_ROOT sentence ends once ("is used as it is.", not "..")', async () => {
    const root = await loadTrustRoot({ offline: true });
    const note = 'No TUF refresh: the trusted_root.json file /etc/root.json is used as it is.';
    const noted = { ...root, info: { ...root.info, notes: [note] } };
    const r = verifyBlob({ bundle: '{}', artifact: artifactFromDigest(`sha256:${'0'.repeat(64)}`), trustRoot: noted });
    const message = r.checks.find((c) => c.code === 'TRUST_ROOT')!.message;
    assert.equal(message, `Using the ${describeTrustRoot(root.info)}. ${note}`);
    assert.ok(message.endsWith('is used as it is.') && !message.endsWith('..'), message);
    // Without a note, the sentence gets its full stop from the caller.
    const plain = verifyBlob({ bundle: '{}', artifact: artifactFromDigest(`sha256:${'0'.repeat(64)}`), trustRoot: root }).checks[0]!.message;
    assert.equal(plain, `Using the ${describeTrustRoot(root.info)}.`);
    assert.match(
      plain,
      /^Using the sigstore-public-good trusted root from embedded @sigstore\/tuf@[\d.]+ \(https:\/\/tuf-repo-cdn\.sigstore\.dev\), sha256 [0-9a-f]{12}, newest key from \d{4}-\d{2}-\d{2} \(\d+ days old\)\.$/,
    );
  });

  test('a 404 opens its sentence with a capital, so text put after another sentence reads "… registry. Manifest …"', () => {
    const res = {
      status: 404,
      headers: {},
      url: new URL('https://r.test/v2/rancher/fleet/manifests/v9'),
      shownUrl: 'https://r.test/v2/rancher/fleet/manifests/v9',
    } as unknown as HttpResponse;
    assert.equal(
      responseError(res, 'manifest rancher/fleet:v9', 'r.test').message,
      'Manifest rancher/fleet:v9 was not found on r.test. Check the repository name and the tag or digest.',
    );
  });
});
