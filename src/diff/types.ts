/**
 * What changed between two images: the JSON shape of `provenance-lens diff --json`, documented in
 * docs/diff-json.md. Fields are only ever added, never renamed.
 */
import type { Cause, Signer } from '../model/cause';
import type { ArtifactFormat } from '../model/image-graph';
import type { ImageState } from '../model/verdict';

export type { Signer };

/** Supply-chain changes a reviewer should look at; `--fail-on` takes these codes. */
export type DiffWarningCode = 'SIGNER_CHANGED' | 'SAME_REF_OTHER_COMMIT' | 'PLATFORM_REMOVED' | 'ATTESTATION_DROPPED';

export const DIFF_WARNING_CODES: readonly DiffWarningCode[] = ['SIGNER_CHANGED', 'SAME_REF_OTHER_COMMIT', 'PLATFORM_REMOVED', 'ATTESTATION_DROPPED'];

export interface DiffWarning {
  code: DiffWarningCode;
  message: string;
}

/** What the comparison could not see whole: a document left unread, a list cut, a graph with problems. */
export type DiffNoteCode = 'INCOMPLETE' | 'UNREADABLE' | 'SBOM_UNSUPPORTED' | 'SBOM_TRUNCATED' | 'SBOM_ONE_SIDE';

export interface DiffNote {
  code: DiffNoteCode;
  /** The image it is about, when one. */
  side?: 'old' | 'new';
  /** What was being read: a digest. */
  at?: string;
  /** The underlying code (a registry error, a provenance reader code). */
  problem?: string;
  message: string;
}

export interface DiffImage {
  reference: string;
  digest: string;
  /** With a policy only: the verdict under it. */
  verdict?: { state: ImageState; causes: Cause[] };
}

export interface PlatformChange {
  platform: string;
  old: string;
  new: string;
}

export interface PlatformsDiff {
  added: string[];
  removed: string[];
  changed: PlatformChange[];
  unchanged: string[];
}

export interface SignersDiff {
  old: Signer[];
  new: Signer[];
  changed: boolean;
}

export interface AttestationsDiff {
  added: string[];
  removed: string[];
  /**
   * Signed on the old image (a signature that counts, as for `signers`) and carried by the new one
   * only unsigned or with a signature that does not count: provenance cosign-attested before, now
   * only BuildKit's unsigned statement.
   */
  unsigned: string[];
}

export interface ProvenanceChange {
  /** A platform (`linux/amd64`), or `index` for provenance attached to the index. */
  platform: string;
  /** Dotted: `builder.id`, `source.commit`, `buildArgs.VERSION`, `materials.<uri>`. */
  field: string;
  old: string | null;
  new: string | null;
  /** Where the statement was found: BuildKit's index, a cosign `.att`, a referrer. */
  from: ArtifactFormat;
}

export interface SbomChange {
  /** A platform, or `index` for an SBOM attached to the index. */
  platform: string;
  /** The package URL without version, qualifiers or subpath (`pkg:golang/golang.org/x/net`), else `type/name`. */
  package: string;
  /** The version(s), comma-separated when the SBOM lists several; null when absent on that side. */
  old: string | null;
  new: string | null;
}

export interface ImageDiff {
  old: DiffImage;
  new: DiffImage;
  /** False only when both are the same image and nothing below differs. */
  changed: boolean;
  platforms: PlatformsDiff;
  signers: SignersDiff;
  attestations: AttestationsDiff;
  provenance: ProvenanceChange[];
  sbom: SbomChange[];
  warnings: DiffWarning[];
  notes: DiffNote[];
}
