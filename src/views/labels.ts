// The words and icons of the release views: verdicts, predicate types, digests and sizes.
// UI text is made here, at the edge; the model (src/releases) only has states and facts.
import { replaceInvisible } from '../core/invisible';
import { decimalSize } from '../core/size';
import * as vscode from 'vscode';
import type { Artifact } from '../model/image-graph';
import type { SignedBy } from '../releases/evidence';
import type { LoadFailure, Release, Verdict } from '../releases/types';
import { verdictLook } from './verdict-text';

export function verdictIcon(v: Verdict): vscode.ThemeIcon {
  const { codicon, color } = verdictLook(v);
  return new vscode.ThemeIcon(codicon, new vscode.ThemeColor(color));
}

export const loadingIcon = (): vscode.ThemeIcon => new vscode.ThemeIcon('loading~spin');

/** `sha256:1a2b3c4d` */
export function shortDigest(digest: string): string {
  const i = digest.indexOf(':');
  return i < 0 ? digest.slice(0, 8) : `${digest.slice(0, i + 1)}${digest.slice(i + 1, i + 9)}`;
}

export function humanSize(bytes: number | undefined): string | undefined {
  return bytes === undefined ? undefined : decimalSize(bytes);
}

/** Registry-supplied text for the tree: each invisible or bidi character (src/core/invisible.ts) becomes a space. */
export function safeText(s: string, max = 300): string {
  const clean = replaceInvisible(s, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const PREDICATES: Array<[RegExp, string]> = [
  [/^https:\/\/slsa\.dev\/provenance\/v1$/, 'SLSA provenance v1'],
  [/^https:\/\/slsa\.dev\/provenance\/v0\.2$/, 'SLSA provenance v0.2'],
  [/^https:\/\/spdx\.dev\/Document/, 'SPDX SBOM'],
  [/^https:\/\/cyclonedx\.org\/bom/, 'CycloneDX SBOM'],
  [/^https:\/\/sigstore\.dev\/cosign\/sign\/v1$/, 'cosign signature statement'],
  [/^https:\/\/cosign\.sigstore\.dev\/attestation\/vuln\/v1$/, 'vulnerability scan'],
  [/^https:\/\/in-toto\.io\/attestation\/vulns/, 'vulnerability scan'],
  [/^https:\/\/in-toto\.io\/attestation\/test-result/, 'test result'],
];

export function predicateName(type: string | undefined): string | undefined {
  if (!type) return undefined;
  return PREDICATES.find(([re]) => re.test(type))?.[1] ?? safeText(type, 80);
}

/** What an artifact is: `Signature`, `SLSA provenance v1`, `SPDX SBOM`, `Attestation`. */
export function artifactTitle(a: Artifact): string {
  if (a.kind === 'signature') return a.format === 'referrer' && a.predicateType ? 'Signature (Sigstore bundle)' : 'Signature';
  const name = predicateName(a.predicateType);
  if (name) return name;
  if (a.kind === 'sbom') return /spdx/i.test(a.mediaType) ? 'SPDX SBOM' : /cyclonedx/i.test(a.mediaType) ? 'CycloneDX SBOM' : 'SBOM';
  return a.kind === 'attestation' ? 'Attestation' : 'Other artifact';
}

/** Where it was found: `cosign .sig tag`, `referrer (tag schema)`, `BuildKit, in the index`. */
export function artifactPlace(a: Artifact): string {
  if (a.format === 'buildkit-index') return 'BuildKit, in the index';
  if (a.format === 'cosign-tag') {
    const suffix = /\.(sig|att|sbom)$/.exec(a.tag ?? '')?.[0];
    return suffix ? `cosign ${suffix} tag` : 'cosign tag';
  }
  return a.discovery === 'referrers-api' ? 'OCI referrer' : a.discovery === 'layout' ? 'OCI referrer (layout)' : 'OCI referrer (tag schema)';
}

/** Who signed, as far as inspection tells. */
export function signerText(s: SignedBy): string {
  switch (s.kind) {
    case 'certificate': return s.identity ? `by ${safeText(s.identity, 120)}` : 'keyless (certificate)';
    case 'key': return 'signed with a key';
    case 'bundle': return 'Sigstore bundle';
    case 'unsigned': return 'unsigned';
    case 'unknown': return 'signer unknown';
  }
}

export function releaseTitle(r: Release): string {
  if (r.origin === 'user') return 'Added images';
  if (r.origin === 'session') return 'Checked this session';
  return r.name || (r.file ? r.file.split(/[\\/]/).pop()! : 'Release');
}

/** A failed image's description: short, the node below says what to do. */
export function failureShort(f: LoadFailure): string {
  switch (f.code) {
    case 'UNAUTHORIZED': return 'sign-in required';
    case 'RATE_LIMITED': return 'rate limited';
    case 'DENIED': return 'access denied';
    case 'NOT_FOUND': case 'MANIFEST_UNKNOWN': return 'not found';
    default: return 'could not be read';
  }
}

/** The label of a failure node: what to do, not the stack. */
export function failureTitle(f: LoadFailure): string {
  switch (f.code) {
    case 'UNAUTHORIZED': return f.registry ? `Sign in to ${f.registry}` : 'Sign in to the registry';
    case 'RATE_LIMITED': return `Rate limited${f.registry ? ` by ${f.registry}` : ''}, retry at ${f.retryAt ? new Date(f.retryAt).toLocaleTimeString() : 'a later time'}`;
    case 'DENIED': return `Access denied${f.registry ? ` by ${f.registry}` : ''}`;
    case 'NOT_FOUND': case 'MANIFEST_UNKNOWN': return 'Not found in the registry';
    default: return safeText(f.message.split(/(?<=\.)\s/)[0] ?? f.message, 120);
  }
}
