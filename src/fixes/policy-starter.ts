// A first `.provenance-lens.yaml` for a workspace (docs/policy.md): the GitHub workflow that signs,
// signed SLSA provenance, and one entry per image the workspace's goreleaser files publish, each
// explained in a comment; an example entry when there is none. Pure.
import { parseReference } from '../registry/reference';
import { imageName } from '../verify/policy';
import { NEW_POLICY_HEADER } from './policy-edit';

/** Policy patterns for the references (`registry/repository`, tags dropped), each once, in order. */
export function imageNames(references: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of references) {
    try {
      const ref = parseReference(r);
      if (ref.kind === 'registry' && !out.includes(imageName(ref))) out.push(imageName(ref));
    } catch {
      // Not a reference: nothing to name.
    }
  }
  return out;
}

export function policyStarter(references: readonly string[]): string {
  const names = imageNames(references);
  const entries = names.length > 0 ? names.map((n) => `  - image: ${n}`) : ['  - image: ghcr.io/owner/app      # an image of your release; globs: * and **'];
  return [
    NEW_POLICY_HEADER.trimEnd(),
    'defaults:',
    '  github:',
    "    workflow: release.yml          # the workflow that signs; repository: the image's name, or builtIn",
    '  attestations: [slsa-provenance]  # signed SLSA provenance on every platform',
    'images:',
    ...entries,
    '',
  ].join('\n');
}
