import { describe, expect, it } from 'vitest';
import { isLocale, labelOf, messageKeys, messagesOf, translator } from '../src/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the dashboard’s two languages', () => {
  it('has every label in both languages, with the same placeholders', () => {
    const en = messagesOf('en');
    const ru = messagesOf('ru');
    expect(messageKeys.length).toBeGreaterThan(100);
    for (const key of messageKeys) {
      expect(en[key].trim(), key).not.toBe('');
      expect(ru[key].trim(), key).not.toBe('');
      expect(placeholders(ru[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('translates labels and fills in their placeholders', () => {
    expect(translator('en').t('signIn')).toBe('Sign in');
    expect(translator('ru').t('signIn')).toBe('Войти');
    expect(translator('en').t('apiError', { status: 503, message: 'Service Unavailable' })).toBe(
      'The API answered 503: Service Unavailable',
    );
  });

  it('counts with the plural forms of each language', () => {
    const ru = translator('ru');
    expect([1, 2, 5, 11, 21, 22, 25, 1000].map((count) => ru.plural('responses', count))).toEqual([
      '1 ответ',
      '2 ответа',
      '5 ответов',
      '11 ответов',
      '21 ответ',
      '22 ответа',
      '25 ответов',
      `1\u00a0000 ответов`,
    ]);
    const en = translator('en');
    expect([0, 1, 2].map((count) => en.plural('responses', count))).toEqual([
      '0 responses',
      '1 response',
      '2 responses',
    ]);
  });

  it('labels values from the API, and shows an unknown one as it is', () => {
    const ru = translator('ru');
    expect(labelOf(ru, 'priority', 'high')).toBe('высокий');
    expect(labelOf(ru, 'reason', 'detractor')).toBe('Критик');
    expect(labelOf(ru, 'reason', 'churn-risk')).toBe('churn-risk');
    expect(isLocale('ru')).toBe(true);
    expect(isLocale('de')).toBe(false);
  });
});
