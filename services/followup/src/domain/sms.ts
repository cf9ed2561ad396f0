import * as z from 'zod';
import type { MessageLocale } from './messages';
import { UnknownTemplateError } from './messages';

/**
 * SMS: phone numbers, what a text costs (segments), the RU/EN texts, and the opt-out replies. SMS is billed per
 * segment, so every text is written to fit in two with the link it carries.
 */

/** The shape of a number in E.164; whether it is a valid one is checked where numbers come in (`phoneNumberSchema`). */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** GSM 03.38: the default alphabet (one septet each) and its extension table (two septets: escape + character). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';
const gsmBasic = new Set(GSM_BASIC);
const gsmExtension = new Set(GSM_EXTENSION);

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/**
 * How many segments a text is sent as: GSM-7 when every character is in the GSM alphabet (160 septets in one
 * segment, 153 per segment of a longer one, the rest being the concatenation header), else UCS-2 (70 code units,
 * 67 per segment), which any Cyrillic letter forces.
 */
export function smsSize(text: string): SmsSize {
  const characters = [...text];
  if (characters.every((character) => gsmBasic.has(character) || gsmExtension.has(character))) {
    const units = characters.reduce((sum, character) => sum + (gsmExtension.has(character) ? 2 : 1), 0);
    return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** Every template, with the link it carries, fits in this many segments (a unit test proves it). */
export const MAX_SMS_SEGMENTS = 2;

interface SmsVariables {
  surveyUrl?: string;
  reviewUrl?: string;
}

const link = (template: string, url: string | undefined): string => {
  if (!url) throw new UnknownTemplateError(`SMS template ${template} needs a link`);
  return url;
};

/** The texts end with how to opt out, as carriers expect; the reply is handled by `isOptOutReply`. */
const smsCopy: Record<MessageLocale, Record<string, (variables: SmsVariables) => string>> = {
  en: {
    survey_invitation: ({ surveyUrl }) =>
      `How are we doing? One quick question: ${link('survey_invitation', surveyUrl)} Reply STOP to opt out`,
    resolution_survey: ({ surveyUrl }) =>
      `Did we solve your problem? Rate it: ${link('resolution_survey', surveyUrl)} Reply STOP to opt out`,
    thank_you: () => 'Thank you for your feedback, it helps us get better. Reply STOP to opt out',
    thank_you_review: ({ reviewUrl }) =>
      `Thank you! Would you share that in a review? ${link('thank_you_review', reviewUrl)} Reply STOP to opt out`,
  },
  ru: {
    survey_invitation: ({ surveyUrl }) =>
      `Как у нас дела? Один вопрос: ${link('survey_invitation', surveyUrl)} СТОП - отписка`,
    resolution_survey: ({ surveyUrl }) =>
      `Мы решили вашу проблему? Оцените: ${link('resolution_survey', surveyUrl)} СТОП - отписка`,
    thank_you: () => 'Спасибо за отзыв, он помогает нам стать лучше. СТОП - отписка',
    thank_you_review: ({ reviewUrl }) =>
      `Спасибо! Оставите отзыв? ${link('thank_you_review', reviewUrl)} СТОП - отписка`,
  },
};

export const smsTemplateNames = Object.keys(smsCopy.en);

/** The text of an SMS in the recipient's language. */
export function renderSms(input: { template: string; locale: MessageLocale; variables?: SmsVariables }): string {
  const render = smsCopy[input.locale][input.template];
  if (!render) throw new UnknownTemplateError(`No SMS template ${input.template}`);
  return render(input.variables ?? {});
}

/**
 * Replies that mean "stop texting me": AWS End User Messaging's own opt-out keywords, and their Russian
 * counterparts. The first word decides, whatever its case or punctuation ("Stop!", "стоп.", "STOP please").
 */
const optOutKeywords = new Set([
  'ARRET',
  'CANCEL',
  'END',
  'OPT-OUT',
  'OPTOUT',
  'QUIT',
  'REMOVE',
  'STOP',
  'STOPALL',
  'TD',
  'UNSUBSCRIBE',
  'СТОП',
  'ОТПИСАТЬСЯ',
  'ОТПИСКА',
  'ОТМЕНА',
  'ХВАТИТ',
]);

export function isOptOutReply(body: string): boolean {
  const firstWord = body.trim().split(/\s+/u)[0] ?? '';
  return optOutKeywords.has(firstWord.replace(/[^\p{L}\p{N}-]/gu, '').toUpperCase());
}

/**
 * What AWS End User Messaging SMS publishes to the two-way channel's SNS topic for each message a customer sends to
 * the number (delivered raw to the inbound queue, so this is the SQS message body itself).
 */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().regex(E164).describe("The customer's number"),
  destinationNumber: z.string().optional().describe('Our number'),
  messageBody: z.string().max(2000),
  inboundMessageId: z.string().min(1),
  messageKeyword: z.string().optional(),
  previousPublishedMessageId: z.string().optional(),
});
export type InboundSms = z.infer<typeof inboundSmsSchema>;

/**
 * Cost limits of the SMS channel, in segments (what AWS bills): per second (the origination identity's throughput,
 * "message parts per second") and per UTC day (the budget: when it is spent, texts wait in the queue for the next
 * day instead of being sent or dropped).
 */
export const smsLimitsSchema = z.strictObject({
  segmentsPerSecond: z.number().int().min(1).max(1000).optional(),
  segmentsPerDay: z.number().int().min(1).max(10_000_000).optional(),
});
export type SmsLimits = z.infer<typeof smsLimitsSchema>;

/** One message part per second is what a long code or toll-free number starts with; 200 a day is about $2–15. */
export const defaultSmsLimits: Required<SmsLimits> = { segmentsPerSecond: 1, segmentsPerDay: 200 };

/** The short survey link of an SMS invitation: `<api>/i/<code>`, the code being the invitation id, packed. */
export const shortSurveyPath = (code: string) => `/i/${code}`;

/** `inv_<32 hex>` ↔ 22 base64url characters: the invitation id is random (or a digest), so it names nobody. */
export function shortCodeOfInvitationId(invitationId: string): string | undefined {
  const hex = /^inv_([0-9a-f]{32})$/.exec(invitationId)?.[1];
  return hex ? Buffer.from(hex, 'hex').toString('base64url') : undefined;
}

export function invitationIdOfShortCode(code: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{22}$/.test(code)) return undefined;
  const bytes = Buffer.from(code, 'base64url');
  return bytes.length === 16 && bytes.toString('base64url') === code ? `inv_${bytes.toString('hex')}` : undefined;
}
