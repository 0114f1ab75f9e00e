import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from '@sigstore/core';
import type { Artifact as GraphArtifact } from '../../src/model/image-graph';
import { parseCertificateChain, withCertificateChain } from '../../src/verify/trust/certificate-chain';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { extendedKeyUsages } from '../../src/verify/bundle/extended-key-usage';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import type { BlobVerification } from '../../src/verify/bundle/verify-blob';
import { verifyArtifact } from '../../src/verify/image/verify-artifact';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import { messageSignatureBundle } from '../support/sigstore/bundle';
import type { LeafOptions, SigningIdentity, TestCertificateAuthority } from '../support/sigstore/ca';
import { GITHUB_ISSUER, createTestCA } from '../support/sigstore/ca';
import { cosignSign } from '../support/sigstore/cosign';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import { trustedRootBytes } from '../support/sigstore/trusted-root';
import { realFixtureDir } from '../support/real-fixtures';

// Extended Key Usage as cosign has Go's crypto/x509 check it (KeyUsages: codeSigning): a leaf
// whose extension leaves out codeSigning, or a CA certificate on its chain whose extension does,
// fails CERTIFICATE_CHAIN; no extension at all allows every usage. Leaves and CAs come from the
// mini Sigstore's openssl CA; the real containers/image private-PKI leaf (no extension) still verifies.
const ID = 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v1.0.0';
const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const payload = Buffer.from('release notes of org/app v1.0.0\n');
const chainChecks = (r: { checks: ReadonlyArray<{ code: string; status: string; message: string }> }) =>
  r.checks.filter((c) => c.code === 'CERTIFICATE_CHAIN').map((c) => [c.status, c.message]);
const failing = (r: { checks: ReadonlyArray<{ code: string; status: string }> }) => r.checks.filter((c) => c.status === 'fail').map((c) => c.code);
const leafNamed = (extendedKeyUsage: string | null): LeafOptions => ({ san: { uri: ID }, extendedKeyUsage });
const GOOD_CHAIN = 'The certificate chains to a trusted CA, was valid at the signed time (this trust root has no CT log).';
const leafRefusal = (usages: string) =>
  `The signing certificate's Extended Key Usage is ${usages}, without codeSigning: it is not a code-signing certificate, and signing needs codeSigning (as cosign requires).`;

describe('Extended Key Usage of keyless certificates (a custom trusted root: the mini Sigstore)', () => {
  let mini: MiniSigstore;
  let serverOnly: TestCertificateAuthority;
  let unrestricted: TestCertificateAuthority;
  let root: TrustRoot;
  before(async () => {
    [mini, serverOnly, unrestricted] = await Promise.all([
      createMiniSigstore(),
      createTestCA({ name: 'eku-server', intermediateExtendedKeyUsage: 'serverAuth' }),
      createTestCA({ name: 'eku-none', intermediateExtendedKeyUsage: null }),
    ]);
    const bytes = trustedRootBytes({ certificateAuthorities: [mini.ca, serverOnly, unrestricted], tlogs: [mini.log] });
    root = parseTrustedRoot(bytes, { kind: 'file', path: 'mini-sigstore/trusted_root.json' });
  });
  after(() => Promise.all([mini?.dispose(), serverOnly?.dispose(), unrestricted?.dispose()]));

  const signBlob = (signer: SigningIdentity): BlobVerification =>
    verifyBlob({
      bundle: messageSignatureBundle(signer, payload, { log: mini.log }).bytes,
      artifact: { kind: 'bytes', bytes: payload },
      trustRoot: root,
      policy: { identity: { exact: ID }, issuer: { exact: GITHUB_ISSUER } },
    });

  test('a Fulcio-like leaf (codeSigning) under an intermediate limited to codeSigning: verified', async () => {
    const r = signBlob(await mini.issue(leafNamed('codeSigning')));
    assert.deepEqual([r.state, chainChecks(r)], ['verified', [['pass', GOOD_CHAIN]]]);
  });

  test('an S/MIME leaf (emailProtection only) of the pinned identity: CERTIFICATE_CHAIN fails and names its usage', async () => {
    const signer = await mini.issue(leafNamed('emailProtection'));
    const r = signBlob(signer);
    assert.deepEqual([r.state, r.verified, failing(r)], ['failed', false, ['CERTIFICATE_CHAIN']]);
    assert.deepEqual(chainChecks(r), [['fail', leafRefusal('emailProtection')]]);
    assert.equal(r.checks.find((c) => c.code === 'CERTIFICATE_CHAIN')!.evidence?.certificateFingerprint, sha256(signer.certificate.der));
    // Everything else about the signature holds: only the usage refuses it.
    assert.deepEqual(
      r.checks.filter((c) => c.code === 'SIGNATURE' || c.code === 'IDENTITY').map((c) => c.status),
      ['pass', 'pass'],
    );
  });

  test('several usages, one unnamed: each listed, by name or OID', async () => {
    const r = signBlob(await mini.issue(leafNamed('serverAuth,clientAuth,timeStamping,1.2.3.4')));
    assert.deepEqual(chainChecks(r), [['fail', leafRefusal('serverAuth, clientAuth, timeStamping, 1.2.3.4')]]);
  });

  test('no extension, anyExtendedKeyUsage, or codeSigning among others: verified', async () => {
    for (const eku of [null, 'anyExtendedKeyUsage', 'emailProtection,codeSigning']) {
      const r = signBlob(await mini.issue(leafNamed(eku)));
      assert.deepEqual([eku, r.state, chainChecks(r)], [eku, 'verified', [['pass', GOOD_CHAIN]]]);
    }
  });

  test('an extension that is not a list of OIDs: refused, never read as "no restriction"', async () => {
    // extnValue holding an INTEGER where ExtKeyUsageSyntax (a SEQUENCE of OIDs) belongs.
    const signer = await mini.issue({ ...leafNamed(null), extraExtensions: [{ oid: '2.5.29.37', value: Buffer.from('020100', 'hex') }] });
    assert.throws(() => extendedKeyUsages(X509Certificate.parse(Buffer.from(signer.certificate.der))), /not a SEQUENCE/);
    const r = signBlob(signer);
    assert.deepEqual(chainChecks(r), [
      [
        'fail',
        'The signing certificate has an Extended Key Usage extension that cannot be read, so it cannot be shown to allow codeSigning, which signing needs.',
      ],
    ]);
  });

  test('an intermediate whose EKU is serverAuth only: its codeSigning leaves fail, the intermediate named', async () => {
    const r = signBlob(await serverOnly.issue(leafNamed('codeSigning')));
    assert.deepEqual([r.state, failing(r)], ['failed', ['CERTIFICATE_CHAIN']]);
    assert.deepEqual(chainChecks(r), [
      [
        'fail',
        "The CA certificate O=provenance-lens.test, CN=eku-server-intermediate on the signing certificate's chain limits Extended Key Usage to serverAuth, without codeSigning, so the certificates it issues may not sign; signing needs codeSigning (as cosign requires).",
      ],
    ]);
    assert.equal(r.checks.find((c) => c.code === 'CERTIFICATE_CHAIN')!.evidence?.certificateFingerprint, sha256(serverOnly.intermediate.der));
  });

  test('an intermediate without the extension allows every usage: verified', async () => {
    const r = signBlob(await unrestricted.issue(leafNamed('codeSigning')));
    assert.deepEqual([r.state, chainChecks(r)], ['verified', [['pass', GOOD_CHAIN]]]);
  });
});

describe('Extended Key Usage through the private PKI path (--certificate-chain) and a cosign .sig', () => {
  let ca: TestCertificateAuthority;
  let root: TrustRoot;
  before(async () => {
    ca = await createTestCA({ name: 'corp-pki' });
    root = withCertificateChain(embeddedTrustRoot(), parseCertificateChain(`${ca.intermediate.pem}${ca.root.pem}`, 'chain.pem'));
  });
  after(() => ca?.dispose());

  const IMAGE = sha256(Buffer.from('the image manifest of registry.test/corp/app'));
  async function verifySig(extendedKeyUsage: string | null): Promise<ArtifactVerification> {
    const now = Date.now();
    const signer = await ca.issue({
      san: { email: 'release-bot@example.com' },
      issuerExtensions: 'none',
      extendedKeyUsage,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 3_600_000),
    });
    const layer = cosignSign(signer, { reference: 'registry.test/corp/app', digest: IMAGE });
    const a: GraphArtifact = {
      coversDigest: IMAGE,
      kind: 'signature',
      format: 'cosign-tag',
      digest: sha256(layer.bytes),
      mediaType: layer.mediaType,
      size: layer.bytes.length,
      annotations: layer.annotations,
    };
    const policy = { identity: { exact: 'release-bot@example.com' }, requiredPredicateTypes: [], requireTlog: false, sources: {} };
    return verifyArtifact(a, { kind: 'layer', mediaType: layer.mediaType, bytes: layer.bytes, annotations: layer.annotations }, { policy, trustRoot: root });
  }

  test('an S/MIME certificate of the pinned identity, issued by the private CA: failed', async () => {
    const r = await verifySig('emailProtection');
    assert.deepEqual([r.state, r.identity, failing(r)], ['failed', 'release-bot@example.com', ['CERTIFICATE_CHAIN']]);
    assert.deepEqual(chainChecks(r), [['fail', leafRefusal('emailProtection')]]);
  });

  test("the same CA's leaf with no extension: verified", async () => {
    const r = await verifySig(null);
    assert.deepEqual([r.state, chainChecks(r).map((c) => c[0])], ['verified', ['pass']]);
  });
});

// The containers/image private-PKI signature (dir-img-cosign-pki-valid): its leaf carries no EKU
// extension, and cosign verifies it; so must we.
describe('the real containers/image private-PKI certificate', () => {
  test('has no Extended Key Usage extension, and its signature still verifies with --certificate-chain', () => {
    const fixtures = realFixtureDir('cosign-signatures', 'containers-image');
    const leaf = X509Certificate.parse(readFileSync(join(fixtures, 'pki-cert'), 'utf8'));
    assert.equal(extendedKeyUsages(leaf), undefined);
    const raw = readFileSync(join(fixtures, 'dir-img-cosign-pki-valid', 'signature-1'));
    const sig = JSON.parse(raw.subarray('\0sigstore-json\n'.length).toString('utf8')) as {
      mimeType: string;
      payload: string;
      annotations: Record<string, string>;
    };
    const bytes = Buffer.from(sig.payload, 'base64');
    const covers = sha256(readFileSync(join(fixtures, 'dir-img-cosign-pki-valid', 'manifest.json')));
    const a: GraphArtifact = {
      coversDigest: covers,
      kind: 'signature',
      format: 'cosign-tag',
      digest: sha256(bytes),
      mediaType: sig.mimeType,
      size: bytes.length,
      annotations: sig.annotations,
    };
    const trustRoot = withCertificateChain(embeddedTrustRoot(), parseCertificateChain(readFileSync(join(fixtures, 'pki-chain'), 'utf8'), 'pki-chain'));
    const policy = { identity: { exact: 'qiwan@redhat.com' }, requiredPredicateTypes: [], requireTlog: false, sources: {} };
    const r = verifyArtifact(a, { kind: 'layer', mediaType: sig.mimeType, bytes, annotations: sig.annotations }, { policy, trustRoot });
    assert.deepEqual([r.state, failing(r), chainChecks(r).map((c) => c[0])], ['verified', [], ['pass']]);
  });
});
