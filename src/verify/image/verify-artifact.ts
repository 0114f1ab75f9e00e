import type { ArtifactState } from '../../model/verdict';
import type { Artifact as GraphArtifact, ArtifactFormat, ArtifactKind } from '../../model/image-graph';
import { kindForPredicate } from '../../registry/classify';
import { MediaType } from '../../registry/media-types';
import { artifactFromDigest, bundleFromCosignAttestation, bundleFromCosignSignature } from '../bundle';
import type { Conversion } from '../bundle';
import type { ArtifactContent } from '../../registry/artifact-content';
import { isBundleType } from '../../registry/artifact-content';
import { inTotoSubjectCheck } from './buildkit-statement';
import type { BundleRun } from './bundle-run';
import type { GithubCertificateClaims } from '../../claims/certificate-fields';
import { runBundle } from './bundle-run';
import { allRequiredPass } from '../checks';
import type { ImageCheck, ImageCheckCode } from './image-checks';
import { imageCheck } from './image-checks';
import type { ImagePolicy } from '../policy';
import { simpleSigningClaims } from './simple-signing';
import { slsaPolicyChecks } from './slsa-policy';
import type { TrustRoot, TrustRootInfo } from '../trust';

export interface ArtifactVerification {
  /** The artifact (layer blob or referrer manifest), as in the graph. */
  digest: string;
  coversDigest: string;
  format: ArtifactFormat;
  /**
   * As verified: for a DSSE envelope whose signature verified, decided by the signed statement's
   * predicateType alone (cosign's sign predicate is a signature, SPDX and CycloneDX are SBOMs,
   * anything else an attestation), whatever the registry said; a message signature is a signature.
   * An artifact that failed before its meaning could be read (its signature, or signed bytes with no
   * predicateType) keeps the graph's kind: a failure where the registry presented it, never a pass.
   */
  kind: ArtifactKind;
  /** From the signed statement when its signature verified (absent if it names none), else the graph's annotation. */
  predicateType?: string | undefined;
  verified: boolean;
  state: ArtifactState;
  identity?: string | undefined;
  issuer?: string | undefined;
  /** The key (managed-key signatures) or the certificate's key that signed. */
  keyFingerprint?: string | undefined;
  /** cosign simple-signing `docker-reference`: shown, never required to match. */
  dockerReference?: string | undefined;
  /** The trusted root its signature was checked against (public-good, GitHub's, or the one given). */
  trustRoot?: TrustRootUsed | undefined;
  /**
   * What its certificate says about the GitHub Actions run that signed (repository, workflow, run,
   * runner environment, visibility), read whether or not the policy pins any of it.
   */
  github?: GithubCertificateClaims | undefined;
  checks: ImageCheck[];
}

/** Which root: its instance and the sha256 of its trusted_root.json (as in `trustRoots`). */
export interface TrustRootUsed {
  instance: TrustRootInfo['instance'];
  sha256: string;
}

export interface ArtifactContext {
  policy: ImagePolicy;
  trustRoot: TrustRoot;
}

/** What an artifact's verification says of the artifact itself: which it is and what it covers. */
export function artifactFacts(a: GraphArtifact): Pick<ArtifactVerification, 'digest' | 'coversDigest' | 'format' | 'kind' | 'predicateType'> {
  return {
    digest: a.digest,
    coversDigest: a.coversDigest,
    format: a.format,
    kind: a.kind,
    ...(a.predicateType ? { predicateType: a.predicateType } : {}),
  };
}

const BUILDKIT_UNSIGNED = "BuildKit's attestation inside the index: present, not signed; anyone who can push the index can change it.";

export function verifyArtifact(a: GraphArtifact, content: ArtifactContent, ctx: ArtifactContext): ArtifactVerification {
  const base = artifactFacts(a);
  const done = (state: ArtifactState, checks: ImageCheck[]): ArtifactVerification => ({ ...base, verified: state === 'verified', state, checks });
  switch (content.kind) {
    case 'unreadable':
      return done('not-checked', [
        imageCheck('READ', 'warn', `The artifact could not be read, so nothing about it was checked: ${content.message} [${content.code}].`, {
          problem: content.code,
        }),
      ]);
    case 'too-large':
      return done('failed', [
        imageCheck(
          'BUNDLE_FORMAT',
          'fail',
          `The artifact is ${content.size} bytes, over the ${content.limit}-byte limit for signatures and attestations; it was refused unread.`,
        ),
      ]);
    case 'none':
      return done('unsigned', [
        imageCheck(
          'UNSIGNED',
          'info',
          a.format === 'cosign-tag'
            ? 'A cosign attachment (cosign attach sbom): present, not signed; nothing vouches for its content.'
            : `A referrer of type ${a.artifactType ?? 'unknown'}: not a signature or attestation this tool verifies.`,
        ),
      ]);
    case 'left-unread':
      return done('unsigned', [
        imageCheck('UNSIGNED', 'info', BUILDKIT_UNSIGNED),
        imageCheck('READ', 'info', 'Left unread, as asked: being unsigned, it cannot change the verdict, so whether it names this platform was not checked.'),
      ]);
    case 'statement':
      return done('unsigned', [imageCheck('UNSIGNED', 'info', BUILDKIT_UNSIGNED), inTotoSubjectCheck(content.bytes, a.coversDigest)]);
    case 'bundle': {
      // From outside the registry: nothing binds it to the image but its own signed subject (ARTIFACT).
      const run = runBundle({ bundle: content.bytes, artifact: artifactFromDigest(a.coversDigest), policy: ctx.policy, trustRoot: ctx.trustRoot });
      return fromRun(base, run, [], [], a, ctx.policy);
    }
    case 'layer':
      return fromLayer(base, content.mediaType, content.bytes, content.annotations, a, ctx, []);
    case 'referrer': {
      const checks: ImageCheck[] = [subjectCheck(content.subject, a.coversDigest)];
      if (content.layer === undefined) {
        checks.push(imageCheck('BUNDLE_FORMAT', 'fail', 'The referrer manifest has no Sigstore bundle, DSSE or cosign signature layer.'));
        return done('failed', checks);
      }
      const { mediaType, bytes, annotations } = content.layer;
      if (isBundleType(mediaType)) {
        const run = runBundle({ bundle: bytes, artifact: artifactFromDigest(a.coversDigest), policy: ctx.policy, trustRoot: ctx.trustRoot });
        return fromRun(base, run, checks, ['SUBJECT'], a, ctx.policy);
      }
      return fromLayer(base, mediaType, bytes, annotations, a, ctx, checks);
    }
  }
}

type Base = Pick<ArtifactVerification, 'digest' | 'coversDigest' | 'format' | 'kind' | 'predicateType'>;

/** cosign's layer formats: a simple-signing payload (`.sig`) or a DSSE envelope (`.att`). */
function fromLayer(
  base: Base,
  mediaType: string,
  bytes: Uint8Array,
  annotations: Readonly<Record<string, string>>,
  a: GraphArtifact,
  ctx: ArtifactContext,
  checks: ImageCheck[],
): ArtifactVerification {
  const required: ImageCheckCode[] = checks.length > 0 ? ['SUBJECT'] : [];
  if (mediaType === MediaType.dsseEnvelope) {
    const converted = bundleFromCosignAttestation(bytes, annotations);
    if (!converted.ok) return conversionFailure(base, converted, checks);
    const run = runBundle({
      bundle: JSON.stringify(converted.bundle),
      artifact: artifactFromDigest(a.coversDigest),
      policy: ctx.policy,
      trustRoot: ctx.trustRoot,
      envelopeBytes: bytes,
    });
    return fromRun(base, run, [...checks, ...converted.notes], required, a, ctx.policy);
  }
  if (mediaType !== MediaType.cosignSimpleSigning) {
    checks.push(
      imageCheck(
        'CLAIMS',
        'fail',
        `The layer is ${JSON.stringify(mediaType)}, not a cosign simple-signing payload or DSSE envelope: it is not a signature, whatever its annotations say.`,
      ),
    );
    return { ...base, verified: false, state: 'failed', checks };
  }
  const converted = bundleFromCosignSignature(bytes, annotations);
  if (!converted.ok) return conversionFailure(base, converted, checks);
  const run = runBundle({ bundle: JSON.stringify(converted.bundle), artifact: { kind: 'bytes', bytes }, policy: ctx.policy, trustRoot: ctx.trustRoot });
  const claims = simpleSigningClaims(bytes, a.coversDigest);
  const out = fromRun({ ...base, kind: 'signature' }, run, [...checks, ...converted.notes, ...claims.checks], [...required, 'CLAIMS'], a, ctx.policy);
  if (claims.dockerReference !== undefined) out.dockerReference = claims.dockerReference;
  return out;
}

function conversionFailure(base: Base, converted: Extract<Conversion, { ok: false }>, checks: ImageCheck[]): ArtifactVerification {
  return { ...base, verified: false, state: 'failed', checks: [...checks, converted.failure] };
}

/** Folds a bundle run and the image-level checks (claims, subject) into one state. */
function fromRun(base: Base, run: BundleRun, extra: ImageCheck[], required: ImageCheckCode[], a: GraphArtifact, policy: ImagePolicy): ArtifactVerification {
  const checks: ImageCheck[] = [...extra, ...run.checks];
  const out: ArtifactVerification = { ...base, verified: false, state: 'failed', checks };
  // The statement says what the artifact is only when its signature verified: a tampered
  // cosign v3 signature must stay a failed signature, not pass for an unsigned attestation.
  const authentic = run.result.checks.some((c) => c.code === 'SIGNATURE' && c.status === 'pass');
  const signed = authentic ? run.result.checks.find((c) => c.code === 'ARTIFACT')?.evidence?.predicateType : undefined;
  if (run.result.bundle?.content === 'dsse-envelope' && authentic) {
    // Only the signed statement says what this is (a cosign sign/v1 statement is a signature); the
    // registry's annotations and the tag it was found under never do. Signed bytes that name no
    // predicateType have already failed ARTIFACT (artifact.ts): the artifact stays failed where it
    // was found (a failed signature fails its digest), and no annotation lends it a predicate type,
    // so it never meets a required attestation.
    if (signed === undefined) delete out.predicateType;
    else {
      out.predicateType = signed;
      out.kind = kindForPredicate(signed);
    }
    if (signed !== undefined && a.predicateType !== undefined && a.predicateType !== signed) {
      checks.push(
        imageCheck(
          'ARTIFACT',
          'info',
          `The registry annotation says ${JSON.stringify(a.predicateType)}; the signed statement says ${JSON.stringify(signed)}, which is what counts.`,
        ),
      );
    }
  } else if (run.result.bundle?.content === 'message-signature') {
    out.kind = 'signature';
    delete out.predicateType;
  }
  out.trustRoot = { instance: run.result.trustRoot.instance, sha256: run.result.trustRoot.sha256 };
  if (run.github !== undefined) out.github = run.github;
  const signer = run.result.signer;
  if (signer?.identity !== undefined) out.identity = signer.identity;
  if (signer?.issuer !== undefined) out.issuer = signer.issuer;
  if (signer?.keyFingerprint) out.keyFingerprint = signer.keyFingerprint;
  else if (run.keyFingerprint !== undefined) out.keyFingerprint = run.keyFingerprint;

  // The policy's SLSA expectations, over a provenance statement whose signature verified.
  if (run.result.verified && run.payload !== undefined) {
    const slsa = slsaPolicyChecks(run.payload, out.predicateType, policy.slsa);
    checks.push(...slsa.checks);
    required = [...required, ...slsa.required];
  }
  const extrasHold = allRequiredPass(checks, required);
  if (run.result.verified && extrasHold) out.state = 'verified';
  else if (run.result.state === 'unpinned' && extrasHold) out.state = 'unpinned';
  out.verified = out.state === 'verified';
  return out;
}

function subjectCheck(subject: string | undefined, covers: string): ImageCheck {
  if (subject === undefined) {
    return imageCheck(
      'SUBJECT',
      'fail',
      `The referrer manifest has no subject, so nothing binds it to ${covers}; the index that listed it can be written by anyone with push access.`,
      { expected: covers },
    );
  }
  if (subject !== covers) {
    return imageCheck(
      'SUBJECT',
      'fail',
      `The referrer manifest's subject is ${subject}, not ${covers}: it was listed for this digest but is about another one.`,
      { expected: covers, digest: subject },
    );
  }
  return imageCheck('SUBJECT', 'pass', `The referrer manifest's subject is ${covers}.`, { expected: covers, digest: subject });
}
