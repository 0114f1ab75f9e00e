// The test Sigstore's releases as a real registry holds them (test/support/sigstore/release.ts):
// every cosign tag and referrer it pushes verifies, and covers what it says it covers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlobArtifact as Artifact } from '../../src/verify/bundle/artifact';
import { verifyBlob } from '../../src/verify/bundle/verify-blob';
import type { BlobVerification } from '../../src/verify/bundle/verify-blob';
import { parseTrustedRoot } from '../../src/verify/trust/trust-parse';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { fetchBlob, fetchManifest } from '../support/push';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import type { BundleArtifact } from '../support/sigstore/bundle';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import type { CosignLayer } from '../support/sigstore/cosign';
import { layerAsBundle } from '../support/sigstore/cosign';
import { COSIGN_SIGN_V1, SLSA_PROVENANCE_V1 } from '../support/sigstore/in-toto';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushSignedRelease } from '../support/sigstore/release';

const REPO = 'org/repo';
const IDENTITY = `https://github.com/${REPO}/.github/workflows/release.yml@refs/tags/v1.0.0`;
const digestArtifact = (digest: string): Artifact => ({ kind: 'digest', algorithm: 'sha256', hex: digest.slice(7) });
const bytesArtifact = (bytes: Uint8Array): Artifact => ({ kind: 'bytes', bytes });

let sigstore: MiniSigstore;
let trustRoot: TrustRoot;

before(async () => {
  sigstore = await createMiniSigstore();
  trustRoot = parseTrustedRoot(sigstore.trustedRootBytes, { kind: 'file', path: 'mini-sigstore/trusted_root.json' });
});
after(() => sigstore.dispose());

function verify(bundle: BundleArtifact | Buffer | string, artifact: Artifact): BlobVerification {
  const bytes = Buffer.isBuffer(bundle) || typeof bundle === 'string' ? bundle : bundle.bytes;
  return verifyBlob({ bundle: bytes, artifact, trustRoot, policy: { identity: { exact: IDENTITY }, issuer: { exact: GITHUB_ISSUER } } });
}

describe('pushSignedRelease into a real registry', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry();
  });
  after(() => registry?.stop());

  test('the index, cosign .sig/.att and referrer bundles, each verifying, with what covers what', async () => {
    const release = await pushSignedRelease(registry, 'org/app', {
      sigstore,
      sourceRepository: REPO,
      platforms: ['linux/amd64', 'linux/arm64'],
      cosignSignatures: ['index', 'linux/arm64'],
      cosignAttestations: ['index'],
      referrers: ['index'],
    });
    const arm = release.index.platforms.find((p) => p.key === 'linux/arm64')!;
    assert.deepEqual(release.signer, { identity: IDENTITY, issuer: GITHUB_ISSUER, keyFingerprint: release.signer.keyFingerprint });
    assert.deepEqual(release.coverage, {
      index: {
        digest: release.index.digest,
        signed: ['cosign-sig', 'referrer'],
        attested: [
          { format: 'cosign-att', predicateType: SLSA_PROVENANCE_V1 },
          { format: 'referrer', predicateType: SLSA_PROVENANCE_V1 },
        ],
      },
      'linux/amd64': { digest: release.index.platforms[0]!.digest, signed: [], attested: [] },
      'linux/arm64': { digest: arm.digest, signed: ['cosign-sig'], attested: [] },
    });
    for (const s of release.signatures) {
      const manifest = await fetchManifest(registry, 'org/app', s.format === 'referrer' ? s.manifestDigest : s.tag);
      assert.equal(manifest.status, 200, `${s.format} ${s.tag}`);
      const doc = JSON.parse(manifest.bytes.toString('utf8')) as {
        layers: Array<{ mediaType: string; digest: string; annotations?: Record<string, string> }>;
        subject?: { digest: string };
      };
      const layer = doc.layers[0]!;
      const blob = await fetchBlob(registry, 'org/app', layer.digest);
      const r =
        s.format === 'referrer'
          ? verify(blob, digestArtifact(s.covers))
          : verify(
              layerAsBundle({ mediaType: layer.mediaType, bytes: blob, annotations: layer.annotations ?? {}, record: s.record as CosignLayer['record'] }),
              s.format === 'cosign-sig' ? bytesArtifact(blob) : digestArtifact(s.covers),
            );
      assert.equal(r.state, 'verified', `${s.format} for ${s.target}: ${JSON.stringify(r.checks.filter((c) => c.status !== 'pass'))}`);
      if (s.format === 'referrer') assert.equal(doc.subject?.digest, s.covers);
    }
    const tagIndex = await fetchManifest(registry, 'org/app', `sha256-${release.index.digest.slice(7)}`);
    const listed = (JSON.parse(tagIndex.bytes.toString('utf8')) as { manifests: Array<{ annotations: Record<string, string> }> }).manifests;
    assert.deepEqual(
      listed.map((m) => m.annotations['dev.sigstore.bundle.predicateType']),
      [COSIGN_SIGN_V1, SLSA_PROVENANCE_V1],
    );
  });
});
