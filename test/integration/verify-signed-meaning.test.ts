import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { pushMultiArchIndex } from '../support/fixtures';
import type { PushedIndex } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import type { BundleArtifact } from '../support/sigstore/bundle';
import { BUNDLE_V03_MEDIA_TYPE, attestationBundle, cosignSignBundle, toBundleArtifact } from '../support/sigstore/bundle';
import type { SigningIdentity } from '../support/sigstore/ca';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import { attestationLayer, cosignSign } from '../support/sigstore/cosign';
import { COSIGN_SIGN_V1, IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1, STATEMENT_V1, digestSet, githubProvenancePredicate } from '../support/sigstore/in-toto';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushBundleReferrers, pushCosignLayers } from '../support/sigstore/release';
import { signEnvelope } from '../support/sigstore/signed';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';

// Through a real registry and the CLI: what a signature or attestation is comes from its signed
// bytes (a statement's predicateType) and what may sign comes from the certificate (codeSigning);
// annotations anyone with push access writes decide neither.
type VerifyJson = Omit<ImageGraph, 'artifacts'> & { artifacts: Array<ImageGraph['artifacts'][number] & ArtifactVerification>; verdict: ImageVerdict };
const EMAIL = 'release-bot@example.com';
const HOUR = 3_600_000;
const failing = (a: ArtifactVerification) => a.checks.filter((c) => c.status === 'fail').map((c) => [c.code, c.message]);

describe('verify: meaning and signing rights come from signed bytes, through a real registry', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let dir: string;
  let rootPath: string;
  let chain: string;
  let signer: SigningIdentity;
  let n = 0;
  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    dir = mkdtempSync(join(tmpdir(), 'pl-signed-meaning-'));
    rootPath = await mini.writeTrustedRoot(dir);
    chain = join(dir, 'chain.pem');
    writeFileSync(chain, `${mini.ca.intermediate.pem}${mini.ca.root.pem}`);
    signer = await mini.githubIdentity({ repository: 'org/app', ref: 'refs/tags/v1.0.0' });
  });
  after(async () => {
    await reg?.stop();
    await mini?.dispose();
  });

  const image = async (): Promise<{ repo: string; ref: string; index: PushedIndex }> => {
    const repo = `meaning/app-${++n}`;
    const index = await pushMultiArchIndex(reg, repo, { tag: 'v1.0.0', platforms: ['linux/amd64'], predicateTypes: [], buildCacheEntry: false });
    return { repo, ref: `${reg.host}/${repo}:v1.0.0`, index };
  };
  const keyless = async (ref: string, extra: string[] = []) => {
    const r = await cli([
      'verify',
      ref,
      '--json',
      '--trusted-root',
      rootPath,
      '--certificate-identity',
      signer.identity,
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
      ...extra,
    ]);
    assert.ok(r.stdout.startsWith('{'), r.stderr);
    return { code: r.code, out: JSON.parse(r.stdout) as VerifyJson };
  };
  /** A bundle whose referrer descriptor claims `claims` as its predicate type, whatever it holds. */
  const claiming = (b: BundleArtifact, claims: string): BundleArtifact => ({ ...b, predicateType: claims });
  const statementWithout = (digest: string) => ({
    _type: STATEMENT_V1,
    subject: [{ name: 'app', digest: digestSet(digest) }],
    predicate: githubProvenancePredicate({ repository: 'org/app' }),
  });

  test('SLSA provenance annotated as a cosign signature (referrer and .att): attestations, the image unsigned (exit 1)', async () => {
    const { repo, ref, index } = await image();
    const slsa = attestationBundle(signer, {
      log: mini.log,
      digest: index.digest,
      subjectName: 'app',
      predicateType: SLSA_PROVENANCE_V1,
      predicate: githubProvenancePredicate({ repository: 'org/app' }),
    });
    await pushBundleReferrers(reg, repo, index, [claiming(slsa, COSIGN_SIGN_V1)]);
    const envelope = signEnvelope(
      signer,
      IN_TOTO_PAYLOAD_TYPE,
      Buffer.from(JSON.stringify({ ...statementWithout(index.digest), predicateType: SLSA_PROVENANCE_V1 })),
      { log: mini.log, entryKind: 'intoto/0.0.2' },
    );
    await pushCosignLayers(reg, repo, index.digest, 'att', [attestationLayer(envelope, COSIGN_SIGN_V1)]);

    const { code, out } = await keyless(ref);
    assert.deepEqual([code, out.verdict.state, out.verdict.verified], [1, 'unsigned', false]);
    const found = out.artifacts
      .filter((a) => a.coversDigest === index.digest)
      .map((a) => [a.format, a.annotations?.['dev.sigstore.bundle.predicateType'] ?? a.annotations?.predicateType, a.kind, a.predicateType, a.state]);
    assert.deepEqual(found.sort(), [
      ['cosign-tag', COSIGN_SIGN_V1, 'attestation', SLSA_PROVENANCE_V1, 'verified'],
      ['referrer', COSIGN_SIGN_V1, 'attestation', SLSA_PROVENANCE_V1, 'verified'],
    ]);
    assert.deepEqual(
      out.verdict.digests.map((d) => [d.target, d.signedBy]),
      [
        ['index', []],
        ['linux/amd64', []],
      ],
    );
  });

  test('a cosign sign/v1 statement annotated as SLSA provenance is a signature: verified (exit 0)', async () => {
    const { repo, ref, index } = await image();
    await pushBundleReferrers(reg, repo, index, [claiming(cosignSignBundle(signer, index.digest, { log: mini.log }), SLSA_PROVENANCE_V1)]);
    const { code, out } = await keyless(ref);
    assert.deepEqual([code, out.verdict.state], [0, 'verified']);
    const a = out.artifacts.find((x) => x.format === 'referrer')!;
    assert.deepEqual(
      [a.annotations?.['dev.sigstore.bundle.predicateType'], a.kind, a.predicateType, a.state],
      [SLSA_PROVENANCE_V1, 'signature', COSIGN_SIGN_V1, 'verified'],
    );
    assert.deepEqual(out.verdict.digests[0]!.signedBy, [signer.identity]);
  });

  test('a signed statement without predicateType, annotated as a cosign signature: ARTIFACT fails, the image fails (exit 1)', async () => {
    const { repo, ref, index } = await image();
    const record = signEnvelope(signer, IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statementWithout(index.digest))), {
      log: mini.log,
      entryKind: 'dsse/0.0.1',
    });
    await pushBundleReferrers(reg, repo, index, [claiming(toBundleArtifact(record, { mediaType: BUNDLE_V03_MEDIA_TYPE }), COSIGN_SIGN_V1)]);
    const { code, out } = await keyless(ref);
    assert.deepEqual([code, out.verdict.state, out.verdict.verified], [1, 'failed', false]);
    const a = out.artifacts.find((x) => x.format === 'referrer')!;
    assert.deepEqual(
      [a.state, failing(a)],
      ['failed', [['ARTIFACT', 'The signed statement has no predicateType (a string), so what it claims cannot be known.']]],
    );
    assert.deepEqual(
      out.verdict.digests.map((d) => d.signedBy),
      [[], []],
    );
    // The registry's annotation never shows through in the JSON as the artifact's predicate type.
    assert.equal(a.predicateType, undefined);

    const text = await cli(['verify', ref, '--trusted-root', rootPath, '--certificate-identity', signer.identity, '--certificate-oidc-issuer', GITHUB_ISSUER]);
    assert.equal(text.code, 1);
    // The line names no predicate type: the annotation's is not shown as if it were signed.
    assert.match(
      text.stdout,
      /^ {4}\S+ +signature {2}referrer \(\S+\) {2}sha256:[0-9a-f]+\S*\n {8}FAIL ARTIFACT: The signed statement has no predicateType \(a string\), so what it claims cannot be known\.$/m,
    );
  });

  test('--certificate-chain: an S/MIME-only certificate of the pinned identity signs nothing (exit 1), one without EKU does (exit 0)', async () => {
    const sign = async (extendedKeyUsage: string | null): Promise<string> => {
      const { repo, ref, index } = await image();
      const leaf = await mini.ca.issue({
        san: { email: EMAIL },
        issuerExtensions: 'none',
        extendedKeyUsage,
        notBefore: new Date(Date.now() - HOUR),
        notAfter: new Date(Date.now() + 24 * HOUR),
      });
      await pushCosignLayers(reg, repo, index.digest, 'sig', [cosignSign(leaf, { reference: `${reg.host}/${repo}`, digest: index.digest })]);
      return ref;
    };
    const pki = ['--certificate-chain', chain, '--insecure-ignore-tlog', '--certificate-identity', EMAIL];
    const smime = await cli(['verify', await sign('emailProtection'), '--json', ...pki]);
    assert.equal(smime.code, 1, smime.stderr);
    const refused = JSON.parse(smime.stdout) as VerifyJson;
    const sig = refused.artifacts.find((a) => a.kind === 'signature')!;
    assert.deepEqual([refused.verdict.state, sig.state, sig.identity], ['failed', 'failed', EMAIL]);
    assert.deepEqual(failing(sig), [
      [
        'CERTIFICATE_CHAIN',
        "The signing certificate's Extended Key Usage is emailProtection, without codeSigning: it is not a code-signing certificate, and signing needs codeSigning (as cosign requires).",
      ],
    ]);

    const plain = await cli(['verify', await sign(null), '--json', ...pki]);
    assert.equal(plain.code, 0, plain.stdout);
    assert.equal((JSON.parse(plain.stdout) as VerifyJson).verdict.state, 'verified');
  });
});
