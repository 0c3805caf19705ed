/** What every renderer gets: the document, the localised labels, and a way to send intents to the host. */
import type { FromWebview, RunAction, UiStrings, WebviewState } from '../../shared/protocol';
import type { Ctx } from '../dom';

export interface RenderCtx extends Ctx {
  strings: UiStrings;
  state: WebviewState;
  post(message: FromWebview): void;
  run(action: RunAction): void;
  saveState(): void;
  /** Re-renders with the current view (after a local UI state change). */
  rerender(): void;
}
