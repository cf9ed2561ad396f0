import { destroyCharts } from '../charts';
import { h, replaceChildren } from '../dom';
import { type Locale, translator } from '../i18n';
import type { ViewContext } from './common';

export interface Shell {
  readonly header: HTMLElement;
  readonly main: HTMLElement;
  readonly live: HTMLElement;
}

/** Draws the page frame into `root`: skip link, top bar (languages, sign-out when signed in), live region, main. */
export function renderShell(
  root: HTMLElement,
  { tr }: ViewContext,
  locale: Locale,
  actions: { switchLanguage(locale: Locale): void; signOut?: () => void },
): Shell {
  document.documentElement.lang = locale;
  document.title = tr.t('appTitle');
  const main = h('main', { id: 'main', tabindex: '-1' });
  const skip = h(
    'a',
    {
      class: 'skip-link',
      href: '#main',
      on: {
        click: (event) => {
          event.preventDefault();
          main.focus();
        },
      },
    },
    tr.t('skipToContent'),
  );
  const languageButtons = (['en', 'ru'] as const).map((each) => {
    const name = translator(each).t('languageName');
    return h(
      'button',
      {
        type: 'button',
        class: 'language',
        lang: each,
        'aria-pressed': String(each === locale),
        'data-testid': `lang-${each}`,
        on: { click: () => actions.switchLanguage(each) },
      },
      each.toUpperCase(),
      h('span', { class: 'sr-only' }, ` (${name})`),
    );
  });
  const { signOut } = actions;
  const header = h(
    'header',
    { class: 'topbar', 'data-signed-in': String(!!signOut) },
    h('p', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◎'), ' cxloop'),
    h('h1', {}, tr.t('appTitle').replace(/^cxloop — /, '')),
    h(
      'div',
      { class: 'topbar-actions' },
      h('div', { role: 'group', 'aria-label': tr.t('language'), class: 'languages' }, languageButtons),
      signOut
        ? h(
            'button',
            { type: 'button', class: 'secondary', 'data-testid': 'sign-out', on: { click: () => signOut() } },
            tr.t('signOut'),
          )
        : null,
    ),
  );
  const live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'data-testid': 'live' });
  destroyCharts(root);
  replaceChildren(root, skip, header, live, main);
  return { header, main, live };
}
