// One side of a comparison (src/diff, DiffSide) as a diff test writes it: what the test sets,
// nothing else.
import type { DiffSide } from '../../src/diff';

/** The image `reference` at `digest`, with no platforms, signers, attestations, SBOMs or notes unless `p` gives them. */
export function diffSide(reference: string, digest: string, p: Partial<DiffSide> = {}): DiffSide {
  return {
    image: { reference, digest },
    ownRefs: new Set(),
    platforms: [],
    signers: [],
    attestationTypes: [],
    signedAttestationTypes: [],
    provenance: [],
    sboms: [],
    notes: [],
    ...p,
  };
}
