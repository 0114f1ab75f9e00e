// What "pin the signer seen" writes into an image's policy entry (docs/policy.md): for a GitHub
// Actions workflow identity, the `github:` shortcut (repository, workflow, and the ref when it is
// not the image's tag), which pins the identity, the issuer, the certificate's GitHub claims and
// the expected SLSA source at once; for any other certificate identity, `identity` and `issuer`
// as exact text. A key is never pinned from its fingerprint: `keys` needs the PEM file.
import { isRepositoryWorkflow, workflowIdentity } from '../claims/workflow-identity';
import type { Signer } from '../model/cause';
import { GITHUB_ACTIONS_ISSUER } from '../verify/policy';
import type { PolicyDefaults, PolicyEntry } from '../verify/policy';

/** Keys to set on the entry (in this order) and keys to drop from it. */
export interface EntryPatch {
  readonly set: ReadonlyArray<readonly [string, unknown]>;
  readonly remove: readonly string[];
}

export interface PinPlan extends EntryPatch {
  /** The signer in a few words, for the fix's title. */
  readonly label: string;
  /** What the pin leaves in force that could still fail the image, said in the preview's description. */
  readonly caveat?: string;
}

const TAG_REF = [{ literal: 'refs/tags/' }, { variable: 'tag' }];

export interface PinContext {
  /** The tag of the image reference, when it has one. */
  readonly tag?: string;
  /** The entry that applies now (edited, or copied for this image), if any. */
  readonly entry?: PolicyEntry;
  readonly defaults: PolicyDefaults;
}

/** The entry patch that makes `signer` the one the policy expects; undefined for a key. */
export function pinPlan(signer: Signer, o: PinContext): PinPlan | undefined {
  if (!('identity' in signer)) return undefined;
  const levels = [o.entry ?? {}, o.defaults];
  const stated = <K extends 'identity' | 'issuer' | 'github'>(k: K) => levels.some((l) => l[k] !== undefined);
  const parsed = signer.issuer === GITHUB_ACTIONS_ISSUER ? workflowIdentity(signer.identity) : undefined;
  // Only what the policy's `github:` block can name: a workflow of .github/workflows run at a ref.
  const workflow = parsed !== undefined && isRepositoryWorkflow(parsed) ? { ...parsed, workflow: parsed.file } : undefined;
  if (workflow !== undefined) {
    const tagRef = o.tag !== undefined && workflow.ref === `refs/tags/${o.tag}`;
    const github: Record<string, string> = { repository: workflow.repository, workflow: workflow.workflow };
    // The default ref is refs/tags/{{tag}}; `defaults.github.ref` may have said otherwise.
    const defaultRef = o.defaults.github?.ref;
    if (!tagRef) github.ref = workflow.ref;
    else if (defaultRef !== undefined && JSON.stringify(defaultRef) !== JSON.stringify(TAG_REF)) github.ref = 'refs/tags/{{tag}}';
    const set: Array<[string, unknown]> = [['github', github]];
    // An explicit identity wins over github's for the certificate's subject: state this one.
    if (stated('identity')) set.push(['identity', tagRef ? signer.identity.slice(0, -o.tag!.length) + '{{tag}}' : signer.identity]);
    if (stated('issuer')) set.push(['issuer', GITHUB_ACTIONS_ISSUER]);
    return { set, remove: ['keys'], label: `${workflow.repository}'s ${workflow.workflow}` };
  }
  const set: Array<[string, unknown]> = [['identity', signer.identity]];
  if (signer.issuer !== undefined) set.push(['issuer', signer.issuer]);
  const caveat = o.defaults.github !== undefined ? 'defaults.github still applies its GitHub certificate claims to this image.' : undefined;
  return { set, remove: ['keys', 'github'], label: signer.identity, ...(caveat ? { caveat } : {}) };
}
