/**
 * Package URLs as SBOMs and BuildKit's materials write them:
 * `pkg:type/namespace/name@version?qualifiers#subpath`
 * (https://github.com/package-url/purl-spec/blob/master/PURL-SPECIFICATION.rst). Only split, never
 * rewritten: the parts keep their percent-encoding, so two spellings of one package stay two.
 */
export interface PurlParts {
  /** `pkg:type/namespace/name`: the package, whatever its version. The type is lowercased, as the spec says it is case-insensitive. */
  name: string;
  version?: string;
  qualifiers: string[];
  /** `#subpath`, with its `#`; '' for none. */
  subpath: string;
}

/** The parts of a package URL; undefined for something that is not one. */
export function parsePurl(purl: string): PurlParts | undefined {
  if (!/^pkg:/i.test(purl)) return undefined;
  const hash = purl.indexOf('#');
  const subpath = hash >= 0 ? purl.slice(hash) : '';
  const body = hash >= 0 ? purl.slice(0, hash) : purl;
  const q = body.indexOf('?');
  const qualifiers =
    q >= 0
      ? body
          .slice(q + 1)
          .split('&')
          .filter(Boolean)
      : [];
  let path = (q >= 0 ? body.slice(0, q) : body).slice('pkg:'.length).replace(/^\/+/, '');
  // The version follows the last `@` after the last `/`: an `@` in a namespace (a raw npm scope) is not one.
  const at = path.lastIndexOf('@');
  let version: string | undefined;
  if (at > path.lastIndexOf('/')) {
    version = path.slice(at + 1);
    path = path.slice(0, at);
  }
  const slash = path.indexOf('/');
  if (slash <= 0) return undefined;
  const name = `pkg:${path.slice(0, slash).toLowerCase()}${path.slice(slash)}`;
  return { name, ...(version ? { version: decode(version) } : {}), qualifiers, subpath };
}

/** The purl without one qualifier (`digest`), everything else as written. */
export function withoutQualifier(purl: string, qualifier: string): string {
  const hash = purl.indexOf('#');
  const subpath = hash >= 0 ? purl.slice(hash) : '';
  const body = hash >= 0 ? purl.slice(0, hash) : purl;
  const q = body.indexOf('?');
  if (q < 0) return purl;
  const kept = body
    .slice(q + 1)
    .split('&')
    .filter((x) => x !== '' && x.split('=')[0] !== qualifier);
  return `${body.slice(0, q)}${kept.length ? `?${kept.join('&')}` : ''}${subpath}`;
}

/** A qualifier's value, decoded; undefined when absent. */
export function qualifierOf(purl: string, qualifier: string): string | undefined {
  const found = parsePurl(purl)?.qualifiers.find((q) => q.split('=')[0] === qualifier);
  return found === undefined ? undefined : decode(found.slice(qualifier.length + 1));
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed escapes: shown as written
  }
}
