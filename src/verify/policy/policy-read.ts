import { readFile, stat } from 'node:fs/promises';
import { describeError } from '../../core/errors';
import { parsePolicyFile } from './policy-file';
import type { PolicyDiagnostic, PolicyFile, PolicyParseResult } from './policy-types';
import { loadPublicKeyFile } from '../trust';

/** Larger than any sensible policy; keeps a pathological file from tying up the parser. */
const MAX_POLICY_BYTES = 1024 * 1024;

/** Reads and parses a policy file, then its key files. A missing or unreadable file is a diagnostic, not a throw. */
export async function loadPolicyFile(path: string): Promise<PolicyParseResult> {
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
  const keyDiagnostics = await loadPolicyKeys(result.policy);
  const diagnostics = [...result.diagnostics, ...keyDiagnostics];
  return { policy: keyDiagnostics.length > 0 ? undefined : result.policy, diagnostics };
}

/** Reads every `keys:` file of the policy (in place); one KEY_FILE diagnostic per key that cannot be used. */
export async function loadPolicyKeys(policy: PolicyFile): Promise<PolicyDiagnostic[]> {
  const out: PolicyDiagnostic[] = [];
  const levels = [{ at: 'defaults', rules: policy.defaults }, ...policy.images.map((e) => ({ at: `images[${e.index}]`, rules: e }))];
  for (const { at, rules } of levels) {
    for (const [i, key] of (rules.keys ?? []).entries()) {
      try {
        key.material = await loadPublicKeyFile(key.path);
      } catch (e) {
        out.push({ severity: 'error', code: 'KEY_FILE', message: describeError(e), file: policy.path, line: key.line, column: key.column, endLine: key.line, endColumn: key.column + key.written.length, at: `${at}.keys[${i}]` });
      }
    }
  }
  return out;
}
