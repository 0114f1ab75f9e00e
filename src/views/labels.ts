// The words and icons of the release views: verdicts, predicate types, digests and sizes.
// UI text is made here, at the edge; the model (src/releases) only has states and facts.
import * as vscode from 'vscode';
import type { SignedBy } from '../releases/evidence';
import { safeText } from '../releases/artifact-words';
import type { Release, Verdict } from '../releases/types';
import { verdictLook } from './verdict-text';

export function verdictIcon(v: Verdict): vscode.ThemeIcon {
  const { codicon, color } = verdictLook(v);
  return new vscode.ThemeIcon(codicon, new vscode.ThemeColor(color));
}

export const loadingIcon = (): vscode.ThemeIcon => new vscode.ThemeIcon('loading~spin');

export { artifactPlace, artifactTitle, predicateName, safeText } from '../releases/artifact-words';

/** Who signed, as far as inspection tells. */
export function signedByText(s: SignedBy): string {
  switch (s.kind) {
    case 'certificate':
      return s.identity ? `by ${safeText(s.identity, 120)}` : 'keyless (certificate)';
    case 'key':
      return 'signed with a key';
    case 'bundle':
      return 'Sigstore bundle';
    case 'unsigned':
      return 'unsigned';
    case 'unknown':
      return 'signer unknown';
  }
}

export function releaseTitle(r: Release): string {
  if (r.origin === 'user') return 'Added images';
  if (r.origin === 'session') return 'Checked this session';
  if (r.origin === 'workspace') return 'Workspace images';
  return r.name || (r.file ? r.file.split(/[\\/]/).pop()! : 'Release');
}

export { failureNotice, failureShort, failureTitle } from './failure-words';
