// Redraws paced for a workbench that draws in the same two cores as everything else. A release
// of 40 images announces well over a hundred changes in a few seconds; redrawing a release row
// redraws its image rows too (VS Code refreshes an element's children with it), and each redraw
// of lenses or Problems lays the editor out again. Measured in bench/extension-load.ts: the
// workbench page was busy 80 % of the load, and showed the first verdict seconds after the
// extension host knew it. So: a change that alters what the user reads first (the first verdict,
// a worse one) is drawn after `soonMs`; the end of a load, after which no burst follows, at once;
// the others at most every `everyMs`.

/** How soon a change is drawn: at most every `everyMs`, after `soonMs`, or at once (the gap kept). */
export type Urgency = 'routine' | 'soon' | 'now';

export interface PacerOptions {
  /** How soon an urgent change is drawn, and the least wait of any (changes come in bursts). */
  readonly soonMs: number;
  /** The least time between two draws of routine changes. */
  readonly everyMs: number;
  /**
   * The least time between any two draws, urgent ones too (default 0). VS Code debounces a
   * tree's change events by 200 ms and restarts the wait at each event: events closer than that
   * postpone the redraw until they stop (extHostTreeViews.ts, Event.debounce).
   */
  readonly gapMs?: number;
  /** The clock, in ms (tests); default performance.now. */
  readonly now?: () => number;
}

export class Pacer {
  private timer: NodeJS.Timeout | undefined;
  /** When the pending draw is due, on `now`'s clock. */
  private due = 0;
  private last = -Infinity;
  private readonly now: () => number;

  constructor(
    private readonly options: PacerOptions,
    private readonly draw: () => void,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Asks for a draw; a `soon` or `now` one brings a routine one that waits forward. */
  schedule(when: Urgency = 'routine'): void {
    const now = this.now();
    const gap = this.last + (this.options.gapMs ?? 0);
    const soon = Math.max(now + this.options.soonMs, gap);
    const due = when === 'now' ? Math.max(now, gap) : when === 'soon' ? soon : Math.max(soon, this.last + this.options.everyMs);
    if (this.timer && this.due <= due) return;
    clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => this.fire(), due - now);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.last = this.now();
    this.draw();
  }
}
