import { describe, expect, it } from 'vitest';
import { newInvitationId, resurveyInvitationId } from '../src/domain/invitations';
import type { MessageLocale } from '../src/domain/messages';
import { phoneNumberSchema } from '../src/domain/phone-numbers';
import {
  inboundSmsSchema,
  invitationIdOfShortCode,
  isOptOutReply,
  MAX_SMS_SEGMENTS,
  renderSms,
  shortCodeOfInvitationId,
  shortSurveyPath,
  smsSize,
  smsTemplateNames,
} from '../src/domain/sms';

const e164Of = (value: string) => phoneNumberSchema.safeParse(value).data;

describe('phoneNumberSchema', () => {
  it('takes valid numbers in E.164 and normalises them', () => {
    expect(e164Of('+79991234567')).toBe('+79991234567');
    expect(e164Of('+1 415 555 2671')).toBe('+14155552671');
    expect(e164Of('+44 20 7946 0958')).toBe('+442079460958');
  });

  it('refuses what is not a dialable number in E.164', () => {
    for (const value of ['79991234567', '+7999123', '+799912345678901', '+0123456789', '+1 000 000 0000', 'abc', '']) {
      expect(e164Of(value), value).toBeUndefined();
    }
  });
});

describe('smsSize', () => {
  it('counts GSM-7 septets (extension characters twice) and UCS-2 code units, with concatenation headers', () => {
    expect(smsSize('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSize('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSize('a'.repeat(306))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
    expect(smsSize('a'.repeat(307))).toMatchObject({ segments: 3 });
    expect(smsSize('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSize('я'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSize('я'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSize('я'.repeat(134))).toMatchObject({ segments: 2 });
    expect(smsSize('я'.repeat(135))).toMatchObject({ segments: 3 });
    // One character outside the GSM alphabet makes the whole text UCS-2.
    expect(smsSize(`${'a'.repeat(100)}’`)).toEqual({ encoding: 'UCS-2', units: 101, segments: 2 });
  });
});

describe('SMS templates', () => {
  // A deployment without a custom domain: the longest host a survey link starts with.
  const publicApiUrl = 'https://abcdefghij.execute-api.ap-southeast-2.amazonaws.com';
  const surveyUrl = `${publicApiUrl}${shortSurveyPath(shortCodeOfInvitationId(newInvitationId()) as string)}`;
  const reviewUrl = 'https://www.trustpilot.com/evaluate/www.example-shop.com';

  it(`fits every template in ${MAX_SMS_SEGMENTS} segments, in Russian and English, with its link`, () => {
    for (const locale of ['ru', 'en'] as MessageLocale[]) {
      for (const template of smsTemplateNames) {
        const text = renderSms({ template, locale, variables: { surveyUrl, reviewUrl } });
        expect(smsSize(text).segments, `${locale} ${template}: ${text}`).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);
        expect(text).toMatch(locale === 'ru' ? /СТОП/ : /STOP/);
      }
    }
    expect(renderSms({ template: 'survey_invitation', locale: 'en', variables: { surveyUrl } })).toBe(
      `How are we doing? One quick question: ${surveyUrl} Reply STOP to opt out`,
    );
    // English stays in GSM-7, so it is cheap: one segment fewer than the Russian text.
    expect(smsSize(renderSms({ template: 'survey_invitation', locale: 'en', variables: { surveyUrl } }))).toMatchObject(
      { encoding: 'GSM-7', segments: 1 },
    );
  });

  it('needs the link its template shows, and knows only its templates', () => {
    expect(() => renderSms({ template: 'survey_invitation', locale: 'ru' })).toThrow(/needs a link/);
    expect(() => renderSms({ template: 'newsletter', locale: 'en' })).toThrow(/No SMS template/);
  });
});

describe('short survey links', () => {
  it('pack an invitation id into 22 URL-safe characters and back, and nothing else', () => {
    for (const invitationId of [newInvitationId(), resurveyInvitationId('case_1')]) {
      const code = shortCodeOfInvitationId(invitationId) as string;
      expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(invitationIdOfShortCode(code)).toBe(invitationId);
    }
    expect(shortCodeOfInvitationId('job_1')).toBeUndefined();
    for (const code of ['', 'short', `${'A'.repeat(21)}B`, `${'A'.repeat(22)}=`, '../../etc/passwd/xxxxxxxx']) {
      expect(invitationIdOfShortCode(code), code).toBeUndefined();
    }
  });
});

describe('isOptOutReply', () => {
  it('recognises the opt-out keywords in English and Russian, whatever the case or punctuation', () => {
    for (const body of [
      'STOP',
      'stop',
      ' Stop! ',
      'СТОП',
      'стоп.',
      'Отписаться',
      'UNSUBSCRIBE',
      'stop please',
      'STOPALL',
    ]) {
      expect(isOptOutReply(body), body).toBe(true);
    }
    for (const body of ['Thanks!', 'Не останавливайтесь', 'stopwatch', '', 'HELP', '10']) {
      expect(isOptOutReply(body), body).toBe(false);
    }
  });
});

describe('inboundSmsSchema', () => {
  it('reads the two-way SMS payload AWS publishes, with the sender number checked', () => {
    const payload = {
      originationNumber: '+79991234567',
      destinationNumber: '+12125550101',
      messageKeyword: 'KEYWORD_123456789012',
      messageBody: 'СТОП',
      inboundMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      previousPublishedMessageId: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    expect(inboundSmsSchema.parse(payload)).toEqual(payload);
    expect(inboundSmsSchema.safeParse({ ...payload, originationNumber: '12345' }).success).toBe(false);
  });
});
