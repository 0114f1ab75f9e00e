/**
 * The GitHub Actions run behind an attestation, as facts for the panel. Two signed sources say
 * it: the SLSA v1 GitHub Actions workflow build type (https://actions.github.io/buildtypes/workflow/v1:
 * `externalParameters.workflow`, `internalParameters.github`, `runDetails.metadata.invocationId`),
 * as the provenance summary read it (src/provenance), and the signing certificate's claims, which
 * Fulcio copies from GitHub's OIDC token (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md),
 * among them the repository's visibility at signing, which the statement does not record. Each
 * value is shown as written; where the two disagree, both are shown.
 */
import { isRunUrl } from '../provenance/github';
import type { ProvenanceSummary } from '../provenance/types';
import type { GithubCertificateClaims } from '../verify/image';
import type { PanelFact } from '../protocol/panel';
import { safeLink } from './links';

const same = (a: string, b: string): boolean => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/** `.github/workflows/release.yml @ refs/tags/v1`: a workflow file at its ref. */
function workflowText(path: string | undefined, ref: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return ref !== undefined ? `${path} @ ${ref}` : path;
}

/** The certificate's Build Config URI `https://github.com/o/r/.github/workflows/f.yml@ref` as `.github/workflows/f.yml @ ref`. */
function certificateWorkflow(uri: string | undefined, repository: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  const at = uri.lastIndexOf('@');
  const file = at > 0 ? uri.slice(0, at) : uri;
  const path =
    repository !== undefined && file.toLowerCase().startsWith(`${repository.replace(/\/+$/, '').toLowerCase()}/`)
      ? file.slice(repository.replace(/\/+$/, '').length + 1)
      : file;
  return workflowText(path, at > 0 ? uri.slice(at + 1) : undefined);
}

/**
 * The run's facts: repository, workflow, the workflow that signed (a reusable one), run, trigger,
 * runner environment, visibility. Empty when neither the statement's build type is GitHub's nor
 * the certificate carries GitHub claims.
 */
export function githubRunFacts(s: ProvenanceSummary | undefined, claims: GithubCertificateClaims | undefined): PanelFact[] {
  const github = s?.knownBuildType?.family === 'github-actions';
  if (!github && claims === undefined) return [];
  const wf = github ? s?.workflow : undefined;
  const out: PanelFact[] = [];
  const add = (
    label: string,
    fromStatement: string | undefined,
    fromCertificate: string | undefined,
    extra: (v: string) => Partial<PanelFact> = () => ({}),
  ): void => {
    const first = fromStatement ?? fromCertificate;
    if (first === undefined || first === '') return;
    out.push({ label, value: first, ...extra(first) });
    if (fromStatement !== undefined && fromCertificate !== undefined && !same(fromStatement, fromCertificate)) {
      out.push({ label: `${label} (signing certificate)`, value: fromCertificate, ...extra(fromCertificate) });
    }
  };
  const link = (v: string): Partial<PanelFact> => {
    const url = safeLink(v);
    return url ? { url } : {};
  };
  add('Repository', wf?.repository, claims?.repository, link);
  const callerWorkflow = certificateWorkflow(claims?.workflow, claims?.repository);
  add('Workflow', workflowText(wf?.path, wf?.ref), callerWorkflow);
  // A reusable workflow signs for its caller: the SAN names it, not the caller's file.
  const signer = certificateWorkflow(claims?.signerWorkflow, undefined);
  if (claims?.signerWorkflow !== undefined && claims.signerWorkflow !== claims.workflow)
    out.push({ label: 'Signed by workflow', value: signer ?? claims.signerWorkflow });
  const runFromStatement = github ? (s?.runUrl ?? s?.invocationId) : undefined;
  add('Run', runFromStatement, claims?.run, (v) => (isRunUrl(v) ? link(v) : {}));
  add('Trigger', github ? s?.trigger : undefined, claims?.trigger);
  add('Runner environment', wf?.runnerEnvironment, claims?.runnerEnvironment);
  // The statement's commit is among the source facts already; the certificate's is said when it adds something.
  const commit = s?.source?.commit;
  if (claims?.commit !== undefined && (commit === undefined || !same(commit, claims.commit)))
    out.push({ label: commit === undefined ? 'Commit' : 'Commit (signing certificate)', value: claims.commit, mono: true });
  add('Visibility at signing', undefined, claims?.visibility);
  return out;
}
