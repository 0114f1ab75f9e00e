import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pem } from '@sigstore/core';
import { parseCertificateChain, privatePki, withCertificateChain } from '../../src/verify/trust/certificate-chain';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { bundleFromCosignSignature } from '../../src/verify/bundle/cosign-bundle';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import type { ImageCheckCode } from '../../src/verify/image/image-checks';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { CONTAINERS_IMAGE, manifestDigest, readSig, sha256, verifySig } from '../support/containers-image-sigs';
import { imagePolicy } from '../support/image-graphs';

// The containers/image private-PKI cosign signature (signature/fixtures @ df7e80d2,
// dir-img-cosign-pki-valid): a leaf issued by "Linuxera Intermediate CA" under "Linuxera Root
// CA", SAN qiwan@redhat.com, no Rekor entry, no RFC 3161 timestamp. cosign verifies such a
// signature with --certificate-chain and --insecure-ignore-tlog, checking the chain at the
// current time; so does Provenance Lens, and only then.
const dir = CONTAINERS_IMAGE;

const file = (name: string) => readFileSync(join(dir, name), 'utf8');
const ID = 'qiwan@redhat.com';

const PKI = 'dir-img-cosign-pki-valid';
const readPkiSig = () => readSig(PKI, 'signature-1');
const policy = (p: Partial<ImagePolicy> = {}): ImagePolicy => imagePolicy({ identity: { exact: ID }, requireTlog: false, ...p });
const chainRoot = (pemText: string, name = 'pki-chain'): TrustRoot => withCertificateChain(embeddedTrustRoot(), parseCertificateChain(pemText, name));

const verify = (p: ImagePolicy, trustRoot: TrustRoot): ArtifactVerification => verifySig(readPkiSig(), manifestDigest(PKI), p, trustRoot);
const check = (r: { checks: ReadonlyArray<{ code: string; status: string; message: string }> }, code: ImageCheckCode): Array<[string, string]> =>
  r.checks.filter((c) => c.code === code).map((c) => [c.status, c.message]);
const notPassing = (r: ArtifactVerification) =>
  r.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => [c.code, c.status, c.evidence?.cause]);

describe('private PKI (--certificate-chain) on the containers/image signature', () => {
  test('chain file + no log required: verified, the certificate checked at the current time, said in an info check', () => {
    const r = verify(policy(), chainRoot(file('pki-chain')));
    assert.deepEqual(notPassing(r), []);
    assert.deepEqual([r.state, r.verified, r.identity, r.issuer], ['verified', true, ID, undefined]);
    const [ts] = check(r, 'TIMESTAMP');
    assert.equal(ts![0], 'info');
    assert.match(
      ts![1],
      /^No signed time: certificate checked at the current time \(\d{4}-\d\d-\d\dT[\d:.]+Z\), as cosign does when no transparency log is required\.$/,
    );
    assert.deepEqual(check(r, 'CERTIFICATE_CHAIN'), [
      ['pass', 'The certificate chains to a trusted CA, was valid at the current time (this trust root has no CT log).'],
    ]);
    assert.deepEqual(check(r, 'ISSUER'), [
      [
        'info',
        'The certificate names no OIDC issuer: it comes from the private CA given as the certificate chain, which vouches for the identity itself; no issuer is required.',
      ],
    ]);
    assert.deepEqual(check(r, 'IDENTITY'), [['pass', `The certificate identity matches "${ID}".`]]);
    assert.deepEqual(check(r, 'TLOG'), [['info', 'No transparency-log entry; not required because the log requirement was waived.']]);
    assert.match(
      check(r, 'TRUST_ROOT')[0]![1],
      /its certificate authorities replaced by the private PKI chain pki-chain \(C=ES, L=Valencia, O=IT, OU=Security, CN=Linuxera Intermediate Certificate Authority; C=ES, L=Valencia, O=IT, OU=Security, CN=Linuxera Root Certificate Authority\)\.$/,
    );
    const cert = r.checks.find((c) => c.code === 'CERTIFICATE_CHAIN')!.evidence!;
    assert.deepEqual(
      [cert.certificateValidity, cert.certificateAuthority],
      [{ notBefore: '2024-10-01T14:28:43.000Z', notAfter: '2052-02-16T14:28:43.000Z' }, 'file:pki-chain'],
    );
  });

  test('root and intermediate given as separate PEM files, concatenated: the same result', () => {
    assert.equal(verify(policy(), chainRoot(file('pki_root_crts.pem') + file('pki_intermediate_crts.pem'))).state, 'verified');
  });

  test('the default is not weakened: with the log required, refused (no entry, no signed time), with a hint', () => {
    const r = verify(policy({ requireTlog: true }), chainRoot(file('pki-chain')));
    assert.equal(r.state, 'failed');
    assert.deepEqual(notPassing(r), [['TIMESTAMP', 'fail', 'TIMESTAMP_ERROR: expected 1 timestamps, got 0']]);
    assert.match(check(r, 'TLOG')[0]![1], /^This private-PKI signature has no transparency-log entry and no signed time; .*--insecure-ignore-tlog/);
  });

  test('the chain the signature carries is never trusted: only the root given fails, so does another CA', () => {
    const rootOnly = verify(policy(), chainRoot(file('pki_root_crts.pem'), 'root.pem'));
    assert.equal(rootOnly.state, 'failed');
    assert.deepEqual(
      notPassing(rootOnly).map((c) => c[0]),
      ['CERTIFICATE_CHAIN'],
    );
    assert.match(check(rootOnly, 'CERTIFICATE_CHAIN')[0]![1], /does not chain to a trusted CA, or is not valid at the current time/);
    const fulcio = verify(policy(), chainRoot(file('fulcio-chain'), 'fulcio-chain'));
    assert.deepEqual([fulcio.state, notPassing(fulcio).map((c) => c[0])], ['failed', ['CERTIFICATE_CHAIN']]);
  });

  test('identity is still required: another identity fails, none pinned is unpinned; a pinned issuer the certificate lacks fails', () => {
    const root = chainRoot(file('pki-chain'));
    const wrong = verify(policy({ identity: { exact: 'someone@redhat.com' } }), root);
    assert.deepEqual([wrong.state, notPassing(wrong).map((c) => c[0])], ['failed', ['IDENTITY']]);
    const { identity: _drop, ...noIdentity } = policy();
    assert.equal(verify(noIdentity, root).state, 'unpinned');
    const issuer = verify(policy({ issuer: { exact: 'https://accounts.google.com' } }), root);
    assert.deepEqual([issuer.state, notPassing(issuer).map((c) => c[0])], ['failed', ['ISSUER']]);
  });

  test('a trusted_root.json listing the CA is not a private PKI: with no OIDC issuer to pin, unpinned (give --certificate-chain)', () => {
    const der = (f: string) => pem.toDER(file(f)).toString('base64');
    const root = parseTrustedRoot(
      Buffer.from(
        JSON.stringify({
          mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
          tlogs: [],
          ctlogs: [],
          timestampAuthorities: [],
          certificateAuthorities: [
            {
              subject: { organization: 'IT', commonName: 'Linuxera' },
              uri: 'pki',
              certChain: { certificates: [{ rawBytes: der('pki_intermediate_crts.pem') }, { rawBytes: der('pki_root_crts.pem') }] },
              validFor: { start: '2024-01-01T00:00:00Z' },
            },
          ],
        }),
      ),
      { kind: 'file', path: 'pki-root.json' },
    );
    const r = verify(policy(), root);
    assert.deepEqual([r.state, notPassing(r)], ['unpinned', [['ISSUER', 'warn', undefined]]]);
    assert.equal(check(r, 'TIMESTAMP')[0]![0], 'info');
  });

  test('the current time is what counts: after the chain expires (2052), refused', () => {
    const sig = readPkiSig();
    const converted = bundleFromCosignSignature(sig.payload, sig.annotations);
    assert.ok(converted.ok);
    const run = (now: Date) =>
      verifyBlob({
        bundle: JSON.stringify(converted.bundle),
        artifact: { kind: 'bytes', bytes: sig.payload },
        trustRoot: chainRoot(file('pki-chain')),
        policy: { identity: { exact: ID } },
        requireTlog: false,
        now,
      });
    assert.equal(run(new Date('2030-01-01T00:00:00Z')).state, 'verified');
    const late = run(new Date('2053-01-01T00:00:00Z'));
    assert.equal(late.state, 'failed');
    const failing = late.checks.filter((c) => c.status === 'fail');
    assert.deepEqual(
      failing.map((c) => c.code),
      ['CERTIFICATE_CHAIN'],
    );
    assert.match(failing[0]!.message, /not valid at the current time \(2053-01-01T00:00:00\.000Z; no signed time/);
    assert.match(failing[0]!.evidence?.cause ?? '', /^CERTIFICATE_ERROR: /);
  });
});

describe('parseCertificateChain', () => {
  test('a CA chain: subjects, fingerprints and span, in file order', () => {
    const chain = parseCertificateChain(file('pki-chain'), 'pki-chain');
    assert.deepEqual(
      chain.info.subjects.map((s) => s.replace(/.*CN=/, '')),
      ['Linuxera Intermediate Certificate Authority', 'Linuxera Root Certificate Authority'],
    );
    assert.equal(chain.info.fingerprints[1], sha256(pem.toDER(file('pki_root_crts.pem'))));
    assert.deepEqual([chain.info.notBefore, chain.info.notAfter], ['2024-10-01T14:28:40.000Z', '2052-02-16T14:28:41.000Z']);
    const root = withCertificateChain(embeddedTrustRoot(), chain);
    assert.deepEqual(root.info.counts, { ...embeddedTrustRoot().info.counts, certificateAuthorities: 1, ctlogs: 0 });
    assert.equal(root.info.instance, 'custom');
    assert.equal(root.root.tlogs.length, embeddedTrustRoot().root.tlogs.length, 'the logs stay: a required log entry still means the public log');
    assert.deepEqual(privatePki(root), chain.info);
    assert.equal(privatePki(embeddedTrustRoot()), undefined);
  });

  test('refused: a signing certificate in the file, no root, no certificate at all', () => {
    assert.throws(
      () => parseCertificateChain(file('pki-cert') + file('pki-chain'), 'mixed.pem'),
      /Certificate 1 of mixed\.pem \(.*CN=Team A Cosign Certificate\) is not a CA certificate/,
    );
    assert.throws(() => parseCertificateChain(file('pki_intermediate_crts.pem'), 'inter.pem'), /inter\.pem has no self-signed root CA certificate/);
    assert.throws(() => parseCertificateChain('hello', 'x.pem'), /x\.pem holds no PEM certificate/);
  });
});
