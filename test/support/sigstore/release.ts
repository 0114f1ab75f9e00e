// Pushes a signed multi-arch release into a test registry with the mini Sigstore: the index from
// ../fixtures (BuildKit-style, unsigned in-index attestations), then cosign tag-scheme `.sig`/`.att`
// and Sigstore-bundle referrers (stored with the referrers tag schema, since distribution 2.8
// has no referrers API) for the index and/or chosen platforms:
// https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md,
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers.
import type { Descriptor, PushedIndex } from '../fixtures';
import { MEDIA, pushMultiArchIndex } from '../fixtures';
import { pushBlob, pushManifest, sha256Digest } from '../push';
import type { PushTarget } from '../push';
import type { BundleArtifact } from './bundle';
import { attestationBundle, cosignSignBundle } from './bundle';
import type { CosignLayer } from './cosign';
import { cosignAttest, cosignSign } from './cosign';
import { COSIGN_SIGN_V1, SLSA_PROVENANCE_V1, githubProvenancePredicate } from './in-toto';
import type { MiniSigstore } from './mini-sigstore';
import type { SignedRecord, Signer } from './signed';
import { isIdentity } from './signed';

const CREATED = '2025-01-02T03:04:05Z';
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const hex = (digest: string): string => digest.slice('sha256:'.length);

export interface PushedCosignManifest {
  readonly tag: string;
  readonly digest: string;
  readonly layerDigests: readonly string[];
}

/** A cosign tag-scheme manifest (`sha256-<hex>.sig` / `.att`) holding `layers`, as cosign lays it out. */
export async function pushCosignLayers(
  t: PushTarget,
  repo: string,
  covers: string,
  kind: 'sig' | 'att',
  layers: readonly CosignLayer[],
): Promise<PushedCosignManifest> {
  const descriptors = [];
  for (const l of layers)
    descriptors.push({ mediaType: l.mediaType, size: l.bytes.length, digest: await pushBlob(t, repo, l.bytes), annotations: l.annotations });
  const config = json({
    architecture: '',
    created: '0001-01-01T00:00:00Z',
    history: [{ created: '0001-01-01T00:00:00Z' }],
    os: '',
    rootfs: { type: 'layers', diff_ids: descriptors.map((d) => d.digest) },
    config: {},
  });
  const configDescriptor = { mediaType: MEDIA.ociConfig, size: config.length, digest: await pushBlob(t, repo, config) };
  const manifest = json({ schemaVersion: 2, mediaType: MEDIA.ociManifest, config: configDescriptor, layers: descriptors });
  const tag = `sha256-${hex(covers)}.${kind}`;
  const digest = await pushManifest(t, repo, tag, manifest, MEDIA.ociManifest);
  return { tag, digest, layerDigests: descriptors.map((d) => d.digest) };
}

export interface PushedReferrer extends Descriptor {
  readonly bundle: BundleArtifact;
  readonly bundleDigest: string;
}

export interface PushedReferrers {
  /** The referrers-tag-schema index: tag `sha256-<hex>` of the subject. */
  readonly tag: string;
  readonly indexDigest: string;
  readonly referrers: readonly PushedReferrer[];
}

/** One OCI 1.1 referrer manifest per bundle (subject = `subject`), plus the tag-schema index listing them. */
export async function pushBundleReferrers(t: PushTarget, repo: string, subject: Descriptor, bundles: readonly BundleArtifact[]): Promise<PushedReferrers> {
  const empty = Buffer.from('{}');
  const config = { mediaType: MEDIA.empty, digest: await pushBlob(t, repo, empty), size: empty.length };
  const referrers: PushedReferrer[] = [];
  for (const b of bundles) {
    const layer = { mediaType: MEDIA.sigstoreBundle, digest: await pushBlob(t, repo, b.bytes), size: b.bytes.length };
    const annotations: Record<string, string> = { 'dev.sigstore.bundle.content': b.content };
    if (b.predicateType) annotations['dev.sigstore.bundle.predicateType'] = b.predicateType;
    annotations['org.opencontainers.image.created'] = CREATED;
    const bytes = json({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      artifactType: MEDIA.sigstoreBundle,
      config,
      layers: [layer],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations,
    });
    const digest = await pushManifest(t, repo, sha256Digest(bytes), bytes, MEDIA.ociManifest);
    referrers.push({
      mediaType: MEDIA.ociManifest,
      digest,
      size: bytes.length,
      artifactType: MEDIA.sigstoreBundle,
      annotations,
      bundle: b,
      bundleDigest: layer.digest,
    });
  }
  const tag = `sha256-${hex(subject.digest)}`;
  const index = json({
    schemaVersion: 2,
    mediaType: MEDIA.ociIndex,
    manifests: referrers.map((r) => ({ mediaType: r.mediaType, digest: r.digest, size: r.size, artifactType: r.artifactType, annotations: r.annotations })),
  });
  return { tag, indexDigest: await pushManifest(t, repo, tag, index, MEDIA.ociIndex), referrers };
}

/** `index` or a platform key such as `linux/arm64`. */
export type ReleaseTarget = string;

export interface SignedReleaseOptions {
  sigstore: MiniSigstore;
  tag?: string;
  platforms?: readonly string[];
  /** `org/repo` the release is built from (identity, provenance); default the registry repo name. */
  sourceRepository?: string;
  /** Default: the trusted CA's leaf for `.github/workflows/release.yml@refs/tags/<tag>` of the source repository. */
  signer?: Signer;
  /** Targets with a cosign `.sig` (default ['index']). */
  cosignSignatures?: readonly ReleaseTarget[];
  /** Targets with a cosign `.att` of SLSA v1 provenance (default ['index']). */
  cosignAttestations?: readonly ReleaseTarget[];
  /** `.att` log entry kind (default intoto 0.0.2; 0.0.1 as older slsa-github-generator). */
  attestationEntryKind?: 'intoto/0.0.2' | 'intoto/0.0.1';
  /** Targets with cosign v3 referrer bundles: a sign/v1 statement and SLSA v1 provenance (default none). */
  referrers?: readonly ReleaseTarget[];
  /** The commit the provenance and certificate name. */
  sourceCommit?: string;
  /** Distinct image content per repository (see IndexOptions.contentSeed). */
  contentSeed?: string;
  /** Predicate types of BuildKit's in-index statements per platform (see IndexOptions.predicateTypes). */
  buildkitPredicateTypes?: readonly string[];
  /**
   * Keyless only: a fresh leaf (new key, same identity) for every signature and attestation, as
   * each `cosign sign` / `cosign attest` run gets its own certificate. Default: one signer for all.
   */
  certificatePerArtifact?: boolean;
}

export interface PushedSignature {
  readonly format: 'cosign-sig' | 'cosign-att' | 'referrer';
  readonly target: ReleaseTarget;
  /** The digest this signature or attestation covers. */
  readonly covers: string;
  /** `sha256-<hex>.sig|.att`, or the referrers-tag-schema tag `sha256-<hex>`. */
  readonly tag: string;
  /** The signature manifest (cosign) or referrer manifest. */
  readonly manifestDigest: string;
  readonly layerDigest: string;
  readonly predicateType?: string;
  readonly record: SignedRecord;
}

export interface TargetCoverage {
  readonly digest: string;
  /** Formats of the signatures on this digest (a cosign v3 sign/v1 bundle counts as a signature). */
  readonly signed: readonly PushedSignature['format'][];
  readonly attested: readonly { readonly format: PushedSignature['format']; readonly predicateType: string }[];
}

export interface SignedRelease {
  readonly repo: string;
  /** `host/repo`, the docker-reference in simple-signing payloads. */
  readonly reference: string;
  readonly tag: string;
  readonly index: PushedIndex;
  readonly signer: { identity?: string; issuer?: string; keyFingerprint: string };
  readonly sourceRepository: string;
  readonly sourceCommit: string;
  readonly signatures: readonly PushedSignature[];
  /** Per target: its digest and what covers it directly (the index's coverage of platforms is the verifier's to state). */
  readonly coverage: Readonly<Record<ReleaseTarget, TargetCoverage>>;
}

/** Pushes the index and its signatures; returns what was pushed and what covers what. */
export async function pushSignedRelease(t: PushTarget, repo: string, o: SignedReleaseOptions): Promise<SignedRelease> {
  const tag = o.tag ?? 'v1.0.0';
  const source = o.sourceRepository ?? repo;
  const sha = o.sourceCommit ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const ref = `refs/tags/${tag}`;
  const signer = o.signer ?? (await o.sigstore.githubIdentity({ repository: source, ref, sha }));
  const next = async (): Promise<Signer> => (o.certificatePerArtifact && isIdentity(signer) ? o.sigstore.issue(signer.leaf) : signer);
  const reference = `${new URL(t.url).host}/${repo}`;
  const index = await pushMultiArchIndex(t, repo, {
    tag,
    ...(o.platforms ? { platforms: o.platforms } : {}),
    ...(o.contentSeed ? { contentSeed: o.contentSeed } : {}),
    ...(o.buildkitPredicateTypes ? { predicateTypes: o.buildkitPredicateTypes } : {}),
  });
  const target = (which: ReleaseTarget): Descriptor => {
    const found = which === 'index' ? index : index.platforms.find((p) => p.key === which);
    if (!found) throw new Error(`no platform ${which} in ${repo}:${tag}`);
    return found;
  };
  const log = { log: o.sigstore.log };
  const predicate = githubProvenancePredicate({ repository: source, ref, sha });
  const signatures: PushedSignature[] = [];
  for (const which of o.cosignSignatures ?? ['index']) {
    const covers = target(which).digest;
    const layer = cosignSign(await next(), { reference, digest: covers }, log);
    const m = await pushCosignLayers(t, repo, covers, 'sig', [layer]);
    signatures.push({
      format: 'cosign-sig',
      target: which,
      covers,
      tag: m.tag,
      manifestDigest: m.digest,
      layerDigest: m.layerDigests[0]!,
      record: layer.record,
    });
  }
  for (const which of o.cosignAttestations ?? ['index']) {
    const covers = target(which).digest;
    const layer = cosignAttest(await next(), {
      ...log,
      digest: covers,
      subjectName: reference,
      predicateType: SLSA_PROVENANCE_V1,
      predicate,
      entryKind: o.attestationEntryKind ?? 'intoto/0.0.2',
    });
    const m = await pushCosignLayers(t, repo, covers, 'att', [layer]);
    signatures.push({
      format: 'cosign-att',
      target: which,
      covers,
      tag: m.tag,
      manifestDigest: m.digest,
      layerDigest: m.layerDigests[0]!,
      predicateType: SLSA_PROVENANCE_V1,
      record: layer.record,
    });
  }
  for (const which of o.referrers ?? []) {
    const subject = target(which);
    const bundles = [
      cosignSignBundle(await next(), subject.digest, log),
      attestationBundle(await next(), { ...log, digest: subject.digest, subjectName: reference, predicateType: SLSA_PROVENANCE_V1, predicate }),
    ];
    const pushed = await pushBundleReferrers(t, repo, subject, bundles);
    for (const r of pushed.referrers) {
      signatures.push({
        format: 'referrer',
        target: which,
        covers: subject.digest,
        tag: pushed.tag,
        manifestDigest: r.digest,
        layerDigest: r.bundleDigest,
        ...(r.bundle.predicateType ? { predicateType: r.bundle.predicateType } : {}),
        record: r.bundle.record,
      });
    }
  }
  const coverage: Record<ReleaseTarget, TargetCoverage> = {};
  const isSignature = (s: PushedSignature): boolean => s.format === 'cosign-sig' || s.predicateType === COSIGN_SIGN_V1;
  for (const which of ['index', ...index.platforms.map((p) => p.key)]) {
    const mine = signatures.filter((s) => s.target === which);
    coverage[which] = {
      digest: target(which).digest,
      signed: mine.filter(isSignature).map((s) => s.format),
      attested: mine.filter((s) => !isSignature(s)).map((s) => ({ format: s.format, predicateType: s.predicateType ?? 'unknown' })),
    };
  }
  const signerSummary = isIdentity(signer)
    ? { identity: signer.identity, ...(signer.issuer ? { issuer: signer.issuer } : {}), keyFingerprint: signer.fingerprint }
    : { keyFingerprint: signer.fingerprint };
  return { repo, reference, tag, index, signer: signerSummary, sourceRepository: source, sourceCommit: sha, signatures, coverage };
}
