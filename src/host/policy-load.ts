// The policy file the extension verifies with, read as loadPolicyFile reads it, except in
// Restricted Mode: there a policy that names a file (a key, a trusted root, a certificate chain)
// inside a workspace folder is not used at all, and that file is never read. Dropping only the
// entry would leave a policy that trusts other roots or keys than its author wrote.
import { readFile, stat } from 'node:fs/promises';
import { describeError } from '../core/errors';
import { decideFile } from '../core/restricted-files';
import type { NamedFile, WorkspaceFiles } from '../core/restricted-files';
import { loadPolicyFile, loadPolicyKeys, parsePolicyFile } from '../verify/policy';
import type { PolicyFile, PolicyParseResult } from '../verify/policy';

/** The same bound as loadPolicyFile's: the text is read here before anything it names. */
const MAX_POLICY_BYTES = 1024 * 1024;

export interface HostPolicy extends PolicyParseResult {
  /** Set when Restricted Mode refuses the policy: why, in one sentence for the view, the log and the error. */
  readonly restricted?: string;
}

/** Every file a parsed policy names, each with where in the policy it is written. */
export function policyFiles(policy: PolicyFile): NamedFile[] {
  const out: NamedFile[] = [];
  const levels = [{ at: 'defaults', rules: policy.defaults }, ...policy.images.map((e) => ({ at: `images[${e.index}]`, rules: e }))];
  for (const { at, rules } of levels) {
    for (const [i, key] of (rules.keys ?? []).entries()) out.push({ setting: `${at}.keys[${i}]`, value: key.path });
    if (rules.trustedRoot !== undefined) out.push({ setting: `${at}.trustedRoot`, value: rules.trustedRoot });
    if (rules.certificateChain !== undefined) out.push({ setting: `${at}.certificateChain`, value: rules.certificateChain });
  }
  return out;
}

/** loadPolicyFile in a trusted workspace; in Restricted Mode, the same without reading into the workspace. */
export async function loadHostPolicy(path: string, ws: WorkspaceFiles): Promise<HostPolicy> {
  if (ws.trusted) return loadPolicyFile(path);
  const fileError = (message: string): HostPolicy => ({
    policy: undefined,
    diagnostics: [{ severity: 'error', code: 'FILE', message, file: path, line: 1, column: 1, endLine: 1, endColumn: 1, at: '' }],
  });
  let text: string;
  try {
    const size = (await stat(path)).size;
    if (size > MAX_POLICY_BYTES) return fileError(`${path} is ${size} bytes; a policy file may be at most ${MAX_POLICY_BYTES}.`);
    text = await readFile(path, 'utf8');
  } catch (e) {
    return fileError(`Cannot read the policy file ${path}: ${describeError(e)}`);
  }
  const parsed = parsePolicyFile(text, path);
  if (parsed.policy === undefined) return parsed;
  const inside = policyFiles(parsed.policy).filter((f) => 'ignored' in decideFile(f, ws));
  if (inside.length > 0) {
    const named = inside.map((f) => `${f.setting}: ${f.value}`).join('; ');
    return { policy: undefined, diagnostics: parsed.diagnostics, restricted: `The policy file ${path} names files inside this untrusted workspace (${named}); ignored in Restricted Mode, and none of those files is read. Trust the workspace to use it.` };
  }
  const keyDiagnostics = await loadPolicyKeys(parsed.policy);
  return { policy: keyDiagnostics.length > 0 ? undefined : parsed.policy, diagnostics: [...parsed.diagnostics, ...keyDiagnostics] };
}
