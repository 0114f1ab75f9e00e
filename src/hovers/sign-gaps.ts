// What docker_signs promised against what the registry holds, once the images are verified:
// every published reference a docker_signs entry signs (`${artifact}@${digest}`: the digest the
// tag points to) must carry a signature that verifies under the policy on that very digest.
// A platform covered only through another digest does not count: GoReleaser signs what it pushed.
// Pure (no vscode); the diagnostics publisher and the docker_signs lens use it.
import type { ResolvedRelease } from '../goreleaser/resolve';
import type { ResolvedSign } from '../goreleaser/sign';
import type { GoreleaserDiagnostic, SourceRange } from '../goreleaser/types';
import type { LoadLookup } from '../fixes/image-diagnostics';
import type { ImageLoad } from '../releases/types';
import { verificationReasons } from '../releases/verification';
import { VERDICTS } from '../model/verdict';
import type { DigestState } from '../model/verdict';
import type { Words } from './verdict-words';
import { loadWords } from './verdict-words';

/** Editor-only diagnostic code (docs/release-json.md lists the file's own). */
export const SIGN_MISSING = 'docker-sign-missing';

export interface SignedImageState {
  readonly sign: ResolvedSign;
  /** As rendered; null when unresolved. */
  readonly reference: string | null;
  readonly range: SourceRange;
  readonly unresolved: readonly string[];
  readonly load?: ImageLoad;
  /** The state of the pushed digest's own signatures, once verified. */
  readonly own?: DigestState;
  readonly digest?: string;
}

/** A diagnostic of the file, or one only the editor can make (after a verification). */
export interface EditorDiagnostic extends Omit<GoreleaserDiagnostic, 'code'> {
  readonly code: GoreleaserDiagnostic['code'] | typeof SIGN_MISSING;
}

/** Every image each docker_signs entry signs, with what verification says about its pushed digest. */
export function signedImages(release: ResolvedRelease, lookup: LoadLookup): SignedImageState[] {
  const out: SignedImageState[] = [];
  for (const sign of release.signs) {
    for (const image of sign.signs) {
      const base = { sign, reference: image.reference, range: image.range, unresolved: image.unresolved };
      const load = image.reference === null ? undefined : lookup(image.reference);
      if (!load || load.status !== 'loaded' || !load.verification) {
        out.push({ ...base, ...(load ? { load } : {}) });
        continue;
      }
      const digest = load.graph.digest;
      const own = load.verification.verdict.digests.find((d) => d.digest === digest)?.ownState;
      out.push({ ...base, load, digest, ...(own ? { own } : {}) });
    }
  }
  return out;
}

const short = (digest: string): string => digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');

/** Warnings on images a docker_signs entry should have signed but whose pushed digest has no verifying signature. */
export function signGapDiagnostics(states: readonly SignedImageState[]): EditorDiagnostic[] {
  const out: EditorDiagnostic[] = [];
  const seen = new Set<string>();
  for (const s of states) {
    if (s.own !== 'unsigned' && s.own !== 'failed') continue;
    const key = `${s.range.start} ${s.digest ?? ''} ${s.sign.index}`;
    if (seen.has(key) || s.reference === null || s.load?.status !== 'loaded' || !s.load.verification) continue;
    seen.add(key);
    const who = `docker_signs[${s.sign.index}] (${s.sign.id})`;
    const what = `${s.reference} (pushed digest ${short(s.digest ?? '')})`;
    const why =
      s.own === 'unsigned'
        ? 'has no signature on that digest'
        : `has signatures on that digest, but none verifies with the identity the policy expects${firstReason(s.load.verification)}`;
    const related = [{ message: `${who} signs this image`, range: s.sign.identity?.range ?? s.range }];
    out.push({ code: SIGN_MISSING, severity: 'warning', range: s.range, message: `${who} should sign ${what}, but the registry copy ${why}.`, related });
  }
  return out;
}

function firstReason(v: NonNullable<Extract<ImageLoad, { status: 'loaded' }>['verification']>): string {
  const failing = v.verdict.checks.find((c) => c.status === 'fail')?.message ?? verificationReasons(v)[0];
  return failing ? `: ${failing.replace(/\.$/, '')}` : '';
}

/** The lens title of a docker_signs entry: `signs 2 images · ✓ 2 signed`. */
export function signWords(states: readonly SignedImageState[]): Words {
  if (states.length === 0) return { text: 'signs no image of this file', tone: 'warn' };
  const head = `signs ${states.length === 1 ? '1 image' : `${states.length} images`}`;
  const rendered = states.filter((s) => s.reference !== null);
  if (rendered.length === 0) {
    const vars = [...new Set(states.flatMap((s) => s.unresolved))];
    return { text: `${head} · needs ${vars.slice(0, 2).join(', ')}`, tone: 'warn' };
  }
  if (rendered.some((s) => loadWords(s.load).tone === 'pending')) return { text: `${head} · …`, tone: 'pending' };
  const signed = rendered.filter((s) => s.own === 'verified').length;
  const unpinned = rendered.filter((s) => s.own === 'unpinned').length;
  const missing = rendered.filter((s) => s.own === 'unsigned' || s.own === 'failed').length;
  const other = rendered.length - signed - unpinned - missing;
  const parts: string[] = [];
  if (missing) parts.push(`${VERDICTS.failed.mark} ${missing} without a verified signature`);
  if (other) parts.push(`${other} ${VERDICTS['not-checked'].long}`);
  if (unpinned) parts.push(`${unpinned} ${VERDICTS.unpinned.long}`);
  if (signed) parts.push(`${VERDICTS.verified.mark} ${signed} signed`);
  const tone = missing ? 'bad' : other || unpinned ? 'warn' : 'good';
  return { text: `${head} · ${parts.join(' · ')}`, tone };
}
