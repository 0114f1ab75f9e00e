import type { Descriptor } from '../model/oci';
import { Annotation } from './media-types';

/**
 * What an index entry is, read the way a container runtime selects images. Runtimes pick an
 * entry by platform alone (containerd's platforms matcher, containers/image's ChooseInstance),
 * whatever its media type or annotations, and containerd reads the config of an entry without a
 * platform to decide. So every entry must be covered, except BuildKit's attestation manifests,
 * which BuildKit gives the platform `unknown/unknown` that no runtime selects
 * (https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md).
 * An annotation alone never excuses an entry: `linux/amd64` annotated as an attestation is pulled
 * like any `linux/amd64`.
 */
export function isBuildkitAttestation(d: Descriptor): boolean {
  const p = d.platform;
  return (
    p !== undefined && p.os === 'unknown' && p.architecture === 'unknown' && !p.variant && d.annotations?.[Annotation.referenceType] === 'attestation-manifest'
  );
}

export interface IndexEntries {
  /** Entries that must be covered: image manifests, nested indexes, anything a runtime could select. */
  images: Descriptor[];
  /** BuildKit attestation manifests (unsigned statements about an image entry). */
  attestations: Descriptor[];
}

export function splitIndexEntries(manifests: readonly Descriptor[]): IndexEntries {
  const out: IndexEntries = { images: [], attestations: [] };
  for (const d of manifests) (isBuildkitAttestation(d) ? out.attestations : out.images).push(d);
  return out;
}

/** `os/architecture[/variant]`, or `unknown` for an entry without a platform. */
export function platformKey(d: Descriptor): string {
  const p = d.platform;
  return (p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : '') || 'unknown';
}
