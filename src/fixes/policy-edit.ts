// Edits of `.provenance-lens.yaml` (docs/policy.md) for the editor's quick fixes: pin the signer
// seen, state an exception. The file is read with the same validator that reads it for
// verification, so the entry changed is the one that applies to the image; an entry whose
// pattern is a glob is never widened for one image: the image gets its own entry, a copy of
// the glob's with the change, which then applies as the most specific. Only the entry that
// changes is written again (through the `yaml` Document API); every other byte, comments and
// order included, stays as it was. Pure: text in, text out, nothing written.
import { Document, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import type { Signer } from '../model/cause';
import { parseReference } from '../registry/reference';
import { imageName, matchingEntries } from '../verify/policy';
import { parsePolicyFile } from '../verify/policy';
import type { PolicyDefaults, PolicyEntry } from '../verify/policy';
import type { EntryPatch } from './pin-signer';
import { pinPlan } from './pin-signer';

/** One replacement in the old text that gives the new one. */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly insert: string;
}

export type PolicyEdit =
  | {
      readonly ok: true;
      /** The whole new text. */
      readonly text: string;
      readonly change: TextChange;
      /** The image pattern of the entry written. */
      readonly entry: string;
      /** How: a new file, an entry edited, a copy of a glob's entry, or a new entry. */
      readonly how: 'new-file' | 'edited' | 'copied' | 'added';
      /** The glob entry copied from (`copied`). */
      readonly from?: string;
    }
  | { readonly ok: false; readonly reason: string };

export interface PolicyEditTarget {
  /** The policy's text now; undefined when the file does not exist yet. */
  readonly text: string | undefined;
  /** Its path (for messages and relative names). */
  readonly path: string;
  /** The image, as the release service knows it: `docker.io/rancher/fleet:v0.13.0`. */
  readonly reference: string;
}

const WILDCARD = /[*?]/;
const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false } as const;
export const NEW_POLICY_HEADER =
  '# Who must sign each image, and which attestations it needs: the Provenance Lens\n# policy (docs/policy.md of the extension).\nversion: 1\n';

type PatchFor = (entry: PolicyEntry | undefined, defaults: PolicyDefaults) => EntryPatch | undefined;

export type PinEdit = PolicyEdit & { readonly label?: string; readonly caveat?: string };

/** Pins `signer` for the image: see pin-signer.ts for what is written. */
export function pinSignerEdit(target: PolicyEditTarget, signer: Signer): PinEdit {
  let label: string | undefined;
  let caveat: string | undefined;
  const tag = safeTag(target.reference);
  const edit = editEntry(target, (entry, defaults) => {
    const plan = pinPlan(signer, { defaults, ...(entry ? { entry } : {}), ...(tag !== undefined ? { tag } : {}) });
    label = plan?.label;
    caveat = plan?.caveat;
    return plan;
  });
  return { ...edit, ...(label !== undefined ? { label } : {}), ...(caveat !== undefined ? { caveat } : {}) };
}

/** States that the image need not be signed, and why (`exception: { reason }`). */
export function exceptionEdit(target: PolicyEditTarget, reason: string): PolicyEdit {
  const trimmed = reason.trim();
  if (trimmed === '') return { ok: false, reason: 'An exception needs a reason: it is shown beside every result for the image.' };
  return editEntry(target, () => ({ set: [['exception', { reason: trimmed }]], remove: [] }));
}

function safeTag(reference: string): string | undefined {
  try {
    const r = parseReference(reference);
    return r.kind === 'registry' ? r.tag : undefined;
  } catch {
    return undefined;
  }
}

function editEntry(target: PolicyEditTarget, patchFor: PatchFor): PolicyEdit {
  let ref;
  try {
    ref = parseReference(target.reference);
  } catch (e) {
    return { ok: false, reason: `${target.reference} is not an image reference: ${(e as Error).message}` };
  }
  if (ref.kind !== 'registry') return { ok: false, reason: 'A policy names registry images; a local OCI layout has no entry.' };
  const name = imageName(ref);
  const text = target.text ?? '';
  if (text.trim() === '') {
    const patch = patchFor(undefined, {});
    if (!patch) return NOTHING;
    const insert = `${NEW_POLICY_HEADER}images:\n${entryBlock(fresh(name, patch), '  ')}`;
    return { ok: true, text: insert, change: { start: 0, end: text.length, insert }, entry: name, how: 'new-file' };
  }
  const parsed = parsePolicyFile(text, target.path);
  if (parsed.policy === undefined) {
    const first = parsed.diagnostics.find((d) => d.severity === 'error');
    return { ok: false, reason: `${target.path} has errors, so none of it is used${first ? ` (line ${first.line}: ${first.message})` : ''}; fix them first.` };
  }
  const matched = matchingEntries(parsed.policy.images, ref)[0];
  const patch = patchFor(matched, parsed.policy.defaults);
  if (!patch) return NOTHING;
  const doc = parseDocument(text, { uniqueKeys: true });
  const images = doc.get('images', true) as Node | undefined;
  const entry = matched !== undefined && isSeq(images) ? images.items[matched.index] : undefined;
  // The validator accepted the file, so a matched entry is a mapping in a list.
  if (matched !== undefined && isSeq(images) && isMap(entry)) {
    if (!WILDCARD.test(matched.pattern)) return replaceNode(text, entry, applyPatch(entry.clone() as YAMLMap, patch, doc), matched.image, 'edited');
    const copy = applyPatch(entry.clone() as YAMLMap, patch, doc);
    copy.set('image', doc.createNode(name));
    return { ...insertEntry(text, doc, images, matched.index + 1, copy, name, 'copied'), from: matched.image };
  }
  if (isSeq(images)) return insertEntry(text, doc, images, images.items.length, fresh(name, patch), name, 'added');
  if (images === undefined) {
    const insert = `${text.endsWith('\n') ? '' : '\n'}images:\n${entryBlock(fresh(name, patch), '  ')}`;
    return done(text, { start: text.length, end: text.length, insert }, name, 'added');
  }
  // `images:` with nothing after it: the value becomes a list of one entry.
  const key = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'images')?.key : undefined;
  if (isScalar(images) && images.value === null && isScalar(key) && key.range && images.range) {
    return done(text, { start: key.range[1], end: images.range[1], insert: `:\n${entryBlock(fresh(name, patch), '  ').replace(/\n$/, '')}` }, name, 'added');
  }
  return { ok: false, reason: `images: in ${target.path} is not a list of entries; add the entry by hand.` };
}

const NOTHING: PolicyEdit = { ok: false, reason: 'Nothing to write for this signer: a key is pinned with its PEM file (keys: in the policy).' };

function fresh(name: string, patch: EntryPatch): YAMLMap {
  const doc = new Document({ image: name });
  return applyPatch(doc.contents as YAMLMap, patch, doc);
}

function applyPatch(map: YAMLMap, patch: EntryPatch, doc: Document): YAMLMap {
  for (const key of patch.remove) map.delete(key);
  for (const [key, value] of patch.set) map.set(key, doc.createNode(value));
  return map;
}

/** `- image: ...` and its keys, each line indented by `indent`, ending with a newline. */
function entryBlock(map: YAMLMap, indent: string): string {
  const lines = new Document([map]).toString(STRINGIFY).replace(/\n$/, '').split('\n');
  return `${lines.map((l) => indent + l).join('\n')}\n`;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The node's text replaced by `changed`, written as it would be at the node's column. */
function replaceNode(text: string, node: Node, changed: Node, entry: string, how: 'edited' | 'added'): PolicyEdit & { ok: true } {
  const [start, end] = node.range!;
  const indent = ' '.repeat(columnOf(text, start));
  const written = new Document(changed).toString(STRINGIFY).replace(/\n$/, '');
  const body = written
    .split('\n')
    .map((l, i) => (i === 0 ? l : indent + l))
    .join('\n');
  return done(text, { start, end, insert: text.slice(start, end).endsWith('\n') ? `${body}\n` : body }, entry, how);
}

/** A new entry at `index` of the list: after the entry before it in a block list; a flow list is written again. */
function insertEntry(
  text: string,
  doc: Document,
  images: YAMLSeq,
  index: number,
  entry: YAMLMap,
  name: string,
  how: 'copied' | 'added',
): PolicyEdit & { ok: true } {
  const before = images.items[index - 1] as Node | undefined;
  if (!images.flow && before?.range && images.range) {
    const at = before.range[2];
    const sep = text[at - 1] === '\n' ? '' : '\n';
    return done(text, { start: at, end: at, insert: `${sep}${entryBlock(entry, ' '.repeat(columnOf(text, images.range[0])))}` }, name, how);
  }
  const key = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'images')?.key : undefined;
  if (images.items.length === 0 && isScalar(key) && key.range && images.range) {
    // `images: []` becomes a block list under its key.
    return done(text, { start: key.range[1], end: images.range[1], insert: `:\n${entryBlock(entry, '  ').replace(/\n$/, '')}` }, name, how);
  }
  const list = images.clone() as YAMLSeq;
  list.items.splice(index, 0, entry);
  return { ...replaceNode(text, images, list, name, 'added'), how };
}

function done(text: string, change: TextChange, entry: string, how: 'edited' | 'copied' | 'added'): PolicyEdit & { ok: true } {
  return { ok: true, text: text.slice(0, change.start) + change.insert + text.slice(change.end), change, entry, how };
}
