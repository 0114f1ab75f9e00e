// The whole mini Sigstore in one handle: a trusted CA, an untrusted CA (same shape, not in the
// root), a log, and the trusted root naming only the trusted ones. Everything offline.
import type { GithubWorkflowOptions, LeafOptions, SigningIdentity, TestCertificateAuthority } from './ca';
import { createTestCA, githubWorkflowLeaf } from './ca';
import type { TestLog } from './log';
import { createTestLog } from './log';
import type { TrustedRootContents } from './trusted-root';
import { trustedRootBytes, trustedRootJson, writeTrustedRoot } from './trusted-root';

export interface MiniSigstore {
  readonly ca: TestCertificateAuthority;
  /** Issues leaves exactly like `ca`, but is in no trusted root. */
  readonly untrustedCa: TestCertificateAuthority;
  readonly log: TestLog;
  readonly trustedRoot: Record<string, unknown>;
  /** The trusted_root.json bytes (parse with src/verify/trust/trust-parse.ts parseTrustedRoot). */
  readonly trustedRootBytes: Buffer;
  writeTrustedRoot(dir: string): Promise<string>;
  /** A leaf for a GitHub Actions workflow run of `repository`, from the trusted CA. */
  githubIdentity(options: GithubWorkflowOptions): Promise<SigningIdentity>;
  issue(options: LeafOptions): Promise<SigningIdentity>;
  dispose(): Promise<void>;
}

export async function createMiniSigstore(): Promise<MiniSigstore> {
  const [ca, untrustedCa] = await Promise.all([
    createTestCA({ name: 'provenance-lens-test' }),
    createTestCA({ name: 'untrusted-test', organization: 'untrusted.example' }),
  ]);
  const log = createTestLog();
  const contents: TrustedRootContents = { certificateAuthorities: [ca], tlogs: [log] };
  return {
    ca,
    untrustedCa,
    log,
    trustedRoot: trustedRootJson(contents),
    trustedRootBytes: trustedRootBytes(contents),
    writeTrustedRoot: (dir) => writeTrustedRoot(dir, contents),
    githubIdentity: (o) => ca.issue(githubWorkflowLeaf(o)),
    issue: (o) => ca.issue(o),
    async dispose() {
      await Promise.all([ca.dispose(), untrustedCa.dispose()]);
    },
  };
}
