/** The webview side of the bridge: typed postMessage and state, and nothing else of the VS Code API. */
import type { FromWebview, WebviewState } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Bridge {
  post(message: FromWebview): void;
  state(): WebviewState;
  saveState(state: WebviewState): void;
}

export function vscodeBridge(): Bridge {
  const api = acquireVsCodeApi();
  return {
    post: (m) => api.postMessage(m),
    state: () => api.getState() ?? {},
    saveState: (s) => api.setState(s),
  };
}
