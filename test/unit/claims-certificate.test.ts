import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { X509Certificate } from '@sigstore/core';
import { certificateIdentity, certificateSigner, FulcioOid, fulcioExtension, fulcioIssuer, githubCertificateClaims } from '../../src/claims/certificate-fields';
import { certificateFacts } from '../../src/verify/bundle/certificate';
import { createTestCA } from '../support/sigstore/ca';
import type { TestCertificateAuthority } from '../support/sigstore/ca';
import { realFixture } from '../support/real-fixtures';

// The one reader of Fulcio certificate fields (src/claims/certificate-fields.ts) over real public
// Fulcio leaves: a GitHub artifact attestation (gh's test data) and the certificate annotation of
// slsa-github-generator's .att layer. The verifier's evidence, its GitHub claim checks, the panel
// and the release tree read the signer through it; the tree's copy found the issuer extension by
// searching the DER for the OID's bytes.
const bundleLeaf = () => {
  const bundle = JSON.parse(readFileSync(realFixture('sigstore-bundles', 'gh-cli', 'reusable-workflow-attestation.sigstore.json'), 'utf8')) as {
    verificationMaterial: { certificate: { rawBytes: string } };
  };
  return Buffer.from(bundle.verificationMaterial.certificate.rawBytes, 'base64');
};
const attCertificatePem = (): string => {
  const manifest = readFileSync(
    realFixture(
      'cosign-signatures',
      'slsa-github-generator-container',
      'v1.8.0',
      'container_workflow_dispatch',
      'blobs',
      'sha256',
      '195f75fe5d0554704527695e9205c457d3544bd0b078340bebd109a761c57920',
    ),
    'utf8',
  );
  return (JSON.parse(manifest) as { layers: Array<{ annotations: Record<string, string> }> }).layers[0]!.annotations['dev.sigstore.cosign/certificate']!;
};
const ATTEST_WORKFLOW = 'https://github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml@09b495c3f12c7881b3cc17209a327792065c1a1d';
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

describe('Fulcio certificate fields', () => {
  test('a real GitHub Actions leaf: identity, issuer and the run claims', () => {
    const cert = X509Certificate.parse(bundleLeaf());
    assert.equal(certificateIdentity(cert), ATTEST_WORKFLOW);
    assert.equal(fulcioIssuer(cert), GITHUB_ISSUER);
    assert.deepEqual(githubCertificateClaims(cert), {
      signerWorkflow: ATTEST_WORKFLOW,
      runnerEnvironment: 'github-hosted',
      repository: 'https://github.com/malancas/attest-demo',
      commit: '95baf27389e83e6a5c48f42e190d48d7abcea19e',
      ref: 'refs/heads/main',
      owner: 'https://github.com/malancas',
      workflow: 'https://github.com/malancas/attest-demo/.github/workflows/shared.yml@refs/heads/main',
      trigger: 'workflow_dispatch',
      run: 'https://github.com/malancas/attest-demo/actions/runs/9228858953/attempts/1',
      visibility: 'public',
    });
    // 1.1 is the deprecated raw issuer, not a UTF8String: no value for the 1.8-on reader.
    assert.equal(fulcioExtension(cert, FulcioOid.issuerV1), undefined);
  });

  test('the release tree and the verifier name the same signer of a cosign .att', () => {
    const pem = attCertificatePem();
    const signer = certificateSigner(pem);
    assert.deepEqual(signer, {
      identity: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.8.0',
      issuer: GITHUB_ISSUER,
    });
    const facts = certificateFacts(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64'));
    assert.deepEqual({ identity: facts.identity, issuer: facts.issuer }, signer);
  });

  test('no certificate, no signer', () => {
    assert.equal(certificateSigner('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'), undefined);
    assert.equal(certificateSigner('hello'), undefined);
  });
});

describe('extensions are read by their place in the certificate, not by searching its bytes', () => {
  let ca: TestCertificateAuthority;
  before(async () => {
    ca = await createTestCA();
  });
  after(async () => {
    await ca.dispose();
  });

  test('regression: another extension holding the bytes of the 1.8 OID and a UTF8String does not lend its issuer', async () => {
    // The encoded OID 1.3.6.1.4.1.57264.1.8, then an OCTET STRING holding a UTF8String: what a
    // search of the DER for the OID's bytes takes for the issuer extension.
    const utf8 = Buffer.from('https://evil.example', 'utf8');
    const inner = Buffer.concat([Buffer.from([0x0c, utf8.length]), utf8]);
    const decoy = Buffer.concat([Buffer.from('060a2b0601040183bf300108', 'hex'), Buffer.from([0x04, inner.length]), inner]);
    const leaf = await ca.issue({
      san: { email: 'maintainer@example.com' },
      issuer: 'https://accounts.google.com',
      issuerExtensions: 'v1',
      extraExtensions: [{ oid: '1.3.6.1.4.1.99999.1', value: decoy }],
    });
    assert.ok(leaf.certificate.der.includes(decoy), 'the decoy is in the certificate');
    assert.deepEqual(certificateSigner(leaf.certificate.pem), { identity: 'maintainer@example.com', issuer: 'https://accounts.google.com' });
  });
});
