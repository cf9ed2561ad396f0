import { type ApiClient, ApiError, apiClient, type KeyRole, loadApiBase, session } from './api';
import { showCase } from './case-page';
import { DashboardPage } from './dashboard-page';
import { showFeedback } from './feedback-page';
import { formatter } from './format';
import { isLocale, type Locale, translator } from './i18n';
import { keyAccess } from './loading';
import type { Load, PageHost } from './page-host';
import type { Survey } from './types';
import { formatHash, parseHash, type ViewState } from './view-state';
import { errorMessage, type ViewContext } from './views/common';
import { renderShell, type Shell } from './views/shell';
import { renderSignIn } from './views/sign-in';

const LOCALE_KEY = 'cxloop.dashboard.locale';

function preferredLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  if (isLocale(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

function contextFor(locale: Locale): ViewContext {
  const tr = translator(locale);
  return { tr, fmt: formatter(tr) };
}

interface SignedIn {
  readonly api: ApiClient;
  readonly role: KeyRole;
  readonly dashboard: DashboardPage;
}

/** The dashboard: one instance per page, driven by the URL's hash. */
export class DashboardApp {
  private state: ViewState = parseHash('');
  private locale: Locale = preferredLocale();
  private context: ViewContext = contextFor(this.locale);
  private signedIn: SignedIn | undefined;
  private signInMessage: string | undefined;
  private shell: (Shell & { readonly locale: Locale; readonly signedIn: boolean }) | undefined;
  private loading: AbortController | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly apiBase: string,
  ) {
    const stored = session.read();
    if (stored) this.useKey(stored.apiKey, stored.role, undefined);
  }

  /** surveys: those the key check listed, undefined if not asked yet, null if the key may not list them. */
  private useKey(apiKey: string, role: KeyRole, surveys: Survey[] | null | undefined): void {
    this.signedIn = { api: apiClient(this.apiBase, apiKey), role, dashboard: new DashboardPage(surveys) };
  }

  /** Reads the hash and shows what it says. */
  route(): void {
    this.state = parseHash(location.hash);
    const locale = this.state.lang ?? preferredLocale();
    if (locale !== this.locale || !this.shell) {
      this.locale = locale;
      this.context = contextFor(locale);
    }
    const shell = this.currentShell();
    if (!this.signedIn) {
      renderSignIn(shell.main, this.context, this.signInMessage, (apiKey, error, button) => {
        void this.signIn(apiKey, error, button);
      });
      return;
    }
    const host = this.pageHost(shell, this.signedIn);
    if (this.state.route.name === 'case') void showCase(host, this.state.route.caseId);
    else if (this.state.route.name === 'feedback') void showFeedback(host, this.state.route.topic);
    else void this.signedIn.dashboard.show(host);
  }

  private navigate(change: Partial<ViewState>): void {
    const next = formatHash({ ...this.state, ...change });
    if (next !== location.hash) location.hash = next;
  }

  /** The frame, redrawn only when the language or the signed-in state changed. */
  private currentShell(): Shell {
    const signedIn = !!this.signedIn;
    if (this.shell?.locale === this.locale && this.shell.signedIn === signedIn) return this.shell;
    const shell = renderShell(this.root, this.context, this.locale, {
      switchLanguage: (locale) => this.switchLanguage(locale),
      ...(signedIn ? { signOut: () => this.signOut() } : {}),
    });
    this.shell = { ...shell, locale: this.locale, signedIn };
    return shell;
  }

  private pageHost(shell: Shell, { api, role }: SignedIn): PageHost {
    const app = this;
    return {
      context: this.context,
      locale: this.locale,
      api,
      role,
      main: shell.main,
      live: shell.live,
      get state() {
        return app.state;
      },
      set state(value) {
        app.state = value;
      },
      navigate: (change) => this.navigate(change),
      startLoad: () => this.startLoad(),
      failed: (error) => this.failed(error),
    };
  }

  private startLoad(): Load {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    return { signal: controller.signal, current: () => this.loading === controller && !controller.signal.aborted };
  }

  private switchLanguage(locale: Locale): void {
    localStorage.setItem(LOCALE_KEY, locale);
    this.navigate({ lang: locale });
    // The header was rebuilt in the new language: keep the keyboard where it was.
    queueMicrotask(() =>
      this.shell?.header.querySelector<HTMLButtonElement>(`[data-testid="lang-${locale}"]`)?.focus(),
    );
  }

  private async signIn(apiKey: string, error: HTMLElement, button: HTMLButtonElement): Promise<void> {
    const { tr } = this.context;
    if (!apiKey) {
      error.textContent = tr.t('emptyKey');
      return;
    }
    button.disabled = true;
    error.textContent = tr.t('checkingKey');
    try {
      const { role, surveys } = await keyAccess(apiClient(this.apiBase, apiKey));
      session.write({ apiKey, role });
      this.useKey(apiKey, role, surveys);
      this.signInMessage = undefined;
      this.route();
    } catch (failure) {
      error.textContent =
        failure instanceof ApiError && failure.status === 401
          ? tr.t('unauthorized')
          : errorMessage(this.context, failure);
      button.disabled = false;
    }
  }

  private signOut(message?: string): void {
    this.loading?.abort();
    session.clear();
    this.signedIn = undefined;
    this.signInMessage = message;
    this.route();
  }

  /** Every API error passes here: a 401 ends the session, whatever section asked. */
  private failed(error: unknown): string {
    if (error instanceof ApiError && error.status === 401) {
      queueMicrotask(() => this.signOut(this.context.tr.t('sessionEnded')));
    }
    return errorMessage(this.context, error);
  }
}

export async function start(root: HTMLElement): Promise<DashboardApp> {
  const app = new DashboardApp(root, await loadApiBase(document.baseURI));
  window.addEventListener('hashchange', () => app.route());
  app.route();
  return app;
}
