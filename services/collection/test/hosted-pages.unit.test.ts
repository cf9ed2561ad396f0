import { describe, expect, it } from 'vitest';
import {
  InvalidInvitationError,
  invitationResponseId,
  openInvitation,
  signInvitation,
} from '../src/domain/invitations';
import { publicSurvey } from '../src/domain/public-survey';
import { newSurvey } from '../src/domain/surveys';
import { answerFromForm, surveyPage } from '../src/pages/hosted-page';
import { cspHash } from '../src/pages/html';

const now = new Date('2025-03-01T12:00:00Z');
const survey = newSurvey(
  {
    name: 'Support CSAT',
    type: 'csat',
    followUpQuestions: [
      { id: 'note', type: 'text', text: { en: 'Anything else?' } },
      {
        id: 'areas',
        type: 'multiple_choice',
        text: { en: 'Which areas?' },
        choices: [
          { id: 'speed', text: { en: 'Speed' } },
          { id: 'tone', text: { en: 'Tone <b>' } },
        ],
      },
    ],
    timeZone: 'UTC',
    allowedOrigins: ['https://shop.example.com'],
    throttle: { minDaysBetweenAsks: 30, minDaysAfterResponse: 90, sampleRate: 1 },
    status: 'active',
  },
  'srv_1',
  now,
);

describe('invitation tokens', () => {
  const secret = 'cxs_secret';
  const invitation = {
    surveyId: 'srv_1',
    respondentId: 'customer-7',
    channel: 'email' as const,
    expiresAt: new Date('2025-03-08T00:00:00Z'),
  };

  it('open to what was signed, for the survey they were signed for, until they expire', () => {
    const token = signInvitation(secret, invitation);
    expect(openInvitation(secret, 'srv_1', token, now)).toEqual(invitation);
    const reason = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as InvalidInvitationError).reason;
      }
    };
    expect(reason(() => openInvitation('cxs_other', 'srv_1', token, now))).toBe('not_authentic');
    expect(reason(() => openInvitation(secret, 'srv_2', token, now))).toBe('not_authentic');
    expect(reason(() => openInvitation(secret, 'srv_1', token, new Date('2025-03-08T00:00:00Z')))).toBe('expired');
    expect(reason(() => openInvitation(secret, 'srv_1', 'not-a-token', now))).toBe('not_authentic');
  });

  it('cannot be changed without breaking the authentication tag', () => {
    const altered = Buffer.from(signInvitation(secret, invitation), 'base64url');
    altered[15] = altered[15]! ^ 0x01;
    expect(() => openInvitation(secret, 'srv_1', altered.toString('base64url'), now)).toThrow(InvalidInvitationError);
  });

  it('give one stable responseId per link', () => {
    const token = signInvitation(secret, invitation);
    expect(invitationResponseId(token)).toBe(invitationResponseId(token));
    expect(invitationResponseId(token)).toMatch(/^i-[0-9a-f]{32}$/);
  });
});

describe('the hosted survey page', () => {
  it('keeps admin fields out of the public definition', () => {
    const view = publicSurvey(survey);
    expect(view).toMatchObject({ id: 'srv_1', type: 'csat', scale: { min: 1, max: 5 }, active: true });
    expect(Object.keys(view)).not.toEqual(expect.arrayContaining(['allowedOrigins']));
    expect(JSON.stringify(view)).not.toMatch(/allowedOrigins|throttle|Support CSAT|createdAt/);
  });

  it('reads the form: score, comment and each follow-up answer by its question', () => {
    const form = new URLSearchParams('responseId=h-1&score=4&comment=+Quick+&q-note=&q-areas=speed&q-areas=tone');
    expect(answerFromForm(form, publicSurvey(survey))).toEqual({
      responseId: 'h-1',
      score: 4,
      comment: 'Quick',
      answers: [{ questionId: 'areas', value: ['speed', 'tone'] }],
    });
    expect(answerFromForm(new URLSearchParams('responseId=h-1&score=x'), publicSurvey(survey)).score).toBeUndefined();
  });

  it('renders a radio group per scale, escapes survey texts, and allows only its own script and style', () => {
    const page = surveyPage({
      survey: publicSurvey(survey),
      lang: 'ru',
      query: new URLSearchParams('t=abc'),
      answer: { responseId: 'h-1', score: 5, answers: [{ questionId: 'areas', value: ['tone'] }] },
      error: 'Пожалуйста, выберите оценку.',
    });
    const html = page.rawBody;
    expect(html).toContain('<html lang="ru">');
    expect(html.match(/type="radio" id="s\d"/g)).toHaveLength(5);
    expect(html).toContain('value="5" checked');
    expect(html).toContain('value="tone" checked>Tone &lt;b&gt;');
    expect(html).toContain('href="?t=abc&amp;lang=en"');
    expect(html).toContain('role="alert">Пожалуйста, выберите оценку.</p>');
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(page.headers['content-security-policy']).toContain(`script-src ${cspHash(script)}`);
    expect(page.headers['referrer-policy']).toBe('same-origin');
  });
});
