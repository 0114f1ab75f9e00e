// Indexes an attacker who can push tags builds from a victim's honestly signed platform images and
// one unsigned image of their own, arranged so that the engine and a container runtime could read
// them differently. For each, skopeo (containers/image) says which image a runtime pulls, and the
// verdict must never be verified unless that image is covered. Served by a real registry; the
// hostile documents are laid into its storage, since a push would normalise nothing anyway.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { MEDIA, createSigner, pushCosignAttestation, pushCosignSignature, pushMultiArchIndex } from '../support/fixtures';
import type { Descriptor, FixtureSigner, PushedIndex } from '../support/fixtures';
import { pushBlob, pushManifest, sha256Digest } from '../support/push';
import { seedBlob, seedManifest } from '../support/storage-seed';
import { fromPlain, obj, writeJson } from '../support/ordered-json';
import type { OrderedValue } from '../support/ordered-json';
import { skopeoSelects } from '../support/skopeo';
import { startFaultProxy } from '../support/fault-proxy';
import { attack, serveBytes } from '../support/hostile-answers';
import { cli } from '../support/cli';

const REPO = 'victim/app';
const INDEX = 'application/vnd.oci.image.index.v1+json';

interface VerifyJson {
  verdict: {
    state: string;
    verified: boolean;
    digests: Array<{ digest: string; target: string; state: string; unexamined?: { code: string } }>;
    checks: Array<{ code: string; status: string; message: string }>;
  };
  graph?: unknown;
}

describe('hostile indexes: verified only when what a runtime pulls is covered (skopeo as the oracle)', () => {
  let reg: TestRegistry;
  let signer: FixtureSigner;
  let keyFile: string;
  let victim: PushedIndex;
  let evil: PushedIndex;
  /** layer digest -> the platform manifest holding it, to name what skopeo selected. */
  const owner = new Map<string, string>();

  const victimAmd = () => victim.platforms.find((p) => p.key === 'linux/amd64')!;
  const victimArm = () => victim.platforms.find((p) => p.key === 'linux/arm64')!;
  const evilAmd = () => evil.platforms.find((p) => p.key === 'linux/amd64')!;
  const desc = (d: Descriptor, platform?: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(platform ? { platform } : {}),
    ...extra,
  });
  const amd64 = { architecture: 'amd64', os: 'linux' };
  const arm64 = { architecture: 'arm64', os: 'linux' };

  /** Lays `json` into the registry under `tag`, as bytes exactly as written. */
  const lay = (tag: string, json: string): string => seedManifest(reg.storageDir, REPO, Buffer.from(json), [tag]);
  const index = (manifests: OrderedValue): string =>
    writeJson(
      obj([
        ['schemaVersion', 2],
        ['mediaType', INDEX],
        ['manifests', manifests],
      ]),
    );
  const verify = async (tag: string, extra: string[] = []) => {
    const r = await cli(['verify', `${reg.host}/${REPO}:${tag}`, '--key', keyFile, '--insecure-ignore-tlog', '--json', ...extra]);
    return { ...r, json: r.code === 2 ? undefined : (JSON.parse(r.stdout) as VerifyJson) };
  };
  /** The platform manifest skopeo pulls for `platform`, by the layers it reports. */
  const pulled = async (tag: string, platform: string): Promise<string> => {
    const s = await skopeoSelects(`${reg.host}/${REPO}:${tag}`, platform);
    if (s.error !== undefined) return `error: ${s.error}`;
    return owner.get(s.layers![0]!) ?? `unknown layers ${s.layers!.join(',')}`;
  };

  before(async () => {
    reg = await startRegistry();
    signer = createSigner();
    const dir = mkdtempSync(join(tmpdir(), 'pl-hostile-'));
    keyFile = join(dir, 'cosign.pub');
    writeFileSync(keyFile, signer.publicKeyPem);
    victim = await pushMultiArchIndex(reg, REPO, { tag: 'v1', platforms: ['linux/amd64', 'linux/arm64'], predicateTypes: [], contentSeed: 'victim' });
    evil = await pushMultiArchIndex(reg, REPO, { tag: 'evil-parts', platforms: ['linux/amd64', 'linux/riscv64'], predicateTypes: [], contentSeed: 'evil' });
    // The victim signs each platform and its index; the attacker has no key and signs nothing.
    for (const d of [victim, ...victim.platforms]) await pushCosignSignature(reg, REPO, d.digest, signer, `${reg.host}/${REPO}`);
    for (const p of [...victim.platforms, ...evil.platforms]) owner.set(p.layerDigest, p.digest);
  });
  after(() => reg?.stop());

  test("the victim's own index verifies, and skopeo pulls its signed platforms: the set-up can pass", async () => {
    const r = await verify('v1');
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.json?.verdict.state, 'verified');
    assert.equal(await pulled('v1', 'linux/amd64'), victimAmd().digest);
    // And an attacker's index listing only the victim's signed platforms is honest: it verifies.
    lay('honest-copy', index([fromPlain(desc(victimAmd(), amd64)), fromPlain(desc(victimArm(), arm64))]));
    assert.equal((await verify('honest-copy')).json?.verdict.state, 'verified');
  });

  describe('parser differentials: refused as AMBIGUOUS_JSON (exit 2), while skopeo pulls the unsigned image', () => {
    const signedList = (): OrderedValue => [fromPlain(desc(victimAmd(), amd64)), fromPlain(desc(victimArm(), arm64))];
    const evilList = (): OrderedValue => [fromPlain(desc(evilAmd(), amd64))];
    /** An index whose "manifests" lists the signed platforms, then a member `key` lists the evil one. */
    const withEvilList = (key: string): OrderedValue =>
      obj([
        ['schemaVersion', 2],
        ['mediaType', INDEX],
        ['manifests', signedList()],
        [key, evilList()],
      ]);
    const cases: Array<[string, () => string]> = [
      ['"manifests" then "Manifests"', () => writeJson(withEvilList('Manifests'))],
      ['"manifests" then "manifeſts" (U+017F folds to s)', () => writeJson(withEvilList('manifeſts'))],
      ['"manifests" twice', () => writeJson(withEvilList('manifests'))],
      [
        'a descriptor with "digest" then "Digest"',
        () =>
          index([
            obj([
              ['mediaType', MEDIA.ociManifest],
              ['digest', victimAmd().digest],
              ['size', victimAmd().size],
              ['Digest', evilAmd().digest],
              ['platform', fromPlain(amd64)],
            ]),
            fromPlain(desc(victimArm(), arm64)),
          ]),
      ],
    ];
    for (const [name, build] of cases) {
      test(name, async () => {
        const tag = `differential-${cases.findIndex(([n]) => n === name)}`;
        lay(tag, build());
        assert.equal(await pulled(tag, 'linux/amd64'), evilAmd().digest, "skopeo reads the attacker's entry");
        const r = await verify(tag);
        assert.equal(r.code, 2, r.stdout);
        assert.match(r.stderr, /\[AMBIGUOUS_JSON\]/);
        assert.match(r.stderr, /Go's JSON decoder|appears twice/);
      });
    }
  });

  /** Asserts the attack's entry is pulled by skopeo and is not covered: exit 1, never verified. */
  const refusedEntry = async (tag: string, platform: string, extra: string[] = []): Promise<VerifyJson> => {
    const r = await verify(tag, extra);
    assert.equal(r.code, 1, r.stdout || r.stderr);
    assert.notEqual(r.json!.verdict.state, 'verified');
    assert.equal(r.json!.verdict.verified, false);
    const pulledDigest = await pulled(tag, platform);
    const theirs = r.json!.verdict.digests.filter((d) => d.digest === pulledDigest);
    if (!pulledDigest.startsWith('error'))
      assert.ok(
        theirs.length > 0 && theirs.every((d) => d.state !== 'verified'),
        `${pulledDigest} is pulled and must be uncovered: ${JSON.stringify(r.json!.verdict.digests)}`,
      );
    return r.json!;
  };

  test('an annotation cannot hide a real platform: linux/amd64 annotated as an attestation is pulled, and must be covered', async () => {
    const hidden = desc(evilAmd(), amd64, {
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': victimAmd().digest },
    });
    lay('annotation-amd64', index([fromPlain(hidden), fromPlain(desc(victimAmd(), amd64)), fromPlain(desc(victimArm(), arm64))]));
    assert.equal(await pulled('annotation-amd64', 'linux/amd64'), evilAmd().digest);
    const v = await refusedEntry('annotation-amd64', 'linux/amd64');
    assert.equal(v.verdict.digests.filter((d) => d.target === 'linux/amd64').length, 2);
  });

  test('an annotation cannot hide an extra platform (linux/riscv64)', async () => {
    const extra = desc(
      evilAmd(),
      { architecture: 'riscv64', os: 'linux' },
      { annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': victimAmd().digest } },
    );
    lay('annotation-riscv64', index([fromPlain(desc(victimAmd(), amd64)), fromPlain(desc(victimArm(), arm64)), fromPlain(extra)]));
    assert.equal(await pulled('annotation-riscv64', 'linux/riscv64'), evilAmd().digest);
    const v = await refusedEntry('annotation-riscv64', 'linux/riscv64');
    assert.equal(v.verdict.digests.find((d) => d.target === 'linux/riscv64')?.state, 'unsigned');
  });

  for (const mediaType of [`${MEDIA.ociManifest}; charset=utf-8`, 'application/octet-stream']) {
    test(`an unknown media type (${mediaType}) cannot hide a platform`, async () => {
      const tag = `media-${mediaType.length}`;
      lay(tag, index([fromPlain({ ...desc(evilAmd(), amd64), mediaType }), fromPlain(desc(victimAmd(), amd64)), fromPlain(desc(victimArm(), arm64))]));
      assert.equal(await pulled(tag, 'linux/amd64'), evilAmd().digest);
      await refusedEntry(tag, 'linux/amd64');
    });
  }

  test('an entry without a platform must be covered (containerd reads its config; skopeo skips it)', async () => {
    lay('no-platform', index([fromPlain(desc(evilAmd())), fromPlain(desc(victimAmd(), amd64)), fromPlain(desc(victimArm(), arm64))]));
    assert.equal(await pulled('no-platform', 'linux/amd64'), victimAmd().digest, 'skopeo skips platform-less entries');
    const r = await verify('no-platform');
    assert.equal(r.code, 1);
    const v = r.json!;
    assert.equal(v.verdict.state, 'failed');
    // Its config says linux/amd64: that is the platform containerd would match it as.
    assert.deepEqual(
      v.verdict.digests.filter((d) => d.digest === evilAmd().digest).map((d) => [d.target, d.state]),
      [['linux/amd64', 'unsigned']],
    );
  });

  test("an unknown/unknown entry without BuildKit's annotation is an image entry", async () => {
    lay(
      'unknown-unknown',
      index([fromPlain(desc(victimAmd(), amd64)), fromPlain(desc(victimArm(), arm64)), fromPlain(desc(evilAmd(), { architecture: 'unknown', os: 'unknown' }))]),
    );
    assert.equal(await pulled('unknown-unknown', 'unknown/unknown'), evilAmd().digest);
    await refusedEntry('unknown-unknown', 'unknown/unknown');
  });

  test('a platform list cut at 128 entries is not-checked (exit 1) unless the index is signed: entry 129 is pulled unsigned', async () => {
    const many = Array.from({ length: 128 }, (_, i) => fromPlain(desc(victimAmd(), { architecture: `fake${i}`, os: 'linux' })));
    lay('truncated', index([...many, fromPlain(desc(evilAmd(), { architecture: 'riscv64', os: 'linux' }))]));
    assert.equal(await pulled('truncated', 'linux/riscv64'), evilAmd().digest);
    const r = await verify('truncated');
    assert.equal(r.code, 1);
    assert.equal(r.json!.verdict.state, 'not-checked');
    assert.ok(
      r.json!.verdict.checks.some(
        (c) =>
          c.code === 'COVERAGE' &&
          c.status === 'warn' &&
          /1 of them were not examined \(cap: 128 platform manifests per image\)\. No verified signature covers the index/.test(c.message),
      ),
      JSON.stringify(r.json!.verdict.checks),
    );
  });

  test('a nested signed index is walked: its platforms are covered through it, and an unsigned sibling is not', async () => {
    lay('nested-only', index([fromPlain(desc({ mediaType: INDEX, digest: victim.digest, size: victim.size }))]));
    const ok = await verify('nested-only');
    assert.equal(ok.code, 0, ok.stdout);
    assert.deepEqual(
      ok
        .json!.verdict.digests.filter((d) => d.target !== 'index')
        .map((d) => [d.target, d.digest, d.state])
        .sort(),
      [
        ['linux/amd64', victimAmd().digest, 'verified'],
        ['linux/arm64', victimArm().digest, 'verified'],
      ],
    );
    lay('nested-and-evil', index([fromPlain(desc({ mediaType: INDEX, digest: victim.digest, size: victim.size }, amd64)), fromPlain(desc(evilAmd(), arm64))]));
    assert.equal(await pulled('nested-and-evil', 'linux/arm64'), evilAmd().digest);
    await refusedEntry('nested-and-evil', 'linux/arm64');
  });

  test('a platform whose manifest cannot be read is not-checked (exit 1), whatever signs the rest', async () => {
    const ghost = sha256Digest('a manifest that was never pushed');
    lay('unreadable', index([fromPlain(desc(victimAmd(), amd64)), fromPlain(desc({ mediaType: MEDIA.ociManifest, digest: ghost, size: 400 }, arm64))]));
    const v = await refusedEntry('unreadable', 'linux/arm64');
    assert.equal(v.verdict.state, 'not-checked');
    assert.equal(v.verdict.digests.find((d) => d.digest === ghost)?.unexamined?.code, 'NOT_FOUND');
  });

  test('a signed release file listed as a platform is no manifest: a message signature or an attestation of it covers nothing', async () => {
    const file = Buffer.from('#!/bin/sh\necho a release binary\n');
    const fileDigest = await pushBlob(reg, REPO, file);
    const fileDesc = { mediaType: 'application/octet-stream', digest: fileDigest, size: file.length };
    // The victim's workflow signed the file (sign-blob: a message signature), pushed as a referrer
    // with the tag schema, and attested it (a cosign .att whose statement names the file).
    const bundle = Buffer.from(
      JSON.stringify({
        mediaType: MEDIA.sigstoreBundle,
        verificationMaterial: { publicKey: { hint: signer.keyHint }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
        messageSignature: {
          messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(fileDigest.slice(7), 'hex').toString('base64') },
          signature: signer.sign(file),
        },
      }),
    );
    const empty = await pushBlob(reg, REPO, Buffer.from('{}'));
    const layer = await pushBlob(reg, REPO, bundle);
    const annotations = { 'dev.sigstore.bundle.content': 'message-signature' };
    const referrer = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        artifactType: MEDIA.sigstoreBundle,
        config: { mediaType: MEDIA.empty, digest: empty, size: 2 },
        layers: [{ mediaType: MEDIA.sigstoreBundle, digest: layer, size: bundle.length }],
        subject: fileDesc,
        annotations,
      }),
    );
    const referrerDigest = await pushManifest(reg, REPO, sha256Digest(referrer), referrer, MEDIA.ociManifest);
    const tagSchema = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: INDEX,
        manifests: [{ mediaType: MEDIA.ociManifest, digest: referrerDigest, size: referrer.length, artifactType: MEDIA.sigstoreBundle, annotations }],
      }),
    );
    await pushManifest(reg, REPO, `sha256-${fileDigest.slice(7)}`, tagSchema, INDEX);
    await pushCosignAttestation(reg, REPO, fileDigest, signer, 'release-binary');
    // Also as a manifest revision, so the registry serves the file's bytes as a "manifest".
    seedManifest(reg.storageDir, REPO, file);
    seedBlob(reg.storageDir, REPO, file);
    lay(
      'release-file',
      index([fromPlain(desc(victimAmd(), amd64)), fromPlain(desc({ mediaType: MEDIA.ociManifest, digest: fileDigest, size: file.length }, arm64))]),
    );
    for (const coverage of ['signatures', 'signatures-or-attestations']) {
      const v = await refusedEntry('release-file', 'linux/arm64', ['--coverage', coverage]);
      const entry = v.verdict.digests.find((d) => d.digest === fileDigest)!;
      assert.equal(entry.state, 'not-checked', coverage);
      assert.ok(entry.unexamined !== undefined, JSON.stringify(entry));
    }
    assert.match(await pulled('release-file', 'linux/arm64'), /^error/, 'a runtime cannot pull it either');

    // This registry will not serve the file's bytes as a manifest (it answers 500); a registry that
    // lies does. Through a proxy serving them, the entry is NOT_A_MANIFEST: still never covered.
    const proxy = await startFaultProxy({ upstream: reg, otherHost: null });
    try {
      proxy.inject({
        path: `/v2/${REPO}/manifests/${fileDigest}`,
        method: 'GET',
        fault: attack('a release file served as a manifest', serveBytes(file, { 'content-type': MEDIA.ociManifest })),
      });
      const r = await cli(['verify', `${proxy.host}/${REPO}:release-file`, '--key', keyFile, '--insecure-ignore-tlog', '--json']);
      assert.equal(r.code, 1, r.stderr);
      const entry = (JSON.parse(r.stdout) as VerifyJson).verdict.digests.find((d) => d.digest === fileDigest)!;
      assert.deepEqual([entry.state, entry.unexamined?.code], ['not-checked', 'NOT_A_MANIFEST']);
      const through = await skopeoSelects(`${proxy.host}/${REPO}:release-file`, 'linux/arm64');
      assert.ok(through.error !== undefined, 'skopeo cannot pull the file as an image either');
    } finally {
      await proxy.close();
    }
  });
});
