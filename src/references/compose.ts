/**
 * `services.<name>.image` of a compose file (https://github.com/compose-spec/compose-spec/blob/main/05-services.md#image),
 * interpolated as compose does (variables.ts): values from the `.env` beside the file, else the
 * default written in the file, else unresolved. Build arguments, labels and extension fields are
 * not images; an `image:` in an `x-` anchor merged into services counts once, at the anchor.
 */
import { isMap } from 'yaml';
import type { LineIndex } from './positions';
import type { FileReferences, ReferenceOptions } from './types';
import { expand } from './variables';
import { SiteList, entries, getMap, getScalar, parseYamlDocuments } from './yaml-nodes';

export function composeReferences(text: string, lines: LineIndex, options: ReferenceOptions): FileReferences {
  const { sources, problems } = parseYamlDocuments(text, lines);
  const list = new SiteList(lines);
  const env = options.env ?? {};
  const interpolate = (raw: string) => {
    const e = expand(raw, (name) => env[name], { kind: 'dollar' });
    return { reference: e.value === null ? null : e.value.trim(), unresolved: e.unresolved };
  };
  for (const source of sources) {
    const root = source.doc.contents;
    if (!isMap(root)) continue;
    const services = getMap(source, root, 'services');
    if (!services) continue;
    for (const [name, service] of entries(source, services)) {
      if (!isMap(service)) continue;
      const image = getScalar(source, service, 'image');
      if (image) list.add(image, `services.${name}.image`, interpolate);
    }
  }
  return { kind: 'compose', references: list.sites, problems };
}
