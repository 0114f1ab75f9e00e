// Which images the policy says anything about (src/releases/policy-coverage.ts), asked of the
// verifier's policy (the same file, settings and Restricted Mode rules) once per image and kept
// until the policy or the settings change. Asked synchronously by the tree, the hovers and the
// Problems: undefined until the answer is in, then a change is announced.
import * as vscode from 'vscode';
import { policyCovers } from '../releases/policy-coverage';
import type { ImagePolicy } from '../verify/policy';
import { watchPolicyFiles } from './policy-watch';

const SETTLE_MS = 100;

export class PolicyCoverage implements vscode.Disposable {
  private readonly known = new Map<string, boolean>();
  private readonly asked = new Set<string>();
  private generation = 0;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly policyOf: (reference: string) => Promise<ImagePolicy>) {
    // After the verifier has dropped the old policy (extension.ts resets it on the same events).
    const reset = () => setTimeout(() => this.reset(), SETTLE_MS);
    this.disposables.push(
      watchPolicyFiles(reset),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('provenanceLens')) reset();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(reset),
    );
  }

  /** True when the policy names the image (or pins a signer for all); undefined until known. */
  covers(reference: string): boolean | undefined {
    const known = this.known.get(reference);
    if (known !== undefined || this.asked.has(reference)) return known;
    this.asked.add(reference);
    const generation = this.generation;
    // A policy that cannot be read covers every image: its error is shown where the verdict would be.
    void this.policyOf(reference)
      .then(policyCovers, () => true)
      .then((covered) => {
        if (generation !== this.generation) return;
        this.known.set(reference, covered);
        this.announce();
      })
      .catch(() => undefined);
    return undefined;
  }

  reset(): void {
    this.generation++;
    this.known.clear();
    this.asked.clear();
    this.announce();
  }

  private announce(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire();
    }, 20);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
