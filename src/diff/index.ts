// What changed between two images: platforms, signers, attestations, provenance and SBOM
// packages (docs/diff-json.md). `readDiffSide` reads one image through the registry engine;
// `diffImages` compares two, without I/O. Outside this folder, import from here.
export { diffImages, MAX_SBOM_CHANGES } from './compare';
export { previousReleaseTag, signerChangeAsked, signerChangeBetween, signerChangeSincePrevious } from './previous';
export type { ReleaseSigners, SignerChange } from './previous';
export { readDiffSide } from './read';
export { collectSboms } from './sbom-collect';
export type { ReadSideOptions } from './read';
export type { DiffSide, SideInput } from './side';
export { diffSide } from './side';
export { pinsSigner, sameSigners, signersOf } from './signers';
export { DIFF_WARNING_CODES } from './types';
export type {
  DiffImage,
  DiffNote,
  DiffNoteCode,
  DiffWarning,
  DiffWarningCode,
  ImageDiff,
  PlatformsDiff,
  ProvenanceChange,
  SbomChange,
  Signer,
  SignersDiff,
} from './types';
export { signerText } from './warnings';
export {
  ATTESTATION_CHANGE_WORDS,
  FROM_WORDS,
  NO_CHANGE,
  NO_LONGER_SIGNED,
  NO_WARNINGS,
  PROVENANCE_NOT_VERIFIED,
  attestationRows,
  attestationsSummary,
  packageMark,
  PLATFORM_CHANGE_WORDS,
  platformCounts,
  provenanceSummary,
  sbomSummary,
  SIGNER_CHANGE_WORDS,
  signerRows,
  signersSummary,
  valueWords,
} from './words';
export type { AttestationRow, SignerRow } from './words';
