import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { artifactFromDigest } from '../../src/verify/bundle/artifact';
import type { BlobArtifact } from '../../src/verify/bundle/artifact';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import type { BlobVerification, VerifyBlobOptions } from '../../src/verify/bundle/verify-blob';
import type { CheckCode, SignatureCheck } from '../../src/verify/checks';
import { parsePublicKey } from '../../src/verify/trust/public-key';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { realFixture } from '../support/real-fixtures';
import { DEFAULT_IDENTITY, DEFAULT_ISSUER } from '../support/sigstore-conformance';

const read = (...p: string[]) => readFileSync(realFixture('sigstore-bundles', ...p));
const fileRoot = (path: string): TrustRoot => parseTrustedRoot(readFileSync(path), { kind: 'file', path });
const aTxt = (): BlobArtifact => ({ kind: 'bytes', bytes: read('conformance', 'a.txt'), name: 'a.txt' });
const statuses = (r: BlobVerification) => Object.fromEntries(r.checks.filter((c) => c.code !== 'TRUST_ROOT').map((c) => [c.code, c.status]));
const only = (r: BlobVerification, code: CheckCode): SignatureCheck => {
  const found = r.checks.filter((c) => c.code === code);
  assert.equal(found.length, 1, `one ${code} check in ${JSON.stringify(r.checks.map((c) => c.code))}`);
  return found[0]!;
};

function verify(bundlePath: string[], overrides: Partial<VerifyBlobOptions> = {}): BlobVerification {
  return verifyBlob({
    bundle: read(...bundlePath),
    artifact: aTxt(),
    trustRoot: embeddedTrustRoot(),
    policy: { identity: { exact: DEFAULT_IDENTITY }, issuer: { exact: DEFAULT_ISSUER } },
    ...overrides,
  });
}

describe('identity policy', () => {
  const happy = ['conformance', 'happy-path-v0.3', 'bundle.sigstore.json'];
  const prefix = 'https://github.com/sigstore-conformance/';

  test('a verified result names every check that passed, with its evidence', () => {
    const r = verify(happy);
    assert.equal(r.verified, true);
    assert.equal(r.state, 'verified');
    assert.deepEqual(statuses(r), {
      BUNDLE_FORMAT: 'pass',
      ARTIFACT: 'pass',
      TLOG_SIGNER: 'pass',
      TIMESTAMP: 'pass',
      CERTIFICATE_CHAIN: 'pass',
      TLOG: 'pass',
      SIGNATURE: 'pass',
      IDENTITY: 'pass',
      ISSUER: 'pass',
    });
    assert.deepEqual(only(r, 'TLOG').evidence, {
      logIndex: '79571823',
      entryKind: 'hashedrekord/0.0.1',
      integratedTime: '2024-03-19T17:26:26.000Z',
      logUrl: 'https://rekor.sigstore.dev',
    });
    const cert = only(r, 'CERTIFICATE_CHAIN').evidence;
    assert.equal(cert?.certificateAuthority, 'https://fulcio.sigstore.dev');
    assert.deepEqual(cert?.certificateValidity, { notBefore: '2024-03-19T17:26:26.000Z', notAfter: '2024-03-19T17:36:26.000Z' });
    assert.match(cert?.keyFingerprint ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(r.signer, { kind: 'certificate', identity: DEFAULT_IDENTITY, issuer: DEFAULT_ISSUER, keyFingerprint: cert?.keyFingerprint });
    assert.deepEqual(r.bundle, { version: '0.3', content: 'message-signature' });
  });

  test('a prefix of the identity is refused, though @sigstore/verify alone accepts it as a policy', () => {
    const r = verify(happy, { policy: { identity: { exact: prefix }, issuer: { exact: DEFAULT_ISSUER } } });
    assert.equal(r.verified, false);
    assert.equal(only(r, 'IDENTITY').status, 'fail');
    assert.equal(only(r, 'IDENTITY').evidence?.identity, DEFAULT_IDENTITY);
    // Why we never pass user text to the library's matcher: it is an unanchored regexp.
    const bundle = bundleFromJSON(JSON.parse(read(...happy).toString('utf8')));
    const signer = new Verifier(toTrustMaterial(embeddedTrustRoot().root)).verify(toSignedEntity(bundle, read('conformance', 'a.txt')), {
      subjectAlternativeName: prefix,
    });
    assert.equal(signer.identity?.subjectAlternativeName, DEFAULT_IDENTITY);
  });

  test('regular expressions are anchored to the whole identity', () => {
    const anchoredOk = verify(happy, {
      policy: { identity: { regexp: 'https://github\\.com/sigstore-conformance/.+@refs/heads/main' }, issuer: { exact: DEFAULT_ISSUER } },
    });
    assert.equal(anchoredOk.verified, true);
    const substring = verify(happy, { policy: { identity: { regexp: 'sigstore-conformance' }, issuer: { exact: DEFAULT_ISSUER } } });
    assert.equal(only(substring, 'IDENTITY').status, 'fail');
  });

  test('an issuer that differs fails on its own', () => {
    const r = verify(happy, { policy: { identity: { exact: DEFAULT_IDENTITY }, issuer: { exact: 'https://token.actions.githubusercontent.com/' } } });
    assert.deepEqual([only(r, 'IDENTITY').status, only(r, 'ISSUER').status, r.state], ['pass', 'fail', 'failed']);
  });

  test('a valid signature with nothing pinned is "unpinned", never verified', () => {
    const r = verify(happy, { policy: {} });
    assert.equal(r.verified, false);
    assert.equal(r.state, 'unpinned');
    assert.equal(
      r.checks.some((c) => c.status === 'fail'),
      false,
    );
    assert.deepEqual([only(r, 'IDENTITY').status, only(r, 'ISSUER').status], ['warn', 'warn']);
    assert.equal(only(r, 'ISSUER').evidence?.issuer, DEFAULT_ISSUER);
  });
});

describe('artifacts as bytes or digests', () => {
  test('a DSSE bundle is bound through the in-toto subject, not the envelope', () => {
    const dsse = ['conformance', 'happy-path-intoto-in-dsse-v3', 'bundle.sigstore.json'];
    const ok = verify(dsse);
    assert.equal(ok.verified, true);
    assert.equal(only(ok, 'ARTIFACT').evidence?.predicateType, 'https://slsa.dev/provenance/v1');
    const other = verify(dsse, { artifact: { kind: 'bytes', bytes: Buffer.from('not a.txt\n') } });
    assert.equal(other.verified, false);
    assert.deepEqual(statuses(other).ARTIFACT, 'fail');
    assert.equal(only(other, 'ARTIFACT').evidence?.digest, `sha256:${createHash('sha256').update('not a.txt\n').digest('hex')}`);
    // Everything else about the signature still holds: only the binding fails.
    assert.equal(statuses(other).SIGNATURE, 'pass');
  });

  test('an npm provenance bundle (v0.1, full chain incl. the trusted root) verifies against its sha512 subject', () => {
    const r = verifyBlob({
      bundle: read('sigstore-js', 'bundleV01-full-cert-chain.sigstore'),
      artifact: artifactFromDigest(
        'sha512:7bea9f6e7ff37f5fab0b36bf061200fff03099fd2fd696b91d04bc5e4f225eb9fd6e0cadcad54ba980f43fb352a99e8810b4e0abeb5c0ef2cf9108cd1f258b36',
      ),
      trustRoot: embeddedTrustRoot(),
      policy: { identity: { exact: 'brian@dehamer.com' }, issuer: { exact: 'https://github.com/login/oauth' } },
    });
    assert.equal(r.verified, true, JSON.stringify(r.checks.filter((c) => c.status !== 'pass')));
    assert.equal(only(r, 'BUNDLE_CHAIN').status, 'info');
    assert.match(only(r, 'BUNDLE_CHAIN').message, /2 certificate\(s\) besides the leaf \(2 identical to the trusted root's\)/);
  });

  test('a message signature asks for the digest algorithm it signed', () => {
    const r = verify(['conformance', 'happy-path-v0.3', 'bundle.sigstore.json'], { artifact: artifactFromDigest(`sha512:${'ab'.repeat(64)}`) });
    assert.equal(r.verified, false);
    assert.match(only(r, 'ARTIFACT').message, /signs a sha256 digest, but only a sha512 digest of the artifact was given/);
  });
});

describe('trust roots and keys', () => {
  const gh = ['gh-cli', 'github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl'];
  const ghPolicy = {
    identity: { exact: 'https://github.com/actions/attest-demo/.github/workflows/build-python.yml@refs/heads/main' },
    issuer: { exact: DEFAULT_ISSUER },
  };
  const wheel = artifactFromDigest('sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b');

  test("GitHub's instance: TSA time, GitHub Fulcio, no transparency log required", () => {
    const r = verify(gh, { artifact: wheel, policy: ghPolicy, trustRoot: fileRoot(realFixture('trusted-root', 'github.trusted_root.json')) });
    assert.equal(r.verified, true, JSON.stringify(r.checks.filter((c) => c.status !== 'pass')));
    assert.equal(only(r, 'TLOG').status, 'info');
    assert.match(only(r, 'TLOG').message, /this trust root has no transparency log/);
    assert.deepEqual(only(r, 'TIMESTAMP').evidence?.timestamps, ['2024-04-22T17:33:26.000Z (RFC 3161)']);
    assert.equal(only(r, 'CERTIFICATE_CHAIN').evidence?.certificateAuthority, 'fulcio.githubapp.com');
  });

  test('the same bundle against the public-good root is not verified', () => {
    const r = verify(gh, { artifact: wheel, policy: ghPolicy });
    assert.equal(r.verified, false);
    assert.ok(
      r.checks.some((c) => c.status === 'fail' && (c.code === 'TIMESTAMP' || c.code === 'CERTIFICATE_CHAIN')),
      JSON.stringify(r.checks),
    );
  });

  const keyCase = {
    bundle: ['sigstore-go', 'bundles', 'public-key-validity.sigstore.json'],
    key: () => parsePublicKey(read('sigstore-go', 'public-keys', 'public-key-validity.pem').toString(), 'public-key-validity.pem'),
    root: () => fileRoot(realFixture('sigstore-bundles', 'sigstore-go', 'trusted-roots', 'public-key-validity.json')),
    // Only the digest of the signed artifact is known: the signature is checked prehashed.
    artifact: artifactFromDigest('sha256:6ae8a75555209fd6c44157c0aed8016e763ff435a19cf186f76863140143ff72'),
  };

  test('a managed key with a TSA timestamp and no log entry verifies when the log is waived', () => {
    const r = verify(keyCase.bundle, { artifact: keyCase.artifact, key: keyCase.key(), trustRoot: keyCase.root(), requireTlog: false, policy: undefined });
    assert.equal(r.verified, true, JSON.stringify(r.checks.filter((c) => c.status !== 'pass')));
    assert.deepEqual(r.signer, { kind: 'public-key', keyFingerprint: keyCase.key().fingerprint });
    assert.equal(statuses(r).SIGNATURE, 'pass');
  });

  test('a root without transparency logs cannot demand a log entry, and says so', () => {
    const r = verify(keyCase.bundle, { artifact: keyCase.artifact, key: keyCase.key(), trustRoot: keyCase.root(), policy: undefined });
    assert.equal(r.verified, true);
    assert.match(only(r, 'TLOG').message, /not required because this trust root has no transparency log/);
  });

  test('a managed-key bundle stripped of its log entry is refused when the log is required (cosign default)', () => {
    const dir = ['conformance', 'managed-key-happy-path'];
    const json = JSON.parse(read(...dir, 'bundle.sigstore.json').toString('utf8')) as { verificationMaterial: { tlogEntries: unknown[] } };
    json.verificationMaterial.tlogEntries = [];
    const key = parsePublicKey(read(...dir, 'key.pub').toString(), 'key.pub');
    const required = verifyBlob({ bundle: JSON.stringify(json), artifact: aTxt(), trustRoot: embeddedTrustRoot(), key });
    assert.equal(required.verified, false);
    assert.match(only(required, 'TLOG').evidence?.cause ?? '', /^TLOG_ERROR: expected 1 tlog entries, got 0/);
    const waived = verifyBlob({ bundle: JSON.stringify(json), artifact: aTxt(), trustRoot: embeddedTrustRoot(), key, requireTlog: false });
    assert.equal(waived.verified, true, JSON.stringify(waived.checks.filter((c) => c.status !== 'pass')));
    assert.match(only(waived, 'TLOG').message, /the log requirement was waived/);
  });

  test('... and fails on SIGNATURE with another key, or with a tampered digest', () => {
    const other = parsePublicKey(
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'other.pub',
    );
    const wrongKey = verify(keyCase.bundle, { artifact: keyCase.artifact, key: other, trustRoot: keyCase.root(), requireTlog: false, policy: undefined });
    assert.equal(statuses(wrongKey).SIGNATURE, 'fail');
    const tampered = verify(keyCase.bundle, {
      artifact: artifactFromDigest(`sha256:${'6ae8a75555209fd6c44157c0aed8016e763ff435a19cf186f76863140143ff73'}`),
      key: keyCase.key(),
      trustRoot: keyCase.root(),
      requireTlog: false,
      policy: undefined,
    });
    assert.deepEqual([statuses(tampered).ARTIFACT, statuses(tampered).SIGNATURE], ['fail', 'fail']);
  });

  test('a key-signed bundle without a key says which option is missing', () => {
    const r = verify(keyCase.bundle, { artifact: keyCase.artifact, trustRoot: keyCase.root() });
    assert.equal(r.verified, false);
    assert.match(only(r, 'PUBLIC_KEY').message, /signed with a managed key; pass that public key \(--key\)/);
  });
});

describe('bundle hygiene', () => {
  test('a v0.1 proof without checkpoint is set aside and the SET verified instead (bundle-with-root-cert minus its root)', () => {
    const json = JSON.parse(read('conformance', 'bundle-with-root-cert_fail', 'bundle.sigstore.json').toString('utf8')) as {
      verificationMaterial: { x509CertificateChain: { certificates: unknown[] } };
    };
    const withRoot = verifyBlob({
      bundle: JSON.stringify(json),
      artifact: { kind: 'bytes', bytes: read('conformance', 'bundle-with-root-cert_fail', 'artifact') },
      trustRoot: embeddedTrustRoot(),
      policy: { identity: { exact: 'a@tny.town' }, issuer: { exact: 'https://github.com/login/oauth' } },
    });
    assert.deepEqual(
      withRoot.checks.filter((c) => c.status === 'fail').map((c) => c.code),
      ['BUNDLE_CHAIN'],
    );
    json.verificationMaterial.x509CertificateChain.certificates.splice(1, 1); // drop the self-signed root
    const r = verifyBlob({
      bundle: JSON.stringify(json),
      artifact: { kind: 'bytes', bytes: read('conformance', 'bundle-with-root-cert_fail', 'artifact') },
      trustRoot: embeddedTrustRoot(),
      policy: { identity: { exact: 'a@tny.town' }, issuer: { exact: 'https://github.com/login/oauth' } },
    });
    assert.equal(r.verified, true, JSON.stringify(r.checks.filter((c) => c.status !== 'pass')));
    assert.ok(r.checks.some((c) => c.code === 'TLOG' && c.status === 'info' && /inclusion proof without a signed checkpoint; it is ignored/.test(c.message)));
    assert.equal(only(r, 'BUNDLE_CHAIN').status, 'info');
  });

  test('an unknown bundle version and non-JSON input are failed checks, not exceptions', () => {
    const unknown = verify(['conformance', 'bundle-unknown-version_fail', 'bundle.sigstore.json']);
    assert.deepEqual(
      unknown.checks.map((c) => [c.code, c.status]),
      [
        ['TRUST_ROOT', 'info'],
        ['BUNDLE_FORMAT', 'fail'],
      ],
    );
    assert.match(unknown.checks[1]!.message, /version=99\.9" is not a Sigstore bundle version/);
    const text = verifyBlob({ bundle: 'hello', artifact: aTxt(), trustRoot: embeddedTrustRoot() });
    assert.deepEqual([text.state, text.checks[1]?.code, text.checks[1]?.message], ['failed', 'BUNDLE_FORMAT', 'The bundle is not valid JSON.']);
  });
});
