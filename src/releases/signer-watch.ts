/**
 * Whether each image of a release is signed by other signers than the same image of the release
 * before it (the previous tag by semver), asked as `verify --release` asks it (signerChanged) and by
 * the same rule (src/diff/previous.ts, signerChangeBetween): never when the policy pins a signer for
 * both. A different signer than last time is the clearest early sign of a compromised pipeline.
 *
 * The question waits until every image of the release has settled, so the previous releases never
 * hold up the view; the previous image is read and verified through the service, as a command
 * would (and so once, for the diff view too). An answer belongs to the image's load it was asked
 * for: a refresh drops it, and the new load asks again.
 */
import type { Signer } from '../model/cause';
import { parseReference } from '../registry/reference';
import type { ImagePolicy } from '../verify/policy';
import { isAbort } from './failure';
import { withTag } from './image-list';
import type { ReleaseEvent, ReleaseService } from './release-service';
import { loadSettled } from './types';
import type { ImageLoad } from './types';

export interface SignerWatchPorts {
  /** Every tag of the reference's repository. */
  listTags(reference: string, signal: AbortSignal): Promise<readonly string[]>;
  /** The policy the image is verified under. */
  policy(reference: string): Promise<Pick<ImagePolicy, 'identity' | 'keys'>>;
  log?: { warn(message: string): void };
}

/** What the question found for one image. */
export interface SignerChangeSeen {
  /** The same image at the previous release's tag. */
  readonly previous: string;
  readonly previousTag: string;
  readonly changed: boolean;
  /** Who signed the previous release, and who signs this one (signersOf). */
  readonly before: readonly Signer[];
  readonly after: readonly Signer[];
  /** The same in words (signerText): an identity and its issuer, or a key. */
  readonly beforeText: readonly string[];
  readonly afterText: readonly string[];
}

type Service = Pick<ReleaseService, 'releases' | 'peek' | 'ensure' | 'onDidChange'>;
type Loaded = Extract<ImageLoad, { status: 'loaded' }>;

export class SignerWatch {
  private readonly answers = new Map<string, { load: ImageLoad; seen: SignerChangeSeen | undefined }>();
  private readonly asking = new Map<string, AbortController>();
  private readonly listeners = new Set<(reference: string) => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly service: Service,
    private readonly ports: SignerWatchPorts,
  ) {
    this.unsubscribe = service.onDidChange((e) => this.changed(e));
  }

  /** The answer for the image as it is loaded now; undefined while unknown, or when there is nothing to ask. */
  change(reference: string): SignerChangeSeen | undefined {
    const a = this.answers.get(reference);
    return a !== undefined && a.load === this.service.peek(reference) ? a.seen : undefined;
  }

  /** Called with the image's reference when its answer arrives. */
  onDidChange(listener: (reference: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when no question is being asked (tests). */
  async idle(): Promise<void> {
    while (this.asking.size > 0) await new Promise((r) => setTimeout(r, 10));
  }

  dispose(): void {
    this.unsubscribe();
    for (const c of this.asking.values()) c.abort();
    this.asking.clear();
    this.listeners.clear();
  }

  private changed(e: ReleaseEvent): void {
    const releases = this.service.releases;
    if (e.kind === 'releases') {
      const listed = new Set(releases.flatMap((r) => r.images.map((i) => i.reference)));
      for (const [reference, c] of this.asking) if (!listed.has(reference)) c.abort();
    }
    for (const r of releases) {
      const references = r.images.map((i) => i.reference).filter((x): x is string => x !== null);
      if (e.kind === 'image' && !references.includes(e.reference)) continue;
      const loads = references.map((ref) => this.service.peek(ref));
      if (!loads.every(loadSettled)) continue;
      references.forEach((ref, i) => {
        const load = loads[i]!;
        if (load.status === 'loaded' && load.verification && this.answers.get(ref)?.load !== load && !this.asking.has(ref)) void this.ask(ref, load);
      });
    }
  }

  private async ask(reference: string, load: Loaded): Promise<void> {
    const controller = new AbortController();
    this.asking.set(reference, controller);
    const { signal } = controller;
    try {
      const seen = await this.question(reference, load, signal);
      if (signal.aborted || this.service.peek(reference) !== load) return;
      this.answers.set(reference, { load, seen });
      for (const l of this.listeners) l(reference);
    } catch (e) {
      if (!signal.aborted && !isAbort(e))
        this.ports.log?.warn(
          `Whether ${reference} has another signer than its previous release could not be told: ${e instanceof Error ? e.message : String(e)}`,
        );
    } finally {
      if (this.asking.get(reference) === controller) this.asking.delete(reference);
    }
  }

  private async question(reference: string, load: Loaded, signal: AbortSignal): Promise<SignerChangeSeen | undefined> {
    const ref = parseReference(reference);
    const tag = ref.kind === 'registry' ? ref.tag : undefined;
    if (tag === undefined) return undefined;
    const diff = await import('../diff/index.js');
    const previousTag = diff.previousReleaseTag(await this.ports.listTags(reference, signal), tag);
    if (previousTag === undefined) return undefined;
    const previous = withTag(reference, previousTag);
    const [policy, previousPolicy] = await Promise.all([this.ports.policy(reference), this.ports.policy(previous)]);
    if (!diff.signerChangeAsked(previousPolicy, policy)) return undefined;
    const before = await this.service.ensure(previous, signal);
    if (before.status !== 'loaded' || before.verification === undefined) {
      if (!signal.aborted) {
        const why =
          before.status === 'failed'
            ? `could not be read [${before.failure.code}]`
            : before.status === 'loaded'
              ? `could not be verified [${before.verificationFailure?.code ?? 'INTERNAL'}]`
              : 'was not read';
        this.ports.log?.warn(`The previous release ${previous} ${why}: whether ${reference} has another signer is not known.`);
      }
      return undefined;
    }
    const signers = { before: diff.signersOf(before.verification, previousPolicy), after: diff.signersOf(load.verification!, policy) };
    const changed = diff.signerChangeBetween({ signers: signers.before, tag: previousTag, policy: previousPolicy }, { signers: signers.after, tag, policy });
    if (changed === undefined) return undefined;
    return { previous, previousTag, changed, ...signers, beforeText: signers.before.map(diff.signerText), afterText: signers.after.map(diff.signerText) };
  }
}
