// The short words a CodeLens and a hover use for what the engines say about the images of one
// goreleaser entry: "✓ verified · 2 platforms", "✗ 1 failed", "unsigned", "not checked: sign in",
// "…". Pure (no vscode): UI text made at the edge, from the release service's load states.
import type { SkipReason } from '../goreleaser/resolve';
import type { ImageLoad, LoadFailure, VerdictState } from '../releases/types';
import { imageVerdict } from '../releases/verdict';

/** One image a goreleaser entry publishes, with its load state when it has a reference. */
export interface EntryImage {
  /** Rendered and normalised; null when it cannot be rendered. */
  readonly reference: string | null;
  readonly unresolved: readonly string[];
  readonly published?: boolean | null;
  readonly skip?: SkipReason;
  readonly load?: ImageLoad;
}

/** What a lens or a hover says, and how it should look. */
export type Tone = 'ok' | 'warn' | 'bad' | 'pending' | 'none';

export interface Words {
  readonly text: string;
  readonly tone: Tone;
}

const STATE_WORDS: Record<VerdictState, Words> = {
  verified: { text: '✓ verified', tone: 'ok' },
  unpinned: { text: 'signed, signer not pinned', tone: 'warn' },
  failed: { text: '✗ failed', tone: 'bad' },
  unsigned: { text: 'unsigned', tone: 'bad' },
  'not-checked': { text: 'not checked', tone: 'warn' },
  excepted: { text: 'unsigned, excepted by the policy', tone: 'none' },
  'signature-found': { text: 'signed · not verified', tone: 'warn' },
  'partly-signed': { text: 'partly signed · not verified', tone: 'warn' },
  'attestations-only': { text: 'attestations only, no signature', tone: 'bad' },
  'nothing-found': { text: 'no signature found', tone: 'bad' },
  incomplete: { text: 'incomplete: parts unreadable', tone: 'warn' },
};

/** Worst first, for an entry with several images. */
const ORDER: readonly string[] = [
  '✗ failed', 'unsigned', 'no signature found', 'attestations only, no signature', 'not checked: sign in', 'not found in the registry',
  'not checked', 'partly signed · not verified', 'incomplete: parts unreadable', 'signed, signer not pinned', 'signed · not verified',
  'unsigned, excepted by the policy', '✓ verified',
];

const SKIP_WORDS: Record<SkipReason, string> = {
  empty: 'not pushed: a name renders empty',
  skip_push: 'not pushed: skip_push',
  prerelease: 'not pushed: pre-release (skip_push: auto)',
  disabled: 'not pushed: disabled',
};

export function failureWords(f: LoadFailure): Words {
  switch (f.code) {
    case 'UNAUTHORIZED': return { text: 'not checked: sign in', tone: 'warn' };
    case 'DENIED': return { text: 'not checked: access denied', tone: 'warn' };
    case 'NOT_FOUND': case 'MANIFEST_UNKNOWN': return { text: 'not found in the registry', tone: 'warn' };
    case 'RATE_LIMITED': return { text: 'not checked: rate limited', tone: 'warn' };
    case 'TIMEOUT': case 'NETWORK': case 'TLS': return { text: 'not checked: registry unreachable', tone: 'warn' };
    default: return { text: 'not checked', tone: 'warn' };
  }
}

/** The words for one image's load; `…` while it loads or verifies. */
export function loadWords(load: ImageLoad | undefined): Words {
  if (!load || load.status === 'idle' || load.status === 'loading') return { text: '…', tone: 'pending' };
  if (load.status === 'failed') return failureWords(load.failure);
  if (load.verifying) return { text: '… verifying', tone: 'pending' };
  if (load.verificationFailure) return { text: 'not checked', tone: 'warn' };
  return STATE_WORDS[imageVerdict(load.graph, load.verification).state];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Platforms of the loaded images, each counted once. */
function platformCount(images: readonly EntryImage[]): number {
  const all = new Set<string>();
  for (const i of images) if (i.load?.status === 'loaded') i.load.graph.platforms.forEach((p) => all.add(p.platform));
  return all.size;
}

/** The lens title of an image section entry. */
export function entryWords(images: readonly EntryImage[]): Words {
  const pushed = images.filter((i) => i.published !== false);
  if (images.length === 0) return { text: 'no image', tone: 'none' };
  if (pushed.length === 0) {
    const reasons = [...new Set(images.map((i) => SKIP_WORDS[i.skip ?? 'disabled']))];
    return { text: reasons.join(' · '), tone: 'none' };
  }
  const rendered = pushed.filter((i): i is EntryImage & { reference: string } => i.reference !== null);
  if (rendered.length === 0) {
    const vars = [...new Set(pushed.flatMap((i) => i.unresolved))];
    return { text: vars.length ? `needs ${vars.slice(0, 2).join(', ')}${vars.length > 2 ? ` and ${vars.length - 2} more` : ''}` : 'cannot be rendered', tone: 'warn' };
  }
  // One image per reference: an entry that pushes `:v1` and `:latest` of the same digest counts both.
  const words = rendered.map((i) => loadWords(i.load));
  if (words.some((w) => w.tone === 'pending')) return { text: rendered.length > 1 ? `… checking ${rendered.length} images` : '…', tone: 'pending' };
  const counts = new Map<string, { words: Words; n: number }>();
  for (const w of words) counts.set(w.text, { words: w, n: (counts.get(w.text)?.n ?? 0) + 1 });
  const groups = [...counts.values()].sort((a, b) => rank(a.words.text) - rank(b.words.text));
  const worst = groups[0]!.words;
  const platforms = platformCount(rendered);
  const unrendered = pushed.length - rendered.length;
  const tail = unrendered > 0 ? ` · ${plural(unrendered, 'image')} not rendered` : '';
  if (groups.length === 1) {
    const many = rendered.length > 1 ? `${rendered.length} images ` : '';
    const text = worst.text === '✗ failed' && rendered.length === 1 ? '✗ 1 failed' : `${prefixCount(worst.text, many)}`;
    return { text: `${text}${platforms ? ` · ${plural(platforms, 'platform')}` : ''}${tail}`, tone: worst.tone };
  }
  return { text: `${groups.map((g) => withCount(g.words.text, g.n)).join(' · ')}${tail}`, tone: worst.tone };
}

function rank(text: string): number {
  const i = ORDER.indexOf(text);
  return i < 0 ? ORDER.length : i;
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
