import { createHash } from 'node:crypto';
import type { Feedback } from '@cxloop/events';
import { openToken, sealToken } from '@cxloop/link-tokens';
import type { FollowUpCase } from './cases';
import type { PlannedAction } from './rules';

export type MessageLocale = 'ru' | 'en';

/** Russian for a Russian-speaking recipient, English for everyone else. */
export function messageLocaleOf(locale: string | undefined): MessageLocale {
  return locale?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export class UnknownTemplateError extends Error {
  override readonly name = 'UnknownTemplateError';
}

export class InvalidUnsubscribeUrlError extends Error {
  override readonly name = 'InvalidUnsubscribeUrlError';
}

interface EmailCopy {
  subject: string;
  paragraphs: string[];
  link?: { label: string; url: string };
}

interface EmailVariables {
  reviewUrl?: string;
  surveyUrl?: string;
}

const requireUrl = (template: string, url: string | undefined): string => {
  if (!url) throw new UnknownTemplateError(`Template ${template} needs a link`);
  return url;
};

const emailCopy: Record<MessageLocale, Record<string, (variables: EmailVariables) => EmailCopy>> = {
  en: {
    thank_you: () => ({
      subject: 'Thank you for your feedback',
      paragraphs: ['Thank you for taking the time to tell us how we did.', 'Your answer helps us get better.'],
    }),
    thank_you_review: ({ reviewUrl }) => ({
      subject: 'Thank you! Would you share that in a review?',
      paragraphs: [
        'Thank you for the kind words — we are glad you are happy with us.',
        'If you have a minute, a public review helps other people find us.',
      ],
      link: { label: 'Write a review', url: requireUrl('thank_you_review', reviewUrl) },
    }),
    resolution_survey: ({ surveyUrl }) => ({
      subject: 'Did we solve your problem?',
      paragraphs: [
        'We recently worked on the issue you told us about.',
        'How satisfied are you with how it was solved?',
      ],
      link: { label: 'Rate the solution', url: requireUrl('resolution_survey', surveyUrl) },
    }),
    survey_invitation: ({ surveyUrl }) => ({
      subject: 'How are we doing? One quick question',
      paragraphs: [
        'We would love to hear how your experience with us has been.',
        'It takes less than a minute: one question, and a comment if you like.',
      ],
      link: { label: 'Answer the survey', url: requireUrl('survey_invitation', surveyUrl) },
    }),
  },
  ru: {
    thank_you: () => ({
      subject: 'Спасибо за ваш отзыв',
      paragraphs: ['Спасибо, что нашли время рассказать нам о своём опыте.', 'Ваш ответ помогает нам стать лучше.'],
    }),
    thank_you_review: ({ reviewUrl }) => ({
      subject: 'Спасибо! Поделитесь впечатлениями в отзыве?',
      paragraphs: [
        'Спасибо за тёплые слова — мы рады, что вам у нас нравится.',
        'Если у вас есть минута, публичный отзыв поможет другим людям найти нас.',
      ],
      link: { label: 'Написать отзыв', url: requireUrl('thank_you_review', reviewUrl) },
    }),
    resolution_survey: ({ surveyUrl }) => ({
      subject: 'Удалось ли решить вашу проблему?',
      paragraphs: [
        'Недавно мы занимались вопросом, о котором вы нам написали.',
        'Насколько вы довольны тем, как он был решён?',
      ],
      link: { label: 'Оценить решение', url: requireUrl('resolution_survey', surveyUrl) },
    }),
    survey_invitation: ({ surveyUrl }) => ({
      subject: 'Как у нас дела? Всего один вопрос',
      paragraphs: [
        'Нам очень важно узнать, как вам работается с нами.',
        'Это займёт меньше минуты: один вопрос и, если захотите, комментарий.',
      ],
      link: { label: 'Ответить на вопрос', url: requireUrl('survey_invitation', surveyUrl) },
    }),
  },
};

export const emailTemplateNames = Object.keys(emailCopy.en);

const unsubscribeCopy: Record<MessageLocale, { text: string; label: string }> = {
  en: { text: 'You received this message because you left us feedback.', label: 'Unsubscribe' },
  ru: { text: 'Вы получили это письмо, потому что оставили нам отзыв.', label: 'Отписаться' },
};

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  headers: { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * A customer e-mail in the recipient's language, plain and HTML, with a one-click unsubscribe both in the body and
 * as RFC 8058 headers (an HTTPS URL that takes a POST; SES's DKIM signature must cover both headers, which it does
 * when they are passed as message headers).
 */
export function renderEmail(input: {
  template: string;
  locale: MessageLocale;
  unsubscribeUrl: string;
  variables?: EmailVariables;
}): RenderedEmail {
  const render = emailCopy[input.locale][input.template];
  if (!render) throw new UnknownTemplateError(`No e-mail template ${input.template}`);
  const url = new URL(input.unsubscribeUrl);
  // Plain HTTP only on loopback, for the local runtime's API (http://127.0.0.1:<port>); on AWS it is always HTTPS.
  const loopbackHttp = url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new InvalidUnsubscribeUrlError('RFC 8058 needs an HTTPS unsubscribe URL');
  }
  const { subject, paragraphs, link } = render(input.variables ?? {});
  const footer = unsubscribeCopy[input.locale];

  const text = [
    ...paragraphs,
    ...(link ? [`${link.label}: ${link.url}`] : []),
    '--',
    `${footer.text} ${footer.label}: ${input.unsubscribeUrl}`,
  ].join('\n\n');

  const html = [
    '<!doctype html>',
    `<html lang="${input.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
    `<hr><p style="font-size:12px;color:#666">${escapeHtml(footer.text)} ` +
      `<a href="${escapeHtml(input.unsubscribeUrl)}">${escapeHtml(footer.label)}</a></p>`,
    '</body></html>',
  ].join('\n');

  return {
    subject,
    text,
    html,
    headers: { 'List-Unsubscribe': `<${input.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/** Slack mrkdwn treats these three as control characters; everything else is shown as typed. */
export function escapeSlack(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const slackCopy = {
  en: {
    opened: 'New follow-up case',
    escalated: 'Follow-up case overdue',
    open: 'Open the case',
    owner: 'Owner',
    unassigned: 'unassigned',
    due: 'First contact due',
    score: 'Score',
  },
  ru: {
    opened: 'Новый кейс для обратной связи',
    escalated: 'Кейс просрочен',
    open: 'Открыть кейс',
    owner: 'Ответственный',
    unassigned: 'не назначен',
    due: 'Связаться до',
    score: 'Оценка',
  },
} as const;

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

/** An incoming-webhook message about a case, linking to it in the dashboard. */
export function renderSlackCaseMessage(
  followUpCase: Pick<FollowUpCase, 'reason' | 'priority' | 'owner' | 'score' | 'text' | 'dueAt'>,
  options: { kind: 'opened' | 'escalated'; caseUrl: string; locale: MessageLocale },
): SlackMessage {
  const copy = slackCopy[options.locale];
  const title = `${copy[options.kind]}: ${followUpCase.reason} (${followUpCase.priority})`;
  const details = [
    `*${copy.owner}:* ${escapeSlack(followUpCase.owner ?? copy.unassigned)}`,
    ...(followUpCase.score === undefined ? [] : [`*${copy.score}:* ${followUpCase.score}`]),
    `*${copy.due}:* <!date^${Math.floor(Date.parse(followUpCase.dueAt) / 1000)}^{date_short_pretty} {time}|${followUpCase.dueAt}>`,
  ].join('  ·  ');
  const quote = followUpCase.text ? `>${escapeSlack(truncate(followUpCase.text, 500)).replaceAll('\n', '\n>')}` : '';
  return {
    text: `${escapeSlack(title)} <${options.caseUrl}|${copy.open}>`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(title)}*` } },
      ...(quote ? [{ type: 'section', text: { type: 'mrkdwn', text: quote } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: details }] },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: copy.open }, url: options.caseUrl }],
      },
    ],
  };
}

/** A Zendesk "create ticket" request body; `external_id` is the case id so a retry can find the ticket it made. */
export function renderZendeskTicket(
  followUpCase: Pick<FollowUpCase, 'caseId' | 'reason' | 'priority' | 'score' | 'text'>,
  options: { caseUrl: string; locale: MessageLocale; requesterEmail?: string },
) {
  const copy = slackCopy[options.locale];
  const body = [
    ...(followUpCase.score === undefined ? [] : [`${copy.score}: ${followUpCase.score}`]),
    ...(followUpCase.text ? [followUpCase.text] : []),
    `${copy.open}: ${options.caseUrl}`,
  ].join('\n\n');
  return {
    ticket: {
      subject: `${copy.opened}: ${followUpCase.reason}`,
      comment: { body, public: false },
      priority: followUpCase.priority,
      tags: ['cxloop', `cxloop_${followUpCase.reason}`],
      external_id: followUpCase.caseId,
      ...(options.requesterEmail ? { requester: { email: options.requesterEmail } } : {}),
    },
  };
}

/** The JSON body of an outbound webhook, in the shape the Standard Webhooks spec recommends. */
export function renderWebhookBody(type: string, data: unknown, timestamp: Date): string {
  return JSON.stringify({ type, timestamp: timestamp.toISOString(), data });
}

/**
 * The key a send is de-duplicated on (the message store's conditional write, and the `webhook-id`): the same action
 * of the same rule for the same feedback always gives the same key. The revision is left out on purpose, so that a
 * customer who edits their answer is not thanked twice.
 */
export function idempotencyKey(
  action: Exclude<PlannedAction, { type: 'open_case' }>,
  feedback: Pick<Feedback, 'feedbackId'>,
): string {
  const target = action.type === 'invite_review' ? 'email' : action.channel;
  const template = 'template' in action ? action.template : (action.target ?? '');
  const digest = createHash('sha256')
    .update(JSON.stringify([feedback.feedbackId, action.ruleId, action.type, target, template]))
    .digest('base64url');
  return `msg_${digest.slice(0, 32)}`;
}

/**
 * Unsubscribe tokens carry the person key sealed with the unsubscribe key (see `@cxloop/link-tokens`), so the public
 * one-click endpoint needs no lookup to trust them, nobody can unsubscribe someone else by guessing, and the link
 * shows nothing of whom it is for.
 */
export function unsubscribeToken(personKey: string, signingKey: Uint8Array): string {
  return sealToken(signingKey, 'unsubscribe', Buffer.from(personKey, 'utf8'));
}

/** The person key a token was made for, or undefined when it was not made with this key. */
export function personKeyOfUnsubscribeToken(token: string, signingKey: Uint8Array): string | undefined {
  return openToken([signingKey], 'unsubscribe', token)?.toString('utf8');
}
