import { visit } from 'jsonc-parser';
import { LensError } from '../core/errors';

/**
 * Registry JSON read the way every container runtime reads it, or refused.
 *
 * Go's encoding/json (containerd, moby, containers/image, the registry itself) matches an object
 * key to a struct field case-insensitively, with Unicode simple folding, and the last matching key
 * wins (https://pkg.go.dev/encoding/json#Unmarshal). JSON.parse keeps only exact keys, so
 * `"manifests":[signed…],"Manifests":[unsigned…]` — or `"manifeſts"`, or a descriptor with
 * `"digest":A,"Digest":B` — would be one index to us and another to every runtime. A document
 * whose meaning depends on the reader is refused (AMBIGUOUS_JSON): any duplicate key, and any key
 * that Go would fold onto a field we read while being spelled differently.
 */
export type JsonDocumentKind = 'manifest' | 'config';

/**
 * Fields of the OCI image index, image manifest, descriptor and platform (and Docker's v2 equivalents)
 * that the engine reads (https://github.com/opencontainers/image-spec/blob/main/manifest.md,
 * image-index.md, descriptor.md). `annotations` objects are maps, not structs: Go matches map keys
 * exactly, so only duplicates matter there.
 */
const MANIFEST_FIELDS = [
  'schemaVersion',
  'mediaType',
  'artifactType',
  'manifests',
  'config',
  'layers',
  'subject',
  'annotations',
  'digest',
  'size',
  'urls',
  'data',
  'platform',
  'architecture',
  'os',
  'os.version',
  'os.features',
  'variant',
  'features',
];
/** The image config fields a runtime matches platforms with (https://github.com/opencontainers/image-spec/blob/main/config.md). */
const CONFIG_FIELDS = ['architecture', 'os', 'os.version', 'os.features', 'variant'];

const FOLDED = {
  manifest: new Map(MANIFEST_FIELDS.map((f) => [goFold(f), f])),
  config: new Map(CONFIG_FIELDS.map((f) => [goFold(f), f])),
};

/**
 * Go's key folding (encoding/json foldName: each rune to the smallest rune of its
 * unicode.SimpleFold orbit; ASCII letters to upper case). Our field names are ASCII, and the only
 * non-ASCII runes whose simple-folding orbit holds an ASCII letter are U+017F (ſ, with s/S) and
 * U+212A (Kelvin sign, with k/K) — U+0130 and U+0131 fold only to themselves in Go's tables — so
 * this is exact wherever one side is one of our field names.
 */
export function goFold(key: string): string {
  let out = '';
  for (const ch of key) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(c - 0x20);
    else if (c === 0x17f) out += 'S';
    else if (c === 0x212a) out += 'K';
    else out += ch;
  }
  return out;
}

interface ObjectFrame {
  readonly keys: Set<string>;
  /** Struct objects get the folding check; maps (annotations, and config internals) only the duplicate check. */
  readonly struct: boolean;
}

/**
 * Throws AMBIGUOUS_JSON naming the key and where it is, when `text` (already known to be valid JSON
 * of bounded shape) has a duplicate key, or a key Go would read as one of our fields under another
 * spelling. One linear pass.
 */
export function assertUnambiguousJson(text: string, what: string, kind: JsonDocumentKind): void {
  const folded = FOLDED[kind];
  const stack: ObjectFrame[] = [];
  let refusal: string | undefined;
  visit(text, {
    onObjectBegin: (_offset, _length, _line, _character, pathSupplier) => {
      if (refusal !== undefined) return false;
      const path = pathSupplier();
      const parent = path[path.length - 1];
      const struct = kind === 'manifest' ? parent !== 'annotations' : path.length === 0;
      stack.push({ keys: new Set(), struct });
      return undefined;
    },
    onObjectEnd: () => {
      stack.pop();
    },
    onObjectProperty: (property, _offset, _length, _line, _character, pathSupplier) => {
      const frame = stack[stack.length - 1];
      if (frame === undefined || refusal !== undefined) return;
      const at = (): string => [...pathSupplier(), property].map(String).join('.');
      if (frame.keys.has(property)) {
        refusal = `the key ${JSON.stringify(property)} appears twice (at ${at()}); JSON readers disagree on which one counts`;
        return;
      }
      frame.keys.add(property);
      if (!frame.struct) return;
      const field = folded.get(goFold(property));
      if (field !== undefined && field !== property) {
        refusal = `the key ${JSON.stringify(property)} (at ${at()}) is not ${JSON.stringify(field)}, but Go's JSON decoder, which container runtimes use, reads it as ${JSON.stringify(field)}`;
      }
    },
  });
  if (refusal !== undefined) {
    throw new LensError('AMBIGUOUS_JSON', `${what} was refused: ${refusal}. Two readers could see two different documents, so nothing in it was trusted.`);
  }
}
