import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/run';
import type { BlobVerification } from '../../src/verify/bundle/verify-blob';
import { realFixture } from '../support/real-fixtures';
import { DEFAULT_IDENTITY, DEFAULT_ISSUER } from '../support/sigstore-conformance';

/** The command line of `verify-blob`: options, exit codes, the two output forms. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['verify-blob', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
  });
  return { code, stdout, stderr };
}

const happy = realFixture('sigstore-bundles', 'conformance', 'happy-path-v0.3', 'bundle.sigstore.json');
const aTxt = realFixture('sigstore-bundles', 'conformance', 'a.txt');

describe('verify-blob usage errors exit 2 and say what is wrong', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no --bundle', ['a.txt'], /--bundle is required/],
    ['no artifact', ['--bundle', 'b.json'], /Expected exactly one artifact \(a file or sha256:<hex>\), got 0/],
    [
      'exact and regexp identity together',
      ['--bundle', 'b', '--certificate-identity', 'a', '--certificate-identity-regexp', 'b', 'x'],
      /Give --certificate-identity or --certificate-identity-regexp, not both/,
    ],
    ['an invalid pattern', ['--bundle', 'b', '--certificate-identity-regexp', '(unclosed', 'x'], /Invalid regular expression "\(unclosed"/],
    [
      'a key with an identity',
      ['--bundle', 'b', '--key', 'k.pub', '--certificate-identity', 'a', 'x'],
      /--key verifies a managed key; certificate identity and issuer options do not apply/,
    ],
    ['ignoring the log without a key', ['--bundle', 'b', '--insecure-ignore-tlog', 'x'], /--insecure-ignore-tlog only applies with --key/],
    [
      'an unknown option',
      ['--bundle', 'b', '--certificate-email', 'a', 'x'],
      /^provenance-lens verify-blob: unknown option --certificate-email; did you mean --certificate-identity\? \(`provenance-lens verify-blob --help` lists its options\)\. \[USAGE\]\n$/,
    ],
    ['a bad digest', ['--bundle', 'b', 'sha256:abc'], /is not a valid sha256 digest.*\[REFERENCE_INVALID\]/],
    ['an unreadable bundle', ['--bundle', '/nonexistent/bundle.json', 'sha256:' + '0'.repeat(64)], /Cannot read bundle \/nonexistent\/bundle\.json.*\[USAGE\]/],
  ];
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const r = await run(...args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    });
  }
});

describe('verify-blob output', () => {
  test('--json prints the whole result, and the exit code follows `verified`', async () => {
    const r = await run('--json', '--bundle', happy, '--certificate-identity', DEFAULT_IDENTITY, '--certificate-oidc-issuer', DEFAULT_ISSUER, aTxt);
    assert.equal(r.code, 0);
    const result = JSON.parse(r.stdout) as BlobVerification;
    assert.deepEqual(
      [result.verified, result.state, result.signer?.identity, result.trustRoot.instance],
      [true, 'verified', DEFAULT_IDENTITY, 'sigstore-public-good'],
    );
    assert.deepEqual(
      result.checks.map((c) => c.code),
      ['TRUST_ROOT', 'BUNDLE_FORMAT', 'ARTIFACT', 'TLOG_SIGNER', 'TIMESTAMP', 'CERTIFICATE_CHAIN', 'TLOG', 'SIGNATURE', 'IDENTITY', 'ISSUER'],
    );
  });

  test('without a pinned identity the text says why it is not verified, and exits 1', async () => {
    const r = await run('--bundle', happy, aTxt);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^WARN {2}IDENTITY +No identity was pinned; the certificate was issued to https:\/\/github\.com\/sigstore-conformance\//m);
    assert.match(r.stdout, /^NOT verified: the signature is valid by https:\/\/github\.com\/sigstore-conformance\/.+, but no identity and issuer were pinned/m);
  });

  test('an identity that is only a substring is refused with both values shown', async () => {
    const r = await run('--bundle', happy, '--certificate-identity', 'sigstore-conformance', '--certificate-oidc-issuer', DEFAULT_ISSUER, aTxt);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^FAIL {2}IDENTITY +The certificate identity is "https:\/\/github\.com\/sigstore-conformance\/.+"; the policy expects "sigstore-conformance"\.$/m,
    );
  });
});
