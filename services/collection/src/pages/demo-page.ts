import type { UiLanguage } from '../../widget/src/i18n';
import { cspHash, escapeHtml as e, htmlPage, type RenderedPage } from './html';

const style = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f1f1f;background:#fff}
header,main{max-width:720px;margin:0 auto;padding:16px 24px}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #dadce0}
a{color:#0b57d0}
a:focus-visible,button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
code{background:#f1f3f4;padding:2px 4px;border-radius:4px;overflow-wrap:anywhere}
button{font:inherit;padding:8px 16px;border:1px solid #5f6368;border-radius:6px;background:#fff;color:#1f1f1f}
#why{border:2px solid #b3261e;border-radius:8px;padding:8px 16px;margin:16px 0}`;

/** What the page says when the widget announces (`cxloop:unavailable`) that it shows nothing, and how to fix it. */
interface Reason {
  title: string;
  fix: string;
  /** A command that fixes it: `{api}`, `{survey}` are filled in on the page. */
  command?: string;
}

const patch = (body: string) =>
  `curl -X PATCH {api}/v1/surveys/{survey} -H "Authorization: Bearer $KEY" -H 'content-type: application/json' -d '${body}'`;
const noThrottle = patch('{"throttle":{"minDaysAfterResponse":0,"minDaysBetweenAsks":0,"sampleRate":1}}');
const allowOrigin = patch('{"allowedOrigins":["{origin}"]}');
const create = `curl -X POST {api}/v1/surveys -H "Authorization: Bearer $KEY" -H 'content-type: application/json' -d '{"name":"Demo NPS","type":"nps"}'`;

const reasons: Record<UiLanguage, Record<string, Reason>> = {
  en: {
    survey_not_found: {
      title: 'There is no survey {survey} in this deployment.',
      fix: 'Create one (KEY is the admin key npm start printed) and open this page with its id:',
      command: create,
    },
    survey_paused: {
      title: 'The survey is paused, so nobody is asked.',
      fix: 'Resume it:',
      command: patch('{"status":"active"}'),
    },
    origin_not_allowed: {
      title: 'This page’s origin ({origin}) is not among the survey’s allowed origins.',
      fix: 'Add it:',
      command: allowOrigin,
    },
    unreachable: {
      title: 'The survey’s API did not answer, or refused this page’s origin ({origin}).',
      fix: 'Check that cxloop is running; a page on another site must be listed in allowedOrigins:',
      command: allowOrigin,
    },
    responded_recently: {
      title: 'This browser answered the survey recently: it will be asked again from {date}.',
      fix: 'Open this page in a private window, or let the survey ask again at once:',
      command: noThrottle,
    },
    asked_recently: {
      title: 'This browser was asked recently: it will be asked again from {date}.',
      fix: 'Open this page in a private window, or let the survey ask again at once:',
      command: noThrottle,
    },
    not_sampled: {
      title: 'This visitor was not drawn into the survey’s sample; the next draw is from {date}.',
      fix: 'Ask everyone, at once:',
      command: noThrottle,
    },
    rate_limited: { title: 'Too many requests from this address.', fix: 'Wait a minute and reload the page.' },
    failed: {
      title: 'The survey could not be loaded (HTTP {status}).',
      fix: 'The browser console and the output of npm start say more.',
    },
  },
  ru: {
    survey_not_found: {
      title: 'Опроса {survey} в этой установке нет.',
      fix: 'Создайте опрос (KEY — ключ администратора, который напечатал npm start) и откройте страницу с его id:',
      command: create,
    },
    survey_paused: {
      title: 'Опрос приостановлен, поэтому никого не спрашивают.',
      fix: 'Возобновите его:',
      command: patch('{"status":"active"}'),
    },
    origin_not_allowed: {
      title: 'Источника этой страницы ({origin}) нет среди разрешённых источников опроса.',
      fix: 'Добавьте его:',
      command: allowOrigin,
    },
    unreachable: {
      title: 'API опроса не ответил или отклонил источник этой страницы ({origin}).',
      fix: 'Проверьте, что cxloop запущен; страницу другого сайта нужно указать в allowedOrigins:',
      command: allowOrigin,
    },
    responded_recently: {
      title: 'Этот браузер недавно ответил на опрос: его спросят снова с {date}.',
      fix: 'Откройте страницу в приватном окне или разрешите опросу спрашивать снова сразу:',
      command: noThrottle,
    },
    asked_recently: {
      title: 'Этот браузер недавно спрашивали: его спросят снова с {date}.',
      fix: 'Откройте страницу в приватном окне или разрешите опросу спрашивать снова сразу:',
      command: noThrottle,
    },
    not_sampled: {
      title: 'Этот посетитель не попал в выборку опроса; следующий розыгрыш — с {date}.',
      fix: 'Спрашивать всех и сразу:',
      command: noThrottle,
    },
    rate_limited: { title: 'Слишком много запросов с этого адреса.', fix: 'Подождите минуту и обновите страницу.' },
    failed: {
      title: 'Опрос не загрузился (HTTP {status}).',
      fix: 'Подробности — в консоли браузера и в выводе npm start.',
    },
  },
};

/**
 * Shows the widget's reason on the page. Registered before the async widget script can run, so no event is missed;
 * the texts are static, so its CSP hash is computed once per language.
 */
const reasonScript = (lang: UiLanguage) => `(() => {
const reasons = ${JSON.stringify(reasons[lang]).replace(/</g, '\\u003c')};
document.addEventListener('cxloop:unavailable', (event) => {
  const detail = event.detail;
  const reason = reasons[detail.reason] || reasons.failed;
  const fill = (text) => text
    .replaceAll('{api}', location.origin).replaceAll('{origin}', location.origin).replaceAll('{survey}', detail.survey)
    .replaceAll('{status}', String(detail.status ?? '')).replaceAll('{date}', detail.nextAskAt ? new Date(detail.nextAskAt).toLocaleString(document.documentElement.lang) : '');
  const box = document.getElementById('why');
  box.querySelector('strong').textContent = fill(reason.title);
  box.querySelector('span').textContent = fill(reason.fix);
  box.querySelector('code').textContent = reason.command ? fill(reason.command) : '';
  box.querySelector('code').hidden = !reason.command;
  box.dataset.reason = detail.reason;
  box.hidden = false;
});
})();`;
const scripts = { en: reasonScript('en'), ru: reasonScript('ru') };
const scriptHashes = { en: cspHash(scripts.en), ru: cspHash(scripts.ru) };

const texts = {
  en: {
    title: 'Demo shop',
    order: 'Your order #1042 has been delivered',
    details: 'Thank you for shopping with us. The survey in the corner comes from one script tag:',
    again: 'Order again',
    missing: 'Open this page with ?survey=<survey id> to show a survey, e.g. /demo?survey=srv_…',
  },
  ru: {
    title: 'Демо-магазин',
    order: 'Ваш заказ № 1042 доставлен',
    details: 'Спасибо за покупку! Опрос в углу страницы подключён одним тегом script:',
    again: 'Заказать снова',
    missing: 'Откройте страницу с ?survey=<id опроса>, чтобы показать опрос, например /demo?survey=srv_…',
  },
} as const;

/** A host page as a customer's site would be: its own content, and the widget added by one async script tag. */
export function demoPage(lang: UiLanguage, surveyId: string | undefined): RenderedPage {
  const t = texts[lang];
  const tag = surveyId
    ? `<script async src="/widget.js" data-survey="${e(surveyId)}" data-locale="${lang}"></script>`
    : '';
  const other = lang === 'ru' ? 'en' : 'ru';
  const query = new URLSearchParams({ ...(surveyId ? { survey: surveyId } : {}), lang: other });
  const body = `<header><strong>${e(t.title)}</strong><a href="?${e(query.toString())}" lang="${other}">${other === 'ru' ? 'Русский' : 'English'}</a></header>
<main>
<h1>${e(t.order)}</h1>
<p>${e(t.details)}</p>
<p><code>${e(tag || t.missing)}</code></p>
<button type="button">${e(t.again)}</button>
<div id="why" role="alert" data-testid="why" hidden><p><strong></strong></p><p><span></span></p><p><code></code></p></div>
</main>
<script>${scripts[lang]}</script>
${tag}`;
  // The widget's requests go to the API it was loaded from: this same origin.
  return htmlPage({
    lang,
    title: t.title,
    body,
    style,
    csp: `script-src 'self' ${scriptHashes[lang]}; connect-src 'self'`,
  });
}
