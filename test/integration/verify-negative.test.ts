import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { pushMultiArchIndex } from '../support/fixtures';
import type { PushedIndex } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { cosignSignBundle, messageSignatureBundle, toBundleArtifact } from '../support/sigstore/bundle';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import type { SigningIdentity } from '../support/sigstore/ca';
import { attestationLayer, cosignAttest, cosignSign, signatureLayer } from '../support/sigstore/cosign';
import { SLSA_PROVENANCE_V1, githubProvenancePredicate } from '../support/sigstore/in-toto';
import { createSigningKey } from '../support/sigstore/keys';
import type { SigningKey } from '../support/sigstore/keys';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MutationName } from '../support/sigstore/mutations';
import { MUTATIONS } from '../support/sigstore/mutations';
import { pushBundleReferrers, pushCosignLayers, pushSignedRelease } from '../support/sigstore/release';
import type { SignedEnvelope, SignedMessage, SignedRecord, Signer } from '../support/sigstore/signed';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageCheckCode } from '../../src/verify/image/image-checks';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';

// Every negative case of verification, through a real registry and the CLI, with the project's
// own mini Sigstore (test CA, log key, custom trusted root): each mutation of
// test/support/sigstore/mutations.ts breaks one thing of a good signature, in every storage
// format it applies to, and the check that refuses it is named.
type VerifyJson = Omit<ImageGraph, 'artifacts'> & { artifacts: Array<ImageGraph['artifacts'][number] & ArtifactVerification>; verdict: ImageVerdict };

/** The check that must fail for each defect (others may fail beside it; the verdict is never "verified"). */
const REFUSED_BY: Record<MutationName, ImageCheckCode> = {
  tamperedPayload: 'TLOG', // the logged digest no longer matches (the signature would not either)
  otherImageClaim: 'CLAIMS',
  wrongIdentity: 'IDENTITY',
  wrongIssuer: 'ISSUER',
  unanchoredIdentity: 'IDENTITY',
  expiredCertificate: 'CERTIFICATE_CHAIN',
  setOverAnotherBody: 'TLOG',
  untrustedCertificate: 'CERTIFICATE_CHAIN',
  attestationSubjectMismatch: 'ARTIFACT',
  wrongPayloadType: 'ARTIFACT',
  oversizedEnvelope: 'BUNDLE_FORMAT',
  tlogKeyDiffers: 'TLOG_SIGNER',
  wrongKey: 'SIGNATURE',
};

type Format = 'cosign .sig' | 'cosign .att (intoto 0.0.2)' | 'cosign .att (intoto 0.0.1)' | 'referrer cosign v3 sign' | 'referrer message signature';
const FORMATS: readonly Format[] = [
  'cosign .sig',
  'cosign .att (intoto 0.0.2)',
  'cosign .att (intoto 0.0.1)',
  'referrer cosign v3 sign',
  'referrer message signature',
];

describe('verify refuses every defect, in every format, through a real registry', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let rootPath: string;
  let identity: SigningIdentity;
  let key: SigningKey;
  let keyPath: string;
  let n = 0;

  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    rootPath = await mini.writeTrustedRoot(await mkdtemp(join(tmpdir(), 'pl-root-')));
    identity = await mini.githubIdentity({ repository: 'example/app', ref: 'refs/tags/v1.0.0' });
    key = createSigningKey();
    keyPath = join(mkdtempSync(join(tmpdir(), 'pl-key-')), 'cosign.pub');
    writeFileSync(keyPath, key.publicKeyPem);
  });
  after(async () => {
    await reg?.stop();
    await mini?.dispose();
  });

  /** A good record of `format` about `digest`, signed by `signer` and logged. */
  function goodRecord(format: Format, signer: Signer, digest: string, reference: string): SignedRecord {
    const log = { log: mini.log };
    switch (format) {
      case 'cosign .sig':
        return cosignSign(signer, { reference, digest }, log).record;
      case 'cosign .att (intoto 0.0.2)':
        return cosignAttest(signer, {
          ...log,
          digest,
          subjectName: reference,
          predicateType: SLSA_PROVENANCE_V1,
          predicate: githubProvenancePredicate({ repository: 'example/app', ref: 'refs/tags/v1.0.0', sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' }),
        }).record;
      case 'cosign .att (intoto 0.0.1)':
        return cosignAttest(signer, { ...log, digest, subjectName: reference, entryKind: 'intoto/0.0.1' }).record;
      case 'referrer cosign v3 sign':
        return cosignSignBundle(signer, digest, log).record;
      case 'referrer message signature':
        return messageSignatureBundle(signer, { digest: Buffer.from(digest.slice(7), 'hex') }, log).record;
    }
  }

  /** The bytes and annotations `record` is stored as in `format`. */
  function rendered(format: Format, record: SignedRecord): string {
    if (format === 'cosign .sig') {
      const l = signatureLayer(record as SignedMessage);
      return JSON.stringify([l.bytes.toString('base64'), l.annotations]);
    }
    if (format.startsWith('cosign .att')) {
      const l = attestationLayer(record as SignedEnvelope);
      return JSON.stringify([l.bytes.toString('base64'), l.annotations]);
    }
    return toBundleArtifact(record).bytes.toString('base64');
  }

  /** Pushes an unsigned one-platform index with `record` stored as `format` for the index digest. */
  async function pushWith(
    format: Format,
    make: (index: PushedIndex, reference: string) => Promise<SignedRecord>,
  ): Promise<{ ref: string; index: PushedIndex }> {
    const repo = `neg/case-${++n}`;
    const index = await pushMultiArchIndex(reg, repo, { tag: 'v1.0.0', platforms: ['linux/amd64'], predicateTypes: [], buildCacheEntry: false });
    const record = await make(index, `${reg.host}/${repo}`);
    if (format === 'cosign .sig') await pushCosignLayers(reg, repo, index.digest, 'sig', [signatureLayer(record as SignedMessage)]);
    else if (format.startsWith('cosign .att')) await pushCosignLayers(reg, repo, index.digest, 'att', [attestationLayer(record as SignedEnvelope)]);
    else await pushBundleReferrers(reg, repo, index, [toBundleArtifact(record)]);
    return { ref: `${reg.host}/${repo}:v1.0.0`, index };
  }

  async function verify(ref: string, args: string[]): Promise<{ code: number; out: VerifyJson }> {
    const r = await cli(['verify', ref, '--json', '--trusted-root', rootPath, ...args]);
    assert.ok(r.stdout.startsWith('{'), r.stderr);
    return { code: r.code, out: JSON.parse(r.stdout) as VerifyJson };
  }
  const pinned = () => ['--certificate-identity', identity.identity, '--certificate-oidc-issuer', GITHUB_ISSUER];
  const isSignatureFormat = (f: Format) => f === 'cosign .sig' || f.startsWith('referrer');

  for (const format of FORMATS) {
    test(`${format}: the good signature verifies (baseline for the mutations below)`, async () => {
      const { ref, index } = await pushWith(format, async (i, reference) => goodRecord(format, identity, i.digest, reference));
      const { code, out } = await verify(ref, pinned());
      const a = out.artifacts.find((x) => x.coversDigest === index.digest)!;
      assert.equal(a.state, 'verified', JSON.stringify(a.checks.filter((c) => c.status === 'fail')));
      assert.deepEqual([a.identity, a.issuer], [identity.identity, GITHUB_ISSUER]);
      if (isSignatureFormat(format)) assert.deepEqual([code, out.verdict.state], [0, 'verified']);
      else assert.deepEqual([code, out.verdict.state], [1, 'unsigned'], 'an attestation alone is not a signature');
      if (format.includes('0.0.1')) assert.equal(a.checks.find((c) => c.code === 'TLOG')?.evidence?.entryKind, 'intoto/0.0.1');
    });

    for (const m of MUTATIONS.filter((x) => x.name !== 'wrongKey')) {
      const probe = (r: SignedRecord) => m.appliesTo(r);
      test(`${format}: ${m.name} (${m.defect}) is refused by ${REFUSED_BY[m.name]}`, async (t) => {
        let skip: string | undefined;
        const { ref, index } = await pushWith(format, async (i, reference) => {
          const good = goodRecord(format, identity, i.digest, reference);
          if (!probe(good)) {
            skip = `${m.name} does not apply to ${format}`;
            return good;
          }
          const bad = await m.apply(good, mini);
          // A mutation that changes nothing would make this test pass for the wrong reason.
          assert.notEqual(rendered(format, bad), rendered(format, good), `${m.name} changes nothing in ${format}`);
          return bad;
        });
        if (skip !== undefined) {
          t.skip(skip);
          return;
        }
        // The unanchored case pins a pattern: written unanchored, it must still match the whole SAN.
        const policy =
          m.name === 'unanchoredIdentity'
            ? ['--certificate-identity-regexp', identity.identity.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), '--certificate-oidc-issuer', GITHUB_ISSUER]
            : pinned();
        const { code, out } = await verify(ref, policy);
        const a = out.artifacts.find((x) => x.coversDigest === index.digest && x.format !== 'buildkit-index')!;
        const failing = a.checks.filter((c) => c.status === 'fail').map((c) => c.code);
        assert.equal(a.state, 'failed', `${m.name}: ${JSON.stringify(a.checks.map((c) => [c.code, c.status]))}`);
        assert.ok(failing.includes(REFUSED_BY[m.name]), `${m.name} in ${format}: failing ${JSON.stringify(failing)}`);
        assert.equal(code, 1);
        assert.equal(out.verdict.verified, false);
        if (isSignatureFormat(format)) assert.equal(out.verdict.state, 'failed');
        if (m.name === 'setOverAnotherBody') {
          // Refused for the promise itself, not for a side effect (a digest-only signature once kept a valid SET).
          const tlog = a.checks.filter((c) => c.code === 'TLOG' && c.status === 'fail');
          assert.equal(tlog.length, 1, JSON.stringify(tlog));
          assert.match(tlog[0]!.message, /signed promise \(SET\)/);
          if (!format.includes('0.0.1')) assert.match(tlog[0]!.evidence?.cause ?? '', /^TLOG_INCLUSION_PROMISE_ERROR/);
        }
      });
    }
  }

  test('key-based: signed by another key is refused; the right key verifies', async () => {
    const wrongKey = MUTATIONS.find((x) => x.name === 'wrongKey')!;
    const good = await pushWith('cosign .sig', async (i, reference) => goodRecord('cosign .sig', key, i.digest, reference));
    const ok = await verify(good.ref, ['--key', keyPath]);
    assert.deepEqual([ok.code, ok.out.verdict.state], [0, 'verified']);
    const bad = await pushWith('cosign .sig', async (i, reference) => wrongKey.apply(goodRecord('cosign .sig', key, i.digest, reference), mini));
    const r = await verify(bad.ref, ['--key', keyPath]);
    const a = r.out.artifacts.find((x) => x.kind === 'signature')!;
    assert.equal(a.state, 'failed');
    assert.ok(a.checks.some((c) => c.code === REFUSED_BY.wrongKey && c.status === 'fail'));
    assert.equal(r.code, 1);
  });

  test('a whole signed release (every format, the mini Sigstore) verifies end to end', async () => {
    const release = await pushSignedRelease(reg, 'good/release', {
      sigstore: mini,
      platforms: ['linux/amd64', 'linux/arm64'],
      cosignSignatures: ['index'],
      cosignAttestations: ['index', 'linux/arm64'],
      referrers: ['linux/amd64'],
    });
    const { code, out } = await verify(`${reg.host}/good/release:v1.0.0`, [
      '--certificate-identity',
      release.signer.identity!,
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
      '--require-attestation',
      SLSA_PROVENANCE_V1,
    ]);
    assert.equal(code, 0, out.verdict.coverage);
    assert.equal(
      out.verdict.coverage,
      `index signed by ${release.signer.identity}; linux/amd64 signed by ${release.signer.identity}; linux/arm64 covered through the index; verified attestations: ${SLSA_PROVENANCE_V1} on the index, linux/amd64 and linux/arm64`,
    );
    assert.ok(out.artifacts.filter((a) => a.format !== 'buildkit-index').every((a) => a.state === 'verified'));
  });

  test('a certificate the trusted root does not know, with the public-good root: refused (the test CA is trusted only through --trusted-root)', async () => {
    const { ref } = await pushWith('cosign .sig', async (i, reference) => goodRecord('cosign .sig', identity, i.digest, reference));
    const r = await cli(['verify', ref, '--json', ...pinned()]);
    const a = (JSON.parse(r.stdout) as VerifyJson).artifacts.find((x) => x.kind === 'signature')!;
    assert.equal(a.state, 'failed');
    assert.ok(a.checks.some((c) => c.code === 'CERTIFICATE_CHAIN' && c.status === 'fail'));
  });
});
