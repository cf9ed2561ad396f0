import type { PublicSurvey } from '../../src/domain/public-survey';
import { localised, type UiLanguage, uiLanguage, uiText } from './i18n';
import { widgetCss } from './styles';
import { sendWithRetry } from './submit';

/** What a host page sets on the script tag (`data-survey`, `data-api`, …) or passes to `cxloop.show`. */
export interface WidgetOptions {
  survey: string;
  /** Base URL of the cxloop API; default: where the script was loaded from. */
  api: string;
  /** Default: the page's `lang`, else the browser's language. */
  locale?: string;
  /** The host site's user id and its HMAC signature (see the collection README), for verified respondents. */
  respondentId?: string;
  signature?: string;
  /** A CSS selector: render inside that element instead of floating in the corner. */
  target?: string;
}

declare global {
  interface Window {
    cxloop?: { show(options: WidgetOptions): Promise<void> };
  }
}

type Fields = Record<string, unknown>;
type Attributes = Record<string, string | boolean | undefined>;

// The widget must never break its host page: failures go to the console only.
const warn = (message: string, detail?: unknown) => console.warn(`cxloop: ${message}`, detail ?? '');

let ids = 0;
const uid = () => `cx${++ids}`;

function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** One anonymous id per browser, so that the server-side throttle recognises a returning respondent. */
function anonymousId(): string {
  const key = 'cxloop:aid';
  try {
    const stored = localStorage.getItem(key);
    if (stored) return stored;
    const id = randomId('a-');
    localStorage.setItem(key, id);
    return id;
  } catch {
    return randomId('a-');
  }
}

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children);
  return element;
}

/** Native radios or checkboxes in a fieldset: arrow keys, Space and the group's name come with them. */
function choiceGroup(
  legend: string,
  type: 'radio' | 'checkbox',
  name: string,
  choices: Array<[value: string, label: string]>,
  className: string,
): { group: HTMLFieldSetElement; inputs: HTMLInputElement[] } {
  const legendId = uid();
  const options = h('div', { class: className });
  const inputs = choices.map(([value, label]) => {
    const id = uid();
    const input = h('input', { type, id, name, value });
    if (className === 'scale') options.append(input, h('label', { for: id }, label));
    else options.append(h('label', {}, input, label));
    return input;
  });
  const group = h(
    'fieldset',
    type === 'radio' ? { role: 'radiogroup', 'aria-labelledby': legendId } : {},
    h('legend', { id: legendId }, legend),
    options,
  );
  return { group, inputs };
}

function checkedValues(inputs: HTMLInputElement[]): string[] {
  return inputs.filter((input) => input.checked).map((input) => input.value);
}

function render(
  survey: PublicSurvey,
  options: WidgetOptions,
  lang: UiLanguage,
  post: (fields: Fields) => Promise<boolean>,
) {
  const t = uiText[lang];
  const text = (texts: Record<string, string>) => localised(texts, lang);
  const host = h('div', { 'data-cxloop': '' });
  const root = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(widgetCss);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h('style', {}, widgetCss));
  }
  const target = options.target ? document.querySelector(options.target) : null;
  const close = h('button', { type: 'button', class: 'x', 'aria-label': t.close }, '×');
  const body = h('div');
  const status = h('p', { class: 'sr', role: 'status' });
  const panel = h('section', { class: target ? 'w i' : 'w', 'aria-label': t.survey, lang }, close, body, status);
  root.append(panel);
  close.onclick = () => host.remove();
  panel.onkeydown = (event) => {
    const input = event.target as HTMLInputElement;
    if (event.key === 'Escape') host.remove();
    // Enter selects a choice as Space does, instead of submitting the form from a half-answered group.
    if (event.key === 'Enter' && (input.type === 'radio' || input.type === 'checkbox')) {
      event.preventDefault();
      input.checked = input.type === 'radio' || !input.checked;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  };

  const error = () => h('p', { class: 'e', role: 'alert' });
  const submit = (label: string) => h('button', { type: 'submit', class: 's' }, label);

  // Step 1: the score, posted on its own so that it counts even if the respondent leaves after it.
  const { min, max } = survey.scale;
  const scores = Array.from({ length: max - min + 1 }, (_, index): [string, string] => [
    String(min + index),
    String(min + index),
  ]);
  const scale = choiceGroup(text(survey.question), 'radio', 'score', scores, 'scale');
  const [low, high] = t.anchors[survey.type];
  const lowId = uid();
  const highId = uid();
  scale.group.append(h('div', { class: 'ends' }, h('span', { id: lowId }, low), h('span', { id: highId }, high)));
  scale.inputs[0]?.setAttribute('aria-describedby', lowId);
  scale.inputs.at(-1)?.setAttribute('aria-describedby', highId);
  const scoreError = error();
  const scoreForm = h('form', { novalidate: true }, scale.group, scoreError, submit(t.next));
  body.append(scoreForm);

  scoreForm.onchange = () => {
    scoreError.textContent = '';
  };
  scoreForm.onsubmit = (event) => {
    event.preventDefault();
    const [chosen] = checkedValues(scale.inputs);
    if (chosen === undefined) {
      scoreError.textContent = t.chooseScore;
      scale.inputs[0]?.focus();
      return;
    }
    const score = Number(chosen);
    details(score, post({ score }));
  };

  // Step 2: the comment and follow-up questions, posted with the same responseId as a new revision.
  function details(score: number, scorePosted: Promise<boolean>) {
    const commentId = uid();
    const comment = h('textarea', { id: commentId, name: 'comment', rows: '3', maxlength: '5000' });
    const form = h(
      'form',
      { novalidate: true },
      h('label', { for: commentId, class: 'q' }, `${t.comment} ${t.optional}`),
      comment,
    );
    const collectors = survey.followUpQuestions.map((question) => {
      const name = `q-${question.id}`;
      if (question.type === 'text') {
        const id = uid();
        const field = h('textarea', { id, name, rows: '2', maxlength: '2000' });
        form.append(h('label', { for: id, class: 'q' }, text(question.text)), field);
        return () => field.value.trim() || undefined;
      }
      const choices = question.choices.map((choice): [string, string] => [choice.id, text(choice.text)]);
      const type = question.type === 'single_choice' ? 'radio' : 'checkbox';
      const { group, inputs } = choiceGroup(text(question.text), type, name, choices, 'list');
      form.append(group);
      if (question.type === 'single_choice') return () => checkedValues(inputs)[0];
      const limit = question.maxChoices ?? inputs.length;
      group.onchange = () => {
        const full = checkedValues(inputs).length >= limit;
        for (const input of inputs) input.disabled = full && !input.checked;
      };
      return () => (checkedValues(inputs).length > 0 ? checkedValues(inputs) : undefined);
    });
    const sendError = error();
    const send = submit(t.send);
    form.append(sendError, send);
    body.replaceChildren(form);
    comment.focus();

    let sending = false;
    form.onsubmit = async (event) => {
      event.preventDefault();
      if (sending) return;
      sending = true;
      send.textContent = t.sending;
      sendError.textContent = '';
      await scorePosted;
      const answers = survey.followUpQuestions.flatMap((question, index) => {
        const value = collectors[index]?.();
        return value === undefined ? [] : [{ questionId: question.id, value }];
      });
      const written = comment.value.trim();
      // The score again: if its own post was lost, this one still records the whole response.
      const sent = await post({
        score,
        ...(written ? { comment: written } : {}),
        ...(answers.length ? { answers } : {}),
      });
      sending = false;
      if (!sent) {
        send.textContent = t.send;
        sendError.textContent = t.failed;
        return;
      }
      const thanks = text(survey.thankYou);
      body.replaceChildren(h('p', { class: 't' }, thanks));
      status.textContent = thanks;
      close.focus();
    };
  }

  (target ?? document.body).append(host);
}

/** Why the widget shows nothing: `detail` of the `cxloop:unavailable` event, for host pages that want to know. */
export interface Unavailable {
  survey: string;
  reason:
    | 'origin_not_allowed'
    | 'survey_not_found'
    | 'survey_paused'
    | 'responded_recently'
    | 'asked_recently'
    | 'not_sampled'
    | 'rate_limited'
    | 'unreachable'
    | 'failed'
    | (string & {});
  /** The HTTP status, when a request failed. */
  status?: number;
  /** When this visitor may be asked again. */
  nextAskAt?: string;
}

function unavailable(survey: string, why: Omit<Unavailable, 'survey'>): void {
  document.dispatchEvent(new CustomEvent<Unavailable>('cxloop:unavailable', { detail: { survey, ...why } }));
}

async function show(options: WidgetOptions): Promise<void> {
  const base = `${options.api.replace(/\/+$/, '')}/v1/surveys/${encodeURIComponent(options.survey)}`;
  const locale = options.locale || document.documentElement.lang || navigator.language;
  const lang = uiLanguage(locale);
  const respondent = {
    anonymousId: anonymousId(),
    ...(options.respondentId ? { id: options.respondentId, signature: options.signature } : {}),
  };
  const json = { 'content-type': 'application/json' };
  let ask: Response;
  let definition: Response;
  try {
    [ask, definition] = await Promise.all([
      fetch(`${base}/asks`, { method: 'POST', headers: json, body: JSON.stringify({ respondent }) }),
      fetch(`${base}/public`),
    ]);
  } catch (error) {
    // A cross-origin refusal carries no CORS headers, so the browser reports it as a network failure.
    warn('the survey cannot be reached (is this origin among its allowedOrigins?)', error);
    unavailable(options.survey, { reason: 'unreachable' });
    return;
  }
  if (!ask.ok || !definition.ok) {
    warn(`the survey cannot be shown (asks ${ask.status}, definition ${definition.status})`);
    const refusal = ((await ask.json().catch(() => ({}))) as { error?: string }).error;
    unavailable(options.survey, {
      reason:
        refusal === 'origin_not_allowed'
          ? refusal
          : ask.status === 404 || definition.status === 404
            ? 'survey_not_found'
            : ask.status === 429
              ? 'rate_limited'
              : 'failed',
      status: ask.ok ? definition.status : ask.status,
    });
    return;
  }
  const decision = (await ask.json()) as { ask: boolean; reason?: string; nextAskAt?: string };
  if (!decision.ask) {
    unavailable(options.survey, {
      reason: decision.reason ?? 'failed',
      ...(decision.nextAskAt ? { nextAskAt: decision.nextAskAt } : {}),
    });
    return;
  }
  const survey = (await definition.json()) as PublicSurvey;

  const responseId = randomId('w-');
  const pageUrl = `${location.origin}${location.pathname}`.slice(0, 500);
  const post = async (fields: Fields): Promise<boolean> => {
    const body = { responseId, locale: lang, channel: 'web', respondent, context: { pageUrl }, ...fields };
    try {
      const response = await sendWithRetry(fetch, `${base}/responses`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(body),
        keepalive: true,
      });
      if (response.ok) return true;
      warn(`the answer was refused (${response.status})`, await response.text());
    } catch (error) {
      warn('the answer could not be sent', error);
    }
    return false;
  };
  const start = () => render(survey, options, lang, post);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}

const script = document.currentScript as HTMLScriptElement | null;
if (!window.cxloop) {
  const cxloop = {
    show: (options: WidgetOptions) => show(options).catch((error) => warn('the survey failed', error)),
  };
  window.cxloop = cxloop;
  const data = script?.dataset;
  if (data?.survey && script) {
    void cxloop.show({
      survey: data.survey,
      api: data.api || new URL(script.src, location.href).origin,
      ...(data.locale ? { locale: data.locale } : {}),
      ...(data.respondentId ? { respondentId: data.respondentId } : {}),
      ...(data.signature ? { signature: data.signature } : {}),
      ...(data.target ? { target: data.target } : {}),
    });
  }
}
