/**
 * One entry point for every kind of file: the references of a file's text, pure. The CLI's `refs`
 * and the editor call this with what they read beside the file (ReferenceOptions).
 */
import { composeReferences } from './compose';
import { dockerfileReferences } from './dockerfile';
import { githubWorkflowReferences } from './github-workflow';
import { goreleaserReferences } from './goreleaser';
import { helmValuesReferences } from './helm-values';
import { kubernetesReferences } from './kubernetes';
import { kustomizationReferences } from './kustomization';
import { LineIndex } from './positions';
import type { FileKind, FileReferences, ReferenceOptions } from './types';

/**
 * Words a YAML file of each kind must contain to name an image (the keys its reader looks for): a
 * file without them has no reference, and is not parsed. In a workspace most manifests (Services,
 * RBAC, CRDs) and many values files name no image, and parsing YAML is what a walk spends its time on.
 */
const NEEDED: Partial<Record<FileKind, RegExp>> = {
  compose: /image/,
  kubernetes: /image/,
  kustomization: /images/,
  'helm-values': /image|repository/i,
  'github-workflow': /container|image|docker:\/\//,
};

/**
 * Whether a file's text may name an image, without parsing it. A double-quoted YAML scalar can
 * write any character as an escape (`"\x69mage": nginx` is the key `image`,
 * https://yaml.org/spec/1.2.2/#57-escaped-characters): a text with a backslash is always parsed.
 */
export function mayNameImages(kind: FileKind, text: string): boolean {
  const needed = NEEDED[kind];
  return needed === undefined || needed.test(text) || text.includes('\\');
}

/** References in file order (a GoReleaser config keeps `release`'s order: entry by entry). */
export function readReferences(kind: FileKind, text: string, options: ReferenceOptions = {}): FileReferences {
  if (!mayNameImages(kind, text)) return { kind, references: [], problems: [] };
  return parseReferences(kind, text, options);
}

/** readReferences without the check on words: the file parsed whatever it holds. */
export function parseReferences(kind: FileKind, text: string, options: ReferenceOptions = {}): FileReferences {
  const read = readKind(kind, text, options);
  return kind === 'goreleaser' ? read : { ...read, references: [...read.references].sort((a, b) => a.start - b.start) };
}

function readKind(kind: FileKind, text: string, options: ReferenceOptions): FileReferences {
  const lines = new LineIndex(text);
  switch (kind) {
    case 'dockerfile':
      return { kind, references: dockerfileReferences(text, lines), problems: [] };
    case 'compose':
      return composeReferences(text, lines, options);
    case 'kubernetes':
      return kubernetesReferences(text, lines);
    case 'kustomization':
      return kustomizationReferences(text, lines);
    case 'helm-values':
      return helmValuesReferences(text, lines, options);
    case 'github-workflow':
      return githubWorkflowReferences(text, lines);
    case 'goreleaser':
      return goreleaserReferences(text, lines, options);
  }
}
