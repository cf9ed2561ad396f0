import { describe, expect, it } from 'vitest';
import { localised, uiLanguage, uiText } from '../src/i18n';

describe('widget languages', () => {
  it('takes the first locale given: the explicit setting, the page, then the respondent', () => {
    expect(uiLanguage('ru-RU', 'en')).toBe('ru');
    expect(uiLanguage(undefined, '', 'ru')).toBe('ru');
    expect(uiLanguage('en-GB', 'ru')).toBe('en');
    expect(uiLanguage('rus', 'de')).toBe('en');
    expect(uiLanguage()).toBe('en');
  });

  it('picks survey texts by locale, then language, then English, then any', () => {
    expect(localised({ en: 'Hi', ru: 'Привет', 'ru-RU': 'Здравствуйте' }, 'ru-RU')).toBe('Здравствуйте');
    expect(localised({ en: 'Hi', ru: 'Привет' }, 'ru')).toBe('Привет');
    expect(localised({ en: 'Hi', ru: 'Привет' }, 'de')).toBe('Hi');
    expect(localised({ de: 'Hallo' }, 'ru')).toBe('Hallo');
  });

  it('has every interface text in both languages', () => {
    const keys = (lang: 'en' | 'ru') => Object.keys(uiText[lang]).sort();
    expect(keys('ru')).toEqual(keys('en'));
    for (const text of Object.values(uiText.ru)) expect(text).not.toBe('');
  });
});
