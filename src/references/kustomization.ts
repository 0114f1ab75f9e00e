/**
 * `images:` of a kustomization (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/):
 * each entry rewrites the image `name` to `newName[:newTag][@digest]`; the reference is what the
 * rewritten manifests pull, reported at `newName:` (else `name:`).
 */
import type { Scalar } from 'yaml';
import { isMap } from 'yaml';
import type { LineIndex } from './positions';
import { site } from './positions';
import type { FileReferences, KeyRange } from './types';
import { contentRange, getScalar, items, parseYamlDocuments, scalarText, get } from './yaml-nodes';

export function kustomizationReferences(text: string, lines: LineIndex): FileReferences {
  const { sources, problems } = parseYamlDocuments(text, lines);
  const sites = [];
  for (const source of sources) {
    const root = source.doc.contents;
    if (!isMap(root)) continue;
    for (const [index, entry] of items(source, get(source, root, 'images')?.node).entries()) {
      if (!isMap(entry)) continue;
      const scalars: Record<string, Scalar | undefined> = Object.fromEntries(
        ['name', 'newName', 'newTag', 'digest'].map((k) => [k, getScalar(source, entry, k)]),
      );
      const text = (k: string): string | undefined => {
        const n = scalars[k];
        const v = n ? scalarText(n)?.trim() : undefined;
        return v ? v : undefined;
      };
      const anchor = text('newName') !== undefined ? scalars.newName! : scalars.name;
      const name = text('newName') ?? text('name');
      if (!anchor || name === undefined) continue;
      const tag = text('newTag');
      const digest = text('digest');
      const reference = `${name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
      const keys: Record<string, KeyRange> = {};
      for (const [k, n] of Object.entries(scalars)) if (n?.range) keys[k] = lines.keyRange(contentRange(n).start, contentRange(n).end);
      sites.push(site(lines, { reference, raw: reference, ...contentRange(anchor), via: `images[${index}]`, keys }));
    }
  }
  return { kind: 'kustomization', references: sites, problems };
}
