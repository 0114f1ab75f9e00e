/**
 * The images a user added to the release view: a small ordered list of normalised references,
 * persisted by the host (workspaceState) through `ImageListStore`. Pure list operations, so the
 * rules (no duplicates, newest last, a tag switch keeps the position) are unit-tested.
 */
import { formatReference, parseReference } from '../registry/reference';

export interface ImageListStore {
  read(): readonly string[];
  write(references: readonly string[]): Promise<void>;
}

/** The canonical form of what a user typed (`nginx` -> `docker.io/library/nginx`); throws REFERENCE_INVALID. */
export function normalizeReference(input: string): string {
  return formatReference(parseReference(input));
}

/**
 * The key the release service knows a rendered image by (`docker.io/library/...`), or null when it
 * has none: unresolved (null) or not a valid reference.
 */
export function serviceReference(image: { readonly reference: string | null }): string | null {
  if (image.reference === null) return null;
  try {
    return normalizeReference(image.reference);
  } catch {
    return null;
  }
}

/** The list with the image last, normalised; a reference already there stays where it is. */
export function appendImage(list: readonly string[], reference: string): string[] {
  const ref = normalizeReference(reference);
  return list.includes(ref) ? [...list] : [...list, ref];
}

/** The list without the reference. */
export function dropImage(list: readonly string[], reference: string): string[] {
  return list.filter((r) => r !== reference);
}

/** The same repository at another tag (a digest pin is dropped: it belonged to the old tag). */
export function withTag(reference: string, tag: string): string {
  const ref = { ...parseReference(reference), tag };
  delete ref.digest;
  return formatReference(ref);
}

/** The repository part of a reference, without tag or digest (`ghcr.io/org/app`). */
export function repositoryOf(reference: string): string {
  const ref = parseReference(reference);
  return ref.kind === 'registry' ? `${ref.registry}/${ref.repository}` : `oci-layout:${ref.path}`;
}

/** Replaces `from` by the same image at `tag`, in place; a duplicate that would result is dropped. */
export function retagImage(list: readonly string[], from: string, tag: string): string[] {
  const to = withTag(from, tag);
  const out: string[] = [];
  for (const r of list) {
    const next = r === from ? to : r;
    if (!out.includes(next)) out.push(next);
  }
  return out;
}
