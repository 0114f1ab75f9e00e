import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '../../src/registry/digest';
import { LayoutSource, REF_NAME_ANNOTATION } from '../../src/registry/layout-source';
import { MediaType } from '../../src/registry/media-types';
import type { Descriptor } from '../../src/model/oci';
import { realFixtureDir } from '../support/real-fixtures';
import { rejectsWith } from '../support/rejects-with';

// --- Real layouts written by `cosign save` (slsa-verifier's testdata), read in place. ---

interface CosignCase {
  version: string;
  image: Descriptor;
  atts: Descriptor;
  /** The DSSE envelope layer of the attestation manifest. */
  envelope: { digest: string; size: number; predicateType?: string };
  /** The platform manifest inside the image index (not listed in index.json). */
  platform?: { digest: string; size: number };
  /** An image layer `cosign save` did not store. */
  absentLayer: string;
}

const KIND = 'kind';
const att = (digest: string, size: number): Descriptor => ({
  mediaType: MediaType.ociManifest,
  size,
  digest,
  annotations: { [KIND]: 'dev.cosignproject.cosign/atts' },
});
const index = (digest: string, size: number): Descriptor => ({
  mediaType: MediaType.ociIndex,
  size,
  digest,
  annotations: { [KIND]: 'dev.cosignproject.cosign/imageIndex' },
});
const LAYER_A7 = 'sha256:a7ca0d9ba68fdce7e15bc0952d3e898e970548ca24d57698725836c039086639';
const PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';

const COSIGN_CASES: CosignCase[] = [
  {
    version: 'v1.4.0',
    image: {
      mediaType: MediaType.dockerManifest,
      size: 699,
      digest: 'sha256:a74d89d8dd863ca5dae4a29e0feede81ddf59197849a80784af5a02ab7786925',
      annotations: { [KIND]: 'dev.cosignproject.cosign/image' },
    },
    atts: att('sha256:738d456c898daf28d211c2e0b8ecf5dc67b9a1d631c99ef2c4b4669bcb7a0354', 6899),
    envelope: { digest: 'sha256:784c5bd14237b9a979fd0251f01dcc7956f06da243ca1e9c52470c410e53c654', size: 12092 },
    absentLayer: 'sha256:b9f88661235d25835ef747dab426861d51c4e9923b92623d422d7ac58eb123e9',
  },
  {
    version: 'v1.5.0',
    image: index('sha256:6091ab417517982aa341b64ca57bf9e15e2ffe0428b0b0931508458aeaf43b88', 855),
    atts: att('sha256:bf81f59802e8d4757248b2079c34b4ebc20addd6416c912cfd7229bc5fc2676f', 6891),
    envelope: { digest: 'sha256:9415121fcda10d24ab9738a79ea75192c589400a5063a0181a5b5d6d674248c3', size: 12132 },
    platform: { digest: 'sha256:8bec22ea0ee9a93ae5077383e78ba983dac9d4bcb0847b4ef0cdcd593bae5683', size: 671 },
    absentLayer: 'sha256:383e1c5dd0c1830143b1230e90292ebd4219911e0512b70d250c8907c4899110',
  },
  {
    version: 'v1.6.0',
    image: index('sha256:0159a9079cf264809b03fef298492057b31d221c4d22211730942877caa658a1', 856),
    atts: att('sha256:1b7e72ba31845231a69a6db723a1e4f0290813183eaa31c8d60d3c16c6d71d23', 10368),
    envelope: { digest: 'sha256:6a353e333eb116103813d4912f0b8d06e747412299b52f92a21bf87c1c54680a', size: 12132, predicateType: PROVENANCE_V02 },
    platform: { digest: 'sha256:7cd9684be65e37236fb3580a327fab44f225d22bc1b8f9ab8fa08c9b85f055ec', size: 2183 },
    absentLayer: LAYER_A7,
  },
  {
    version: 'v1.7.0',
    image: index('sha256:ca6221e2d0def24e302530f727689a2ab8539a690c740527db33a520284cf141', 856),
    atts: att('sha256:dbc658f204833d5ffcad9bf9c47a5af6cd39eea875f0a69879ae4850237ab777', 10368),
    envelope: { digest: 'sha256:4a1b72c77c15781687300c3b0362513b5b040ac33dcaee4e245c24621d494d4d', size: 12092, predicateType: PROVENANCE_V02 },
    platform: { digest: 'sha256:664e0d6fa6c052d40d47532cc3c2de3717b531c3ac11fed35e7cbb82fb801ead', size: 2183 },
    absentLayer: LAYER_A7,
  },
  {
    version: 'v1.8.0',
    image: index('sha256:038d72307b94cd27dffbfb458b695758929980cebec68ca892061a280636952b', 856),
    atts: att('sha256:195f75fe5d0554704527695e9205c457d3544bd0b078340bebd109a761c57920', 10470),
    envelope: { digest: 'sha256:291729ce6264067c1a61f8156f9133f2efcc3f72341d5cd22f2b9ba279ecb25f', size: 12140, predicateType: PROVENANCE_V02 },
    platform: { digest: 'sha256:5c323fdfbf3cbe9d5cc4580f2dcc34a43fdbcf46c25784d68c25fe6909055060', size: 2183 },
    absentLayer: LAYER_A7,
  },
];

for (const c of COSIGN_CASES) {
  describe(`cosign save layout, slsa-github-generator ${c.version}`, () => {
    const dir = realFixtureDir('cosign-signatures', 'slsa-github-generator-container', c.version, 'container_workflow_dispatch');
    const source = new LayoutSource(dir);
    const attTag = `${c.image.digest.replace(':', '-')}.att`;

    test('the image answers a reference without a tag, and any tag', async () => {
      assert.deepEqual(await source.resolve('ignored/repo', ''), c.image);
      assert.deepEqual(await source.resolve('ignored/repo', 'latest'), c.image);
      assert.equal((await readFile(`${dir}.digest`, 'utf8')).trim(), c.image.digest);
      const m = await source.getManifest('r', '');
      assert.equal(m.digest, c.image.digest);
      assert.equal(m.mediaType, c.image.mediaType);
      assert.equal(m.size, c.image.size);
      assert.equal(m.kind, c.platform ? 'index' : 'manifest');
    });

    test('the attestations answer the cosign .att tag of the image digest', async () => {
      assert.deepEqual(await source.listTags('r'), [attTag]);
      assert.deepEqual(await source.resolve('r', attTag), c.atts);
      const m = await source.getManifest('r', attTag);
      assert.equal(m.digest, c.atts.digest);
      assert.ok(m.kind === 'manifest', m.kind);
      const layer = m.manifest.layers[0];
      assert.equal(layer?.mediaType, MediaType.dsseEnvelope);
      assert.equal(layer?.digest, c.envelope.digest);
      assert.equal(layer?.annotations?.predicateType, c.envelope.predicateType);
      const envelope = await source.getBlob('r', c.envelope.digest);
      assert.equal(envelope.length, c.envelope.size);
      assert.equal(JSON.parse(Buffer.from(envelope).toString('utf8')).payloadType, 'application/vnd.in-toto+json');
    });

    test('absent signatures: no .sig tag, optional fetch gives undefined', async () => {
      const sigTag = `${c.image.digest.replace(':', '-')}.sig`;
      const e = await rejectsWith(source.resolve('r', sigTag), 'NOT_FOUND');
      assert.ok(e.message.includes(attTag), e.message);
      assert.equal(await source.getManifest('r', sigTag, { optional: true }), undefined);
    });

    test('the platform manifest inside the index is read by digest', { skip: !c.platform && 'single-platform image' }, async () => {
      const p = c.platform!;
      assert.deepEqual(await source.resolve('r', p.digest), { mediaType: MediaType.ociManifest, digest: p.digest, size: p.size });
      const m = await source.getManifest('r', p.digest);
      assert.ok(m.kind === 'manifest', m.kind);
      assert.equal('index' in m, false);
    });

    test('image layers cosign did not save are NOT_FOUND only when read', async () => {
      const e = await rejectsWith(source.getBlob('r', c.absentLayer), 'NOT_FOUND');
      assert.ok(e.message.includes(c.absentLayer) && e.message.includes(dir), e.message);
    });

    test('no manifest in the layout names the image as its subject', async () => {
      assert.deepEqual(await source.referrers('r', c.image.digest), []);
    });
  });
}

// --- A layout written by the test: ref names, a referrer, tampering, limits. ---

describe('generated OCI layout', () => {
  let dir: string;
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const config = json({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  const layer = Buffer.from('layer bytes '.repeat(100));
  const configDesc = { mediaType: MediaType.ociConfig, digest: digestOf(config), size: config.length };
  const image = json({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: configDesc,
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: digestOf(layer), size: layer.length }],
  });
  const imageDigest = digestOf(image);
  const image2 = json({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: configDesc, layers: [], annotations: { n: '2' } });
  const sbom = Buffer.from('{"spdxVersion":"SPDX-2.3"}');
  const referrer = json({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: 'application/spdx+json',
    config: { mediaType: MediaType.ociEmpty, digest: digestOf(Buffer.from('{}')), size: 2 },
    layers: [{ mediaType: 'application/spdx+json', digest: digestOf(sbom), size: sbom.length }],
    subject: { mediaType: MediaType.ociManifest, digest: imageDigest, size: image.length },
    annotations: { 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
  });
  const entry = (bytes: Buffer, annotations?: Record<string, string>): Descriptor => ({
    mediaType: MediaType.ociManifest,
    digest: digestOf(bytes),
    size: bytes.length,
    ...(annotations ? { annotations } : {}),
  });

  async function writeLayout(path: string, entries: Descriptor[], blobs: Buffer[], version = '1.0.0'): Promise<void> {
    await mkdir(join(path, 'blobs', 'sha256'), { recursive: true });
    await writeFile(join(path, 'oci-layout'), JSON.stringify({ imageLayoutVersion: version }));
    await writeFile(join(path, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries }));
    for (const b of blobs) await writeFile(join(path, 'blobs', 'sha256', digestOf(b).slice(7)), b);
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lens-layout-'));
    await writeLayout(
      join(dir, 'named'),
      [entry(image, { [REF_NAME_ANNOTATION]: 'v1' }), entry(image2, { [REF_NAME_ANNOTATION]: 'example.com/app:v2' }), entry(referrer)],
      [config, layer, image, image2, sbom, referrer, Buffer.from('{}')],
    );
    await writeLayout(join(dir, 'single'), [entry(image)], [config, layer, image]);
    await writeLayout(join(dir, 'future'), [entry(image)], [image], '2.0.0');
    await mkdir(join(dir, 'empty'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('tags are the ref.name annotations; full names also answer their tag', async () => {
    const source = new LayoutSource(join(dir, 'named'));
    assert.deepEqual(await source.listTags('r'), ['v1', 'example.com/app:v2']);
    assert.deepEqual(await source.resolve('r', 'v1'), entry(image, { [REF_NAME_ANNOTATION]: 'v1' }));
    assert.equal((await source.resolve('r', 'v2')).digest, digestOf(image2));
    const m = await source.getManifest('r', 'v1');
    assert.equal(m.digest, imageDigest);
    assert.ok(m.kind === 'manifest', m.kind);
    assert.deepEqual(m.manifest.config, configDesc);
    assert.deepEqual(Buffer.from(await source.getBlob('r', digestOf(layer))), layer);
  });

  test('an unknown tag, or no tag among several images, lists the tags', async () => {
    const source = new LayoutSource(join(dir, 'named'));
    const missing = await rejectsWith(source.resolve('r', 'v9'), 'NOT_FOUND');
    assert.match(missing.message, /Tag "v9" is not in OCI layout .*named; available tags: v1, example\.com\/app:v2\./);
    const ambiguous = await rejectsWith(source.getManifest('r', ''), 'USAGE');
    assert.match(ambiguous.message, /lists 3 manifests in index\.json; name one with a tag \(v1, example\.com\/app:v2\)/);
  });

  test('a single unnamed image answers no tag and any tag', async () => {
    const source = new LayoutSource(join(dir, 'single'));
    assert.deepEqual(await source.resolve('r', ''), entry(image));
    assert.deepEqual(await source.resolve('r', 'latest'), entry(image));
    assert.deepEqual(await source.listTags('r'), []);
  });

  test('referrers are the listed manifests whose subject is the digest', async () => {
    const source = new LayoutSource(join(dir, 'named'));
    const expected: Descriptor = {
      mediaType: MediaType.ociManifest,
      digest: digestOf(referrer),
      size: referrer.length,
      artifactType: 'application/spdx+json',
      annotations: { 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
    };
    assert.deepEqual(await source.referrers('r', imageDigest), [expected]);
    assert.deepEqual(await source.referrers('r', imageDigest, { artifactType: 'application/spdx+json' }), [expected]);
    assert.deepEqual(await source.referrers('r', imageDigest, { artifactType: 'application/other' }), []);
    assert.deepEqual(await source.referrers('r', digestOf(image2)), []);
  });

  test('a tampered blob or manifest is DIGEST_MISMATCH', async () => {
    const path = join(dir, 'tampered');
    await writeLayout(path, [entry(image, { [REF_NAME_ANNOTATION]: 'v1' })], [config, layer, image]);
    await writeFile(join(path, 'blobs', 'sha256', digestOf(layer).slice(7)), Buffer.from('evil bytes'));
    await writeFile(join(path, 'blobs', 'sha256', imageDigest.slice(7)), Buffer.concat([image, Buffer.from(' ')]));
    const source = new LayoutSource(path);
    const blob = await rejectsWith(source.getBlob('r', digestOf(layer)), 'DIGEST_MISMATCH');
    assert.equal(blob.details.expected, digestOf(layer));
    assert.equal(blob.details.actual, digestOf(Buffer.from('evil bytes')));
    await rejectsWith(source.getManifest('r', 'v1'), 'DIGEST_MISMATCH');
  });

  test('size limits: manifests and blobs past their limit are TOO_LARGE', async () => {
    const small = new LayoutSource(join(dir, 'named'), { maxManifestBytes: 64, maxBlobBytes: 100 });
    await rejectsWith(small.getManifest('r', 'v1'), 'TOO_LARGE');
    await rejectsWith(small.getBlob('r', digestOf(layer)), 'TOO_LARGE');
    assert.equal((await small.getBlob('r', digestOf(layer), { maxBytes: layer.length })).length, layer.length);
  });

  test('cancelled reads are ABORTED', async () => {
    const source = new LayoutSource(join(dir, 'named'));
    await rejectsWith(source.getManifest('r', 'v1', { signal: AbortSignal.abort() }), 'ABORTED');
    await rejectsWith(source.getBlob('r', digestOf(layer), { signal: AbortSignal.abort() }), 'ABORTED');
  });

  test('digests are checked before they become paths', async () => {
    const source = new LayoutSource(join(dir, 'named'));
    await rejectsWith(source.getBlob('r', 'sha256:../../../etc/passwd'), 'REFERENCE_INVALID');
    await rejectsWith(source.resolve('r', 'sha256:abc'), 'REFERENCE_INVALID');
    await rejectsWith(source.getBlob('r', 'md5:d41d8cd98f00b204e9800998ecf8427e'), 'DIGEST_UNSUPPORTED');
  });

  test('a directory that is not a layout, or a newer layout version, is LAYOUT_INVALID', async () => {
    const none = await rejectsWith(new LayoutSource(join(dir, 'empty')).listTags('r'), 'LAYOUT_INVALID');
    assert.match(none.message, /is not an OCI image layout: .*oci-layout does not exist/);
    const future = await rejectsWith(new LayoutSource(join(dir, 'future')).resolve('r', ''), 'LAYOUT_INVALID');
    assert.match(future.message, /imageLayoutVersion "2\.0\.0"/);
  });
});
