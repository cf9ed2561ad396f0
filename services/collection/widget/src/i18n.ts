/**
 * Interface texts of the widget and the hosted page, in the two languages cxloop ships (the survey's own question,
 * thank-you and follow-up texts come from the survey). Shared by the browser bundle and the server-rendered page, so
 * it must stay free of DOM and Node APIs.
 */
export type UiLanguage = 'en' | 'ru';
export type ScaleType = 'nps' | 'csat' | 'ces';

export interface UiText {
  survey: string;
  next: string;
  send: string;
  sending: string;
  close: string;
  comment: string;
  optional: string;
  chooseScore: string;
  failed: string;
  closed: string;
  invalidLink: string;
  notFound: string;
  /** The words at the two ends of each scale. */
  anchors: Record<ScaleType, [string, string]>;
}

export const uiText: Record<UiLanguage, UiText> = {
  en: {
    survey: 'Feedback survey',
    next: 'Next',
    send: 'Send',
    sending: 'Sending…',
    close: 'Close survey',
    comment: 'What is the main reason for your score?',
    optional: '(optional)',
    chooseScore: 'Please choose a score.',
    failed: 'Your answer could not be sent. Please try again.',
    closed: 'This survey is closed.',
    invalidLink: 'This survey link is not valid or has expired.',
    notFound: 'There is no such survey.',
    anchors: {
      nps: ['Not at all likely', 'Extremely likely'],
      csat: ['Very dissatisfied', 'Very satisfied'],
      ces: ['Very difficult', 'Very easy'],
    },
  },
  ru: {
    survey: 'Опрос',
    next: 'Далее',
    send: 'Отправить',
    sending: 'Отправляем…',
    close: 'Закрыть опрос',
    comment: 'Что больше всего повлияло на вашу оценку?',
    optional: '(необязательно)',
    chooseScore: 'Пожалуйста, выберите оценку.',
    failed: 'Не удалось отправить ответ. Попробуйте ещё раз.',
    closed: 'Этот опрос закрыт.',
    invalidLink: 'Ссылка на опрос недействительна или устарела.',
    notFound: 'Такого опроса нет.',
    anchors: {
      nps: ['Точно нет', 'Точно да'],
      csat: ['Совсем не доволен', 'Очень доволен'],
      ces: ['Очень сложно', 'Очень легко'],
    },
  },
};

/** The first locale given (explicit setting, then the page's, then the respondent's) decides; Russian or English. */
export function uiLanguage(...locales: Array<string | null | undefined>): UiLanguage {
  const locale = locales.find((candidate) => candidate?.trim());
  return locale && /^ru\b/i.test(locale.trim()) ? 'ru' : 'en';
}

/** A survey text in `locale`: the exact locale, then its language, then English, then whatever the survey has. */
export function localised(texts: Record<string, string>, locale: string): string {
  const language = locale.slice(0, 2).toLowerCase();
  return texts[locale] ?? texts[language] ?? texts.en ?? Object.values(texts)[0] ?? '';
}
