/**
 * A GitHub Actions signing identity as its parts. Fulcio writes the workflow that ran into the
 * certificate's SAN (the Build Signer URI) as `https://github.com/<owner>/<repo>/<path>@<ref>`, the
 * `job_workflow_ref` claim of GitHub's OIDC token:
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
 * https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md#1361415726419--build-signer-uri
 * Read here once, for every place that names, compares or pins such a signer.
 */
export interface WorkflowIdentity {
  /** `owner/repo`. */
  readonly repository: string;
  /** The workflow file's path in the repository: `.github/workflows/release.yml`. */
  readonly path: string;
  /** Its file name: `release.yml`. */
  readonly file: string;
  /** The ref it ran at, as written: `refs/tags/v1.2.0`, `refs/heads/main`. */
  readonly ref: string;
}

const BUILD_SIGNER_URI = /^https:\/\/github\.com\/([^/\s@]+\/[^/\s@]+)\/((?:[^@\s]*\/)?([^/@\s]+))@(\S+)$/;

/** The parts of a GitHub workflow identity; undefined for any other identity. */
export function workflowIdentity(identity: string): WorkflowIdentity | undefined {
  const m = BUILD_SIGNER_URI.exec(identity);
  return m ? { repository: m[1]!, path: m[2]!, file: m[3]!, ref: m[4]! } : undefined;
}

/** Whether the identity is a workflow of the repository's `.github/workflows` folder run at a ref, as GitHub issues them. */
export function isRepositoryWorkflow(w: WorkflowIdentity): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(w.path) && w.ref.startsWith('refs/');
}
