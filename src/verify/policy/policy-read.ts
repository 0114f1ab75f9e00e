import { readFile, stat } from 'node:fs/promises';
import { describeError } from '../../core/errors';
import { parsePolicyFile } from './policy-file';
import type { PolicyDiagnostic, PolicyFile, PolicyParseResult } from './policy-types';
import { loadPublicKeyFile } from '../trust';

/** Larger than any sensible policy; keeps a pathological file from tying up the parser. */
const MAX_POLICY_BYTES = 1024 * 1024;

export interface PolicyReadOptions {
  /**
   * Asked after parsing and before any file the policy names is read (Restricted Mode): a reason to
   * refuse the whole policy, or undefined to go on. Dropping only an entry would leave a policy
   * that trusts other roots or keys than its author wrote.
   */
  readonly refuse?: (policy: PolicyFile) => string | undefined;
}

/** A policy file read: `refused` says why, when `PolicyReadOptions.refuse` refused it. */
export interface PolicyReadResult extends PolicyParseResult {
  readonly refused?: string;
}

/**
 * Reads and parses a policy file, then its key files. A missing or unreadable file is a
 * diagnostic, not a throw.
 */
export async function loadPolicyFile(path: string, o: PolicyReadOptions = {}): Promise<PolicyReadResult> {
  const fileDiagnostic = (message: string): PolicyParseResult => ({
    policy: undefined,
    diagnostics: [{ severity: 'error', code: 'FILE', message, file: path, line: 1, column: 1, endLine: 1, endColumn: 1, at: '' }],
  });
  let text: string;
  try {
    const size = (await stat(path)).size;
    if (size > MAX_POLICY_BYTES) return fileDiagnostic(`${path} is ${size} bytes; a policy file may be at most ${MAX_POLICY_BYTES}.`);
    text = await readFile(path, 'utf8');
  } catch (e) {
    return fileDiagnostic(`Cannot read the policy file ${path}: ${describeError(e)}`);
  }
  const result = parsePolicyFile(text, path);
  if (result.policy === undefined) return result;
  const refused = o.refuse?.(result.policy);
  if (refused !== undefined) return { policy: undefined, diagnostics: result.diagnostics, refused };
  const keyDiagnostics = await loadPolicyKeys(result.policy);
  const diagnostics = [...result.diagnostics, ...keyDiagnostics];
  return { policy: keyDiagnostics.length > 0 ? undefined : result.policy, diagnostics };
}

/** A file a policy names (a key, a trusted root, a certificate chain), with where it is written. */
export interface PolicyNamedFile {
  /** `images[0].keys[0]`, `defaults.trustedRoot`. */
  readonly setting: string;
  /** The path as written. */
  readonly value: string;
}

/** Every file a parsed policy names, each with where in the policy it is written. */
export function policyFiles(policy: PolicyFile): PolicyNamedFile[] {
  const out: PolicyNamedFile[] = [];
  for (const { at, rules } of policyLevels(policy)) {
    for (const [i, key] of (rules.keys ?? []).entries()) out.push({ setting: `${at}.keys[${i}]`, value: key.path });
    if (rules.trustedRoot !== undefined) out.push({ setting: `${at}.trustedRoot`, value: rules.trustedRoot });
    if (rules.certificateChain !== undefined) out.push({ setting: `${at}.certificateChain`, value: rules.certificateChain });
  }
  return out;
}

/** The defaults, then each image entry, with the name a diagnostic gives each. */
function policyLevels(policy: PolicyFile) {
  return [{ at: 'defaults', rules: policy.defaults }, ...policy.images.map((e) => ({ at: `images[${e.index}]`, rules: e }))];
}

/** Reads every `keys:` file of the policy (in place); one KEY_FILE diagnostic per key that cannot be used. */
export async function loadPolicyKeys(policy: PolicyFile): Promise<PolicyDiagnostic[]> {
  const out: PolicyDiagnostic[] = [];
  for (const { at, rules } of policyLevels(policy)) {
    for (const [i, key] of (rules.keys ?? []).entries()) {
      try {
        key.material = await loadPublicKeyFile(key.path);
      } catch (e) {
        out.push({
          severity: 'error',
          code: 'KEY_FILE',
          message: describeError(e),
          file: policy.path,
          line: key.line,
          column: key.column,
          endLine: key.line,
          endColumn: key.column + key.written.length,
          at: `${at}.keys[${i}]`,
        });
      }
    }
  }
  return out;
}
