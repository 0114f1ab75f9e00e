/**
 * What an artifact is and where it was found, in the words of the release tree and the image
 * panel's rows (`Signature`, `SLSA provenance v1`; `cosign .sig tag`, `OCI referrer (tag schema)`,
 * `BuildKit, in the index`), and registry text made safe for a one-line label. Pure (no vscode).
 */
import { replaceInvisible } from '../core/invisible';
import type { Artifact } from '../model/image-graph';
import type { TrustRootInfo } from '../verify/trust';

/** Registry-supplied text for a label: each invisible or bidi character (src/core/invisible.ts) becomes a space, cut at `max`. */
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
export function artifactPlace(a: Pick<Artifact, 'format' | 'tag' | 'discovery'>): string {
  switch (a.format) {
    case 'buildkit-index':
      return 'BuildKit, in the index';
    case 'bundle-file':
      return 'bundle file';
    case 'github-api':
      return "GitHub's attestations API";
    case 'cosign-tag': {
      const suffix = /\.(sig|att|sbom)$/.exec(a.tag ?? '')?.[0];
      return suffix ? `cosign ${suffix} tag` : 'cosign tag';
    }
    case 'referrer':
      return a.discovery === 'referrers-api' ? 'OCI referrer' : a.discovery === 'layout' ? 'OCI referrer (layout)' : 'OCI referrer (tag schema)';
  }
}

const INSTANCES: Record<TrustRootInfo['instance'], string> = {
  'sigstore-public-good': 'Sigstore public-good',
  'sigstore-staging': 'Sigstore staging',
  github: "GitHub's Sigstore instance",
  custom: 'a custom trusted root',
};

/**
 * The Sigstore instance a trusted root belongs to, for people: public-good signs public
 * repositories' GitHub attestations, GitHub's own instance private and internal ones'.
 */
export function instanceName(instance: string): string {
  return INSTANCES[instance as TrustRootInfo['instance']] ?? instance;
}
