import { z } from 'zod';

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
const localisedText = z.record(localeKey, z.string().trim().min(1).max(1000));

export const createSurveySchema = z.object({
  name: z.string().trim().min(1).max(200),
  type: z.enum(surveyTypes).default('nps'),
  question: localisedText.optional(),
  thankYou: localisedText.optional(),
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Moscow"').default('UTC'),
  allowedOrigins: z
    .array(z.url({ protocol: /^https?$/ }))
    .max(50)
    .default([]),
  status: z.enum(['active', 'paused']).default('active'),
});
export type CreateSurveyInput = z.infer<typeof createSurveySchema>;

export interface Survey extends CreateSurveyInput {
  id: string;
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
