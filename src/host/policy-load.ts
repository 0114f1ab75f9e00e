// The policy file the extension verifies with, read as loadPolicyFile reads it, except in
// Restricted Mode: there a policy that names a file (a key, a trusted root, a certificate chain)
// inside a workspace folder is not used at all, and that file is never read.
import { decideFile } from '../core/restricted-files';
import type { WorkspaceFiles } from '../core/restricted-files';
import { loadPolicyFile, policyFiles } from '../verify/policy';
import type { PolicyParseResult } from '../verify/policy';

export { policyFiles };

export interface HostPolicy extends PolicyParseResult {
  /** Set when Restricted Mode refuses the policy: why, in one sentence for the view, the log and the error. */
  readonly restricted?: string;
}

/** loadPolicyFile in a trusted workspace; in Restricted Mode, the same without reading into the workspace. */
export async function loadHostPolicy(path: string, ws: WorkspaceFiles): Promise<HostPolicy> {
  if (ws.trusted) return loadPolicyFile(path);
  const { refused, ...result } = await loadPolicyFile(path, {
    refuse: (policy) => {
      const inside = policyFiles(policy).filter((f) => 'ignored' in decideFile(f, ws));
      if (inside.length === 0) return undefined;
      const named = inside.map((f) => `${f.setting}: ${f.value}`).join('; ');
      return `The policy file ${path} names files inside this untrusted workspace (${named}); ignored in Restricted Mode, and none of those files is read. Trust the workspace to use it.`;
    },
  });
  return refused === undefined ? result : { ...result, restricted: refused };
}
