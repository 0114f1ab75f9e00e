// Shared by the browser side (test/e2e/webview.test.ts) and the in-host side
// (webview-scenario.ts) of the webview scenario: no `vscode` here, the test process has none.

/** Names the folder the two sides talk through (set on code-server, inherited by its hosts). */
export const SCENARIO_ENV = 'PROVENANCE_LENS_PANEL_SCENARIO';

export type ScenarioRequest =
  { readonly id: number; readonly action: 'open'; readonly fixture: 'nice' | 'hostile' | 'unauthorized' } | { readonly id: number; readonly action: 'finish' };

export interface ScenarioEvent {
  readonly kind: 'started' | 'opened' | 'received' | 'posted' | 'refused' | 'openExternal' | 'clipboard' | 'done' | 'failed';
  readonly [key: string]: unknown;
}
