// The short words a CodeLens and a hover use for what the engines say about the images of one
// goreleaser entry: "✓ verified · 2 platforms", "✗ 1 verification failed", "unsigned", "not checked: sign in",
// "…". Pure (no vscode): UI text made at the edge, from the release service's load states and
// the one verdict vocabulary (src/model/verdict.ts).
import type { SkipReason } from '../goreleaser/resolve';
import { VERDICTS, markedPhrase, severity } from '../model/verdict';
import type { Tone, VerdictState } from '../model/verdict';
import type { ImageLoad, LoadFailure } from '../releases/types';
import { plural } from '../views/verdict-text';
import { shownVerdict } from '../releases/verdict';
import { causesOf } from '../releases/verification';
import { causePlatforms, causesShort } from '../releases/cause-words';

/** One image a goreleaser entry publishes, with its load state when it has a reference. */
export interface EntryImage {
  /** Rendered and normalised; null when it cannot be rendered. */
  readonly reference: string | null;
  readonly unresolved: readonly string[];
  readonly published?: boolean | null;
  readonly skip?: SkipReason;
  readonly load?: ImageLoad;
}

/** What a lens or a hover says, and how it should look: a verdict's tone, or `pending` while it loads. */
export type WordsTone = Tone | 'pending';

export interface Words {
  readonly text: string;
  readonly tone: WordsTone;
  /** The verdict the words stand for, which orders them (an image that could not be read: `not-checked`). */
  readonly state?: VerdictState;
  /** Why, in a few words (the engine's first cause, src/releases/cause-words.ts), and in its own words. */
  readonly cause?: { readonly short: string; readonly message: string };
}

const SKIP_WORDS: Record<SkipReason, string> = {
  empty: 'not pushed: a name renders empty',
  skip_push: 'not pushed: skip_push',
  prerelease: 'not pushed: pre-release (skip_push: auto)',
  disabled: 'not pushed: disabled',
};

/** An image that could not be read: not checked, and why. */
export function failureWords(f: LoadFailure): Words {
  const notChecked = (text: string): Words => ({ text, tone: VERDICTS['not-checked'].tone, state: 'not-checked' });
  switch (f.code) {
    case 'UNAUTHORIZED':
      return notChecked('not checked: sign in');
    case 'DENIED':
      return notChecked('not checked: access denied');
    case 'NOT_FOUND':
    case 'MANIFEST_UNKNOWN':
      return notChecked('not found in the registry');
    case 'RATE_LIMITED':
      return notChecked('not checked: rate limited');
    case 'TIMEOUT':
    case 'NETWORK':
    case 'TLS':
      return notChecked('not checked: registry unreachable');
    default:
      return notChecked(VERDICTS['not-checked'].long);
  }
}

/** The words of a verdict: `✓ verified`, `signed, signer not pinned`, `signed · not verified`. */
export function stateWords(state: VerdictState): Words {
  return { text: markedPhrase(state), tone: VERDICTS[state].tone, state };
}

/** The words for one image's load; `…` while it loads or verifies. */
export function loadWords(load: ImageLoad | undefined): Words {
  if (!load || load.status === 'idle' || load.status === 'loading') return { text: '…', tone: 'pending' };
  if (load.status === 'failed') return failureWords(load.failure);
  if (load.verifying) return { text: '… verifying', tone: 'pending' };
  if (load.verificationFailure) return stateWords('not-checked');
  const words = stateWords(shownVerdict(load.graph, load.verification).state);
  // "signed, signer not pinned" is the whole answer for an unpinned image; a failure is named.
  const causes = load.verification && words.state !== 'unpinned' ? causesOf(load.verification) : [];
  // "unsigned" already says that nothing is signed: "unsigned: nothing is signed" would say it twice.
  if (words.state === 'unsigned' && causes.every((c) => c.code === 'NO_SIGNATURE' && causePlatforms(c).includes('index'))) return words;
  const short = causesShort(causes);
  return short === undefined ? words : { ...words, cause: { short, message: causes[0]!.message } };
}

/** Platforms of the loaded images, each counted once. */
function platformCount(images: readonly EntryImage[]): number {
  const all = new Set<string>();
  for (const i of images) if (i.load?.status === 'loaded') i.load.graph.platforms.forEach((p) => all.add(p.platform));
  return all.size;
}

/** The lens title of an image section entry. */
export function entryWords(images: readonly EntryImage[]): Words {
  const pushed = images.filter((i) => i.published !== false);
  if (images.length === 0) return { text: 'no image', tone: 'neutral' };
  if (pushed.length === 0) {
    const reasons = [...new Set(images.map((i) => SKIP_WORDS[i.skip ?? 'disabled']))];
    return { text: reasons.join(' · '), tone: 'neutral' };
  }
  const rendered = pushed.filter((i): i is EntryImage & { reference: string } => i.reference !== null);
  if (rendered.length === 0) {
    const vars = [...new Set(pushed.flatMap((i) => i.unresolved))];
    return {
      text: vars.length ? `needs ${vars.slice(0, 2).join(', ')}${vars.length > 2 ? ` and ${vars.length - 2} more` : ''}` : 'cannot be rendered',
      tone: 'warn',
    };
  }
  // One image per reference: an entry that pushes `:v1` and `:latest` of the same digest counts both.
  const words = rendered.map((i) => loadWords(i.load));
  if (words.some((w) => w.tone === 'pending')) return { text: rendered.length > 1 ? `… checking ${rendered.length} images` : '…', tone: 'pending' };
  const counts = new Map<string, { words: Words; n: number }>();
  // Grouped by verdict; the group keeps the first image's cause.
  for (const w of words) counts.set(w.text, { words: counts.get(w.text)?.words ?? w, n: (counts.get(w.text)?.n ?? 0) + 1 });
  // Worst first, in the one severity order; the same verdict worded twice keeps its first place.
  const groups = [...counts.values()].sort((a, b) => rank(a.words) - rank(b.words));
  const worst = groups[0]!.words;
  // The verdict the title leads with, the same worst one the status bar shows for these images.
  const lead = worst.state !== undefined ? { state: worst.state } : {};
  const platforms = platformCount(rendered);
  const unrendered = pushed.length - rendered.length;
  const tail = unrendered > 0 ? ` · ${plural(unrendered, 'image')} not rendered` : '';
  // The entry's own failure, named: the first cause of the worst image, right after its verdict.
  const cause = worst.cause;
  const why = cause ? `: ${cause.short}` : '';
  const withCause = cause ? { cause } : {};
  if (groups.length === 1) {
    const many = rendered.length > 1 ? `${rendered.length} images ` : '';
    const text = worst.state === 'failed' && rendered.length === 1 && !cause ? withCount(worst.text, 1) : prefixCount(worst.text, many);
    return { text: `${text}${why}${platforms ? ` · ${plural(platforms, 'platform')}` : ''}${tail}`, tone: worst.tone, ...lead, ...withCause };
  }
  const [first, ...others] = groups.map((g) => withCount(g.words.text, g.n));
  return { text: `${[`${first!}${why}`, ...others].join(' · ')}${tail}`, tone: worst.tone, ...lead, ...withCause };
}

function rank(w: Words): number {
  return w.state === undefined ? Number.MAX_SAFE_INTEGER : severity(w.state);
}

/** `✓ 2 images verified`, `2 images unsigned`. */
function prefixCount(text: string, many: string): string {
  if (!many) return text;
  const icon = /^[✓✗] /.exec(text)?.[0] ?? '';
  return `${icon}${many}${text.slice(icon.length)}`;
}

/** `✗ 1 failed`, `✓ 2 verified`, `1 unsigned`. */
function withCount(text: string, n: number): string {
  const icon = /^[✓✗] /.exec(text)?.[0] ?? '';
  return `${icon}${n} ${text.slice(icon.length)}`;
}
