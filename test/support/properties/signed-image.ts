// One image signed every way cosign stores signatures, by the mini Sigstore, offline: a keyless
// `.sig` layer, a `.att` layer (SLSA v1 provenance) and a cosign v3 bundle (v0.3) attached as an
// OCI referrer; and the synchronous verification of one of them, with its graph, through
// verifyGraphContents, as `provenance-lens verify` runs it once the content is fetched.
import { createHash } from 'node:crypto';
import type { Artifact as GraphArtifact, ImageGraph } from '../../../src/model/image-graph';
import { subjectOf } from '../../../src/model/oci';
import { parseManifest } from '../../../src/registry/manifest';
import { MediaType } from '../../../src/registry/media-types';
import type { ArtifactContent } from '../../../src/registry/artifact-content';
import { signedLayerOf } from '../../../src/registry/artifact-content';
import type { ImagePolicy } from '../../../src/verify/policy/image-policy';
import { parseTrustedRoot } from '../../../src/verify/trust/trust-parse';
import type { TrustRoot } from '../../../src/verify/trust/trust-types';
import type { ArtifactVerification } from '../../../src/verify/image/verify-artifact';
import { verifyGraphContents } from '../../../src/verify/image/verify-graph';
import type { ImageVerification } from '../../../src/verify/image/verify-graph';
import type { BundleArtifact } from '../sigstore/bundle';
import { BUNDLE_V03_MEDIA_TYPE, cosignSignBundle } from '../sigstore/bundle';
import type { SigningIdentity } from '../sigstore/ca';
import { GITHUB_ISSUER } from '../sigstore/ca';
import type { CosignLayer } from '../sigstore/cosign';
import { cosignAttest, cosignSign } from '../sigstore/cosign';
import { SLSA_PROVENANCE_V1, githubProvenancePredicate } from '../sigstore/in-toto';
import type { MiniSigstore } from '../sigstore/mini-sigstore';
import { createMiniSigstore } from '../sigstore/mini-sigstore';

export const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export const IMAGE_DIGEST = sha256(Buffer.from('the platform manifest of registry.test/org/app:v1.0.0'));
export const REPOSITORY = 'registry.test/org/app';

/** A layer as the graph and the verifier see it: media type, blob, annotations. */
export interface Layer {
  mediaType: string;
  bytes: Buffer;
  annotations: Record<string, string>;
}

export interface SignedImage {
  mini: MiniSigstore;
  trustRoot: TrustRoot;
  signer: SigningIdentity;
  sig: Layer;
  att: Layer;
  /** The cosign v3 bundle (JSON bytes) a referrer manifest carries. */
  bundle: Buffer;
  records: { sig: CosignLayer; att: CosignLayer; bundle: BundleArtifact };
}

export async function createSignedImage(): Promise<SignedImage> {
  const mini = await createMiniSigstore();
  const signer = await mini.githubIdentity({ repository: 'org/app', ref: 'refs/tags/v1.0.0' });
  const sig = cosignSign(signer, { reference: REPOSITORY, digest: IMAGE_DIGEST }, { log: mini.log });
  const att = cosignAttest(signer, {
    digest: IMAGE_DIGEST,
    subjectName: REPOSITORY,
    log: mini.log,
    predicate: githubProvenancePredicate({ repository: 'org/app' }),
  });
  const bundle = cosignSignBundle(signer, IMAGE_DIGEST, { log: mini.log, mediaType: BUNDLE_V03_MEDIA_TYPE, subjectName: REPOSITORY });
  const layer = (l: CosignLayer): Layer => ({ mediaType: l.mediaType, bytes: Buffer.from(l.bytes), annotations: { ...l.annotations } });
  return {
    mini,
    signer,
    trustRoot: parseTrustedRoot(mini.trustedRootBytes, { kind: 'file', path: 'mini-sigstore/trusted_root.json' }),
    sig: layer(sig),
    att: layer(att),
    bundle: Buffer.from(bundle.bytes),
    records: { sig, att, bundle },
  };
}

/** Who must have signed: the workflow identity and GitHub's issuer, pinned exactly. */
export function pinnedPolicy(si: SignedImage, p: Partial<ImagePolicy> = {}): ImagePolicy {
  return { identity: { exact: si.signer.identity }, issuer: { exact: GITHUB_ISSUER }, requiredPredicateTypes: [], requireTlog: true, sources: {}, ...p };
}

/** The attestation must be what vouches for the image: required, and counted as coverage. */
export function attestationPolicy(si: SignedImage): ImagePolicy {
  return pinnedPolicy(si, { coverage: 'signatures-or-attestations', requiredPredicateTypes: [SLSA_PROVENANCE_V1] });
}

/** The referrer manifest cosign v3 pushes for a bundle: artifactType, empty config, the bundle layer, the subject. */
export function referrerManifest(bundle: Buffer, subject: string = IMAGE_DIGEST): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: BUNDLE_V03_MEDIA_TYPE,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(Buffer.from('{}')), size: 2 },
    layers: [{ mediaType: BUNDLE_V03_MEDIA_TYPE, digest: sha256(bundle), size: bundle.length }],
    subject: { mediaType: MediaType.ociManifest, digest: subject, size: 1234 },
    annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' },
  };
}

export type Subject = { kind: 'cosign-tag'; artifactKind: 'signature' | 'attestation'; layer: Layer } | { kind: 'referrer'; manifest: Buffer; bundle: Buffer };

/**
 * The graph entry and fetched content for one artifact, as registry-source and artifact-content
 * would produce them: a referrer's subject and bundle layer are read from its manifest (an
 * unparseable manifest is "unreadable"); the blob always matches its descriptor, because a
 * registry that served other bytes would fail the digest check (someone who can push rewrites
 * the manifest too).
 */
export function graphEntry(s: Subject): { artifact: GraphArtifact; content: ArtifactContent } {
  if (s.kind === 'cosign-tag') {
    const { layer } = s;
    const predicateType = layer.annotations.predicateType;
    return {
      artifact: {
        coversDigest: IMAGE_DIGEST,
        kind: s.artifactKind,
        format: 'cosign-tag',
        digest: sha256(layer.bytes),
        mediaType: layer.mediaType,
        size: layer.bytes.length,
        annotations: layer.annotations,
        ...(predicateType ? { predicateType } : {}),
      },
      content: { kind: 'layer', mediaType: layer.mediaType, bytes: layer.bytes, annotations: layer.annotations },
    };
  }
  const digest = sha256(s.manifest);
  const artifact: GraphArtifact = {
    coversDigest: IMAGE_DIGEST,
    kind: 'signature',
    format: 'referrer',
    digest,
    mediaType: MediaType.ociManifest,
    artifactType: BUNDLE_V03_MEDIA_TYPE,
    size: s.manifest.length,
    discovery: 'referrers-api',
  };
  let content: ArtifactContent;
  try {
    const manifest = parseManifest(s.manifest, digest, MediaType.ociManifest);
    content = { kind: 'referrer', manifest };
    const subject = subjectOf(manifest)?.digest;
    if (subject !== undefined) content.subject = subject;
    const layer = signedLayerOf(manifest);
    if (layer !== undefined && layer.digest !== sha256(s.bundle)) {
      content = { kind: 'unreadable', code: 'DIGEST_MISMATCH', message: `the registry has no blob ${layer.digest} that matches its descriptor` };
    } else if (layer !== undefined) content.layer = { mediaType: layer.mediaType, bytes: s.bundle, annotations: layer.annotations ?? {} };
  } catch (e) {
    content = { kind: 'unreadable', code: 'PROTOCOL', message: e instanceof Error ? e.message : String(e) };
  }
  return { artifact, content };
}

/** A one-platform image whose only signature or attestation is `s`. */
export function imageGraph(artifact: GraphArtifact): ImageGraph {
  return {
    reference: `${REPOSITORY}:v1.0.0`,
    source: 'registry',
    registry: 'registry.test',
    repository: 'org/app',
    tag: 'v1.0.0',
    digest: IMAGE_DIGEST,
    mediaType: MediaType.ociManifest,
    size: 1234,
    kind: 'manifest',
    platforms: [{ platform: 'linux/amd64', os: 'linux', architecture: 'amd64', digest: IMAGE_DIGEST, mediaType: MediaType.ociManifest, size: 1234 }],
    artifacts: [artifact],
    others: [],
    problems: [],
  };
}

export interface Outcome {
  artifact: ArtifactVerification;
  image: ImageVerification;
}

/** Verifies the image with `s` as its only artifact, without I/O. */
export function verifySubject(si: SignedImage, s: Subject, policy: ImagePolicy): Outcome {
  const { artifact, content } = graphEntry(s);
  const image = verifyGraphContents(imageGraph(artifact), [content], { policy, trustRoot: si.trustRoot });
  return { artifact: image.artifacts[0]!, image };
}

/** The checks that refused it: failures, else warnings (a required check left in doubt). */
export function caughtBy(o: Outcome): string[] {
  const failing = o.artifact.checks.filter((c) => c.status === 'fail').map((c) => c.code);
  return [...new Set(failing.length > 0 ? failing : o.artifact.checks.filter((c) => c.status === 'warn').map((c) => c.code))];
}
