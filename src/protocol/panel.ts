/**
 * The image panel's one message protocol, both directions, and the model it carries.
 * Shared by the extension host (src/panel) and the page (webview/), which imports these
 * types only: nothing of the engines reaches the page, just the plain JSON below.
 *
 * Handshake (after vscode-hexeditor's shared/protocol.ts): the page loads, sends `ready`;
 * the host answers with what it has (`loading`, `show` or `error`) and from then on pushes
 * changes. The page is rebuilt whenever the panel is hidden and shown again
 * (`retainContextWhenHidden: false`), so every `ready` gets the current state again.
 *
 * Every string in the model may come from a registry, a signature or a provenance statement
 * written by a stranger: the page renders each as text, never as markup, and links only
 * what `url` fields hold (https, checked by the host when it builds the model and again when
 * the page asks to open one).
 */

/** Bumped when a message or the model changes incompatibly. */
export const PANEL_PROTOCOL_VERSION = 3;

// ---------------------------------------------------------------------------------------------
// Messages

/** Host -> page. */
export type HostMessage =
  | { readonly type: 'loading'; readonly reference: string }
  | { readonly type: 'show'; readonly model: PanelModel; /** The platform digest to select (restored state). */ readonly platform?: string }
  | { readonly type: 'error'; readonly reference: string; readonly code: string; readonly message: string }
  /** A comparison of two images (the diff view); `loading` and `error` then name the pair ("old ↔ new"). */
  | { readonly type: 'diff'; readonly diff: PanelDiff };

/** Page -> host. The host checks every one at runtime (message-guard.ts): the page is not trusted. */
export type PageMessage =
  | { readonly type: 'ready'; readonly version: number }
  /** An https URL the page showed as a link; the host checks the scheme again before opening it. */
  | { readonly type: 'openLink'; readonly url: string }
  /** Text to put on the clipboard (the page cannot reach it); `label` says what it is ("digest"). */
  | { readonly type: 'copy'; readonly text: string; readonly label: string }
  /** The platform now shown, by manifest digest (kept for restoring the panel). */
  | { readonly type: 'selectPlatform'; readonly digest: string }
  /** Fetch everything again, bypassing caches. */
  | { readonly type: 'refresh' };

/** What the page keeps with `setState` and VS Code hands back after a reload. */
export interface PanelState {
  readonly reference: string;
  /** Platform manifest digest shown last. */
  readonly platform?: string;
  /** In a diff view: the two images compared (`reference` is then the comparison's title). */
  readonly compare?: { readonly old: string; readonly new: string };
}

// ---------------------------------------------------------------------------------------------
// The model

/**
 * Verdict of the whole image, or of one digest. `not-verified`: only inspected, no signature was
 * checked. The states of the one verdict vocabulary (src/model/verdict.ts; panel/model.ts checks
 * that they agree), written out here because the page may import nothing but this file.
 */
export type PanelVerdictState = 'verified' | 'unpinned' | 'failed' | 'unsigned' | 'not-checked' | 'excepted' | 'not-verified';
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'info';
export type PanelArtifactState = 'verified' | 'unpinned' | 'failed' | 'unsigned' | 'not-checked' | 'not-verified';

/** How a state reads and looks, from the host's verdict vocabulary: the page keeps no words of its own. */
export interface PanelStateWords {
  /** Capitalised, for the image's badge: "Verified", "Signed, signer not pinned". */
  readonly label: string;
  /** For a platform, an artifact or a statement: "verified", "verification failed". */
  readonly words: string;
  /** A codicon name. */
  readonly icon: string;
}

/** A labelled fact. `url`: https only, safe to open through the host. `mono`: digests, ids. */
export interface PanelFact {
  readonly label: string;
  readonly value: string;
  readonly url?: string;
  readonly mono?: boolean;
}

export interface PanelCheck {
  /** Stable code: COVERAGE, IDENTITY, TLOG, SLSA_BUILDER, ... */
  readonly code: string;
  readonly status: CheckStatus;
  /** One sentence from the verifier. */
  readonly message: string;
  /** The evidence behind it, in reading order. */
  readonly facts: readonly PanelFact[];
  /** Image-level checks about particular platforms (COVERAGE, REQUIRED_ATTESTATION). */
  readonly platforms?: readonly string[];
}

export interface PanelVerdict {
  readonly state: PanelVerdictState;
  /** For people: "Verified", "Not verified", ... */
  readonly label: string;
  /**
   * Why it is not verified, in one sentence (the engine's first cause): the line the header
   * leads with. Absent for a verified image, or one that was only inspected.
   */
  readonly cause?: string;
  /** The engine's other causes, one sentence each, most important first. */
  readonly moreCauses?: readonly string[];
  /** One sentence: which signature covers which digest, what is not covered. */
  readonly coverage?: string;
  /** The Sigstore instance whose root was used ("Sigstore public-good"). */
  readonly trustRoot?: string;
}

export interface PanelPlatform {
  /** `linux/arm/v7`, or `image` for a single-platform manifest without a platform. */
  readonly platform: string;
  readonly digest: string;
  readonly mediaType: string;
  /** The platform manifest. */
  readonly size: number;
  /** Config plus layers, when known. */
  readonly imageSize?: number;
  readonly state: PanelVerdictState;
  /** Covered by a verified signature on the index rather than its own. */
  readonly throughIndex: boolean;
  readonly signedBy: readonly string[];
  /** Why this platform is not verified: the engine's cause (a sentence), and in a few words for the switcher. */
  readonly cause?: string;
  readonly causeShort?: string;
}

/** The engine's artifact kinds and formats (src/model/image-graph.ts), spelled out for the page like the states above. */
export type ArtifactKind = 'signature' | 'attestation' | 'sbom' | 'other';
export type ArtifactFormat = 'cosign-tag' | 'referrer' | 'buildkit-index' | 'bundle-file' | 'github-api';

/** A signature, attestation or SBOM, with what its verification found. */
export interface PanelArtifact {
  readonly id: string;
  readonly kind: ArtifactKind;
  readonly format: ArtifactFormat;
  /** Where it was found, for people: "cosign tag sha256-….sig", "OCI referrer", "BuildKit, inside the index". */
  readonly formatLabel: string;
  /** The same in a few words, shown on its row whether open or closed: "cosign .sig tag", "OCI referrer (tag schema)". */
  readonly place: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly coversDigest: string;
  /** What `coversDigest` is: "the index", a platform, or "another artifact". */
  readonly coversLabel: string;
  readonly predicateType?: string;
  readonly state: PanelArtifactState;
  readonly identity?: string;
  readonly issuer?: string;
  /** The Sigstore instance whose trusted root its signature was checked against: "GitHub's Sigstore instance". */
  readonly trustRoot?: string;
  /** Why it failed, when the engine named a cause for it (else the first failing check says it). */
  readonly cause?: string;
  /** Facts about the artifact itself (tag, discovery, size), then the checks. */
  readonly facts: readonly PanelFact[];
  readonly checks: readonly PanelCheck[];
  /** Artifacts about artifacts (a signature on an SBOM). */
  readonly nested: boolean;
}

export interface NameValue {
  readonly name: string;
  readonly value: string;
}

export interface PanelMaterial {
  readonly uri?: string;
  readonly name?: string;
  /** `algorithm:hex`, as written. */
  readonly digests: readonly string[];
  /** An https link for the material, when it is one. */
  readonly url?: string;
}

export interface PanelSource {
  readonly repository?: string;
  readonly repositoryUrl?: string;
  readonly ref?: string;
  readonly commit?: string;
  readonly commitUrl?: string;
  readonly path?: string;
  /** Where the provenance said it: "invocation config source", "image labels (a claim)", ... */
  readonly from: string;
}

/** One SLSA provenance statement, summarised. */
export interface PanelProvenance {
  readonly id: string;
  readonly format: ArtifactFormat;
  readonly formatLabel: string;
  /** Where it was found in a few words, for its closed row: "cosign .att tag", "BuildKit, in the index". */
  readonly place: string;
  readonly coversDigest: string;
  readonly attachedTo: 'index' | 'platform';
  readonly artifactDigest: string;
  readonly predicateType?: string;
  /** From the verification of the same artifact, when there was one. */
  readonly state: PanelArtifactState;
  readonly slsaVersion?: string;
  readonly builderId?: string;
  readonly builderVersion: readonly NameValue[];
  readonly buildType?: string;
  readonly buildTypeLabel?: string;
  readonly source?: PanelSource;
  readonly trigger?: string;
  readonly workflow?: { readonly repository?: string; readonly ref?: string; readonly path?: string; readonly runnerEnvironment?: string };
  /**
   * The GitHub Actions run that built and signed it (repository, workflow, run, trigger, runner
   * environment, visibility at signing), from the GitHub build type and the signing certificate.
   */
  readonly github?: readonly PanelFact[];
  /** The Sigstore instance whose trusted root verified its signature, when it was verified against one. */
  readonly trustRoot?: string;
  readonly invocationId?: string;
  readonly runUrl?: string;
  readonly startedOn?: string;
  readonly finishedOn?: string;
  readonly frontend?: string;
  readonly entryPoint?: string;
  readonly buildArgs: readonly NameValue[];
  readonly labels: readonly NameValue[];
  readonly otherArgs: readonly NameValue[];
  readonly inputs: readonly NameValue[];
  readonly secrets: readonly string[];
  readonly locals: readonly string[];
  /** Raw parameters as pretty JSON. */
  readonly externalParameters?: string;
  readonly internalParameters?: string;
  readonly materials: readonly PanelMaterial[];
  readonly materialsTruncated: number;
  readonly reproducible?: boolean;
  readonly hermetic?: boolean;
  readonly subjects: readonly NameValue[];
  /** Warnings (subject mismatch) and the normaliser's notes, as sentences. */
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
  /** Why the statement could not be read; the fields above are then empty. */
  readonly error?: { readonly code: string; readonly message: string };
  /** The in-toto statement, pretty JSON. */
  readonly statementJson?: string;
}

export interface PanelSbom {
  readonly id: string;
  readonly predicateType?: string;
  /** "SPDX", "CycloneDX", or the media type. */
  readonly standard: string;
  readonly formatLabel: string;
  readonly coversDigest: string;
  readonly coversLabel: string;
  readonly digest: string;
  readonly state: PanelArtifactState;
}

export interface PanelProblem {
  readonly at: string;
  readonly code: string;
  readonly message: string;
}

export interface PanelNotice {
  readonly severity: 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface PanelRaw {
  readonly id: string;
  readonly label: string;
  /** What else to say beside the label (the command that prints it). */
  readonly detail?: string;
  readonly json: string;
}

export interface PanelModel {
  readonly reference: string;
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest: string;
  /** `registry/repository@digest`: what to deploy. */
  readonly pinnedReference: string;
  readonly mediaType: string;
  readonly kind: 'index' | 'manifest';
  readonly size: number;
  readonly verdict: PanelVerdict;
  /** The words and icon of every state, for the badges, the platform list and the artifacts. */
  readonly states: Readonly<Record<PanelVerdictState, PanelStateWords>>;
  /** Image-level checks: coverage per platform, required attestations, exceptions. */
  readonly checks: readonly PanelCheck[];
  readonly platforms: readonly PanelPlatform[];
  /** The platform (digest) shown first: the worst one, so a failed image opens where it fails. */
  readonly focusPlatform?: string;
  readonly artifacts: readonly PanelArtifact[];
  readonly provenance: readonly PanelProvenance[];
  readonly sboms: readonly PanelSbom[];
  /** Attestation predicate types present anywhere in the image, sorted. */
  readonly predicateTypes: readonly string[];
  readonly problems: readonly PanelProblem[];
  readonly notices: readonly PanelNotice[];
  readonly raw: readonly PanelRaw[];
}

// ---------------------------------------------------------------------------------------------
// The diff view: what changed between two images (src/diff, the engine of `provenance-lens diff`),
// in that command's words, made by the host (src/panel/model-diff.ts).

export interface PanelDiffImage {
  readonly reference: string;
  /** `fleet-agent:v0.13.0`. */
  readonly name: string;
  readonly digest: string;
  /** Under a policy only. */
  readonly verdict?: { readonly state: PanelVerdictState; readonly label: string };
}

/** A part of the comparison: its title, a summary in a few words ("1 rebuilt, 2 unchanged"), and whether anything in it changed. */
export interface PanelDiffPart {
  readonly title: string;
  readonly summary: string;
  readonly changed: boolean;
}

export interface PanelDiffPlatform {
  readonly platform: string;
  readonly change: 'changed' | 'added' | 'removed' | 'unchanged';
  /** The change in words: "rebuilt", "added", ... */
  readonly words: string;
  /** Manifest digests; absent on the side that does not have the platform. */
  readonly old?: string;
  readonly new?: string;
}

export interface PanelDiffSigner {
  readonly change: 'removed' | 'added' | 'kept';
  readonly words: string;
  /** The identity (and issuer), or the key. */
  readonly signer: string;
}

export interface PanelDiffAttestation {
  readonly change: 'removed' | 'added' | 'unsigned';
  readonly words: string;
  readonly predicateType: string;
}

/** The provenance fields that differ on one target, from one kind of statement. */
export interface PanelDiffProvenanceGroup {
  /** A platform, or `index`. */
  readonly platform: string;
  /** Where the statements were found: "cosign .att", "BuildKit, in the index (unsigned)". */
  readonly from: string;
  readonly changes: readonly { readonly field: string; readonly old: string; readonly new: string }[];
}

export interface PanelDiffPackage {
  readonly platform: string;
  /** `+` new only, `-` old only, `~` another version. */
  readonly mark: '+' | '-' | '~';
  readonly package: string;
  readonly old: string;
  readonly new: string;
}

export interface PanelDiff {
  /** What `loading` and `error` named this comparison: "fleet-agent:v0.12.0 ↔ fleet-agent:v0.13.0". */
  readonly title: string;
  readonly old: PanelDiffImage;
  readonly new: PanelDiffImage;
  readonly changed: boolean;
  /** One sentence when nothing changed. */
  readonly unchanged?: string;
  /** Most alarming first, each with its code (SIGNER_CHANGED, ...); `noWarnings` says when there is none. */
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  readonly noWarnings: string;
  readonly platforms: PanelDiffPart & { readonly rows: readonly PanelDiffPlatform[] };
  readonly signers: PanelDiffPart & { readonly rows: readonly PanelDiffSigner[] };
  readonly attestations: PanelDiffPart & { readonly rows: readonly PanelDiffAttestation[] };
  readonly provenance: PanelDiffPart & { readonly groups: readonly PanelDiffProvenanceGroup[] };
  readonly sbom: PanelDiffPart & {
    readonly rows: readonly PanelDiffPackage[];
    /** Changes not listed here (the CLI's --json lists them). */ readonly more: number;
  };
  /** What could not be compared whole. */
  readonly notes: readonly { readonly side?: 'old' | 'new'; readonly code: string; readonly message: string }[];
  readonly states: Readonly<Record<PanelVerdictState, PanelStateWords>>;
}
