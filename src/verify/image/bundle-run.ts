import { leafCertificate, parseBundle, parseCertificate, verifyBlob } from '../bundle';
import type { BlobArtifact, BlobVerification } from '../bundle';
import { githubCertificateClaims } from '../../claims/certificate-fields';
import type { GithubCertificateClaims } from '../../claims/certificate-fields';
import { githubClaimChecks } from './github-claims';
import type { ImageCheck } from './image-checks';
import type { ImagePolicy } from '../policy';
import type { TrustRoot } from '../trust';

/**
 * One Sigstore bundle (found as a referrer, or converted from cosign annotations) through
 * `verifyBlob` under an image policy: the policy's identity and issuer for certificates,
 * each of its keys in turn for managed-key signatures (cosign's `--key`, one of several
 * accepted keys), then the GitHub certificate claims the policy pins.
 */
export interface BundleRun {
  result: BlobVerification;
  checks: ImageCheck[];
  /** Which of the policy's keys verified it (key-based signatures). */
  keyFingerprint?: string;
  /** The DSSE payload (the in-toto statement), when the bundle holds an envelope. */
  payload?: Buffer;
  /** The signing certificate's GitHub Actions claims, when it has any. */
  github?: GithubCertificateClaims;
}

export interface BundleRunInput {
  bundle: string | Uint8Array;
  artifact: BlobArtifact;
  policy: ImagePolicy;
  trustRoot: TrustRoot;
  envelopeBytes?: Uint8Array;
}

export function runBundle(input: BundleRunInput): BundleRun {
  const { policy, trustRoot } = input;
  const base = {
    bundle: input.bundle,
    artifact: input.artifact,
    trustRoot,
    requireTlog: policy.requireTlog,
    ...(input.envelopeBytes ? { envelopeBytes: input.envelopeBytes } : {}),
  };
  const parsed = parseBundle(input.bundle);
  const certificate = parsed.ok ? leafCertificate(parsed.parsed.bundle) : undefined;
  const keys = policy.keys ?? [];
  const content = parsed.ok ? parsed.parsed.bundle.content : undefined;
  const payload = content?.$case === 'dsseEnvelope' ? { payload: Buffer.from(content.dsseEnvelope.payload) } : {};

  if (parsed.ok && certificate === undefined && keys.length > 0) {
    // A managed-key signature: accepted when any of the policy's keys verifies it.
    let first: BundleRun | undefined;
    for (const key of keys) {
      const result = verifyBlob({ ...base, key });
      const run: BundleRun = { result, checks: [...result.checks], keyFingerprint: key.fingerprint, ...payload };
      if (result.verified) return run;
      first ??= run;
    }
    if (keys.length > 1)
      first!.checks.push({
        code: 'PUBLIC_KEY',
        status: 'info',
        message: `None of the policy's ${keys.length} keys verifies this signature; the result with the first key is shown.`,
      });
    if (policy.requireTlog && parsed.parsed.bundle.verificationMaterial.tlogEntries.length === 0) {
      first!.checks.push({
        code: 'TLOG',
        status: 'info',
        message:
          'This key-based signature has no transparency-log entry; if it was made without one on purpose (cosign --tlog-upload=false), waive the requirement (--insecure-ignore-tlog).',
      });
    }
    return first!;
  }
  const result = verifyBlob({
    ...base,
    policy: { ...(policy.identity ? { identity: policy.identity } : {}), ...(policy.issuer ? { issuer: policy.issuer } : {}) },
  });
  const checks: ImageCheck[] = [...result.checks];
  if (certificate !== undefined && policy.identity === undefined && keys.length > 0) {
    checks.push({
      code: 'IDENTITY',
      status: 'info',
      message: 'The policy names public keys, and this signature was made with a certificate, not with one of them.',
    });
  }
  let github: GithubCertificateClaims | undefined;
  if (certificate !== undefined && result.signer?.kind === 'certificate') {
    try {
      const cert = parseCertificate(certificate);
      checks.push(...githubClaimChecks(cert, policy.github));
      github = githubCertificateClaims(cert);
    } catch {
      // Unparseable certificates already fail CERTIFICATE_CHAIN in verifyBlob.
    }
  }
  return { result, checks, ...payload, ...(github ? { github } : {}) };
}
