// The signing side of the interop test: @sigstore/mock's Fulcio and Rekor handlers served over
// loopback HTTP (node:http), so @sigstore/sign talks to them exactly as to sigstore.dev, and the
// trusted_root.json naming their keys for `provenance-lens verify --trusted-root`.
// What the mock gets wrong is supplied here, never loosened in the verifier: the CT log
// (ct-log.ts) and the Rekor log (rekor-log.ts); the Fulcio CA and the HTTP handlers are the mock's.
// The handlers come from the mock's subpaths: its package index imports nock, which replaces
// node:http's request functions on import.
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fulcioHandler, initializeCA } from '@sigstore/mock/dist/fulcio';
import { rekorHandler } from '@sigstore/mock/dist/rekor';
import type { Handler } from '@sigstore/mock/dist/shared.types';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign';
import { createTestLog } from '../sigstore/log';
import type { TestLog } from '../sigstore/log';
import { trustedRootJson } from '../sigstore/trusted-root';
import type { RecordingCtLog } from './ct-log';
import { createCtLog } from './ct-log';
import type { RekorLog } from './rekor-log';
import { createRekorLog } from './rekor-log';

/** The mock Fulcio's CA subject (@sigstore/mock fulcio/ca.js). */
const MOCK_CA_SUBJECT = { organization: 'sigstore.mock', commonName: 'sigstore' };

export interface SigstoreJsServices {
  /** `http://127.0.0.1:PORT`: Fulcio's `/api/v2/signingCert` and Rekor's `/api/v1/log/entries`. */
  readonly url: string;
  readonly rekor: TestLog;
  readonly rekorLog: RekorLog;
  readonly ct: TestLog;
  readonly ctLog: RecordingCtLog;
  /** The mock CA's self-signed root: it issues leaves directly. */
  readonly caRoot: X509Certificate;
  /** POSTs answered, by path. */
  readonly requests: Readonly<Record<string, number>>;
  /** trusted_root.json for these services; `ctLog` replaces the CT log (to prove SCTs are checked). */
  trustedRoot(options?: { ctLog?: TestLog }): Record<string, unknown>;
  /** Bundle builders signing as the holder of `token` (an OIDC identity token for the mock Fulcio). */
  builders(token: string, rekorEntryType?: 'dsse' | 'intoto'): { dsse: DSSEBundleBuilder; message: MessageSignatureBundleBuilder };
  close(): Promise<void>;
}

/** An unsigned JWT: the mock Fulcio decodes the token without verifying it (real Fulcio checks the issuer's signature). */
export function identityToken(claims: Record<string, unknown>): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/**
 * Claims as GitHub Actions' OIDC token carries them; the mock Fulcio turns them into the
 * certificate's extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md).
 * `sub` becomes the SAN: here the workflow URI real Fulcio derives from `job_workflow_ref`.
 */
export function githubActionsClaims(o: { repository: string; workflowPath?: string; ref?: string; sha?: string }): Record<string, unknown> {
  const path = o.workflowPath ?? '.github/workflows/release.yml';
  const ref = o.ref ?? 'refs/tags/v1.0.0';
  const sha = o.sha ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const owner = o.repository.split('/')[0] ?? o.repository;
  const workflowRef = `${o.repository}/${path}@${ref}`;
  return {
    iss: 'https://token.actions.githubusercontent.com',
    aud: 'sigstore',
    sub: `https://github.com/${workflowRef}`,
    repository: o.repository,
    repository_id: '123456789',
    repository_owner: owner,
    repository_owner_id: '987654321',
    repository_visibility: 'public',
    ref,
    sha,
    event_name: 'push',
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    runner_environment: 'github-hosted',
    run_id: '1234567890',
    run_attempt: '1',
  };
}

function serve(handlers: readonly Handler[], requests: Record<string, number>): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const handler = req.method === 'POST' ? handlers.find((h) => h.path === req.url) : undefined;
      if (handler === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no mock for ${req.method ?? '?'} ${req.url ?? '?'}`);
        return;
      }
      requests[handler.path] = (requests[handler.path] ?? 0) + 1;
      handler.fn(Buffer.concat(chunks).toString('utf8')).then(
        (r) => res.writeHead(r.statusCode, { 'content-type': r.contentType ?? 'text/plain' }).end(r.response),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export async function startSigstoreJsServices(): Promise<SigstoreJsServices> {
  const ct = createTestLog({ name: 'ctfe.sigstore-mock.provenance-lens.test' });
  const rekor = createTestLog({ name: 'rekor.sigstore-mock.provenance-lens.test' });
  // Other people's entries first, as in any real log: no proof is of a one-leaf tree.
  for (let i = 0; i < 5; i++) rekor.append(Buffer.from(JSON.stringify({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: { other: i } })));
  const ctLog = createCtLog(ct);
  const rekorLog = createRekorLog(rekor);
  // Fulcio's CA keys are P-384, as the mock's own mockFulcio() makes them.
  const ca = await initializeCA(generateKeyPairSync('ec', { namedCurve: 'P-384' }), ctLog);
  const caRoot = new X509Certificate(ca.rootCertificate);
  const requests: Record<string, number> = {};
  const server = await serve([fulcioHandler(ca), rekorHandler(rekorLog)], requests);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetchOptions = { retry: false, timeout: 10_000 } as const;

  return {
    url,
    rekor,
    rekorLog,
    ct,
    ctLog,
    caRoot,
    requests,
    trustedRoot(options = {}) {
      const root = trustedRootJson({ certificateAuthorities: [], tlogs: [rekor], ctlogs: [options.ctLog ?? ct] });
      root.certificateAuthorities = [
        {
          subject: MOCK_CA_SUBJECT,
          uri: url,
          certChain: { certificates: [{ rawBytes: caRoot.raw.toString('base64') }] },
          validFor: { start: new Date(caRoot.validFrom).toISOString() },
        },
      ];
      return root;
    },
    builders(token, rekorEntryType = 'dsse') {
      const signer = new FulcioSigner({ fulcioBaseURL: url, identityProvider: { getToken: () => Promise.resolve(token) }, ...fetchOptions });
      const witnesses = [new RekorWitness({ rekorBaseURL: url, entryType: rekorEntryType, ...fetchOptions })];
      return { dsse: new DSSEBundleBuilder({ signer, witnesses }), message: new MessageSignatureBundleBuilder({ signer, witnesses }) };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
