import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { identityChecks } from '../../src/verify/policy';

// Sentences users read, each once found broken (a missing verb, a doubled full stop, an empty
// pair of brackets), tested on the exact string so they stay whole.
describe('text: identity and issuer checks are sentences', () => {
  const identity = 'https://github.com/fork/app/.github/workflows/release.yml@refs/tags/v1.3.0';
  test('a wrong identity and issuer: what the certificate says, then what the policy expects', () => {
    const checks = identityChecks({ identity, issuer: 'https://accounts.example' }, { identity: { regexp: '^https://github\\.com/org/app/.*$' }, issuer: { exact: 'https://token.actions.githubusercontent.com' } });
    assert.deepEqual(checks.map((c) => c.message), [
      `The certificate identity is "${identity}"; the policy expects the pattern /^(?:^https://github\\.com/org/app/.*$)$/.`,
      'The OIDC issuer is "https://accounts.example"; the policy expects "https://token.actions.githubusercontent.com".',
    ]);
  });

  test('a certificate without them says it names none', () => {
    const checks = identityChecks({}, { identity: { exact: identity }, issuer: { exact: 'https://token.actions.githubusercontent.com' } });
    assert.deepEqual(checks.map((c) => c.message), [
      `The certificate names no identity; the policy expects "${identity}".`,
      'The certificate names no OIDC issuer; the policy expects "https://token.actions.githubusercontent.com".',
    ]);
  });
});
