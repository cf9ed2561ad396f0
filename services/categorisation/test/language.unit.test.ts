import { describe, expect, it } from 'vitest';
import { detectLanguage, languageFromHint } from '../src/domain/language';
import { analyseText } from '../src/domain/text';

const detect = (text: string, hint?: string) => detectLanguage(text, analyseText(text).tokens, hint);

describe('language detection', () => {
  it('lets a hint from the source win, reduced to its primary subtag', () => {
    expect(detect('Great service', 'ru-RU')).toBe('ru');
    expect(detect('Отличный сервис', 'en_US')).toBe('en');
    expect(languageFromHint('DE')).toBe('de');
    expect(languageFromHint('not a tag')).toBeUndefined();
    expect(detect('Отличный сервис', 'not a tag')).toBe('ru');
  });

  it('decides short texts by their script, where franc would guess', () => {
    expect(detect('Спасибо!')).toBe('ru');
    expect(detect('Доставка опоздала')).toBe('ru');
    expect(detect('not bad')).toBe('en');
    expect(detect('Great app')).toBe('en');
  });

  it('recognises Russian without the letters ы, э, ё', () => {
    expect(detect('Доставка опоздала на три дня, поддержка не отвечает.')).toBe('ru');
  });

  it('marks other languages and passes them on', () => {
    expect(detect('Дуже дякую за швидку доставку')).toBe('uk');
    expect(detect('Das ist ein sehr guter Service und ich bin mit der Lieferung sehr zufrieden')).toBe('de');
    expect(detect('Le service client était vraiment excellent, merci beaucoup pour votre aide')).toBe('fr');
  });

  it('says "und" when there are no letters', () => {
    expect(detect('')).toBe('und');
    expect(detect('12345 !!! 👍')).toBe('und');
  });

  it('takes the dominant script of mixed text', () => {
    expect(detect('Заказ пришёл вовремя, thanks')).toBe('ru');
    expect(detect('The delivery was late again, спасибо')).toBe('en');
  });
});
