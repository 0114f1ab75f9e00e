import type { EngineState } from '../../model/verdict';
import type { BlobArtifact } from './artifact';
import { dsseArtifactCheck, messageArtifactCheck } from './artifact';
import type { Bundle } from '@sigstore/bundle';
import type { BundleVersion } from './bundle-input';
import { parseBundle } from './bundle-input';
import type { CertificateFacts } from './certificate';
import { bundleChainCheck, certificateFacts, issuingAuthority, leafCertificate } from './certificate';
import { chooseTrustRoot, describeTrustRoot, endSentence, privatePki, sameKey } from '../trust';
import type { PublicKeyMaterial, TrustChoice, TrustRoot, TrustRootInfo } from '../trust';
import { bundleSignals, issuerText } from './bundle-signals';
import { checkpointChecks } from './checkpoint-match';
import type { CheckCode, SignatureCheck } from '../checks';
import { allRequiredPass, check } from '../checks';
import { identityChecks } from '../policy';
import type { IdentityPolicy } from '../policy';
import { runLibraryVerifier } from './library-verifier';
import { intotoEntryChecks, libraryCannotCheck } from './rekor-intoto';
import { signatureContent } from './signature-content';
import type { SigningKey } from './tlog-signer';
import { tlogSignerCheck } from './tlog-signer';

/**
 * Verifies one Sigstore bundle over one artifact: what `cosign verify-blob --bundle`
 * and the sigstore-conformance client protocol ask. Pure and synchronous: every input
 * (bundle bytes, artifact, trust root, key) is fetched by the caller.
 *
 * The cryptography is `@sigstore/verify`'s; around it we add what it leaves to the
 * caller or gets wrong (see each module): the artifact binding (message digest,
 * in-toto subject), an anchored identity policy, the log entry's signer, bundle
 * chain hygiene, strict bundle and trusted-root parsing, Rekor v2 DSSE entries.
 */
export interface VerifyBlobOptions {
  /** The bundle file as read (malformed content becomes a failed check, not an exception). */
  bundle: string | Uint8Array;
  artifact: BlobArtifact;
  trustRoot: TrustRoot;
  /** Key-based verification: the bundle must have been signed by this key. */
  key?: PublicKeyMaterial | undefined;
  /** Keyless verification: who must have signed. */
  policy?: IdentityPolicy | undefined;
  /** Demand a transparency-log entry (default true; cosign's `--insecure-ignore-tlog` turns it off). */
  requireTlog?: boolean | undefined;
  /** The DSSE envelope exactly as stored (a cosign `.att` layer), for the envelope hash Rekor intoto 0.0.1 entries record. */
  envelopeBytes?: Uint8Array | undefined;
  /** The clock a certificate without a signed time is checked at (when no log is required); default now. */
  now?: Date | undefined;
}

/**
 * The states of the verdict vocabulary (src/model/verdict.ts) a bundle can be in: verified (every
 * required check passed), unpinned (cryptographically valid, but no identity or issuer was
 * pinned: not verified), failed.
 */
export type VerificationState = Extract<EngineState, 'verified' | 'unpinned' | 'failed'>;

export interface BlobVerification {
  verified: boolean;
  state: VerificationState;
  checks: SignatureCheck[];
  bundle?: { version: BundleVersion; content: 'message-signature' | 'dsse-envelope' };
  signer?: { kind: 'certificate' | 'public-key'; identity?: string; issuer?: string; keyFingerprint: string };
  trustRoot: TrustRootInfo;
}

export function verifyBlob(options: VerifyBlobOptions): BlobVerification {
  const { artifact } = options;
  const parse = parseBundle(options.bundle);
  // Of the roots loaded (public-good and GitHub's, unless one was given), the one this bundle belongs to.
  const choice: TrustChoice = parse.ok ? chooseTrustRoot(options.trustRoot, bundleSignals(parse.parsed.bundle)) : { root: options.trustRoot };
  const trustRoot = choice.root;
  const requireTlog = options.requireTlog ?? true;
  const pki = privatePki(trustRoot);
  const chainNote = pki === undefined ? [] : [`its certificate authorities replaced by the private PKI chain ${pki.path} (${pki.subjects.join('; ')})`];
  const checks: SignatureCheck[] = [trustRootCheck(choice, chainNote, parse.ok ? issuerText(parse.parsed.bundle) : undefined)];
  const result = (required: CheckCode[], extra: Partial<BlobVerification> = {}): BlobVerification => finish(checks, required, trustRoot.info, extra);

  if (!parse.ok) {
    checks.push(parse.failure);
    return result(['BUNDLE_FORMAT']);
  }
  const { bundle, version, content } = parse.parsed;
  checks.push(
    check('BUNDLE_FORMAT', 'pass', `A well-formed v${version} bundle holding a ${content === 'dsse-envelope' ? 'DSSE envelope' : 'message signature'}.`, {
      bundleVersion: version,
      content,
    }),
  );
  checks.push(...parse.parsed.notes);
  const summary = { bundle: { version, content } };

  // Who signed: a certificate (keyless, or a private PKI) or a managed key.
  const leaf = leafCertificate(bundle);
  let facts: CertificateFacts | undefined;
  if (leaf !== undefined) {
    try {
      facts = certificateFacts(leaf);
    } catch (e) {
      checks.push(check('CERTIFICATE_CHAIN', 'fail', 'The signing certificate cannot be parsed.', { cause: e instanceof Error ? e.message : String(e) }));
      return result(['CERTIFICATE_CHAIN'], summary);
    }
  }
  const keyMode = options.key !== undefined;
  let signer: SigningKey;
  if (facts !== undefined) {
    signer = { kind: 'certificate', der: facts.der, key: facts.key };
    if (facts.cert.isCA) checks.push(check('CERTIFICATE_CHAIN', 'fail', 'The signing certificate is a CA certificate, not a leaf.'));
    if (options.key !== undefined) {
      const same = sameKey(facts.key, options.key.key);
      checks.push(
        check(
          'PUBLIC_KEY',
          same ? 'pass' : 'fail',
          same ? 'The certificate carries the given public key.' : 'The certificate carries another key than the given one.',
          { keyFingerprint: facts.keyFingerprint },
        ),
      );
    }
  } else if (options.key !== undefined) {
    signer = { kind: 'public-key', key: options.key.key };
    checks.push(
      check('PUBLIC_KEY', 'pass', `Verifying with the given ${options.key.algorithm} key ${options.key.fingerprint}.`, {
        keyFingerprint: options.key.fingerprint,
      }),
    );
  } else {
    checks.push(check('PUBLIC_KEY', 'fail', 'The bundle was signed with a managed key; pass that public key (--key) to verify it.'));
    return result(['PUBLIC_KEY'], summary);
  }

  const chain = bundleChainCheck(bundle, trustRoot.root);
  if (chain !== undefined) checks.push(chain);
  checks.push(content === 'dsse-envelope' ? dsseArtifactCheck(bundle, artifact) : messageArtifactCheck(bundle, artifact));
  const entries = bundle.verificationMaterial.tlogEntries;
  const tlogSigner = tlogSignerCheck(entries, signer);
  if (tlogSigner !== undefined) checks.push(tlogSigner);
  checks.push(...checkpointChecks(entries));

  // Entries the library cannot read (Rekor intoto 0.0.1) are verified by rekor-intoto.ts.
  const ownEntries = entries.filter(libraryCannotCheck);
  // cosign --insecure-ignore-tlog on a certificate with no signed time: checked at the current time.
  const verifyAt = facts !== undefined && !keyMode && !requireTlog && !hasSignedTime(bundle) ? (options.now ?? new Date()) : undefined;
  if (pki !== undefined && facts !== undefined && requireTlog && entries.length === 0 && !hasSignedTime(bundle)) {
    checks.push(
      check(
        'TLOG',
        'info',
        'This private-PKI signature has no transparency-log entry and no signed time; if it was made without a log on purpose, waive the requirement (--insecure-ignore-tlog): the certificate is then checked at the current time, as cosign does.',
      ),
    );
  }
  const library = runLibraryVerifier({
    bundle,
    signature: signatureContent(bundle, artifact),
    trustRoot,
    key: options.key?.key,
    requireTlog,
    ownEntries,
    ...(verifyAt ? { verifyAt } : {}),
  });
  checks.push(...library, ...intotoEntryChecks(ownEntries, bundle, trustRoot, options.envelopeBytes));
  if (facts !== undefined) decorateCertificateCheck(checks, facts, trustRoot);

  const required: CheckCode[] = ['BUNDLE_FORMAT', 'ARTIFACT', 'SIGNATURE', keyMode ? 'PUBLIC_KEY' : 'CERTIFICATE_CHAIN'];
  // Checked at the current time, the certificate has no signed time to pass: TIMESTAMP is an info note.
  if (!keyMode) required.push(...(verifyAt === undefined ? ['TIMESTAMP' as const] : []), 'IDENTITY', 'ISSUER');
  if (requireTlog && trustRoot.info.counts.tlogs > 0) required.push('TLOG');
  if (entries.length > 0) required.push('TLOG_SIGNER');
  if (facts !== undefined && !keyMode) {
    // A private CA (--certificate-chain) vouches for the identity itself; its certificates name no OIDC issuer.
    const issuerNotApplicable = pki !== undefined && facts.issuer === undefined && options.policy?.issuer === undefined;
    checks.push(...identityChecks(facts, options.policy ?? {}, { issuerNotApplicable }));
    if (issuerNotApplicable) required.splice(required.indexOf('ISSUER'), 1);
  }

  const signerSummary: BlobVerification['signer'] =
    facts !== undefined
      ? {
          kind: 'certificate',
          keyFingerprint: facts.keyFingerprint,
          ...(facts.identity ? { identity: facts.identity } : {}),
          ...(facts.issuer ? { issuer: facts.issuer } : {}),
        }
      : { kind: 'public-key', keyFingerprint: options.key?.fingerprint ?? '' };
  return result(required, { ...summary, signer: signerSummary });
}

/**
 * Which root the checks below use, and why when several were loaded. A certificate no loaded root's
 * CA issued fits none of them: that fails here, naming every root tried, so the failure says what
 * to do (give that instance's trusted_root.json) rather than only that the chain does not verify.
 */
function trustRootCheck(choice: TrustChoice, chainNote: string[], issuer: string | undefined): SignatureCheck {
  const { root } = choice;
  const evidence = { trustRoot: root.info.instance };
  if (choice.unfit !== undefined) {
    return check(
      'TRUST_ROOT',
      'fail',
      `The signing certificate was issued by ${issuer ?? 'a CA'} that none of the trusted roots tried knows: ${choice.unfit.join('; ')}. If it comes from another Sigstore instance, give that instance's trusted_root.json (--trusted-root); the checks below use the first root.`,
      evidence,
    );
  }
  const why = choice.reason !== undefined ? [choice.reason] : [];
  return check('TRUST_ROOT', 'info', endSentence(`Using the ${describeTrustRoot(root.info, [...chainNote, ...why])}`), evidence);
}

/** A time the log or a timestamp authority signed: an entry with a SET, or an RFC 3161 timestamp. */
function hasSignedTime(bundle: Bundle): boolean {
  const tsa = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0;
  return tsa > 0 || bundle.verificationMaterial.tlogEntries.some((e) => e.inclusionPromise !== undefined);
}

/** Adds the certificate's facts to the chain check the library produced. */
function decorateCertificateCheck(checks: SignatureCheck[], facts: CertificateFacts, trustRoot: TrustRoot): void {
  const ca = issuingAuthority(facts.cert, trustRoot.root);
  for (const c of checks) {
    if (c.code !== 'CERTIFICATE_CHAIN' || c.status !== 'pass') continue;
    c.evidence = {
      ...c.evidence,
      certificateFingerprint: facts.fingerprint,
      keyFingerprint: facts.keyFingerprint,
      certificateValidity: { notBefore: facts.notBefore, notAfter: facts.notAfter },
      ...(ca !== undefined ? { certificateAuthority: ca } : {}),
    };
  }
}

function finish(checks: SignatureCheck[], required: CheckCode[], trustRoot: TrustRootInfo, extra: Partial<BlobVerification>): BlobVerification {
  const verified = allRequiredPass(checks, required);
  let state: VerificationState = verified ? 'verified' : 'failed';
  if (!verified && !checks.some((c) => c.status === 'fail')) {
    // Nothing failed: the only shortfall can be an identity or issuer left unpinned.
    const missing = required.filter((code) => !checks.some((c) => c.code === code && c.status === 'pass'));
    if (missing.length > 0 && missing.every((code) => code === 'IDENTITY' || code === 'ISSUER')) state = 'unpinned';
  }
  return { ...extra, verified, state, checks, trustRoot };
}
