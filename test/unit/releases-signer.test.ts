import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateSigner } from '../../src/claims/certificate-fields';
import { signedBy } from '../../src/releases/evidence';
import { createTestCA, githubWorkflowLeaf, GITHUB_ISSUER } from '../support/sigstore/ca';
import type { TestCertificateAuthority } from '../support/sigstore/ca';

let ca: TestCertificateAuthority;
before(async () => {
  ca = await createTestCA();
});
after(async () => {
  await ca.dispose();
});

test('a GitHub Actions leaf: the workflow URI and the issuer (1.8 UTF8String)', async () => {
  const leaf = await ca.issue(githubWorkflowLeaf({ repository: 'rancher/fleet' }));
  assert.deepEqual(certificateSigner(leaf.certificate.pem), {
    identity: 'https://github.com/rancher/fleet/.github/workflows/release.yml@refs/tags/v1.0.0',
    issuer: GITHUB_ISSUER,
  });
});

test('an email identity with only the deprecated 1.1 issuer extension', async () => {
  const leaf = await ca.issue({ san: { email: 'maintainer@example.com' }, issuer: 'https://accounts.google.com', issuerExtensions: 'v1' });
  assert.deepEqual(certificateSigner(leaf.certificate.pem), { identity: 'maintainer@example.com', issuer: 'https://accounts.google.com' });
});

test('the cosign certificate annotation of a .sig layer names the signer', async () => {
  const leaf = await ca.issue({ san: { email: 'release@example.com' }, issuerExtensions: 'none' });
  const who = signedBy({
    kind: 'signature',
    format: 'cosign-tag',
    coversDigest: 'sha256:0',
    digest: 'sha256:1',
    mediaType: 'x',
    size: 1,
    annotations: { 'dev.sigstore.cosign/certificate': leaf.certificate.pem, 'dev.cosignproject.cosign/signature': 'MEUC' },
  });
  assert.deepEqual(who, { kind: 'certificate', identity: 'release@example.com' });
});

test('garbage is no signer, never a crash', () => {
  assert.equal(certificateSigner('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'), undefined);
  assert.equal(certificateSigner('hello'), undefined);
});
