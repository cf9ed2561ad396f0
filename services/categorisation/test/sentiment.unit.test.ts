import { describe, expect, it } from 'vitest';
import { analyse } from '../src/domain/analysis';
import { analyseSentiment } from '../src/domain/sentiment';

function sentiment(text: string, languageHint?: string) {
  const { analysed, languageOf } = analyse({ text, languageHint });
  return analyseSentiment(analysed, languageOf);
}

const label = (text: string) => sentiment(text).label;
const score = (text: string) => sentiment(text).score;

describe('sentiment', () => {
  it.each([
    ['Отличный сервис, всё понравилось', 'positive'],
    ['Ужасная доставка, курьер нахамил', 'negative'],
    ['Заказ оформлен, номер 123', 'neutral'],
    ['Great service, love it', 'positive'],
    ['Terrible experience, the worst support ever', 'negative'],
    ['My order number is 123', 'neutral'],
  ])('labels "%s" %s', (text, expected) => {
    expect(label(text)).toBe(expected);
  });

  describe('negation', () => {
    it.each([
      ['не плохо', 'positive'],
      ['совсем не плохо', 'positive'],
      ['not bad', 'positive'],
      ['ничего хорошего', 'negative'],
      ['не понравилось', 'negative'],
      ["I don't like it", 'negative'],
      ['not happy with the service', 'negative'],
      ['без проблем', 'positive'],
      ['no problems at all', 'positive'],
    ])('"%s" is %s', (text, expected) => {
      expect(label(text)).toBe(expected);
    });

    it('turns neutral verbs into complaints when negated', () => {
      for (const text of [
        'приложение не работает',
        'заказ так и не пришёл',
        'the app does not load',
        'it never arrived',
      ]) {
        expect(label(text), text).toBe('negative');
      }
      expect(label('приложение работает')).toBe('neutral');
    });

    it('does not negate across punctuation or with "не только"', () => {
      expect(label('Нет, всё отлично')).toBe('positive');
      expect(label('не только быстро, но и вкусно')).toBe('positive');
    });

    it('reads a negated booster with nothing after it as a mild complaint', () => {
      expect(label('доставка не очень')).toBe('negative');
    });
  });

  it('intensifiers raise and dampeners lower the score', () => {
    expect(score('очень хорошо')).toBeGreaterThan(score('хорошо'));
    expect(score('немного хорошо')).toBeLessThan(score('хорошо'));
    expect(score('extremely bad')).toBeLessThan(score('bad'));
  });

  it('weights the clause after "но"/"but" over the one before', () => {
    expect(label('Еда вкусная, но обслуживание ужасное')).toBe('negative');
    expect(label('Обслуживание так себе, но еда великолепная и очень вкусная')).toBe('positive');
    expect(label('The food was fine but the staff were rude')).toBe('negative');
    expect(label('Prices are a bit high. But the quality is excellent!')).toBe('positive');
  });

  it('counts emoji and emoticons, stronger when repeated', () => {
    expect(label('👍')).toBe('positive');
    expect(label('😡')).toBe('negative');
    expect(label('доставили :)')).toBe('positive');
    expect(label('опять сломалось (((')).toBe('negative');
    expect(score('спасибо)))')).toBeGreaterThan(score('спасибо)'));
  });

  it('reads repeated letters and capitals as emphasis', () => {
    expect(label('goooood')).toBe('positive');
    expect(score('this is sooo goood')).toBeGreaterThan(score('this is so good'));
    expect(score('the service was BAD')).toBeLessThan(score('the service was bad'));
  });

  it('reads hashtags written as one word', () => {
    expect(label('#worstflightever')).toBe('negative');
    expect(label('#CustomerServiceFail')).toBe('negative');
    expect(label('#delivery')).toBe('neutral');
  });

  it('knows typical feedback phrasing', () => {
    for (const text of [
      'не рекомендую',
      'оставляет желать лучшего',
      'до сих пор жду возврат',
      'still waiting for my refund',
      'waste of money',
      'never again',
    ]) {
      expect(label(text), text).toBe('negative');
    }
    for (const text of ['выше всяких похвал', 'so far so good', 'keep up the good work', 'highly recommend']) {
      expect(label(text), text).toBe('positive');
    }
  });

  it('reads thanks for something bad as sarcasm', () => {
    expect(label('Thanks for keeping me on hold for an hour')).toBe('negative');
    expect(label('Спасибо за то, что отключили интернет без предупреждения, ужасно')).toBe('negative');
    expect(label('Thanks for the quick delivery')).toBe('positive');
  });

  it('does not count wishes as praise', () => {
    expect(score('было бы здорово добавить тёмную тему')).toBeLessThan(score('здорово'));
    expect(score('it would be great to have an export')).toBeLessThan(score('it is great'));
  });

  it('scores each sentence and the whole text within [-1, 1]', () => {
    const result = sentiment('Курьер опоздал на два часа. Но товар отличный, спасибо!');
    expect(result.sentences).toHaveLength(2);
    expect(result.sentences[0]?.label).toBe('negative');
    expect(result.sentences[1]?.label).toBe('positive');
    for (const item of [result, ...result.sentences]) {
      expect(item.score).toBeGreaterThanOrEqual(-1);
      expect(item.score).toBeLessThanOrEqual(1);
    }
  });

  it('analyses mixed Russian and English text with both lexicons', () => {
    expect(label('Доставка was terrible, ужас')).toBe('negative');
    expect(label('Супер app, love it')).toBe('positive');
  });

  it('is neutral for empty text and text without words', () => {
    expect(sentiment('')).toMatchObject({ label: 'neutral', score: 0, sentences: [] });
    expect(label('12345 ... !!!')).toBe('neutral');
  });

  describe('customer-feedback phrasing (invented examples)', () => {
    it.each([
      // politeness: thanks closing a request or a complaint are not praise
      ['Can you tell me when my parcel ships? Thanks!', 'neutral'],
      ['The export button is broken again. Thanks.', 'negative'],
      ['Still no refund after two weeks, thanks', 'negative'],
      // sincere thanks for putting something right, sarcastic thanks for something bad
      ['Thank you so much for fixing the broken checkout so quickly', 'positive'],
      ['Thank you for keeping me on hold for an hour', 'negative'],
      ['Thanks for nothing', 'negative'],
      // service failures without classic sentiment words
      ['The dashboard is down and I cannot log in', 'negative'],
      ["I can't log in since the update", 'negative'],
      ['My order never arrived', 'negative'],
      ['I was charged twice for one subscription', 'negative'],
      ['The app keeps crashing on startup', 'negative'],
      ['I am fed up with this store', 'negative'],
      ['The agent gave misleading answers', 'negative'],
      ['Called support three times and got disconnected every time', 'negative'],
      ['Got a non helpful answer from the chat bot', 'negative'],
      // enthusiastic praise and slang
      ['omg this app is my new fav', 'positive'],
      ['Incredible support team, you guys rock', 'positive'],
      ['Amazing, worth every penny', 'positive'],
      // a wish is not praise
      ['It would be great if the invoice showed the VAT number', 'neutral'],
      // a "why" question is a complaint
      ['Why is my delivery delayed again?', 'negative'],
    ])('labels "%s" %s', (text, expected) => {
      expect(label(text)).toBe(expected);
    });

    it('counts a negative word less in a question asking for information than in a statement or a "why" question', () => {
      const asked = score('Is my delivery delayed because of the holiday?');
      expect(asked).toBeGreaterThan(score('My delivery is delayed because of the holiday.'));
      expect(asked).toBeGreaterThan(score('Why is my delivery delayed because of the holiday?'));
    });
  });
});
