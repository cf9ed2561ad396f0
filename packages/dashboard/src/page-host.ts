import type { ApiClient, KeyRole } from './api';
import type { Locale } from './i18n';
import type { ViewState } from './view-state';
import type { ViewContext } from './views/common';

/** One page's requests: `current()` turns false once another page (or sign-out) has started. */
export interface Load {
  readonly signal: AbortSignal;
  current(): boolean;
}

/** What the app lends a page while it is shown to a signed-in reader. */
export interface PageHost {
  readonly context: ViewContext;
  readonly locale: Locale;
  readonly api: ApiClient;
  readonly role: KeyRole;
  readonly main: HTMLElement;
  /** The polite live region that announces updates to screen readers. */
  readonly live: HTMLElement;
  /** The state the URL's hash says; a page may complete it (the survey it chose) without a new history entry. */
  state: ViewState;
  navigate(change: Partial<ViewState>): void;
  /** Aborts the previous page's requests. */
  startLoad(): Load;
  /** The error in the reader's words; a 401 ends the session, whatever section asked. */
  failed(error: unknown): string;
}
