import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emailTemplateNames,
  escapeHtml,
  InvalidUnsubscribeUrlError,
  idempotencyKey,
  messageLocaleOf,
  personKeyOfUnsubscribeToken,
  renderEmail,
  renderSlackCaseMessage,
  renderWebhookBody,
  renderZendeskTicket,
  UnknownTemplateError,
  unsubscribeToken,
} from '../src/domain/messages';

const unsubscribeUrl = 'https://cx.example.com/v1/unsubscribe?token=abc.def';

describe('messageLocaleOf', () => {
  it.each([
    ['ru-RU', 'ru'],
    ['RU', 'ru'],
    ['en-GB', 'en'],
    ['de-DE', 'en'],
    [undefined, 'en'],
  ] as const)('%s → %s', (locale, expected) => {
    expect(messageLocaleOf(locale)).toBe(expected);
  });
});

describe('renderEmail', () => {
  it('renders every template in Russian and English with a subject, plain text and HTML', () => {
    const variables = { reviewUrl: 'https://reviews.example.com/x', surveyUrl: 'https://cx.example.com/s/1' };
    for (const template of emailTemplateNames) {
      const english = renderEmail({ template, locale: 'en', unsubscribeUrl, variables });
      const russian = renderEmail({ template, locale: 'ru', unsubscribeUrl, variables });
      expect(english.subject).not.toBe(russian.subject);
      expect(russian.subject).toMatch(/[а-яё]/i);
      for (const email of [english, russian]) {
        expect(email.text).toContain(unsubscribeUrl);
        expect(email.html).toContain(`href="${escapeHtml(unsubscribeUrl)}"`);
        expect(email.html).not.toMatch(/\{|undefined/);
      }
    }
  });

  it('sets the RFC 8058 one-click unsubscribe headers', () => {
    expect(renderEmail({ template: 'thank_you', locale: 'en', unsubscribeUrl }).headers).toEqual({
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('links the review site and escapes what goes into the HTML', () => {
    const reviewUrl = 'https://reviews.example.com/write?biz=1&lang=ru"><script>';
    const email = renderEmail({ template: 'thank_you_review', locale: 'ru', unsubscribeUrl, variables: { reviewUrl } });
    expect(email.text).toContain(`Написать отзыв: ${reviewUrl}`);
    expect(email.html).toContain('href="https://reviews.example.com/write?biz=1&amp;lang=ru&quot;&gt;&lt;script&gt;"');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('<html lang="ru">');
  });

  it('refuses an unknown template, a missing link and an unsubscribe URL that is not HTTPS', () => {
    expect(() => renderEmail({ template: 'nope', locale: 'en', unsubscribeUrl })).toThrow(UnknownTemplateError);
    expect(() => renderEmail({ template: 'resolution_survey', locale: 'en', unsubscribeUrl })).toThrow(
      UnknownTemplateError,
    );
    expect(() =>
      renderEmail({ template: 'thank_you', locale: 'en', unsubscribeUrl: 'http://cx.example.com/u' }),
    ).toThrow(InvalidUnsubscribeUrlError);
  });
});

describe('escapeHtml', () => {
  it('leaves no markup characters in any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(escapeHtml(text)).not.toMatch(/[<>"']/);
      }),
    );
  });
});

describe('renderSlackCaseMessage', () => {
  const followUpCase = {
    reason: 'detractor',
    priority: 'high',
    owner: 'anna',
    score: 3,
    text: 'Доставка опоздала <на три дня> & никто не ответил',
    dueAt: '2026-11-21T09:00:00.000Z',
  } as const;
  const caseUrl = 'https://cx.example.com/cases/case_1';

  it('links to the case, quotes the feedback escaped and names the owner', () => {
    const message = renderSlackCaseMessage(followUpCase, { kind: 'opened', caseUrl, locale: 'en' });
    expect(message.text).toBe(`New follow-up case: detractor (high) <${caseUrl}|Open the case>`);
    const serialised = JSON.stringify(message.blocks);
    expect(serialised).toContain('>Доставка опоздала &lt;на три дня&gt; &amp; никто не ответил');
    expect(serialised).toContain('*Owner:* anna');
    expect(serialised).toContain(`"url":"${caseUrl}"`);
    expect(serialised).toContain('<!date^1795251600^');
  });

  it('speaks Russian and announces an escalation', () => {
    const message = renderSlackCaseMessage(
      { ...followUpCase, owner: undefined },
      { kind: 'escalated', caseUrl, locale: 'ru' },
    );
    expect(message.text).toContain('Кейс просрочен');
    expect(JSON.stringify(message.blocks)).toContain('не назначен');
  });
});

describe('renderZendeskTicket', () => {
  it('creates an internal ticket carrying the case id as external id', () => {
    const ticket = renderZendeskTicket(
      { caseId: 'case_1', reason: 'detractor', priority: 'high', score: 2, text: 'Плохо' },
      { caseUrl: 'https://cx.example.com/cases/case_1', locale: 'ru', requesterEmail: 'ivan@example.com' },
    );
    expect(ticket).toEqual({
      ticket: {
        subject: 'Новый кейс для обратной связи: detractor',
        comment: { body: 'Оценка: 2\n\nПлохо\n\nОткрыть кейс: https://cx.example.com/cases/case_1', public: false },
        priority: 'high',
        tags: ['cxloop', 'cxloop_detractor'],
        external_id: 'case_1',
        requester: { email: 'ivan@example.com' },
      },
    });
  });
});

describe('renderWebhookBody', () => {
  it('wraps the data with its type and timestamp', () => {
    const body = renderWebhookBody('case.opened', { caseId: 'case_1' }, new Date('2026-11-20T09:00:00Z'));
    expect(JSON.parse(body)).toEqual({
      type: 'case.opened',
      timestamp: '2026-11-20T09:00:00.000Z',
      data: { caseId: 'case_1' },
    });
  });
});

describe('idempotencyKey', () => {
  const thanks = { type: 'send_message', channel: 'email', template: 'thank_you', ruleId: 'r1' } as const;

  it('is the same for a retry of the same action on the same feedback', () => {
    expect(idempotencyKey(thanks, { feedbackId: 'fb_1' })).toBe(idempotencyKey({ ...thanks }, { feedbackId: 'fb_1' }));
    expect(idempotencyKey(thanks, { feedbackId: 'fb_1' })).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
  });

  it('differs by feedback, rule, channel, template and action', () => {
    const keys = new Set([
      idempotencyKey(thanks, { feedbackId: 'fb_1' }),
      idempotencyKey(thanks, { feedbackId: 'fb_2' }),
      idempotencyKey({ ...thanks, ruleId: 'r2' }, { feedbackId: 'fb_1' }),
      idempotencyKey({ ...thanks, channel: 'slack' }, { feedbackId: 'fb_1' }),
      idempotencyKey({ ...thanks, template: 'thank_you_review' }, { feedbackId: 'fb_1' }),
      idempotencyKey({ type: 'invite_review', template: 'thank_you', ruleId: 'r1' }, { feedbackId: 'fb_1' }),
      idempotencyKey({ type: 'notify', channel: 'slack', ruleId: 'r1' }, { feedbackId: 'fb_1' }),
      idempotencyKey({ type: 'notify', channel: 'slack', target: 'ops', ruleId: 'r1' }, { feedbackId: 'fb_1' }),
    ]);
    expect(keys.size).toBe(8);
  });
});

describe('unsubscribe tokens', () => {
  const key = randomBytes(32);

  it('give back the person they were made for', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'binary' }), (personKey) => {
        expect(personKeyOfUnsubscribeToken(unsubscribeToken(personKey, key), key)).toBe(personKey);
      }),
      { numRuns: 30 },
    );
  });

  it('are refused when forged, tampered with or made with another key', () => {
    const token = unsubscribeToken('email:ivan@example.com', key);
    const forged = Buffer.from('email:olga@example.com').toString('base64url');
    expect(personKeyOfUnsubscribeToken(forged, key)).toBeUndefined();
    const tampered = Buffer.from(token, 'base64url');
    tampered[14] = tampered[14]! ^ 0x01;
    expect(personKeyOfUnsubscribeToken(tampered.toString('base64url'), key)).toBeUndefined();
    expect(personKeyOfUnsubscribeToken(`${token}x`, key)).toBeUndefined();
    expect(personKeyOfUnsubscribeToken(token, randomBytes(32))).toBeUndefined();
    expect(personKeyOfUnsubscribeToken('garbage', key)).toBeUndefined();
    expect(personKeyOfUnsubscribeToken(`${token}.extra`, key)).toBeUndefined();
  });

  it('show nothing of the person in the link', () => {
    const token = unsubscribeToken('email:ivan@example.com', key);
    for (const text of [token, Buffer.from(token, 'base64url').toString('latin1')]) {
      expect(text).not.toContain('ivan');
      expect(text).not.toContain('example.com');
    }
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
