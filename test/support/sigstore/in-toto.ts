// DSSE envelopes and in-toto statements as cosign and GitHub write them.
// DSSE: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md (the signature is
// over PAE(payloadType, payload), never over the payload alone).
// Statements: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
import type { SigningKey } from './keys';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const COSIGN_SIGN_V1 = 'https://sigstore.dev/cosign/sign/v1';
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';

export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

export interface DsseEnvelope {
  readonly payloadType: string;
  readonly payload: Buffer;
  readonly signature: Buffer;
  readonly keyid: string;
}

export function signDsse(signer: Pick<SigningKey, 'sign'>, payloadType: string, payload: Buffer, keyid = ''): DsseEnvelope {
  return { payloadType, payload, signature: signer.sign(pae(payloadType, payload)), keyid };
}

/**
 * The envelope as cosign (Go, go-securesystemslib `dsse.Envelope`) serialises it: field order
 * payloadType, payload, signatures[{keyid, sig}], `keyid` present even when empty. These bytes
 * are the `.att` layer blob and what Rekor hashes for `intoto` 0.0.1 and `dsse` 0.0.1.
 */
export function envelopeJson(env: DsseEnvelope): Buffer {
  return Buffer.from(
    JSON.stringify({
      payloadType: env.payloadType,
      payload: env.payload.toString('base64'),
      signatures: [{ keyid: env.keyid, sig: env.signature.toString('base64') }],
    }),
  );
}

export interface StatementSubject {
  readonly name?: string;
  readonly digest: Readonly<Record<string, string>>;
}

export interface StatementOptions {
  subject: readonly StatementSubject[];
  predicateType: string;
  predicate: unknown;
  /** v0.1 as `cosign attest` writes (in-toto-golang field order), v1 as cosign v3 / GitHub. */
  version?: 'v0.1' | 'v1';
}

export function inTotoStatement(o: StatementOptions): Buffer {
  const subject = o.subject.map((s) => (s.name === undefined ? { digest: s.digest } : { name: s.name, digest: s.digest }));
  const doc =
    (o.version ?? 'v0.1') === 'v0.1'
      ? { _type: STATEMENT_V01, predicateType: o.predicateType, subject, predicate: o.predicate }
      : { _type: STATEMENT_V1, subject, predicateType: o.predicateType, predicate: o.predicate };
  return Buffer.from(JSON.stringify(doc));
}

/** `sha256:<hex>` to an in-toto digest set. */
export function digestSet(digest: string): Record<string, string> {
  const [alg, hex] = digest.split(':');
  if (!alg || !hex) throw new Error(`not a digest: ${digest}`);
  return { [alg]: hex };
}

/** cosign v3 `sign`: a v1 statement whose only subject is the image digest, empty predicate. */
export function cosignSignStatement(digest: string, name?: string): Buffer {
  return inTotoStatement({ version: 'v1', subject: [{ ...(name ? { name } : {}), digest: digestSet(digest) }], predicateType: COSIGN_SIGN_V1, predicate: {} });
}

export interface GithubProvenanceOptions {
  /** `org/repo` */
  repository: string;
  ref?: string;
  sha?: string;
  workflowPath?: string;
  runId?: string;
  trigger?: string;
}

/**
 * SLSA v1 provenance as GitHub's actions/attest-build-provenance writes it (build type
 * https://actions.github.io/buildtypes/workflow/v1): source repository, ref and commit in
 * externalParameters and resolvedDependencies, the workflow as builder.
 */
export function githubProvenancePredicate(o: GithubProvenanceOptions): Record<string, unknown> {
  const ref = o.ref ?? 'refs/tags/v1.0.0';
  const sha = o.sha ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const path = o.workflowPath ?? '.github/workflows/release.yml';
  const repoUrl = `https://github.com/${o.repository}`;
  const runId = o.runId ?? '1234567890';
  return {
    buildDefinition: {
      buildType: GITHUB_WORKFLOW_BUILD_TYPE,
      externalParameters: { workflow: { ref, repository: repoUrl, path } },
      internalParameters: {
        github: { event_name: o.trigger ?? 'push', repository_id: '123456789', repository_owner_id: '987654321', runner_environment: 'github-hosted' },
      },
      resolvedDependencies: [{ uri: `git+${repoUrl}@${ref}`, digest: { gitCommit: sha } }],
    },
    runDetails: {
      builder: { id: `${repoUrl}/${path}@${ref}` },
      metadata: { invocationId: `${repoUrl}/actions/runs/${runId}/attempts/1` },
    },
  };
}
