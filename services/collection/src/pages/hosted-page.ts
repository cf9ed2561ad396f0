import { hostedPageScript } from '../../widget/generated/bundles';
import { localised, type UiLanguage, uiText } from '../../widget/src/i18n';
import { widgetCss } from '../../widget/src/styles';
import type { PublicSurvey } from '../domain/public-survey';
import { escapeHtml as e, htmlPage, type RenderedPage } from './html';

/** The widget's look, laid out as a page that fits a phone. */
const pageCss = `${widgetCss}
body{margin:0;padding:12px;background:#f1f3f4}
.w.i{max-width:560px;margin:0 auto;padding:20px 24px 24px}
h1{margin:0;font-size:1.2rem;font-weight:600}
.scale label{min-height:44px}
nav{margin-bottom:12px;text-align:right;font-size:14px}
nav a{color:#0b57d0;margin-left:12px}
nav a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
`;

/** What the respondent had entered, to fill the form in again when it comes back with an error. */
export interface HostedAnswer {
  responseId: string;
  score?: number;
  comment?: string;
  answers: Array<{ questionId: string; value: string | string[] }>;
}

/** The hosted form's fields: `responseId`, `score`, `comment` and `q-<question id>` per follow-up question. */
export function answerFromForm(form: URLSearchParams, survey: PublicSurvey): HostedAnswer {
  const score = form.get('score')?.trim();
  const comment = form.get('comment')?.trim();
  const answers = survey.followUpQuestions.flatMap((question): HostedAnswer['answers'] => {
    const name = `q-${question.id}`;
    if (question.type === 'multiple_choice') {
      const values = form.getAll(name).filter((value) => value !== '');
      return values.length > 0 ? [{ questionId: question.id, value: values }] : [];
    }
    const value = form.get(name)?.trim();
    return value ? [{ questionId: question.id, value }] : [];
  });
  return {
    responseId: form.get('responseId') ?? '',
    ...(score && /^\d{1,2}$/.test(score) ? { score: Number(score) } : {}),
    ...(comment ? { comment } : {}),
    answers,
  };
}

function languageLinks(query: URLSearchParams): string {
  const link = (lang: UiLanguage, label: string) => {
    const target = new URLSearchParams(query);
    target.set('lang', lang);
    return `<a href="?${e(target.toString())}" lang="${lang}" hreflang="${lang}">${label}</a>`;
  };
  return `<nav aria-label="Language / Язык">${link('en', 'English')}${link('ru', 'Русский')}</nav>`;
}

function choiceInputs(
  type: 'radio' | 'checkbox',
  name: string,
  choices: Array<{ value: string; label: string }>,
  checked: (value: string) => boolean,
): string {
  return choices
    .map(
      ({ value, label }) =>
        `<label><input type="${type}" name="${e(name)}" value="${e(value)}"${checked(value) ? ' checked' : ''}>${e(label)}</label>`,
    )
    .join('');
}

export interface SurveyPageOptions {
  survey: PublicSurvey;
  lang: UiLanguage;
  query: URLSearchParams;
  answer: HostedAnswer;
  error?: string;
}

/**
 * The hosted survey as one plain form, posted to its own URL (which keeps the invitation token and language):
 * native radio groups in fieldsets, labels for every field, the error in an alert. The inline script only enhances.
 */
export function surveyPage({ survey, lang, query, answer, error }: SurveyPageOptions, statusCode = 200): RenderedPage {
  const t = uiText[lang];
  const text = (texts: Record<string, string>) => localised(texts, lang);
  const question = text(survey.question);
  const [low, high] = t.anchors[survey.type];
  const { min, max } = survey.scale;
  const scores = Array.from({ length: max - min + 1 }, (_, index) => min + index);
  const scale = scores
    .map((score) => {
      const described = score === min ? ' aria-describedby="low"' : score === max ? ' aria-describedby="high"' : '';
      const checked = answer.score === score ? ' checked' : '';
      return `<input type="radio" id="s${score}" name="score" value="${score}"${checked}${described}><label for="s${score}">${score}</label>`;
    })
    .join('');
  const given = new Map(answer.answers.map((item) => [item.questionId, item.value]));
  const followUps = survey.followUpQuestions
    .map((followUp) => {
      const name = `q-${followUp.id}`;
      const value = given.get(followUp.id);
      if (followUp.type === 'text') {
        return `<label class="q" for="${e(name)}">${e(text(followUp.text))}</label><textarea id="${e(name)}" name="${e(name)}" rows="3" maxlength="2000">${e(typeof value === 'string' ? value : '')}</textarea>`;
      }
      const choices = followUp.choices.map((choice) => ({ value: choice.id, label: text(choice.text) }));
      const single = followUp.type === 'single_choice';
      const inputs = choiceInputs(single ? 'radio' : 'checkbox', name, choices, (id) =>
        Array.isArray(value) ? value.includes(id) : value === id,
      );
      const legendId = `l-${e(followUp.id)}`;
      const role = single ? ` role="radiogroup" aria-labelledby="${legendId}"` : '';
      return `<fieldset${role}><legend id="${legendId}">${e(text(followUp.text))}</legend><div class="list">${inputs}</div></fieldset>`;
    })
    .join('');
  const body = `<main class="w i">
${languageLinks(query)}
<form method="post" data-cx data-choose-score="${e(t.chooseScore)}" data-sending="${e(t.sending)}" data-failed="${e(t.failed)}" novalidate>
<input type="hidden" name="responseId" value="${e(answer.responseId)}">
<fieldset role="radiogroup" aria-labelledby="question"><legend id="question"><h1>${e(question)}</h1></legend>
<div class="scale">${scale}</div>
<div class="ends"><span id="low">${e(low)}</span><span id="high">${e(high)}</span></div></fieldset>
<label class="q" for="comment">${e(t.comment)} ${e(t.optional)}</label>
<textarea id="comment" name="comment" rows="4" maxlength="5000">${e(answer.comment ?? '')}</textarea>
${followUps}
<p id="cx-error" class="e" role="alert">${e(error ?? '')}</p>
<button type="submit" class="s">${e(t.send)}</button>
</form>
<p id="cx-status" class="t" role="status"></p>
</main>`;
  return htmlPage(
    { lang, title: error ? `${error} ${question}` : question, body, style: pageCss, script: hostedPageScript },
    statusCode,
  );
}

/** A page with one message: the thank-you, or why the survey cannot be answered. */
export function messagePage(lang: UiLanguage, message: string, statusCode = 200): RenderedPage {
  return htmlPage(
    { lang, title: message, body: `<main class="w i"><h1>${e(message)}</h1></main>`, style: pageCss },
    statusCode,
  );
}
