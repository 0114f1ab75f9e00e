// The real cosign signatures containers/image tests with (signature/fixtures @ df7e80d2), read
// and verified as our `.sig` conversion sees them. Each signature-N file is containers/image's
// "dir" format: "\0sigstore-json\n" + {"mimeType", "payload": base64 of the layer blob,
// "annotations": the layer annotations}, i.e. exactly what a `.sig` manifest layer holds.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Artifact as GraphArtifact } from '../../src/model/image-graph';
import { verifyArtifact } from '../../src/verify/image/verify-artifact';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { realFixtureDir } from './real-fixtures';

/** test/fixtures/real/cosign-signatures/containers-image. */
export const CONTAINERS_IMAGE = realFixtureDir('cosign-signatures', 'containers-image');

/** A `.sig` manifest layer: its media type, its bytes and its annotations. */
export interface SigFile {
  mimeType: string;
  payload: Buffer;
  annotations: Record<string, string>;
}

export const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The signature file at `path` (under CONTAINERS_IMAGE). */
export function readSig(...path: string[]): SigFile {
  const raw = readFileSync(join(CONTAINERS_IMAGE, ...path));
  const prefix = '\0sigstore-json\n';
  assert.equal(raw.subarray(0, prefix.length).toString('latin1'), prefix);
  const doc = JSON.parse(raw.subarray(prefix.length).toString('utf8')) as { mimeType: string; payload: string; annotations: Record<string, string> };
  return { mimeType: doc.mimeType, payload: Buffer.from(doc.payload, 'base64'), annotations: doc.annotations };
}

/** The digest of the image manifest a fixture folder's signatures sign. */
export const manifestDigest = (name: string): string => sha256(readFileSync(join(CONTAINERS_IMAGE, name, 'manifest.json')));

/** Verifies `sig` as the `.sig` layer on the image `covers`, the way a graph presents it. */
export function verifySig(sig: SigFile, covers: string, policy: ImagePolicy, trustRoot: TrustRoot = embeddedTrustRoot()): ArtifactVerification {
  const a: GraphArtifact = {
    coversDigest: covers,
    kind: 'signature',
    format: 'cosign-tag',
    digest: sha256(sig.payload),
    mediaType: sig.mimeType,
    size: sig.payload.length,
    annotations: sig.annotations,
  };
  return verifyArtifact(a, { kind: 'layer', mediaType: sig.mimeType, bytes: sig.payload, annotations: sig.annotations }, { policy, trustRoot });
}
