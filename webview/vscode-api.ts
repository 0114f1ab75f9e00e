// The page's only way out: VS Code's webview API, typed with the panel protocol.
import type { PageMessage, PanelState } from '../src/protocol/panel';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page.
const api = acquireVsCodeApi();

export function post(message: PageMessage): void {
  api.postMessage(message);
}

export function saveState(state: PanelState): void {
  api.setState(state);
}

/** The state saved before the page was last thrown away (hidden, reloaded), if any. */
export function savedState(): Partial<PanelState> {
  const s = api.getState();
  return typeof s === 'object' && s !== null ? (s as Partial<PanelState>) : {};
}
