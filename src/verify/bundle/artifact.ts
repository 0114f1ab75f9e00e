import { createHash } from 'node:crypto';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import type { Bundle } from '@sigstore/bundle';
import { statementFromPayload } from '../../claims/dsse';
import { isProvenanceError } from '../../claims/errors';
import { heldContentLimits } from '../../claims/limits';
import type { InTotoStatement } from '../../claims/statement';
import { subjectWithDigest } from '../../claims/statement';
import { own } from '../../claims/values';
import { parseDigest } from '../../registry/digest';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';

/**
 * The blob a bundle is checked against: its bytes, or only its digest (`sha256:<hex>`, as the
 * sigstore-conformance client protocol allows). Not an image's `Artifact` (src/model): that is
 * a signature or attestation found in a registry; this is what one signs.
 */
export type BlobArtifact = { kind: 'bytes'; bytes: Uint8Array; name?: string } | { kind: 'digest'; algorithm: 'sha256' | 'sha512'; hex: string };

export type NodeHash = 'sha256' | 'sha384' | 'sha512';

/** `sha256:<hex>` (or sha512) to an artifact; throws REFERENCE_INVALID/DIGEST_UNSUPPORTED otherwise. */
export function artifactFromDigest(digest: string): BlobArtifact {
  const { algorithm, hex } = parseDigest(digest);
  return { kind: 'digest', algorithm, hex };
}

/** The artifact's digest under `algorithm`, or undefined when only another digest is known. */
export function artifactDigest(artifact: BlobArtifact, algorithm: NodeHash): Buffer | undefined {
  if (artifact.kind === 'bytes') return createHash(algorithm).update(artifact.bytes).digest();
  return artifact.algorithm === algorithm ? Buffer.from(artifact.hex, 'hex') : undefined;
}

// Map of protobuf-specs HashAlgorithm to Node's names; SHA3 is not used by Sigstore signers.
const HASHES: Partial<Record<HashAlgorithm, NodeHash>> = {
  [HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED]: 'sha256',
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
};

export function messageHash(bundle: Bundle): NodeHash | undefined {
  if (bundle.content.$case !== 'messageSignature') return undefined;
  return HASHES[bundle.content.messageSignature.messageDigest?.algorithm ?? HashAlgorithm.SHA2_256];
}

/**
 * Message signatures: the bundle's `messageDigest` must be this artifact's digest.
 * (`@sigstore/verify` only compares the log entry with `messageDigest`, and checks the
 * signature over the bytes; a digest-only artifact needs this comparison explicitly.)
 */
export function messageArtifactCheck(bundle: Bundle, artifact: BlobArtifact): SignatureCheck {
  const alg = messageHash(bundle);
  if (alg === undefined) return check('ARTIFACT', 'fail', 'The bundle signs a digest with a hash algorithm this tool does not support.');
  const mine = artifactDigest(artifact, alg);
  if (mine === undefined) {
    return check(
      'ARTIFACT',
      'fail',
      `The bundle signs a ${alg} digest, but only a ${artifact.kind === 'digest' ? artifact.algorithm : '?'} digest of the artifact was given; pass the file or its ${alg} digest.`,
    );
  }
  const evidence = { digest: `${alg}:${mine.toString('hex')}` };
  const signed = bundle.content.$case === 'messageSignature' ? bundle.content.messageSignature.messageDigest?.digest : undefined;
  if (signed === undefined || !Buffer.from(signed).equals(mine)) {
    return check('ARTIFACT', 'fail', "The bundle's message digest is not the digest of this artifact: it was signed for other content.", evidence);
  }
  return check('ARTIFACT', 'pass', 'The bundle signs exactly this artifact.', evidence);
}

/**
 * DSSE envelopes: the signature covers the envelope, not the artifact. The binding is
 * the in-toto statement's subject list (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md):
 * one subject must carry this artifact's digest. `@sigstore/verify` does not look. The statement
 * is read by the same parser the provenance summaries use (src/claims).
 */
export function dsseArtifactCheck(bundle: Bundle, artifact: BlobArtifact): SignatureCheck {
  if (bundle.content.$case !== 'dsseEnvelope') return check('ARTIFACT', 'fail', 'The bundle holds no DSSE envelope.');
  const env = bundle.content.dsseEnvelope;
  let statement: InTotoStatement;
  try {
    statement = statementFromPayload(env.payloadType, env.payload, heldContentLimits(env.payload.length)).statement;
  } catch (e) {
    return check('ARTIFACT', 'fail', unreadStatement(e, env.payloadType));
  }
  const { predicateType, subject: subjects } = statement;
  for (const alg of ['sha256', 'sha512', 'sha384'] as const) {
    const mine = artifactDigest(artifact, alg)?.toString('hex');
    if (mine === undefined) continue;
    const hit = subjectWithDigest(statement, alg, mine);
    if (hit !== undefined) {
      const subjectName = own(hit, 'name');
      const name = typeof subjectName === 'string' ? ` ("${subjectName}")` : '';
      return check('ARTIFACT', 'pass', `The in-toto statement names this artifact as a subject${name}.`, { digest: `${alg}:${mine}`, predicateType });
    }
  }
  const digest = artifactDigest(artifact, 'sha256') ?? artifactDigest(artifact, 'sha512');
  const shown = digest ? `${digest.length === 32 ? 'sha256' : 'sha512'}:${digest.toString('hex')}` : undefined;
  // Which digests it is about instead: what a bundle given for the wrong artifact most needs to say.
  const named = subjects
    .flatMap((s) => {
      const hex = own(own(s, 'digest'), 'sha256');
      return typeof hex === 'string' ? [`sha256:${hex.toLowerCase()}`] : [];
    })
    .slice(0, 3);
  const about = named.length > 0 ? `: it is about ${named.join(', ')}${subjects.length > named.length ? ', …' : ''}` : '';
  return check('ARTIFACT', 'fail', `None of the statement's ${subjects.length} subject(s) has this artifact's digest${shown ? ` (${shown})` : ''}${about}.`, {
    ...(shown ? { digest: shown } : {}),
    predicateType,
  });
}

/** Why a DSSE payload binds nothing, in the words of this check. */
function unreadStatement(e: unknown, payloadType: string): string {
  if (!isProvenanceError(e)) throw e;
  switch (e.code) {
    case 'PAYLOAD_TYPE':
      return `The DSSE payload type is ${JSON.stringify(payloadType)}, not an in-toto statement, so nothing binds it to this artifact.`;
    case 'NOT_JSON':
      return 'The DSSE payload claims to be an in-toto statement but is not JSON.';
    case 'STATEMENT_TYPE':
    case 'STATEMENT_INVALID':
      // Without a predicateType the meaning would have to come from unsigned registry
      // annotations, which never decide.
      return e.details.field === 'predicateType'
        ? 'The signed statement has no predicateType (a string), so what it claims cannot be known.'
        : 'The DSSE payload is not an in-toto Statement (v0.1 or v1) with a subject list.';
    default:
      return `The DSSE payload cannot be read as an in-toto statement: ${e.message}`;
  }
}
