import { createHash } from 'node:crypto';
import { escapeHtml, type MessageLocale } from './messages';

/** The form field and value of an RFC 8058 one-click unsubscribe POST (mail clients send exactly this body). */
export const ONE_CLICK_FIELD = 'List-Unsubscribe';
export const ONE_CLICK_VALUE = 'One-Click';

export type UnsubscribePageState = 'confirm' | 'done' | 'invalid';

const copy: Record<
  MessageLocale,
  { title: string; confirm: string; button: string; done: string; doneNote: string; invalid: string }
> = {
  en: {
    title: 'Unsubscribe',
    confirm: 'Stop all messages from us to you? You will not get any more surveys or follow-up e-mails.',
    button: 'Unsubscribe',
    done: 'You are unsubscribed.',
    doneNote: 'We will not send you any more messages. You can close this page.',
    invalid: 'This unsubscribe link is not valid. Please use the link from the most recent message you received.',
  },
  ru: {
    title: 'Отписка',
    confirm: 'Больше не присылать вам сообщений? Вы не будете получать ни опросов, ни писем по вашим обращениям.',
    button: 'Отписаться',
    done: 'Вы отписались.',
    doneNote: 'Мы больше не будем присылать вам сообщения. Эту страницу можно закрыть.',
    invalid: 'Эта ссылка для отписки недействительна. Воспользуйтесь ссылкой из последнего полученного письма.',
  },
};

const style = [
  'body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f6}',
  'main{max-width:32rem;margin:10vh auto;padding:2rem;background:#fff;border-radius:8px}',
  'h1{font-size:1.5rem;margin:0 0 1rem}',
  'button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:6px;background:#1a56db;color:#fff;cursor:pointer}',
  'button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}',
].join('');
const styleHash = `'sha256-${createHash('sha256').update(style).digest('base64')}'`;

export interface RenderedUnsubscribePage {
  statusCode: number;
  headers: Record<string, string>;
  html: string;
}

/** The page's language: `?lang=` first, then the browser's preferred language; English otherwise. */
export function unsubscribePageLocale(lang: string | undefined, acceptLanguage: string | undefined): MessageLocale {
  const preferred = lang ?? acceptLanguage?.split(',')[0];
  return preferred?.trim().toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/**
 * The one-click unsubscribe page, in Russian or English: `confirm` asks before anything happens (a GET never
 * unsubscribes, since mail scanners follow links), its button POSTs the same body an RFC 8058 mail client sends;
 * `done` confirms; `invalid` says the link is not valid, and nothing else (no detail of why).
 */
export function unsubscribePage(state: UnsubscribePageState, locale: MessageLocale): RenderedUnsubscribePage {
  const text = copy[locale];
  const content = {
    confirm: [
      `<h1>${escapeHtml(text.title)}</h1>`,
      `<p>${escapeHtml(text.confirm)}</p>`,
      // No action attribute: the form posts back to this very URL (the token is in the path, `?lang` is kept).
      '<form method="post">',
      `<input type="hidden" name="${ONE_CLICK_FIELD}" value="${ONE_CLICK_VALUE}">`,
      `<button type="submit">${escapeHtml(text.button)}</button>`,
      '</form>',
    ],
    done: [`<h1>${escapeHtml(text.done)}</h1>`, `<p role="status">${escapeHtml(text.doneNote)}</p>`],
    invalid: [`<h1>${escapeHtml(text.title)}</h1>`, `<p role="alert">${escapeHtml(text.invalid)}</p>`],
  }[state];
  const html = [
    '<!doctype html>',
    `<html lang="${locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(text.title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...content,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return {
    statusCode: state === 'invalid' ? 400 : 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src ${styleHash}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      // The token in the path must not leak to other sites.
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
    html,
  };
}

/** Whether a form body is the RFC 8058 one-click request (`List-Unsubscribe=One-Click`). */
export function isOneClickBody(body: string): boolean {
  return new URLSearchParams(body).getAll(ONE_CLICK_FIELD).includes(ONE_CLICK_VALUE);
}
