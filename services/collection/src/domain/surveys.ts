import { randomBytes } from 'node:crypto';
import * as z from 'zod';

export const surveyTypes = ['nps', 'csat', 'ces'] as const;
export type SurveyType = (typeof surveyTypes)[number];

/** Answer scales: NPS 0–10, CSAT 1–5, CES 1–7. */
export const surveyScales: Record<SurveyType, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const localeKey = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'expected a locale such as "en" or "ru-RU"');
/** Text per locale; `ru` and `en` ship as defaults, any other locale can be added. */
const localisedText = z
  .record(localeKey, z.string().trim().min(1).max(1000))
  .refine((texts) => Object.keys(texts).length > 0, 'expected the text in at least one locale');

const identifier = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'expected 1–40 characters of a–z, 0–9, "_" or "-"');

const choiceSchema = z.object({ id: identifier, text: localisedText });
const choicesSchema = z
  .array(choiceSchema)
  .min(2)
  .max(20)
  .refine(
    (choices) => new Set(choices.map((choice) => choice.id)).size === choices.length,
    'choice ids must be unique',
  );

export const followUpQuestionSchema = z.discriminatedUnion('type', [
  z.object({ id: identifier, type: z.literal('text'), text: localisedText }),
  z.object({ id: identifier, type: z.literal('single_choice'), text: localisedText, choices: choicesSchema }),
  z.object({
    id: identifier,
    type: z.literal('multiple_choice'),
    text: localisedText,
    choices: choicesSchema,
    maxChoices: z.number().int().min(1).max(20).optional(),
  }),
]);
export type FollowUpQuestion = z.infer<typeof followUpQuestionSchema>;

const followUpQuestionsSchema = z
  .array(followUpQuestionSchema)
  .max(10)
  .refine((questions) => new Set(questions.map((question) => question.id)).size === questions.length, {
    message: 'question ids must be unique',
  });

/** Kept as origins (`https://shop.example.com`), which is what a browser sends in `Origin`. */
const allowedOriginsSchema = z.array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)).max(50);

const throttleFields = {
  minDaysBetweenAsks: z.number().int().min(0).max(365),
  minDaysAfterResponse: z.number().int().min(0).max(3650),
  sampleRate: z.number().min(0).max(1),
};
/** How often the widget may ask one respondent; see `askDecision`. */
export const throttleSchema = z.object({
  minDaysBetweenAsks: throttleFields.minDaysBetweenAsks.default(30),
  minDaysAfterResponse: throttleFields.minDaysAfterResponse.default(90),
  sampleRate: throttleFields.sampleRate.default(1),
});
export type SurveyThrottle = z.infer<typeof throttleSchema>;

const timeZoneSchema = z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Moscow"');
const surveyStatuses = ['active', 'paused'] as const;

export const createSurveySchema = z.object({
  name: z.string().trim().min(1).max(200),
  type: z.enum(surveyTypes).default('nps'),
  question: localisedText.optional(),
  thankYou: localisedText.optional(),
  followUpQuestions: followUpQuestionsSchema.default([]),
  timeZone: timeZoneSchema.default('UTC'),
  allowedOrigins: allowedOriginsSchema.default([]),
  throttle: throttleSchema.default({ minDaysBetweenAsks: 30, minDaysAfterResponse: 90, sampleRate: 1 }),
  status: z.enum(surveyStatuses).default('active'),
});
export type CreateSurveyInput = z.infer<typeof createSurveySchema>;

/** Every field may change except the type: responses already given are on the type's scale. */
export const updateSurveySchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  question: localisedText.optional(),
  thankYou: localisedText.optional(),
  followUpQuestions: followUpQuestionsSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  allowedOrigins: allowedOriginsSchema.optional(),
  // Without defaults: a field left out keeps the survey's value.
  throttle: z.strictObject(throttleFields).partial().optional(),
  status: z.enum(surveyStatuses).optional(),
});
export type UpdateSurveyInput = z.infer<typeof updateSurveySchema>;

export interface Survey extends Omit<CreateSurveyInput, 'question' | 'thankYou'> {
  id: string;
  question: Record<string, string>;
  thankYou: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

const defaultQuestions: Record<SurveyType, Record<string, string>> = {
  nps: {
    en: 'How likely are you to recommend us to a friend or colleague?',
    ru: 'Насколько вероятно, что вы порекомендуете нас другу или коллеге?',
  },
  csat: { en: 'How satisfied are you with our service?', ru: 'Насколько вы довольны нашим сервисом?' },
  ces: { en: 'How easy was it to get what you needed?', ru: 'Насколько легко было решить ваш вопрос?' },
};

export function newSurvey(input: CreateSurveyInput, id: string, now: Date): Survey {
  return {
    ...input,
    question: input.question ?? defaultQuestions[input.type],
    thankYou: input.thankYou ?? { en: 'Thank you for your feedback!', ru: 'Спасибо за ваш отзыв!' },
    id,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function updatedSurvey(survey: Survey, update: UpdateSurveyInput, now: Date): Survey {
  const { throttle, ...fields } = update;
  return { ...survey, ...fields, throttle: { ...survey.throttle, ...throttle }, updatedAt: now.toISOString() };
}

/**
 * The secret a host site signs its user ids with (`respondent.signature`), so that nobody can answer as another
 * user. Shown once, when made; rotating makes a new one.
 */
export function generateIdentitySecret(): string {
  return `cxs_${randomBytes(32).toString('base64url')}`;
}
