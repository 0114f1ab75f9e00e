// Interop with the real signers: sigstore-js's signing client (@sigstore/sign, against
// @sigstore/mock's Fulcio over loopback HTTP) and its OCI client (@sigstore/oci, which
// actions/attest-build-provenance pushes attestations with) sign SLSA provenance and a message
// signature and attach them to a multi-arch image in a real registry. `verify` must find them
// through the referrers tag schema and verify them for the signer's identity, and for no other.
// What the mock gets wrong (its CT log's SCTs, its Rekor's entries and proofs) is supplied in
// test/support/sigstore-js; the verifier is the one users run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleToJSON } from '@sigstore/bundle';
import type { Bundle } from '@sigstore/bundle';
import { request } from 'undici';
import { startRegistry, type TestRegistry } from '../support/registry';
import { MEDIA, pushMultiArchIndex, type PushedIndex } from '../support/fixtures';
import { fetchBlob, fetchManifest, harnessAuthorization, sha256Digest } from '../support/push';
import { cli, dockerConfigWith } from '../support/cli';
import { IN_TOTO_PAYLOAD_TYPE, SLSA_PROVENANCE_V1, digestSet, githubProvenancePredicate, inTotoStatement } from '../support/sigstore/in-toto';
import { createTestLog } from '../support/sigstore/log';
// @sigstore/oci 0.6 requires promise-retry without declaring it (make-fetch-happen no longer brings it): it is a devDependency here.
import { attachArtifactToImage } from '@sigstore/oci';
import { githubActionsClaims, identityToken, startSigstoreJsServices, type SigstoreJsServices } from '../support/sigstore-js/services';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';

type VerifiedArtifact = ImageGraph['artifacts'][number] & ArtifactVerification;
type VerifyJson = Omit<ImageGraph, 'artifacts'> & { artifacts: VerifiedArtifact[]; verdict: ImageVerdict };
type Signed = 'indexProvenance' | 'platformProvenance' | 'signature';

const REPO = 'acme/app';
const GITHUB = 'https://token.actions.githubusercontent.com';
const SIGNER = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0';
const OTHER = 'https://github.com/acme/app/.github/workflows/nightly.yml@refs/heads/main';
const BUNDLE_V02 = 'application/vnd.dev.sigstore.bundle+json;version=0.2';
const DSSE_ANNOTATIONS = { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': SLSA_PROVENANCE_V1 };
const MESSAGE_ANNOTATIONS = { 'dev.sigstore.bundle.content': 'message-signature' };
const tagFor = (digest: string): string => digest.replace(':', '-');

describe('interop: sigstore-js signs and attaches to a real registry, verify finds and checks it', () => {
  let reg: TestRegistry;
  let sigstore: SigstoreJsServices;
  let index: PushedIndex;
  let platform: string;
  let trustedRoot: string;
  let dockerConfig: string;
  const bundles = {} as Record<Signed, Bundle>;
  /** The referrer manifest digest @sigstore/oci returned for each. */
  const attached = {} as Record<Signed, string>;

  const verify = async (root: string, ...flags: string[]): Promise<{ code: number; out: VerifyJson }> => {
    const r = await cli(
      [
        'verify',
        `${reg.host}/${REPO}:v1.0.0`,
        '--json',
        '--insecure-registry',
        reg.host,
        '--trusted-root',
        root,
        '--certificate-oidc-issuer',
        GITHUB,
        ...flags,
      ],
      { DOCKER_CONFIG: dockerConfig },
    );
    assert.ok(r.code === 0 || r.code === 1, `verify exits 0 or 1, not ${r.code}: ${r.stderr}`);
    return { code: r.code, out: JSON.parse(r.stdout) as VerifyJson };
  };
  const referrers = (out: VerifyJson): VerifiedArtifact[] => out.artifacts.filter((a) => a.format === 'referrer');

  before(async () => {
    // Authenticated, as attest-build-provenance pushes with the workflow's credentials.
    reg = await startRegistry({ auth: 'htpasswd' });
    if (reg.auth.mode !== 'htpasswd') throw new Error('expected an htpasswd registry');
    const credentials = { username: reg.auth.username, password: reg.auth.password };
    dockerConfig = dockerConfigWith(reg.host, credentials.username, credentials.password);
    sigstore = await startSigstoreJsServices();
    index = await pushMultiArchIndex(reg, REPO, { tag: 'v1.0.0', platforms: ['linux/amd64', 'linux/arm64'], predicateTypes: [], buildCacheEntry: false });
    platform = index.platforms[0]!.digest;

    const token = identityToken(githubActionsClaims({ repository: REPO }));
    // `dsse` entries are sigstore-js's default (what attest-build-provenance logs); `intoto` 0.0.2
    // is what it logged before, still found in registries.
    const signers = sigstore.builders(token, 'dsse');
    const intotoSigners = sigstore.builders(token, 'intoto');
    const provenance = (digest: string): Buffer =>
      inTotoStatement({
        version: 'v1',
        subject: [{ name: `${reg.host}/${REPO}`, digest: digestSet(digest) }],
        predicateType: SLSA_PROVENANCE_V1,
        predicate: githubProvenancePredicate({ repository: REPO }),
      });
    bundles.indexProvenance = await signers.dsse.create({ data: provenance(index.digest), type: IN_TOTO_PAYLOAD_TYPE });
    bundles.platformProvenance = await intotoSigners.dsse.create({ data: provenance(platform), type: IN_TOTO_PAYLOAD_TYPE });
    // A message signature over the index manifest's bytes: its message digest is the index digest.
    bundles.signature = await signers.message.create({ data: Buffer.from(index.bytes) });

    // As attest-build-provenance calls it: the bundle's own media type as the artifact type.
    const attach = async (bundle: Bundle, imageDigest: string, annotations: Record<string, string>): Promise<string> =>
      (
        await attachArtifactToImage({
          imageName: `${reg.host}/${REPO}`,
          imageDigest,
          credentials,
          mediaType: bundle.mediaType,
          annotations,
          artifact: Buffer.from(JSON.stringify(bundleToJSON(bundle))),
          fetchOpts: { retry: false, timeout: 10_000, proxy: undefined, noProxy: undefined },
        })
      ).digest;
    attached.indexProvenance = await attach(bundles.indexProvenance, index.digest, DSSE_ANNOTATIONS);
    attached.platformProvenance = await attach(bundles.platformProvenance, platform, DSSE_ANNOTATIONS);
    attached.signature = await attach(bundles.signature, index.digest, MESSAGE_ANNOTATIONS);

    trustedRoot = join(mkdtempSync(join(tmpdir(), 'pl-interop-')), 'trusted_root.json');
    writeFileSync(trustedRoot, JSON.stringify(sigstore.trustedRoot(), null, 2));
  });
  after(async () => {
    await sigstore?.close();
    await reg?.stop();
  });

  test('@sigstore/sign made DSSE v0.3 and message-signature v0.2 bundles through the mock Fulcio, with SCTs and Rekor entries', () => {
    const { indexProvenance, platformProvenance, signature } = bundles;
    assert.deepEqual([indexProvenance.mediaType, platformProvenance.mediaType, signature.mediaType], [MEDIA.sigstoreBundle, MEDIA.sigstoreBundle, BUNDLE_V02]);
    assert.equal(indexProvenance.content.$case, 'dsseEnvelope');
    assert.equal(signature.content.$case, 'messageSignature');
    if (signature.content.$case === 'messageSignature') {
      assert.equal(`sha256:${Buffer.from(signature.content.messageSignature.messageDigest!.digest).toString('hex')}`, index.digest);
    }
    // v0.3 carries the leaf alone; MessageSignatureBundleBuilder writes v0.2's one-certificate chain.
    assert.equal(indexProvenance.verificationMaterial.content.$case, 'certificate');
    assert.equal(signature.verificationMaterial.content.$case, 'x509CertificateChain');
    // One certificate per signature, each with an SCT from the test's CT log; one Rekor entry each,
    // stored canonical, proven in a tree of other entries too.
    assert.deepEqual(sigstore.requests, { '/api/v2/signingCert': 3, '/api/v1/log/entries': 3 });
    assert.equal(sigstore.ctLog.issued.length, 3);
    assert.deepEqual(sigstore.rekorLog.logged, ['dsse/0.0.1', 'intoto/0.0.2', 'hashedrekord/0.0.1']);
    const entries = [indexProvenance, platformProvenance, signature].map((b) => b.verificationMaterial.tlogEntries[0]!);
    assert.deepEqual(
      entries.map((e) => [e.logIndex, e.kindVersion?.kind]),
      [
        ['5', 'dsse'],
        ['6', 'intoto'],
        ['7', 'hashedrekord'],
      ],
    );
    for (const e of entries) {
      assert.ok(e.inclusionProof && e.inclusionProof.hashes.length > 0 && Number(e.inclusionProof.treeSize) > 1, 'a proof in a tree of more than one leaf');
    }
    const dsseBody = JSON.parse(Buffer.from(entries[0]!.canonicalizedBody).toString('utf8')) as { spec: Record<string, unknown> };
    assert.deepEqual(Object.keys(dsseBody.spec).sort(), ['envelopeHash', 'payloadHash', 'signatures']);
  });

  test('@sigstore/oci finds no referrers API and writes the referrers tag schema: one index per subject at sha256-<hex>', async () => {
    const api = await request(`${reg.url}/v2/${REPO}/referrers/${index.digest}`, { dispatcher: reg.dispatcher, headers: harnessAuthorization(reg, REPO) });
    await api.body.dump();
    assert.equal(api.statusCode, 404, 'distribution 2.8 has no referrers API');

    const tagIndex = async (subject: string): Promise<{ mediaType: string; manifests: Array<Record<string, unknown>> }> => {
      const m = await fetchManifest(reg, REPO, tagFor(subject));
      assert.equal(m.status, 200, `the tag ${tagFor(subject)} exists`);
      assert.equal(m.mediaType, MEDIA.ociIndex);
      return JSON.parse(m.bytes.toString('utf8')) as { mediaType: string; manifests: Array<Record<string, unknown>> };
    };
    const onIndex = await tagIndex(index.digest);
    const onPlatform = await tagIndex(platform);
    assert.equal(onIndex.mediaType, MEDIA.ociIndex);
    // @sigstore/oci copies the referrer's annotations into the index entry, with the time it pushed.
    const entry = (m: Record<string, unknown>): unknown[] => {
      const { 'org.opencontainers.image.created': created, ...annotations } = m.annotations as Record<string, string>;
      assert.match(created ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      return [m.digest, m.mediaType, m.artifactType, annotations];
    };
    assert.deepEqual(onIndex.manifests.map(entry), [
      [attached.indexProvenance, MEDIA.ociManifest, MEDIA.sigstoreBundle, DSSE_ANNOTATIONS],
      [attached.signature, MEDIA.ociManifest, BUNDLE_V02, MESSAGE_ANNOTATIONS],
    ]);
    assert.deepEqual(onPlatform.manifests.map(entry), [[attached.platformProvenance, MEDIA.ociManifest, MEDIA.sigstoreBundle, DSSE_ANNOTATIONS]]);

    // Each referrer: an OCI manifest with the subject's descriptor, the empty config, the bundle as its only layer.
    const cases: Array<[Signed, string]> = [
      ['indexProvenance', index.digest],
      ['platformProvenance', platform],
      ['signature', index.digest],
    ];
    for (const [name, subject] of cases) {
      const m = await fetchManifest(reg, REPO, attached[name]);
      const manifest = JSON.parse(m.bytes.toString('utf8')) as {
        artifactType: string;
        subject: { digest: string; mediaType: string };
        config: { mediaType: string; digest: string };
        layers: Array<{ mediaType: string; digest: string }>;
      };
      assert.equal(manifest.artifactType, bundles[name].mediaType);
      assert.deepEqual([manifest.subject.digest, manifest.subject.mediaType], [subject, subject === index.digest ? MEDIA.ociIndex : MEDIA.ociManifest]);
      assert.deepEqual([manifest.config.mediaType, manifest.config.digest], [MEDIA.empty, sha256Digest('{}')]);
      assert.deepEqual(
        manifest.layers.map((l) => l.mediaType),
        [bundles[name].mediaType],
      );
      const layer = JSON.parse((await fetchBlob(reg, REPO, manifest.layers[0]!.digest)).toString('utf8')) as unknown;
      assert.deepEqual(layer, bundleToJSON(bundles[name]));
    }
  });

  test('verify finds all three through the tag schema, each with its format, and verifies the image for the signer', async () => {
    const { code, out } = await verify(trustedRoot, '--certificate-identity', SIGNER);
    assert.equal(code, 0);
    assert.deepEqual([out.verdict.state, out.verdict.verified, out.referrersApi], ['verified', true, false]);
    const found = referrers(out).map((a) => [
      a.digest,
      a.coversDigest,
      a.kind,
      a.predicateType,
      a.artifactType,
      a.discovery,
      a.tag,
      a.state,
      a.identity,
      a.issuer,
    ]);
    assert.deepEqual(
      found.sort(),
      [
        [
          attached.indexProvenance,
          index.digest,
          'attestation',
          SLSA_PROVENANCE_V1,
          MEDIA.sigstoreBundle,
          'referrers-tag-schema',
          tagFor(index.digest),
          'verified',
          SIGNER,
          GITHUB,
        ],
        [
          attached.platformProvenance,
          platform,
          'attestation',
          SLSA_PROVENANCE_V1,
          MEDIA.sigstoreBundle,
          'referrers-tag-schema',
          tagFor(platform),
          'verified',
          SIGNER,
          GITHUB,
        ],
        [attached.signature, index.digest, 'signature', undefined, BUNDLE_V02, 'referrers-tag-schema', tagFor(index.digest), 'verified', SIGNER, GITHUB],
      ].sort(),
    );
    assert.equal(out.artifacts.length, 3, 'nothing else was found');
    for (const a of referrers(out)) {
      const notPassed = a.checks.filter((c) => c.status !== 'pass').map((c) => [c.code, c.status]);
      assert.deepEqual(notPassed, [['TRUST_ROOT', 'info']], `${a.digest}: every check passed`);
      const passed: string[] = a.checks.map((c) => c.code);
      for (const code of ['SUBJECT', 'BUNDLE_FORMAT', 'ARTIFACT', 'TLOG_SIGNER', 'TIMESTAMP', 'CERTIFICATE_CHAIN', 'TLOG', 'SIGNATURE', 'IDENTITY', 'ISSUER']) {
        assert.ok(passed.includes(code), `${a.digest}: ${code} was checked`);
      }
      assert.match(a.checks.find((c) => c.code === 'CERTIFICATE_CHAIN')!.message, /carries a valid SCT/);
    }
    const byDigest = new Map(referrers(out).map((a) => [a.digest, a]));
    const evidence = (name: Signed, code: string) => byDigest.get(attached[name])!.checks.find((c) => c.code === code)?.evidence;
    assert.deepEqual(
      [evidence('indexProvenance', 'BUNDLE_FORMAT'), evidence('signature', 'BUNDLE_FORMAT')],
      [
        { bundleVersion: '0.3', content: 'dsse-envelope' },
        { bundleVersion: '0.2', content: 'message-signature' },
      ],
    );
    assert.deepEqual(
      (['indexProvenance', 'platformProvenance', 'signature'] as const).map((n) => evidence(n, 'TLOG')?.entryKind),
      ['dsse/0.0.1', 'intoto/0.0.2', 'hashedrekord/0.0.1'],
    );

    const digests = out.verdict.digests.map((d) => [d.target, d.digest, d.ownState, d.state, d.throughIndex, d.signedBy, d.attestations]);
    assert.deepEqual(digests, [
      ['index', index.digest, 'verified', 'verified', false, [SIGNER], [SLSA_PROVENANCE_V1]],
      ['linux/amd64', platform, 'unsigned', 'verified', true, [], [SLSA_PROVENANCE_V1]],
      ['linux/arm64', index.platforms[1]!.digest, 'unsigned', 'verified', true, [], []],
    ]);
    assert.deepEqual(
      out.verdict.checks.map((c) => [c.code, c.status]),
      [
        ['COVERAGE', 'pass'],
        ['COVERAGE', 'pass'],
      ],
    );
    assert.match(
      out.verdict.coverage,
      /^index signed by https:\/\/github\.com\/acme\/app\/\.github\/workflows\/release\.yml@refs\/tags\/v1\.0\.0; linux\/amd64 and linux\/arm64 covered through the index/,
    );
  });

  test('--require-attestation https://slsa.dev/provenance/v1: met for the signer (exit 0), not for another identity (exit 1)', async () => {
    const met = await verify(trustedRoot, '--certificate-identity', SIGNER, '--require-attestation', SLSA_PROVENANCE_V1);
    assert.equal(met.code, 0);
    assert.equal(met.out.verdict.state, 'verified');
    assert.deepEqual(
      met.out.verdict.checks.filter((c) => c.code === 'REQUIRED_ATTESTATION').map((c) => [c.status, c.evidence?.predicateType]),
      [['pass', SLSA_PROVENANCE_V1]],
    );
    const unmet = await verify(trustedRoot, '--certificate-identity', OTHER, '--require-attestation', SLSA_PROVENANCE_V1);
    assert.equal(unmet.code, 1);
    assert.equal(unmet.out.verdict.state, 'failed');
    assert.deepEqual(
      unmet.out.verdict.checks.filter((c) => c.code === 'REQUIRED_ATTESTATION').map((c) => c.status),
      ['fail'],
    );
  });

  test('another identity: every artifact fails IDENTITY, naming both, and the image fails (exit 1)', async () => {
    const { code, out } = await verify(trustedRoot, '--certificate-identity', OTHER);
    assert.equal(code, 1);
    assert.deepEqual([out.verdict.state, out.verdict.verified], ['failed', false]);
    assert.equal(referrers(out).length, 3);
    for (const a of referrers(out)) {
      assert.deepEqual([a.state, a.verified, a.identity], ['failed', false, SIGNER]);
      const failed = a.checks.filter((c) => c.status === 'fail');
      assert.deepEqual(
        failed.map((c) => c.code),
        ['IDENTITY'],
      );
      assert.ok(failed[0]!.message.includes(SIGNER) && failed[0]!.message.includes(OTHER), failed[0]!.message);
    }
    assert.deepEqual(
      out.verdict.checks.map((c) => [c.code, c.status]),
      [
        ['COVERAGE', 'fail'],
        ['COVERAGE', 'fail'],
      ],
    );
  });

  test('the SCT is checked: with another CT log in the trusted root every certificate fails CERTIFICATE_CHAIN', async () => {
    const otherCt = join(mkdtempSync(join(tmpdir(), 'pl-interop-')), 'trusted_root.json');
    writeFileSync(otherCt, JSON.stringify(sigstore.trustedRoot({ ctLog: createTestLog({ name: 'ctfe.other.provenance-lens.test' }) })));
    const { code, out } = await verify(otherCt, '--certificate-identity', SIGNER);
    assert.equal(code, 1);
    assert.equal(out.verdict.state, 'failed');
    assert.deepEqual(
      referrers(out).map((a) => [a.state, a.checks.filter((c) => c.status === 'fail').map((c) => c.code)]),
      [
        ['failed', ['CERTIFICATE_CHAIN']],
        ['failed', ['CERTIFICATE_CHAIN']],
        ['failed', ['CERTIFICATE_CHAIN']],
      ],
    );
  });
});
