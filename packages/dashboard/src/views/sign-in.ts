import { h, replaceChildren } from '../dom';
import type { ViewContext } from './common';

/** The form that asks for the API key; `submit` gets the trimmed key and reports back through `error`. */
export function renderSignIn(
  main: HTMLElement,
  { tr }: ViewContext,
  message: string | undefined,
  submit: (apiKey: string, error: HTMLElement, button: HTMLButtonElement) => void,
): void {
  const input = h('input', {
    id: 'api-key',
    type: 'password',
    name: 'apiKey',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'sign-in-error',
  });
  const error = h(
    'p',
    { id: 'sign-in-error', class: 'error-text', role: 'alert', 'data-testid': 'sign-in-error' },
    message ?? '',
  );
  const button = h('button', { type: 'submit' }, tr.t('signIn'));
  const form = h(
    'form',
    {
      class: 'sign-in-form',
      on: {
        submit: (event) => {
          event.preventDefault();
          submit(input.value.trim(), error, button);
        },
      },
    },
    h('label', { for: 'api-key' }, tr.t('apiKey')),
    input,
    button,
    error,
  );
  replaceChildren(
    main,
    h(
      'section',
      { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
      h('h2', { id: 'sign-in-title' }, tr.t('signInTitle')),
      h('p', {}, tr.t('signInIntro')),
      form,
    ),
  );
  input.focus();
}
