// What the in-host suite writes for the outer test to read: the extension host reports exit
// code 0 even when tests fail, so this file is the only trustworthy verdict.

/** The environment variable naming the results file (set on code-server, inherited by its hosts). */
export const HOST_RESULTS_ENV = 'PROVENANCE_LENS_HOST_RESULTS';

export interface HostTestResult {
  /** `suite title > test title`. */
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs: number;
  /** Message and stack of a failure. */
  readonly error?: string;
}

export interface HostResults {
  /** `vscode.version` of the host that ran the suite. */
  readonly vscodeVersion: string;
  readonly files: readonly string[];
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly tests: readonly HostTestResult[];
  /** A failure to load or run the suite at all (then `tests` may be empty). */
  readonly error?: string;
}
