// What Restricted Mode leaves out, said where the user looks: the Releases view's message and
// the log. Settings are re-read on every change, the policy when it is next loaded; each
// sentence is logged once per time it appears, not at every re-read.
import * as vscode from 'vscode';
import type { LensSettings } from './config';

export const RESTRICTED_MODE_MESSAGE =
  'Restricted mode: workspace settings that weaken verification are ignored, no file of the workspace is read through a setting or the policy, and no credential helper runs.';

export class RestrictedNotes {
  private fromSettings: readonly string[] = [];
  private fromPolicy: string | undefined;
  private logged = new Set<string>();
  private view: Pick<vscode.TreeView<unknown>, 'message'> | undefined;

  constructor(private readonly warn: (line: string) => void) {}

  /** Where the notes show (the Releases view, created after the verifier that reports to this). */
  attach(view: Pick<vscode.TreeView<unknown>, 'message'>): void {
    this.view = view;
    this.show();
  }

  /** The settings as just read. */
  settings(settings: LensSettings): void {
    this.fromSettings = settings.refused.map((r) => r.reason);
    this.show();
  }

  /** The verifier's latest word on the policy file (undefined: not refused, or not loaded yet). */
  policy(reason: string | undefined): void {
    this.fromPolicy = reason;
    this.show();
  }

  /** The sentences in effect, for the view and the tests. */
  lines(): string[] {
    return [...this.fromSettings, ...(this.fromPolicy ? [this.fromPolicy] : [])];
  }

  private show(): void {
    const lines = this.lines();
    for (const line of lines) if (!this.logged.has(line)) this.warn(line);
    this.logged = new Set(lines);
    // An empty message removes it (TreeView.message).
    if (this.view) this.view.message = vscode.workspace.isTrusted ? '' : [RESTRICTED_MODE_MESSAGE, ...lines].join(' ');
  }
}
