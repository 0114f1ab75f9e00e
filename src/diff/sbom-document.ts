import { firstString, isObject, own } from '../claims/values';
import { parsePurl } from './purl';

/** One package an SBOM lists, under the name that stays the same across its versions. */
export interface SbomPackage {
  /** The package URL without version, qualifiers or subpath; else `type/name` (`library/zlib`). */
  id: string;
  version?: string;
}

export interface SbomContents {
  format: 'SPDX' | 'CycloneDX';
  packages: SbomPackage[];
  /** Packages past the limit, not read. */
  truncated: number;
}

/**
 * The packages of an SPDX 2.x JSON document (https://spdx.github.io/spdx-spec/v2.3/package-information/:
 * `packages[]` with `versionInfo` and a `purl` external reference) or a CycloneDX JSON BOM
 * (https://cyclonedx.org/docs/1.6/json/: `components[]`, nested `components`, `purl`, `version`):
 * what BuildKit's SBOM generator, syft and `cosign attest --type spdxjson|cyclonedx` write.
 * Undefined for any other document (SPDX tag-value or 3.0, syft's own JSON, CycloneDX XML).
 * At most `max` packages are read; the rest are counted.
 */
export function sbomContents(doc: unknown, max: number): SbomContents | undefined {
  const spdxVersion = own(doc, 'spdxVersion');
  if (typeof spdxVersion === 'string' && /^SPDX-2\./.test(spdxVersion)) return spdx(own(doc, 'packages'), max);
  if (own(doc, 'bomFormat') === 'CycloneDX') return cyclonedx(own(doc, 'components'), max);
  return undefined;
}

function spdx(list: unknown, max: number): SbomContents {
  const out: SbomContents = { format: 'SPDX', packages: [], truncated: 0 };
  for (const p of Array.isArray(list) ? list : []) {
    const refs = own(p, 'externalRefs');
    const purl = (Array.isArray(refs) ? refs : [])
      .map((r) => (own(r, 'referenceType') === 'purl' ? firstString(own(r, 'referenceLocator')) : undefined))
      .find((x) => x !== undefined);
    const purpose = firstString(own(p, 'primaryPackagePurpose'));
    add(out, max, purl, purpose?.toLowerCase() ?? 'package', undefined, own(p, 'name'), own(p, 'versionInfo'));
  }
  return out;
}

function cyclonedx(list: unknown, max: number): SbomContents {
  const out: SbomContents = { format: 'CycloneDX', packages: [], truncated: 0 };
  // Components nest (a component's own `components`); walked without recursion, in document order.
  const stack: unknown[] = Array.isArray(list) ? [...list].reverse() : [];
  while (stack.length > 0) {
    const c = stack.pop();
    if (!isObject(c)) continue;
    add(out, max, firstString(own(c, 'purl')), firstString(own(c, 'type')) ?? 'component', own(c, 'group'), own(c, 'name'), own(c, 'version'));
    const nested = own(c, 'components');
    if (Array.isArray(nested)) for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i]);
  }
  return out;
}

function add(out: SbomContents, max: number, purl: string | undefined, type: string, group: unknown, name: unknown, version: unknown): void {
  const parts = purl === undefined ? undefined : parsePurl(purl);
  const written = firstString(version) ?? parts?.version;
  let id = parts?.name;
  if (id === undefined) {
    const n = firstString(name);
    if (n === undefined) return;
    const g = firstString(group);
    id = `${type}/${g ? `${g}/` : ''}${n}`;
  }
  if (out.packages.length >= max) {
    out.truncated++;
    return;
  }
  out.packages.push({ id, ...(written !== undefined ? { version: written } : {}) });
}
