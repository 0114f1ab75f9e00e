// Builds and pushes a realistic release into a test registry: a multi-arch OCI index with
// BuildKit attestations, cosign tag-scheme signatures/attestations, OCI 1.1 referrers stored with
// the referrers tag schema, a Docker manifest list and a single-arch image with provenance
// (https://github.com/opencontainers/image-spec/blob/main/image-index.md,
// https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md).
// Images, indexes and attestation statements are deterministic;
// ECDSA signatures are randomized, so everything signed gets new digests per run: assert against
// the returned description, not constants. Signatures are real and verify with `publicKeyPem`.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pushBlob, pushManifest, sha256Digest } from './push';
import type { PushTarget } from './push';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsse: 'application/vnd.dsse.envelope.v1+json',
  empty: 'application/vnd.oci.empty.v1+json',
  sigstoreBundle: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  spdx: 'text/spdx+json',
  buildkitCache: 'application/vnd.buildkit.cacheconfig.v0',
} as const;

export const PREDICATE = {
  slsaV1: 'https://slsa.dev/provenance/v1',
  spdx: 'https://spdx.dev/Document',
  cosignSign: 'https://sigstore.dev/cosign/sign/v1',
} as const;

export const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/s390x'] as const;
const CREATED = '2025-01-02T03:04:05Z';

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Readonly<Record<string, string>> | undefined;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface FixtureSigner {
  readonly publicKeyPem: string;
  /** cosign's key hint: base64 sha256 of the DER public key. */
  readonly keyHint: string;
  /** base64 of an ASN.1 DER ECDSA P-256/SHA-256 signature over `bytes` (what cosign writes). */
  sign(bytes: Uint8Array): string;
}

export function createSigner(): FixtureSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyHint: createHash('sha256').update(der).digest('base64'),
    sign: (bytes) => sign('sha256', bytes, privateKey).toString('base64'),
  };
}

export interface PlatformImage extends Descriptor {
  readonly key: string; // 'linux/arm/v7'
  readonly configDigest: string;
  readonly layerDigest: string;
}
export interface BuildkitAttestation extends Descriptor {
  readonly covers: string; // platform manifest digest
  readonly platformKey: string;
  readonly statements: readonly { readonly predicateType: string; readonly blobDigest: string }[];
}
export interface PushedIndex extends Descriptor {
  readonly tag: string;
  readonly bytes: Buffer;
  readonly platforms: readonly PlatformImage[];
  readonly attestations: readonly BuildkitAttestation[];
  /** unknown/unknown entries without BuildKit's reference type (a build cache), when asked for. */
  readonly ignored: readonly string[];
}
export interface CosignArtifact {
  readonly kind: 'sig' | 'att' | 'sbom';
  readonly tag: string;
  readonly digest: string;
  readonly covers: string;
  readonly layerDigest: string;
  readonly predicateType?: string;
}
export interface Referrer extends Descriptor {
  readonly covers: string;
  readonly predicateType: string;
  readonly bundleDigest: string;
}
export interface ReferrersTagIndex {
  readonly tag: string;
  readonly digest: string;
  readonly covers: string;
  readonly referrers: readonly Referrer[];
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const hex = (digest: string): string => digest.slice('sha256:'.length);
const parsePlatform = (key: string): Record<string, string> => {
  const [os = '', architecture = '', variant] = key.split('/');
  return { architecture, os, ...(variant ? { variant } : {}) };
};

async function blob(t: PushTarget, repo: string, mediaType: string, bytes: Buffer, annotations?: Record<string, string>): Promise<Descriptor> {
  return { mediaType, digest: await pushBlob(t, repo, bytes), size: bytes.length, ...(annotations ? { annotations } : {}) };
}
type ManifestDoc = { readonly mediaType: string; readonly [field: string]: unknown };
async function manifest(t: PushTarget, repo: string, doc: ManifestDoc, tag?: string): Promise<Descriptor & { bytes: Buffer }> {
  const bytes = json({ schemaVersion: 2, ...doc });
  const digest = await pushManifest(t, repo, tag ?? sha256Digest(bytes), bytes, doc.mediaType);
  return { mediaType: doc.mediaType, digest, size: bytes.length, bytes };
}
const plain = ({ mediaType, digest, size }: Descriptor): Descriptor => ({ mediaType, digest, size });

/** A one-file ustar archive with zeroed metadata, so layers are byte-for-byte reproducible. */
function tarOneFile(name: string, content: Buffer): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        0', 148); // checksum placeholder (spaces), typeflag '0'
  h.write('ustar\u000000', 257);
  const sum = h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, content, Buffer.alloc((512 - (content.length % 512)) % 512), Buffer.alloc(1024)]);
}

async function pushPlatformImage(t: PushTarget, repo: string, key: string, docker = false, contentSeed?: string): Promise<PlatformImage> {
  const platform = parsePlatform(key);
  // Without a seed, one platform's image is the same bytes in every repository (tests rely on it).
  const tar = tarOneFile('hello.txt', Buffer.from(`hello from ${contentSeed ? `${contentSeed} on ` : ''}${key}\n`));
  const layer = await blob(t, repo, docker ? MEDIA.dockerLayer : MEDIA.ociLayer, gzipSync(tar, { level: 9 }));
  const config = await blob(
    t,
    repo,
    docker ? MEDIA.dockerConfig : MEDIA.ociConfig,
    json({
      created: CREATED,
      ...platform,
      config: { Cmd: ['/hello'] },
      rootfs: { type: 'layers', diff_ids: [sha256Digest(tar)] },
      history: [{ created: CREATED, created_by: 'COPY hello.txt /' }],
    }),
  );
  const m = await manifest(t, repo, { mediaType: docker ? MEDIA.dockerManifest : MEDIA.ociManifest, config, layers: [layer] });
  return { ...plain(m), platform, key, configDigest: config.digest, layerDigest: layer.digest };
}

function statement(predicateType: string, name: string, digest: string, predicate: unknown, v1 = false): Buffer {
  const type = v1 ? 'https://in-toto.io/Statement/v1' : 'https://in-toto.io/Statement/v0.1';
  return json({ _type: type, predicateType, subject: [{ name, digest: { sha256: hex(digest) } }], predicate });
}

function predicateFor(predicateType: string, name: string): unknown {
  if (predicateType === PREDICATE.spdx) {
    return {
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name,
      documentNamespace: `https://provenance-lens.test/spdx/${encodeURIComponent(name)}`,
      creationInfo: { created: CREATED, creators: ['Tool: provenance-lens-fixtures'] },
      packages: [{ name: 'hello', SPDXID: 'SPDXRef-Package-hello', versionInfo: '1.0.0', downloadLocation: 'NOASSERTION' }],
    };
  }
  if (predicateType === PREDICATE.cosignSign) return {};
  return {
    // SLSA v1, shaped like BuildKit's
    buildDefinition: {
      buildType: 'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md',
      externalParameters: { request: { frontend: 'dockerfile.v0', args: { 'build-arg:VERSION': '1.0.0' } } },
      internalParameters: { builderPlatform: 'linux/amd64' },
      resolvedDependencies: [],
    },
    runDetails: { builder: { id: 'https://provenance-lens.test/builder' }, metadata: { invocationID: 'fixture', startedOn: CREATED, finishedOn: CREATED } },
  };
}

/** DSSE envelope (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md): signs PAE, not the payload. */
function dsse(signer: FixtureSigner, payloadType: string, payload: Buffer): Record<string, unknown> {
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `), payload]);
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: '', sig: signer.sign(pae) }] };
}

async function pushAttestationManifest(
  t: PushTarget,
  repo: string,
  subjectName: string,
  image: PlatformImage,
  predicateTypes: readonly string[],
): Promise<BuildkitAttestation> {
  const layers: Descriptor[] = [];
  for (const pt of predicateTypes) {
    layers.push(
      await blob(t, repo, MEDIA.inToto, statement(pt, subjectName, image.digest, predicateFor(pt, subjectName)), { 'in-toto.io/predicate-type': pt }),
    );
  }
  const config = await blob(
    t,
    repo,
    MEDIA.ociConfig,
    json({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }),
  );
  const m = await manifest(t, repo, { mediaType: MEDIA.ociManifest, config, layers });
  return {
    ...plain(m),
    platform: { architecture: 'unknown', os: 'unknown' },
    covers: image.digest,
    platformKey: image.key,
    annotations: { 'vnd.docker.reference.digest': image.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
    statements: predicateTypes.map((predicateType, i) => ({ predicateType, blobDigest: layers[i]!.digest })),
  };
}

export interface IndexOptions {
  readonly tag: string;
  readonly platforms?: readonly string[];
  /** Predicates of the BuildKit attestation per platform; [] for none. */
  readonly predicateTypes?: readonly string[];
  /**
   * Adds an `unknown/unknown` entry without BuildKit's attestation annotation (a build cache).
   * Off by default: real releases have none, and a runtime could select one, so it must be covered.
   */
  readonly buildCacheEntry?: boolean;
  /** Makes the platform images' content (and digests) differ between repositories, as real images do. */
  readonly contentSeed?: string;
}

/** (a)/(e) A BuildKit-style OCI index: platforms, then attestation manifests (then a cache entry, when asked for). */
export async function pushMultiArchIndex(t: PushTarget, repo: string, opts: IndexOptions): Promise<PushedIndex> {
  const platforms: PlatformImage[] = [];
  for (const key of opts.platforms ?? DEFAULT_PLATFORMS) platforms.push(await pushPlatformImage(t, repo, key, false, opts.contentSeed));
  const predicateTypes = opts.predicateTypes ?? [PREDICATE.slsaV1, PREDICATE.spdx];
  const attestations: BuildkitAttestation[] = [];
  for (const p of predicateTypes.length ? platforms : []) {
    const name = `pkg:docker/${repo}@${opts.tag}?platform=${encodeURIComponent(p.key)}`;
    attestations.push(await pushAttestationManifest(t, repo, name, p, predicateTypes));
  }
  const entries: Descriptor[] = [
    ...platforms.map((p) => ({ ...plain(p), platform: p.platform })),
    ...attestations.map((a) => ({ ...plain(a), annotations: a.annotations!, platform: a.platform! })),
  ];
  const ignored: string[] = [];
  if (opts.buildCacheEntry ?? false) {
    const cfg = await blob(t, repo, MEDIA.buildkitCache, json({ layers: [], records: [] }));
    const cache = await manifest(t, repo, { mediaType: MEDIA.ociManifest, config: cfg, layers: [] });
    entries.push({ ...plain(cache), platform: { architecture: 'unknown', os: 'unknown' } });
    ignored.push(cache.digest);
  }
  const index = await manifest(t, repo, { mediaType: MEDIA.ociIndex, manifests: entries }, opts.tag);
  return { ...plain(index), tag: opts.tag, bytes: index.bytes, platforms, attestations, ignored };
}

/** (d) A Docker manifest list of Docker v2 manifests. */
export async function pushDockerManifestList(
  t: PushTarget,
  repo: string,
  tag: string,
  keys: readonly string[] = ['linux/amd64', 'linux/arm64'],
): Promise<PushedIndex> {
  const platforms: PlatformImage[] = [];
  for (const key of keys) platforms.push(await pushPlatformImage(t, repo, key, true));
  const list = await manifest(
    t,
    repo,
    {
      mediaType: MEDIA.dockerList,
      manifests: platforms.map((p) => ({ ...plain(p), platform: p.platform })),
    },
    tag,
  );
  return { ...plain(list), tag, bytes: list.bytes, platforms, attestations: [], ignored: [] };
}

function cosignConfig(layers: readonly Descriptor[]): Buffer {
  return json({
    architecture: '',
    created: '0001-01-01T00:00:00Z',
    history: [{ created: '0001-01-01T00:00:00Z' }],
    os: '',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    config: {},
  });
}

async function cosignManifest(
  t: PushTarget,
  repo: string,
  kind: CosignArtifact['kind'],
  covers: string,
  layer: Descriptor,
  predicateType?: string,
): Promise<CosignArtifact> {
  const config = await blob(t, repo, MEDIA.ociConfig, cosignConfig([layer]));
  const tag = `sha256-${hex(covers)}.${kind}`;
  const m = await manifest(t, repo, { mediaType: MEDIA.ociManifest, config, layers: [layer] }, tag);
  return { kind, tag, digest: m.digest, covers, layerDigest: layer.digest, ...(predicateType ? { predicateType } : {}) };
}

/** (b) cosign `.sig`: simple-signing payload, signature annotation over the exact layer bytes. */
export async function pushCosignSignature(
  t: PushTarget,
  repo: string,
  covers: string,
  signer: FixtureSigner,
  dockerReference: string,
): Promise<CosignArtifact> {
  const payload = json({
    critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': covers }, type: 'cosign container image signature' },
    optional: null,
  });
  const layer = await blob(t, repo, MEDIA.simpleSigning, payload, { 'dev.cosignproject.cosign/signature': signer.sign(payload) });
  return cosignManifest(t, repo, 'sig', covers, layer);
}

/** (b) cosign `.att`: a DSSE envelope of an in-toto statement about `covers`. */
export async function pushCosignAttestation(
  t: PushTarget,
  repo: string,
  covers: string,
  signer: FixtureSigner,
  subjectName: string,
  predicateType: string = PREDICATE.slsaV1,
): Promise<CosignArtifact> {
  const envelope = dsse(signer, MEDIA.inToto, statement(predicateType, subjectName, covers, predicateFor(predicateType, subjectName)));
  const layer = await blob(t, repo, MEDIA.dsse, json(envelope), { 'dev.cosignproject.cosign/signature': '', predicateType });
  return cosignManifest(t, repo, 'att', covers, layer, predicateType);
}

/** (b) cosign `.sbom` (cosign attach sbom): an unsigned SPDX document. */
export async function pushCosignSbom(t: PushTarget, repo: string, covers: string, name: string): Promise<CosignArtifact> {
  const layer = await blob(t, repo, MEDIA.spdx, json(predicateFor(PREDICATE.spdx, name)));
  return cosignManifest(t, repo, 'sbom', covers, layer);
}

/** (c) Sigstore bundle referrers of `subject`, plus the referrers-tag-schema index at `sha256-<hex>`. */
export async function pushSigstoreReferrers(
  t: PushTarget,
  repo: string,
  subject: Descriptor,
  signer: FixtureSigner,
  subjectName: string,
  predicateTypes: readonly string[] = [PREDICATE.cosignSign, PREDICATE.slsaV1],
): Promise<ReferrersTagIndex> {
  const config = await blob(t, repo, MEDIA.empty, Buffer.from('{}'));
  const referrers: Referrer[] = [];
  for (const predicateType of predicateTypes) {
    const bundle = json({
      mediaType: MEDIA.sigstoreBundle,
      verificationMaterial: { publicKey: { hint: signer.keyHint }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
      dsseEnvelope: dsse(signer, MEDIA.inToto, statement(predicateType, subjectName, subject.digest, predicateFor(predicateType, subjectName), true)),
    });
    const layer = await blob(t, repo, MEDIA.sigstoreBundle, bundle);
    const annotations = {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': predicateType,
      'org.opencontainers.image.created': CREATED,
    };
    const m = await manifest(t, repo, {
      mediaType: MEDIA.ociManifest,
      artifactType: MEDIA.sigstoreBundle,
      config,
      layers: [layer],
      subject: plain(subject),
      annotations,
    });
    referrers.push({ ...plain(m), artifactType: MEDIA.sigstoreBundle, annotations, covers: subject.digest, predicateType, bundleDigest: layer.digest });
  }
  const tag = `sha256-${hex(subject.digest)}`;
  const index = await manifest(
    t,
    repo,
    {
      mediaType: MEDIA.ociIndex,
      manifests: referrers.map((r) => ({ ...plain(r), artifactType: r.artifactType, annotations: r.annotations })),
    },
    tag,
  );
  return { tag, digest: index.digest, covers: subject.digest, referrers };
}

export interface ReleaseFixtureOptions {
  readonly tag?: string;
  readonly platforms?: readonly string[];
  /** What gets cosign `.sig` + `.att`: 'index' and/or platform keys. Default ['index']. */
  readonly cosignFor?: readonly string[];
  readonly sbom?: boolean;
  /** What gets Sigstore-bundle referrers: 'index' and/or platform keys. Default ['index']. */
  readonly referrersFor?: readonly string[];
  /** Tags of the Docker list (d) and the single-arch image (e); null to skip. */
  readonly dockerListTag?: string | null;
  readonly singleArchTag?: string | null;
  readonly signer?: FixtureSigner;
  /** See IndexOptions.buildCacheEntry. */
  readonly buildCacheEntry?: boolean;
}

/**
 * A small release: v1.0.0, an index of linux/amd64 and linux/arm64, cosign `.sig` + `.att` and
 * Sigstore-bundle referrers on the index only, no Docker list or single-arch image.
 */
export const TWO_PLATFORM_RELEASE = {
  tag: 'v1.0.0',
  platforms: ['linux/amd64', 'linux/arm64'],
  cosignFor: ['index'],
  referrersFor: ['index'],
  dockerListTag: null,
  singleArchTag: null,
} as const satisfies ReleaseFixtureOptions;

/**
 * Every signed format at once, as rancher/fleet-agent v0.13.0: cosign `.sig` + `.att` on the index
 * and linux/arm64, Sigstore-bundle referrers on the index and linux/amd64.
 */
export const EVERY_FORMAT_RELEASE = {
  tag: 'v0.13.0',
  cosignFor: ['index', 'linux/arm64'],
  referrersFor: ['index', 'linux/amd64'],
} as const satisfies ReleaseFixtureOptions;

export interface ReleaseFixture {
  readonly repo: string;
  /** `host/repo`, as written into cosign docker-reference. */
  readonly reference: string;
  readonly publicKeyPem: string;
  readonly index: PushedIndex;
  readonly cosign: readonly CosignArtifact[];
  readonly referrers: readonly ReferrersTagIndex[];
  readonly dockerList?: PushedIndex;
  readonly singleArch?: PushedIndex;
}

/** Pushes (a)-(e) into one repository and describes every digest pushed. */
export async function pushReleaseFixture(t: PushTarget, repo: string, opts: ReleaseFixtureOptions = {}): Promise<ReleaseFixture> {
  const tag = opts.tag ?? 'v1.0.0';
  const signer = opts.signer ?? createSigner();
  const reference = `${new URL(t.url).host}/${repo}`;
  const index = await pushMultiArchIndex(t, repo, {
    tag,
    ...(opts.platforms ? { platforms: opts.platforms } : {}),
    ...(opts.buildCacheEntry ? { buildCacheEntry: true } : {}),
  });
  const target = (which: string): Descriptor => {
    const found = which === 'index' ? index : index.platforms.find((p) => p.key === which);
    if (!found) throw new Error(`no platform ${which} in ${repo}:${tag}`);
    return found;
  };
  const cosign: CosignArtifact[] = [];
  for (const which of opts.cosignFor ?? ['index']) {
    const d = target(which).digest;
    cosign.push(await pushCosignSignature(t, repo, d, signer, reference));
    cosign.push(await pushCosignAttestation(t, repo, d, signer, reference));
  }
  if (opts.sbom) cosign.push(await pushCosignSbom(t, repo, index.digest, reference));
  const referrers: ReferrersTagIndex[] = [];
  for (const which of opts.referrersFor ?? ['index']) referrers.push(await pushSigstoreReferrers(t, repo, target(which), signer, reference));
  const dockerListTag = opts.dockerListTag === undefined ? `${tag}-docker` : opts.dockerListTag;
  const singleArchTag = opts.singleArchTag === undefined ? `${tag}-single` : opts.singleArchTag;
  const dockerList = dockerListTag === null ? undefined : await pushDockerManifestList(t, repo, dockerListTag);
  const singleArch =
    singleArchTag === null
      ? undefined
      : await pushMultiArchIndex(t, repo, { tag: singleArchTag, platforms: ['linux/amd64'], predicateTypes: [PREDICATE.slsaV1], buildCacheEntry: false });
  return {
    repo,
    reference,
    publicKeyPem: signer.publicKeyPem,
    index,
    cosign,
    referrers,
    ...(dockerList ? { dockerList } : {}),
    ...(singleArch ? { singleArch } : {}),
  };
}
