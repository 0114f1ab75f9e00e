import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { artifactFromDigest } from '../../src/verify/bundle/artifact';
import type { BlobArtifact } from '../../src/verify/bundle/artifact';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import type { CheckCode } from '../../src/verify/checks';
import type { IdentityPolicy } from '../../src/verify/policy/identity-policy';
import { parsePublicKey } from '../../src/verify/trust/public-key';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { realFixture } from '../support/real-fixtures';

/**
 * Bundles written by other Sigstore clients (sigstore-js, sigstore-go, sigstore-python,
 * gh attestation), with the outcomes their own test suites expect
 * (test/fixtures/real/SOURCES.md).
 */
const S = (file: string): string => realFixture('sigstore-bundles', file);

const GHA = 'https://token.actions.githubusercontent.com';
const GH_OAUTH = 'https://github.com/login/oauth';
const SIGSTORE_JS_RELEASE = 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main';

interface RealCase {
  name: string;
  bundle: string;
  /** A file next to the bundle, or 'subject' to take the digest the in-toto statement names. */
  artifact: string;
  root?: string;
  policy?: [identity: string, issuer: string];
  key?: string;
  expect: 'verified' | CheckCode;
}

const CASES: RealCase[] = [
  {
    name: 'sigstore-go: npm provenance for sigstore@2.0.0 (v0.1, intoto)',
    bundle: 'sigstore-go/bundles/sigstore.js@2.0.0-provenance.sigstore.json',
    artifact: 'subject',
    policy: [SIGSTORE_JS_RELEASE, GHA],
    expect: 'verified',
  },
  {
    name: 'sigstore-go: npm publish attestation with the registry key',
    bundle: 'sigstore-go/examples/bundle-publish.json',
    artifact: 'subject',
    key: 'sigstore-go/examples/publish_key.pub',
    expect: 'verified',
  },
  {
    name: 'sigstore-go: SLSA v0.2 provenance (v0.1, no proof)',
    bundle: 'sigstore-go/examples/bundle-provenance.json',
    artifact: 'subject',
    policy: [SIGSTORE_JS_RELEASE, GHA],
    expect: 'verified',
  },
  {
    name: 'sigstore-go: a DSSE envelope with two signatures',
    bundle: 'sigstore-go/bundles/dsse-2sigs.sigstore.json',
    artifact: 'subject',
    policy: ['brian@dehamer.com', GH_OAUTH],
    expect: 'BUNDLE_FORMAT',
  },
  {
    name: 'sigstore-python: v0.1 message signature (staging)',
    bundle: 'sigstore-python/bundle.txt.sigstore',
    artifact: 'sigstore-python/bundle.txt',
    root: 'staging',
    policy: ['a@tny.town', GH_OAUTH],
    expect: 'verified',
  },
  {
    name: 'sigstore-python: v0.3 (legacy media type) message signature (staging)',
    bundle: 'sigstore-python/bundle_v3_alt.txt.sigstore',
    artifact: 'sigstore-python/bundle_v3_alt.txt',
    root: 'staging',
    policy: ['william@yossarian.net', GH_OAUTH],
    expect: 'verified',
  },
  {
    name: 'sigstore-python: Rekor v2 hashedrekord with a TSA timestamp (staging)',
    bundle: 'sigstore-python/staging-rekor-v2.txt.sigstore.json',
    artifact: 'sigstore-python/staging-rekor-v2.txt',
    root: 'staging',
    policy: ['jku@goto.fi', GH_OAUTH],
    expect: 'verified',
  },
  {
    name: 'sigstore-python: Rekor v2 DSSE logged as hashedrekord (staging; sigstore-js alone fails)',
    bundle: 'sigstore-python/a.dsse.staging-rekor-v2.txt.sigstore.json',
    artifact: 'subject',
    root: 'staging',
    policy: [
      'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
      GHA,
    ],
    expect: 'verified',
  },
  {
    name: 'sigstore-python: v0.3 with a proof but no signed time',
    bundle: 'sigstore-python/bundle_v3_no_signed_time.txt.sigstore.json',
    artifact: 'sigstore-python/bundle_v3_no_signed_time.txt',
    policy: ['william@yossarian.net', GH_OAUTH],
    expect: 'TIMESTAMP',
  },
  {
    name: 'sigstore-python: an invalid media type',
    bundle: 'sigstore-python/bundle_invalid_version.txt.sigstore',
    artifact: 'sigstore-python/bundle_invalid_version.txt',
    root: 'staging',
    policy: ['william@yossarian.net', GH_OAUTH],
    expect: 'BUNDLE_FORMAT',
  },
  {
    name: 'sigstore-python: v0.1 without a certificate',
    bundle: 'sigstore-python/bundle_no_cert_v1.txt.sigstore',
    artifact: 'sigstore-python/bundle_no_cert_v1.txt',
    policy: ['x', GH_OAUTH],
    expect: 'BUNDLE_FORMAT',
  },
  {
    name: 'gh: a custom issuer path is still exact',
    bundle: 'gh-cli/custom-issuer.sigstore.json',
    artifact: 'gh-cli/custom-issuer-artifact',
    policy: ['https://github.com/too-legit/attest/.github/workflows/integration.yml@refs/heads/main', `${GHA}/hammer-time`],
    expect: 'verified',
  },
  {
    name: 'gh: the same bundle against the plain GitHub Actions issuer',
    bundle: 'gh-cli/custom-issuer.sigstore.json',
    artifact: 'gh-cli/custom-issuer-artifact',
    policy: ['https://github.com/too-legit/attest/.github/workflows/integration.yml@refs/heads/main', GHA],
    expect: 'ISSUER',
  },
  {
    name: 'gh: a DSSE bundle whose log entry holds another signature',
    bundle: 'gh-cli/sigstoreBundle-invalid-signature.json',
    artifact: 'gh-cli/custom-issuer-artifact',
    policy: ['brian@dehamer.com', GH_OAUTH],
    expect: 'TLOG',
  },
];

function subjectDigest(bundlePath: string): BlobArtifact {
  const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as { subject: Array<{ digest: Record<string, string> }> };
  const digest = statement.subject[0]!.digest;
  return artifactFromDigest(digest.sha256 !== undefined ? `sha256:${digest.sha256}` : `sha512:${digest.sha512}`);
}

const roots = new Map<string, TrustRoot>();
function root(name: string | undefined): TrustRoot {
  if (name === undefined) return embeddedTrustRoot();
  const path = realFixture('trusted-root', `sigstore-${name}.trusted_root.json`);
  if (!roots.has(path)) roots.set(path, parseTrustedRoot(readFileSync(path), { kind: 'file', path }));
  return roots.get(path)!;
}

describe('bundles from other Sigstore clients', () => {
  for (const c of CASES) {
    test(`${c.name}: ${c.expect}`, () => {
      const bundlePath = S(c.bundle);
      const policy: IdentityPolicy = c.policy ? { identity: { exact: c.policy[0] }, issuer: { exact: c.policy[1] } } : {};
      const r = verifyBlob({
        bundle: readFileSync(bundlePath),
        artifact: c.artifact === 'subject' ? subjectDigest(bundlePath) : { kind: 'bytes', bytes: readFileSync(S(c.artifact)) },
        trustRoot: root(c.root),
        key: c.key !== undefined ? parsePublicKey(readFileSync(S(c.key), 'utf8'), c.key) : undefined,
        policy,
      });
      const failed = r.checks.filter((x) => x.status === 'fail').map((x) => x.code);
      if (c.expect === 'verified') {
        assert.deepEqual([r.state, failed], ['verified', []], JSON.stringify(r.checks.filter((x) => x.status !== 'pass')));
      } else {
        assert.equal(r.verified, false);
        assert.ok(failed.includes(c.expect), `expected ${c.expect} to fail, failed: ${failed.join(', ')}`);
      }
    });
  }
});
