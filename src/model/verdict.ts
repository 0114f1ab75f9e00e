// The verdict vocabulary: every state a verdict can be in, one severity order, and for each
// state the words, tone and codicon that every surface shows (the release tree, the status bar,
// CodeLens and hovers, the image panel and its page, the command line). Surfaces map from this
// table and keep none of their own, so they cannot lead with different verdicts or show the
// same state with different icons. The state names are stable: `verify --json` carries them
// (docs/verify-json.md) and docs/codes.md lists them.

/** What the verification engine concludes about an artifact, a digest or an image. */
export type EngineState = 'verified' | 'unpinned' | 'failed' | 'unsigned' | 'not-checked' | 'excepted';

/**
 * What inspection alone shows, before or without a verification: a signature is there
 * (`signature-found`), on some platforms only (`partly-signed`), only attestations, nothing,
 * or parts could not be read (`incomplete`); `not-verified` where a surface does not tell these
 * apart (the image panel). None of them is a verdict on a signature: each reads "not verified".
 */
export type InspectState = 'signature-found' | 'partly-signed' | 'attestations-only' | 'nothing-found' | 'incomplete' | 'not-verified';

export type VerdictState = EngineState | InspectState;

/**
 * What one artifact (or digest) proves: verified (every required check passed, identity or key
 * pinned), unpinned (a valid signature nobody pinned: never "verified"), failed, unsigned
 * (present, nothing signs it: BuildKit's in-index attestations, cosign `.sbom` attachments),
 * not-checked (its content could not be read: never reported as unsigned). An exception
 * applies to a whole image, never to one artifact or digest.
 */
export type ArtifactState = Exclude<EngineState, 'excepted'>;
export type DigestState = ArtifactState;
export type ImageState = EngineState;

/** How a state should look: good (verified), warn (look at it), bad (not signed as required), neutral. */
export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

export interface VerdictWords {
  /** One or two words, for counts (`2 verified, 1 unsigned`) and the command line's marks. */
  readonly short: string;
  /** The phrase for one image, platform or artifact (tree, status bar, hovers, CodeLens, panel). */
  readonly long: string;
  readonly tone: Tone;
  /** A codicon (https://microsoft.github.io/vscode-codicons/dist/codicon.html). */
  readonly codicon: string;
  /** The VS Code theme colour of that icon in the tree and the status bar. */
  readonly color: string;
  /** The mark before the words where no icon can be shown (CodeLens titles, hovers). */
  readonly mark: '' | '✓' | '✗';
}

/**
 * Worst first: the state a release, an entry or a list of images leads with. What is known to be
 * wrong comes first (a signature that does not verify, none at all), then what inspection shows
 * missing, then what could not be examined, then valid signatures nobody pinned, then the
 * stated exception, and verified last.
 */
export const SEVERITY: readonly VerdictState[] = [
  'failed',
  'unsigned',
  'nothing-found',
  'attestations-only',
  'partly-signed',
  'not-checked',
  'incomplete',
  'unpinned',
  'not-verified',
  'signature-found',
  'excepted',
  'verified',
];

const WARN = 'list.warningForeground';

export const VERDICTS: Readonly<Record<VerdictState, VerdictWords>> = {
  verified: { short: 'verified', long: 'verified', tone: 'good', codicon: 'verified-filled', color: 'testing.iconPassed', mark: '✓' },
  unpinned: { short: 'unpinned', long: 'signed, signer not pinned', tone: 'warn', codicon: 'unverified', color: WARN, mark: '' },
  failed: { short: 'failed', long: 'verification failed', tone: 'bad', codicon: 'error', color: 'testing.iconFailed', mark: '✗' },
  unsigned: { short: 'unsigned', long: 'unsigned', tone: 'bad', codicon: 'circle-slash', color: WARN, mark: '' },
  'not-checked': { short: 'not checked', long: 'not checked', tone: 'warn', codicon: 'question', color: 'disabledForeground', mark: '' },
  excepted: { short: 'excepted', long: 'unsigned, excepted by the policy', tone: 'neutral', codicon: 'circle-slash', color: 'descriptionForeground', mark: '' },
  'signature-found': { short: 'signed', long: 'signed', tone: 'warn', codicon: 'unverified', color: 'charts.blue', mark: '' },
  'partly-signed': { short: 'partly signed', long: 'partly signed', tone: 'warn', codicon: 'unverified', color: WARN, mark: '' },
  'attestations-only': { short: 'attestations only', long: 'attestations only, no signature', tone: 'bad', codicon: 'unverified', color: WARN, mark: '' },
  'nothing-found': { short: 'no signature', long: 'no signature found', tone: 'bad', codicon: 'circle-slash', color: WARN, mark: '' },
  incomplete: { short: 'incomplete', long: 'incomplete (parts unreadable)', tone: 'warn', codicon: 'question', color: WARN, mark: '' },
  'not-verified': { short: 'not verified', long: 'not verified', tone: 'neutral', codicon: 'circle-large-outline', color: 'descriptionForeground', mark: '' },
};

const ENGINE: ReadonlySet<VerdictState> = new Set<EngineState>(['verified', 'unpinned', 'failed', 'unsigned', 'not-checked', 'excepted']);

/** Whether the verification engine says it (true), or inspection alone (false). */
export function isEngineState(state: VerdictState): state is EngineState {
  return ENGINE.has(state);
}

/** 0 for the worst state, larger for better ones. */
export function severity(state: VerdictState): number {
  return SEVERITY.indexOf(state);
}

/** The worse of two states (the first when they are equal). */
export function worse<S extends VerdictState>(a: S, b: S): S {
  return severity(a) <= severity(b) ? a : b;
}

/** The worst of some states; undefined for none. */
export function worstOf<S extends VerdictState>(states: Iterable<S>): S | undefined {
  let worst: S | undefined;
  for (const s of states) worst = worst === undefined ? s : worse(worst, s);
  return worst;
}

/**
 * The words for a state where one image, platform or artifact is shown: the long words, with
 * "not verified" after what inspection alone says (`signed · not verified`), and "via the index"
 * for a platform whose signature is on the index.
 */
export function verdictPhrase(state: VerdictState, viaIndex = false): string {
  const words = viaIndex ? `${VERDICTS[state].long} via the index` : VERDICTS[state].long;
  return isEngineState(state) || state === 'not-verified' ? words : `${words} · not verified`;
}

/** The phrase with its mark, for text without icons: `✓ verified`, `✗ verification failed`. */
export function markedPhrase(state: VerdictState, viaIndex = false): string {
  const { mark } = VERDICTS[state];
  return mark ? `${mark} ${verdictPhrase(state, viaIndex)}` : verdictPhrase(state, viaIndex);
}
