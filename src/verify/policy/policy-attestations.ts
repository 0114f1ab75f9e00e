import type { AttestationRequirement } from './image-policy';

/**
 * Names a maintainer can write under `attestations:` instead of predicate type URIs.
 * cosign's `--type` names are accepted too (options/predicate.go), since they are what
 * release scripts already say. An alias with several types is met by ANY of them
 * (image-verdict.ts checks that, per platform, from `ImagePolicy.requiredAttestations`).
 */
const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';
const SLSA_V1 = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document';
const CYCLONEDX = 'https://cyclonedx.org/bom';

export const ATTESTATION_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'slsa-provenance': [SLSA_V02, SLSA_V1],
  'slsa-provenance-v0.2': [SLSA_V02],
  'slsa-provenance-v1': [SLSA_V1],
  spdx: [SPDX],
  // Some generators (trivy, syft) write the CycloneDX spec version into the type.
  cyclonedx: [CYCLONEDX, `${CYCLONEDX}/v1.4`, `${CYCLONEDX}/v1.5`, `${CYCLONEDX}/v1.6`],
  // cosign v3 signs images with an in-toto statement of this type (a "signature attestation").
  'cosign-sign': ['https://sigstore.dev/cosign/sign/v1'],
  vuln: ['https://cosign.sigstore.dev/attestation/vuln/v1'],
  openvex: ['https://openvex.dev/ns', 'https://openvex.dev/ns/v0.2.0'],
  link: ['https://in-toto.io/Link/v1'],
  // cosign --type spellings
  slsaprovenance: [SLSA_V02],
  slsaprovenance02: [SLSA_V02],
  slsaprovenance1: [SLSA_V1],
  spdxjson: [SPDX],
};

/** An alias or a predicate type URI (anything with a scheme), else undefined. */
export function attestationRequirement(name: string): AttestationRequirement | undefined {
  const alias = ATTESTATION_ALIASES[name];
  if (alias !== undefined) return { name, predicateTypes: [...alias] };
  return /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(name) ? { name, predicateTypes: [name] } : undefined;
}
