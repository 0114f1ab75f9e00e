// Pinning an image reference by the digest just read from the registry, where the reference is
// written, and noticing when a written pin has drifted. Pure: offsets into the file's text in,
// an edit out; the editor applies it (src/hovers/reference-actions.ts).
//
// - A reference written as one literal value (`FROM golang:1.22`, `image: nginx:1.27`, a workflow's
//   container) gets `@sha256:…` after its tag, or its written digest replaced.
// - Helm values and kustomization images are maps: the `digest` key (`sha` for charts that write
//   `@sha256:{{ .sha }}`, so there the bare hex) is filled when the map has one, and nothing is
//   offered when it has none: adding a key the chart's templates never read would pin nothing.
// - A reference that is not written literally (a variable, an expression, a template) is not
//   pinned here: the digest would belong to one value of the variable only.
import type { FileKind, ReferenceSite } from '../references/types';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The reference without its digest (`name:tag`), or undefined when it has no tag to follow. */
export function tagOf(reference: string): string | undefined {
  const name = reference.replace(/@.*$/, '');
  return /:[^/:]+$/.test(name) ? name : undefined;
}

/** The digest written in a reference (`…@sha256:…`), if any. */
export function writtenDigest(reference: string): string | undefined {
  const at = reference.lastIndexOf('@');
  return at < 0 ? undefined : reference.slice(at + 1);
}

/** The edit that pins `site` to `digest`, or undefined when this site cannot be pinned here (see above). */
export function pinEdit(kind: FileKind, site: ReferenceSite, digest: string, text: string): TextEdit | undefined {
  if (!DIGEST.test(digest) || site.reference === null || site.unresolved?.length) return undefined;
  if (kind === 'helm-values' || kind === 'kustomization') {
    const key = site.keys?.digest ?? (kind === 'helm-values' ? site.keys?.sha : undefined);
    if (key === undefined) return undefined;
    const value = site.keys?.digest !== undefined ? digest : digest.slice('sha256:'.length);
    // `digest:` with no value: the scalar is empty right after the colon.
    const space = key.start === key.end && text[key.start - 1] === ':' ? ' ' : '';
    return { start: key.start, end: key.end, text: `${space}${value}` };
  }
  if (kind === 'goreleaser' || site.raw.trim() !== site.reference) return undefined;
  const start = site.start + (site.raw.length - site.raw.trimStart().length);
  // The reference must be in the file as it is read (not through escapes of a quoted scalar).
  if (text.slice(start, start + site.reference.length) !== site.reference) return undefined;
  const written = writtenDigest(site.reference);
  if (written !== undefined) {
    const at = start + site.reference.lastIndexOf('@');
    return { start: at, end: at + 1 + written.length, text: `@${digest}` };
  }
  const end = start + site.reference.length;
  return { start: end, end, text: `@${digest}` };
}

/** Why a written pin is no longer the one to keep. */
export type Drift =
  | { readonly kind: 'moved'; readonly written: string; readonly current: string; readonly tag: string }
  | { readonly kind: 'unverified'; readonly written: string; readonly why: string };

/**
 * A written digest that the tag beside it no longer points to (`current`, when read), or that does
 * not verify (`why`: the first cause, when the image has a policy and its verdict is not
 * verified). Undefined when nothing is known yet or the pin holds.
 */
export function digestDrift(reference: string, current: string | undefined, failed: string | undefined): Drift | undefined {
  const written = writtenDigest(reference);
  if (written === undefined) return undefined;
  const tag = tagOf(reference);
  if (tag !== undefined && current !== undefined && current !== written) return { kind: 'moved', written, current, tag };
  if (failed !== undefined) return { kind: 'unverified', written, why: failed };
  return undefined;
}

/** The Problems text of a drift. */
export function driftMessage(d: Drift): string {
  const short = (x: string) => x.slice(0, 'sha256:'.length + 12);
  return d.kind === 'moved'
    ? `Digest drift: ${d.tag} now points to ${short(d.current)}…, not to the pinned ${short(d.written)}….`
    : `Digest drift: the pinned ${short(d.written)}… does not verify: ${d.why}`;
}
