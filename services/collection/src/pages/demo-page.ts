import type { UiLanguage } from '../../widget/src/i18n';
import { escapeHtml as e, htmlPage, type RenderedPage } from './html';

const style = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f1f1f;background:#fff}
header,main{max-width:720px;margin:0 auto;padding:16px 24px}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #dadce0}
a{color:#0b57d0}
a:focus-visible,button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
code{background:#f1f3f4;padding:2px 4px;border-radius:4px;overflow-wrap:anywhere}
button{font:inherit;padding:8px 16px;border:1px solid #5f6368;border-radius:6px;background:#fff;color:#1f1f1f}`;

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
</main>
${tag}`;
  // The widget's requests go to the API it was loaded from: this same origin.
  return htmlPage({ lang, title: t.title, body, style, csp: "script-src 'self'; connect-src 'self'" });
}
