// Proves the mini Sigstore (test/support/sigstore) makes what real Sigstore makes: its trusted
// root loads, its bundles and cosign layers verify with the project's verifier and
// @sigstore/verify, its SET canonicalisation matches real Rekor data, and every mutation
// breaks exactly one thing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from '@sigstore/core';
import { DEFAULT_LIMITS } from '../../src/registry/limits';
import type { BlobArtifact } from '../../src/verify/bundle/artifact';
import { certificateFacts } from '../../src/verify/bundle/certificate';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import type { BlobVerification } from '../../src/verify/bundle/verify-blob';
import type { CheckCode } from '../../src/verify/checks';
import type { IdentityPolicy } from '../../src/verify/policy/identity-policy';
import { parsePublicKey } from '../../src/verify/trust/public-key';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import { loadTrustRoot } from '../../src/verify/trust/trust-root';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { realFixtureDir } from '../support/real-fixtures';
import type { BundleArtifact } from '../support/sigstore/bundle';
import { attestationBundle, cosignSignBundle, messageSignatureBundle, toBundleArtifact } from '../support/sigstore/bundle';
import { GITHUB_ISSUER, fulcioOid } from '../support/sigstore/ca';
import type { SigningIdentity } from '../support/sigstore/ca';
import { COSIGN_ANNOTATION, attestationLayer, cosignAttest, cosignSign, layerAsBundle, signatureLayer } from '../support/sigstore/cosign';
import { dsseV001Body, hashedRekordBody, intotoV001Body, intotoV002Body } from '../support/sigstore/entries';
import type { DsseEnvelope } from '../support/sigstore/in-toto';
import { COSIGN_SIGN_V1, SLSA_PROVENANCE_V1, envelopeJson, githubProvenancePredicate } from '../support/sigstore/in-toto';
import { createSigningKey } from '../support/sigstore/keys';
import type { SigningKey } from '../support/sigstore/keys';
import { canonicalBody, setPayloadBytes } from '../support/sigstore/log';
import type { SetPayload } from '../support/sigstore/log';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import type { MutationName } from '../support/sigstore/mutations';
import { MUTATIONS, OTHER_IMAGE_DIGEST, tamperedPayload } from '../support/sigstore/mutations';
import type { SignedRecord } from '../support/sigstore/signed';
import { signEnvelope } from '../support/sigstore/signed';

const realCosign = realFixtureDir('cosign-signatures');

const REPO = 'org/repo';
const IDENTITY = `https://github.com/${REPO}/.github/workflows/release.yml@refs/tags/v1.0.0`;
const PINNED: IdentityPolicy = { identity: { exact: IDENTITY }, issuer: { exact: GITHUB_ISSUER } };
const IMAGE = `sha256:${createHash('sha256').update('the image manifest').digest('hex')}`;
const digestArtifact = (digest: string): BlobArtifact => ({ kind: 'digest', algorithm: 'sha256', hex: digest.slice(7) });
const bytesArtifact = (bytes: Uint8Array): BlobArtifact => ({ kind: 'bytes', bytes });
const failing = (r: BlobVerification): CheckCode[] => [...new Set(r.checks.filter((c) => c.status === 'fail').map((c) => c.code))];

let sigstore: MiniSigstore;
let trustRoot: TrustRoot;
let identity: SigningIdentity;
let managedKey: SigningKey;

before(async () => {
  sigstore = await createMiniSigstore();
  trustRoot = parseTrustedRoot(sigstore.trustedRootBytes, { kind: 'file', path: 'mini-sigstore/trusted_root.json' });
  identity = await sigstore.githubIdentity({ repository: REPO });
  managedKey = createSigningKey();
});
after(() => sigstore.dispose());

function verify(
  bundle: BundleArtifact | Buffer | string,
  artifact: BlobArtifact,
  options: { policy?: IdentityPolicy; key?: SigningKey; requireTlog?: boolean } = {},
): BlobVerification {
  const bytes = Buffer.isBuffer(bundle) || typeof bundle === 'string' ? bundle : bundle.bytes;
  return verifyBlob({
    bundle: bytes,
    artifact,
    trustRoot,
    policy: options.policy ?? PINNED,
    ...(options.key ? { key: parsePublicKey(options.key.publicKeyPem, 'managed key') } : {}),
    ...(options.requireTlog !== undefined ? { requireTlog: options.requireTlog } : {}),
  });
}

describe('trusted root', () => {
  test('the project parses it as a custom root with one CA, one log, no CT log and no TSA', async () => {
    assert.equal(trustRoot.info.instance, 'custom');
    assert.deepEqual(trustRoot.info.counts, { certificateAuthorities: 1, tlogs: 1, ctlogs: 0, timestampAuthorities: 0 });
    const tlog = trustRoot.root.tlogs[0]!;
    assert.equal(tlog.baseUrl, sigstore.log.baseUrl);
    assert.deepEqual(Buffer.from(tlog.logId!.keyId), createHash('sha256').update(sigstore.log.key.publicKeyDer).digest());
    const dir = await mkdtemp(join(tmpdir(), 'pl-root-'));
    try {
      const fromFile = await loadTrustRoot({ trustedRootFile: await sigstore.writeTrustedRoot(dir) });
      assert.equal(fromFile.info.sha256, trustRoot.info.sha256);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('certificates', () => {
  test('a GitHub workflow leaf carries Fulcio extensions the project reads', () => {
    const facts = certificateFacts(identity.certificate.der);
    assert.equal(facts.identity, IDENTITY);
    assert.equal(facts.issuer, GITHUB_ISSUER);
    assert.equal(facts.notBefore, '2025-01-02T03:04:05.000Z');
    assert.equal(facts.notAfter, '2025-01-02T03:14:05.000Z');
    assert.equal(facts.cert.subject.length, 0, 'empty subject, as Fulcio issues');
    const raw = (n: number): string | undefined => facts.cert.extension(fulcioOid(n))?.value.toString('utf8');
    const utf8 = (n: number): string | undefined => {
      const v = facts.cert.extension(fulcioOid(n))?.valueObj.subs[0];
      assert.equal(v?.tag.number, 12, `1.${n} is a DER UTF8String`);
      return v?.value.toString('utf8');
    };
    assert.equal(raw(1), GITHUB_ISSUER);
    assert.equal(raw(2), 'push');
    assert.equal(raw(5), REPO);
    assert.equal(raw(6), 'refs/tags/v1.0.0');
    assert.equal(utf8(8), GITHUB_ISSUER);
    assert.equal(utf8(9), IDENTITY);
    assert.equal(utf8(12), `https://github.com/${REPO}`);
    assert.equal(utf8(14), 'refs/tags/v1.0.0');
    assert.equal(utf8(21), `https://github.com/${REPO}/actions/runs/1234567890/attempts/1`);
    assert.equal(facts.cert.extKeyUsage?.digitalSignature, true);
    const intermediate = X509Certificate.parse(Buffer.from(sigstore.ca.intermediate.der));
    assert.equal(facts.cert.verify(intermediate), true);
    assert.match(
      identity.chainPem,
      /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/,
    );
  });

  test('an e-mail SAN, and only the deprecated 1.1 issuer as in pre-2022 certificates', async () => {
    const old = await sigstore.issue({ san: { email: 'maintainer@example.com' }, issuer: 'https://github.com/login/oauth', issuerExtensions: 'v1' });
    const facts = certificateFacts(old.certificate.der);
    assert.equal(facts.identity, 'maintainer@example.com');
    assert.equal(facts.issuer, 'https://github.com/login/oauth');
    assert.equal(facts.cert.extension(fulcioOid(8)), undefined);
  });
});

describe('SET canonicalisation', () => {
  const example = join(realCosign, 'containers-image', 'rekor-set-example');
  const rekorKey = createPublicKey(readFileSync(join(example, 'rekor.pub'), 'utf8'));

  test('the real SET verifies over our canonical bytes, and the log ID is sha256 of the DER key', () => {
    const real = JSON.parse(readFileSync(join(example, 'rekor-set'), 'utf8')) as { SignedEntryTimestamp: string; Payload: SetPayload };
    const bytes = setPayloadBytes(real.Payload);
    assert.equal(bytes.toString('utf8'), `{"body":"${real.Payload.body}","integratedTime":1670870899,"logID":"${real.Payload.logID}","logIndex":8949589}`);
    assert.equal(cryptoVerify('sha256', bytes, rekorKey, Buffer.from(real.SignedEntryTimestamp, 'base64')), true);
    assert.equal(
      createHash('sha256')
        .update(rekorKey.export({ type: 'spki', format: 'der' }))
        .digest('hex'),
      real.Payload.logID,
    );
  });

  test('the real keyless .sig layer (containers/image) has the annotation layout ours has', () => {
    const dir = join(realCosign, 'containers-image', 'dir-img-cosign-fulcio-rekor-valid');
    const raw = readFileSync(join(dir, 'signature-1'));
    const real = JSON.parse(raw.subarray(raw.indexOf('{')).toString('utf8')) as { annotations: Record<string, string> };
    const rekor = JSON.parse(real.annotations[COSIGN_ANNOTATION.bundle]!) as { SignedEntryTimestamp: string; Payload: SetPayload };
    assert.equal(cryptoVerify('sha256', setPayloadBytes(rekor.Payload), rekorKey, Buffer.from(rekor.SignedEntryTimestamp, 'base64')), true);
    const ours = cosignSign(identity, { reference: 'registry.test/org/repo', digest: IMAGE }, { log: sigstore.log });
    assert.deepEqual(Object.keys(ours.annotations), Object.keys(real.annotations).sort());
    const shape = (json: string): unknown => JSON.parse(json, (_k, v: unknown) => (typeof v === 'object' && v !== null ? v : typeof v));
    assert.deepEqual(shape(ours.annotations[COSIGN_ANNOTATION.bundle]!), shape(real.annotations[COSIGN_ANNOTATION.bundle]!));
    const payload = readFileSync(join(dir, 'extracted', 'payload.json'), 'utf8').trim();
    const claims = JSON.parse(payload) as { critical: { identity: { 'docker-reference': string }; image: { 'docker-manifest-digest': string } } };
    const same = cosignSign(identity, { reference: claims.critical.identity['docker-reference'], digest: claims.critical.image['docker-manifest-digest'] });
    assert.equal(same.bytes.toString('utf8'), payload, 'simple-signing payload byte for byte');
    const realBody = JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8')) as unknown;
    const ourBody = JSON.parse(
      Buffer.from((JSON.parse(ours.annotations[COSIGN_ANNOTATION.bundle]!) as { Payload: SetPayload }).Payload.body, 'base64').toString('utf8'),
    ) as unknown;
    assert.deepEqual(shape(JSON.stringify(ourBody)), shape(JSON.stringify(realBody)), 'hashedrekord body shape');
  });

  test('the real intoto 0.0.1 entry (slsa-github-generator v1.8.0) has the body shape ours has', () => {
    const blobs = join(realCosign, 'slsa-github-generator-container', 'v1.8.0', 'container_workflow_dispatch', 'blobs', 'sha256');
    const manifest = JSON.parse(readFileSync(join(blobs, '195f75fe5d0554704527695e9205c457d3544bd0b078340bebd109a761c57920'), 'utf8')) as {
      layers: Array<{ annotations: Record<string, string> }>;
    };
    const annotations = manifest.layers[0]!.annotations;
    const realBody = Buffer.from((JSON.parse(annotations[COSIGN_ANNOTATION.bundle]!) as { Payload: SetPayload }).Payload.body, 'base64').toString('utf8');
    const ours = cosignAttest(identity, { digest: IMAGE, subjectName: 'registry.test/org/repo', log: sigstore.log, entryKind: 'intoto/0.0.1' });
    const ourBody = ours.record.tlog!.entry.body.toString('utf8');
    const keysOf = (s: string): string => s.replace(/"(value|publicKey)":"[^"]*"/g, '"$1":""');
    assert.equal(keysOf(ourBody), keysOf(realBody));
    assert.deepEqual(Object.keys(ours.annotations), Object.keys(annotations).sort());
    const spec = (JSON.parse(ourBody) as { spec: { content: { hash: { value: string } } } }).spec;
    assert.equal(spec.content.hash.value, createHash('sha256').update(ours.bytes).digest('hex'), 'hash of the layer blob');
  });
});

describe('Rekor entry bodies rebuilt from real signatures are byte-identical to what Rekor logged', () => {
  const realBundles = realFixtureDir('sigstore-bundles');
  const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
  type RealBundle = {
    verificationMaterial: { tlogEntries: Array<{ canonicalizedBody: string }> };
    dsseEnvelope: { payloadType: string; payload: string; signatures: Array<{ sig: string; keyid?: string }> };
  };
  const envelopeOf = (b: RealBundle): DsseEnvelope => ({
    payloadType: b.dsseEnvelope.payloadType,
    payload: b64(b.dsseEnvelope.payload),
    signature: b64(b.dsseEnvelope.signatures[0]!.sig),
    keyid: b.dsseEnvelope.signatures[0]!.keyid ?? '',
  });

  test('hashedrekord 0.0.1 of a keyless cosign .sig (containers/image)', () => {
    const dir = join(realCosign, 'containers-image', 'dir-img-cosign-fulcio-rekor-valid', 'extracted');
    const rekor = JSON.parse(readFileSync(join(dir, 'rekor-bundle.json'), 'utf8')) as { Payload: SetPayload };
    const digest = createHash('sha256')
      .update(readFileSync(join(dir, 'payload.json')))
      .digest();
    const body = hashedRekordBody(digest, b64(readFileSync(join(dir, 'signature.b64'), 'utf8').trim()), readFileSync(join(dir, 'certificate.pem'), 'utf8'));
    assert.deepEqual(canonicalBody(body), b64(rekor.Payload.body));
  });

  test('intoto 0.0.2 made by Go clients (sigstore-go fixtures), with and without a keyid', () => {
    for (const file of ['bundles/dsse.sigstore.json', 'examples/bundle-publish.json']) {
      const real = JSON.parse(readFileSync(join(realBundles, 'sigstore-go', file), 'utf8')) as RealBundle;
      const logged = b64(real.verificationMaterial.tlogEntries[0]!.canonicalizedBody);
      const pem = b64(
        (JSON.parse(logged.toString('utf8')) as { spec: { content: { envelope: { signatures: Array<{ publicKey: string }> } } } }).spec.content.envelope
          .signatures[0]!.publicKey,
      ).toString('utf8');
      assert.deepEqual(canonicalBody(intotoV002Body(envelopeOf(real), pem)), logged, file);
    }
  });

  test('dsse 0.0.1 of a cosign v3 OCI attestation', () => {
    const real = JSON.parse(readFileSync(join(realBundles, 'cosign', 'oci-attestation.sigstore.json'), 'utf8')) as RealBundle;
    const logged = b64(real.verificationMaterial.tlogEntries[0]!.canonicalizedBody);
    const pem = b64((JSON.parse(logged.toString('utf8')) as { spec: { signatures: Array<{ verifier: string }> } }).spec.signatures[0]!.verifier).toString(
      'utf8',
    );
    assert.deepEqual(canonicalBody(dsseV001Body(envelopeOf(real), pem)), logged);
  });

  test('intoto 0.0.1 and the .att layer blob of slsa-github-generator v1.4.0 and v1.8.0', () => {
    for (const version of ['v1.4.0', 'v1.8.0']) {
      const dir = join(realCosign, 'slsa-github-generator-container', version, 'container_workflow_dispatch');
      const blob = (digest: string): Buffer => readFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)));
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations: { kind: string } }> };
      const att = index.manifests.find((m) => m.annotations.kind === 'dev.cosignproject.cosign/atts')!;
      const layer = (JSON.parse(blob(att.digest).toString('utf8')) as { layers: Array<{ digest: string; annotations: Record<string, string> }> }).layers[0]!;
      const bytes = blob(layer.digest);
      const json = JSON.parse(bytes.toString('utf8')) as { payloadType: string; payload: string; signatures: Array<{ keyid: string; sig: string }> };
      const env: DsseEnvelope = {
        payloadType: json.payloadType,
        payload: b64(json.payload),
        signature: b64(json.signatures[0]!.sig),
        keyid: json.signatures[0]!.keyid,
      };
      assert.deepEqual(envelopeJson(env), bytes, `${version} layer blob`);
      const logged = b64((JSON.parse(layer.annotations[COSIGN_ANNOTATION.bundle]!) as { Payload: SetPayload }).Payload.body);
      assert.deepEqual(canonicalBody(intotoV001Body(env, layer.annotations[COSIGN_ANNOTATION.certificate]!)), logged, `${version} entry body`);
    }
  });
});

describe('generated bundles verify', () => {
  test('a message signature over bytes, with its evidence', () => {
    const r = verify(messageSignatureBundle(identity, Buffer.from('hello'), { log: sigstore.log }), bytesArtifact(Buffer.from('hello')));
    assert.equal(r.state, 'verified', JSON.stringify(r.checks));
    assert.deepEqual(r.signer, { kind: 'certificate', identity: IDENTITY, issuer: GITHUB_ISSUER, keyFingerprint: identity.fingerprint });
    const tlog = r.checks.find((c) => c.code === 'TLOG');
    assert.equal(tlog?.evidence?.entryKind, 'hashedrekord/0.0.1');
    assert.equal(tlog?.evidence?.logUrl, sigstore.log.baseUrl);
    assert.equal(tlog?.evidence?.integratedTime, '2025-01-02T03:04:10.000Z');
  });

  test('a message signature over an image digest, checked from the digest alone', () => {
    const r = verify(messageSignatureBundle(identity, { digest: Buffer.from(IMAGE.slice(7), 'hex') }, { log: sigstore.log }), digestArtifact(IMAGE));
    assert.equal(r.state, 'verified', JSON.stringify(r.checks));
  });

  test('cosign v3 sign (DSSE, sign/v1 statement) and an SLSA attestation, both as dsse 0.0.1 entries', () => {
    const signed = cosignSignBundle(identity, IMAGE, { log: sigstore.log });
    assert.equal(signed.predicateType, COSIGN_SIGN_V1);
    const provenance = attestationBundle(identity, {
      log: sigstore.log,
      digest: IMAGE,
      subjectName: 'registry.test/org/repo',
      predicateType: SLSA_PROVENANCE_V1,
      predicate: githubProvenancePredicate({ repository: REPO }),
    });
    for (const b of [signed, provenance]) {
      const r = verify(b, digestArtifact(IMAGE));
      assert.equal(r.state, 'verified', JSON.stringify(r.checks));
      assert.equal(r.checks.find((c) => c.code === 'TLOG')?.evidence?.entryKind, 'dsse/0.0.1');
    }
  });

  test('inclusion proofs of every entry in a larger tree verify against fresh checkpoints', () => {
    const records = Array.from({ length: 7 }, (_, i) =>
      signEnvelope(
        identity,
        'application/vnd.in-toto+json',
        Buffer.from(
          JSON.stringify({
            _type: 'https://in-toto.io/Statement/v1',
            subject: [{ digest: { sha256: IMAGE.slice(7) } }],
            predicateType: `https://example.test/${i}`,
            predicate: {},
          }),
        ),
        { log: sigstore.log },
      ),
    );
    for (const record of records) {
      const t = record.tlog!;
      const reproven: SignedRecord = { ...record, tlog: { ...t, proof: t.log.prove(t.entry) } };
      assert.ok(reproven.tlog!.proof.treeSize >= 7);
      // @sigstore/verify checks the proof and the checkpoint as well as the SET when both are there.
      const r = verify(toBundleArtifact(reproven), digestArtifact(IMAGE));
      assert.equal(r.state, 'verified', JSON.stringify(r.checks));
    }
  });

  test('key-based, with and without a log entry', () => {
    const logged = verify(messageSignatureBundle(managedKey, Buffer.from('blob'), { log: sigstore.log }), bytesArtifact(Buffer.from('blob')), {
      key: managedKey,
    });
    assert.equal(logged.state, 'verified', JSON.stringify(logged.checks));
    const offline = verify(messageSignatureBundle(managedKey, Buffer.from('blob')), bytesArtifact(Buffer.from('blob')), {
      key: managedKey,
      requireTlog: false,
    });
    assert.equal(offline.state, 'verified', JSON.stringify(offline.checks));
  });
});

describe('cosign tag-scheme layers verify as bundles', () => {
  test('keyless .sig: payload, signature, certificate, chain and SET', () => {
    const layer = cosignSign(identity, { reference: 'registry.test/org/repo', digest: IMAGE }, { log: sigstore.log });
    assert.equal(layer.annotations[COSIGN_ANNOTATION.chain], identity.chainPem);
    const r = verify(layerAsBundle(layer), bytesArtifact(layer.bytes));
    assert.equal(r.state, 'verified', JSON.stringify(r.checks));
  });

  test('key-based .sig with a tlog entry, and without one (signature annotation only)', () => {
    const logged = cosignSign(managedKey, { reference: 'registry.test/org/repo', digest: IMAGE }, { log: sigstore.log });
    assert.deepEqual(Object.keys(logged.annotations), [COSIGN_ANNOTATION.signature, COSIGN_ANNOTATION.bundle]);
    assert.equal(verify(layerAsBundle(logged), bytesArtifact(logged.bytes), { key: managedKey }).state, 'verified');
    const bare = cosignSign(managedKey, { reference: 'registry.test/org/repo', digest: IMAGE });
    assert.deepEqual(Object.keys(bare.annotations), [COSIGN_ANNOTATION.signature]);
    assert.equal(verify(layerAsBundle(bare), bytesArtifact(bare.bytes), { key: managedKey, requireTlog: false }).state, 'verified');
  });

  test(".att with an intoto 0.0.2 entry verifies; the envelope keeps cosign's field order", () => {
    const layer = cosignAttest(identity, {
      digest: IMAGE,
      subjectName: 'registry.test/org/repo',
      log: sigstore.log,
      predicate: githubProvenancePredicate({ repository: REPO }),
    });
    assert.equal(layer.annotations[COSIGN_ANNOTATION.signature], '');
    assert.equal(layer.annotations[COSIGN_ANNOTATION.predicateType], SLSA_PROVENANCE_V1);
    assert.deepEqual(Object.keys(JSON.parse(layer.bytes.toString('utf8')) as object), ['payloadType', 'payload', 'signatures']);
    const r = verify(layerAsBundle(layer), digestArtifact(IMAGE));
    assert.equal(r.state, 'verified', JSON.stringify(r.checks));
    assert.equal(r.checks.find((c) => c.code === 'TLOG')?.evidence?.entryKind, 'intoto/0.0.2');
  });

  test('.att with an intoto 0.0.1 entry: its SET verifies with the log key', () => {
    const layer = cosignAttest(identity, { digest: IMAGE, subjectName: 'registry.test/org/repo', log: sigstore.log, entryKind: 'intoto/0.0.1' });
    const { SignedEntryTimestamp, Payload } = JSON.parse(layer.annotations[COSIGN_ANNOTATION.bundle]!) as { SignedEntryTimestamp: string; Payload: SetPayload };
    assert.equal(cryptoVerify('sha256', setPayloadBytes(Payload), sigstore.log.key.publicKey, Buffer.from(SignedEntryTimestamp, 'base64')), true);
  });
});

describe('mutations: each breaks one thing', () => {
  const message = (): SignedRecord => cosignSign(identity, { reference: 'registry.test/org/repo', digest: IMAGE }, { log: sigstore.log }).record;
  const dsse = (): SignedRecord => cosignSignBundle(identity, IMAGE, { log: sigstore.log }).record;
  const keyed = (): SignedRecord => cosignSign(managedKey, { reference: 'registry.test/org/repo', digest: IMAGE }, { log: sigstore.log }).record;
  const artifactFor = (r: SignedRecord): BlobArtifact => (r.kind === 'message' ? bytesArtifact(r.payload!) : digestArtifact(IMAGE));

  // What the project's verifier says today; an empty list means "verifyBlob accepts it: the
  // defect is for the image verifier (claims, size) to catch", asserted separately below.
  const expected: Record<MutationName, Partial<Record<'message' | 'dsse' | 'keyed', CheckCode[]>>> = {
    tamperedPayload: { message: ['TLOG'], dsse: ['TLOG'], keyed: ['TLOG'] },
    otherImageClaim: { message: [], keyed: [] },
    wrongIdentity: { message: ['IDENTITY'], dsse: ['IDENTITY'] },
    wrongIssuer: { message: ['ISSUER'], dsse: ['ISSUER'] },
    unanchoredIdentity: { message: ['IDENTITY'], dsse: ['IDENTITY'] },
    expiredCertificate: { message: ['CERTIFICATE_CHAIN'], dsse: ['CERTIFICATE_CHAIN'] },
    setOverAnotherBody: { message: ['TLOG'], dsse: ['TLOG'], keyed: ['TLOG'] },
    untrustedCertificate: { message: ['CERTIFICATE_CHAIN'], dsse: ['CERTIFICATE_CHAIN'] },
    attestationSubjectMismatch: { dsse: ['ARTIFACT'] },
    wrongPayloadType: { dsse: ['ARTIFACT'] },
    oversizedEnvelope: { dsse: [] },
    tlogKeyDiffers: { message: ['TLOG_SIGNER'], dsse: ['TLOG_SIGNER'], keyed: ['TLOG_SIGNER'] },
    // Signed and logged by the other key: neither the log entry nor the signature is the given key's.
    wrongKey: { keyed: ['TLOG_SIGNER', 'SIGNATURE'] },
  };

  const produced = new Map<string, SignedRecord>();
  for (const mutation of MUTATIONS) {
    test(`${mutation.name}: ${mutation.defect}`, async () => {
      for (const [base, make] of [
        ['message', message],
        ['dsse', dsse],
        ['keyed', keyed],
      ] as const) {
        const good = make();
        const want = expected[mutation.name][base];
        assert.equal(mutation.appliesTo(good), want !== undefined, `${mutation.name} applies to ${base}`);
        if (want === undefined) continue;
        const bad = await mutation.apply(good, sigstore);
        produced.set(`${mutation.name}/${base}`, bad);
        const options = base === 'keyed' ? { key: managedKey } : {};
        const r = verify(toBundleArtifact(bad), artifactFor(bad), options);
        assert.deepEqual(failing(r), want, `${mutation.name} on ${base}: ${JSON.stringify(r.checks.filter((c) => c.status !== 'pass'))}`);
        assert.equal(r.state, want.length ? 'failed' : 'verified');
      }
    });
  }

  test('a tampered payload that was logged again fails on the signature alone', async () => {
    for (const good of [message(), dsse()]) {
      const r = verify(
        toBundleArtifact(await tamperedPayload(good, { relog: true })),
        artifactFor(good.kind === 'message' ? await tamperedPayload(good) : good),
      );
      assert.deepEqual(failing(r), ['SIGNATURE'], JSON.stringify(r.checks));
    }
  });

  test('the defects verifyBlob leaves to the image verifier are there', () => {
    const claim = produced.get('otherImageClaim/message');
    assert.ok(claim?.kind === 'message' && claim.payload !== undefined);
    assert.equal(
      (JSON.parse(claim.payload.toString('utf8')) as { critical: { image: Record<string, string> } }).critical.image['docker-manifest-digest'],
      OTHER_IMAGE_DIGEST,
    );
    const big = produced.get('oversizedEnvelope/dsse');
    assert.ok(big?.kind === 'dsse');
    assert.ok(attestationLayer(big).bytes.length > DEFAULT_LIMITS.jsonBlobBytes);
  });

  test('an unanchored pattern would accept the unanchored identity; the anchored policy does not', async () => {
    const bad = await MUTATIONS.find((m) => m.name === 'unanchoredIdentity')!.apply(message(), sigstore);
    const san = certificateFacts((bad.signer as SigningIdentity).certificate.der).identity ?? '';
    const pattern = `https://github\\.com/${REPO}/\\.github/workflows/.*`;
    assert.equal(new RegExp(pattern).test(san), true);
    const r = verify(toBundleArtifact(bad), artifactFor(bad), { policy: { identity: { regexp: pattern }, issuer: { exact: GITHUB_ISSUER } } });
    assert.deepEqual(failing(r), ['IDENTITY']);
    assert.equal(
      signatureLayer(bad as Parameters<typeof signatureLayer>[0]).annotations[COSIGN_ANNOTATION.certificate],
      (bad.signer as SigningIdentity).certificate.pem,
    );
  });
});
