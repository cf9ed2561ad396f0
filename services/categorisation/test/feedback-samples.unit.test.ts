import { describe, expect, it } from 'vitest';
import { categorise, compileTaxonomy, defaultTaxonomy } from '../src/index';

/**
 * Feedback as customers of different businesses write it (written for this test by the cxloop authors): a guard that
 * the lexicons work beyond the development sets. Each sample: text, expected sentiment, topics that must be found.
 */
const samples: [string, 'positive' | 'neutral' | 'negative', string[]][] = [
  ['Заказ пришёл на день раньше, всё целое. Спасибо!', 'positive', ['delivery']],
  ['Курьер опоздал на два часа и даже не позвонил', 'negative', ['delivery']],
  ['Приложение постоянно вылетает после обновления', 'negative', ['usability']],
  ['Очень удобное приложение, пользуюсь каждый день', 'positive', ['usability']],
  ['Цены кусаются, за такие деньги ожидал большего', 'negative', ['price']],
  ['Недорого и вкусно, порции большие', 'positive', ['price', 'quality']],
  ['Официантка была невнимательной, еду ждали сорок минут', 'negative', ['staff', 'delivery']],
  ['Спасибо Анне из поддержки, быстро решила мой вопрос', 'positive', ['support']],
  ['Третий день не могу дозвониться в поддержку', 'negative', ['support']],
  ['Вернули деньги за бракованный товар без лишних вопросов', 'positive', ['returns', 'quality']],
  ['Возврат оформили месяц назад, денег до сих пор нет', 'negative', ['returns']],
  ['Нужного размера не было в наличии', 'negative', ['availability']],
  ['Спамят смсками каждый день, отпишите меня', 'negative', ['communication']],
  ['Номер в отеле чистый, вид из окна отличный', 'positive', ['premises']],
  ['Хочу уточнить, где посмотреть статус заказа', 'neutral', []],
  ['Оплатил картой, чек пришёл на почту', 'neutral', ['price']],
  ['Всё норм', 'positive', []],
  ['Не понравилось, больше не приду', 'negative', []],
  ['Неплохо, но могло быть и лучше', 'neutral', []],
  ['Сервис на высоте, персонал вежливый и внимательный', 'positive', ['support', 'staff']],
  ['Банк заблокировал карту без объяснения причин', 'negative', []],
  ['Перевод прошёл мгновенно, интерфейс понятный', 'positive', ['usability']],
  ['Таксист грубил и ехал по навигатору кругами', 'negative', ['staff']],
  ['The package arrived a day early and well packed. Thank you!', 'positive', ['delivery']],
  ['My order is two weeks late and nobody answers my emails', 'negative', ['delivery']],
  ['The app crashes every time I try to log in', 'negative', ['usability']],
  ['Super easy to use, love the new design', 'positive', []],
  ['Way too expensive for what you get', 'negative', ['price']],
  ['Great value for money', 'positive', ['price']],
  ['The waiter was rude and the food was cold', 'negative', ['staff', 'quality']],
  ['Sarah from support was incredibly helpful', 'positive', ['support']],
  ['I have been on hold for 45 minutes', 'negative', ['support']],
  ['Refund processed within two days, no hassle', 'positive', ['returns']],
  ['Still waiting for my refund after a month', 'negative', ['returns']],
  ['The size I wanted was out of stock again', 'negative', ['availability']],
  ['Please stop sending me marketing emails', 'negative', ['communication']],
  ['Clean rooms and a quiet, cozy lobby', 'positive', ['premises']],
  ['How do I change my delivery address?', 'neutral', ['delivery']],
  ['I paid by card and received the invoice by email', 'neutral', ['price']],
  ['It does what it says', 'neutral', []],
  ['Not bad at all, would order again', 'positive', []],
  ['Never again. Worst purchase I have made this year', 'negative', []],
  ['Decent product but shipping took forever', 'negative', ['delivery']],
  ['Customer service solved my problem in five minutes', 'positive', ['support']],
  ['The checkout page keeps giving me an error', 'negative', ['usability']],
  ['Product quality is excellent, it feels solid', 'positive', ['quality']],
];

describe('feedback samples beyond the development sets', () => {
  const taxonomy = compileTaxonomy(defaultTaxonomy);
  const results = samples.map(([text]) => categorise({ text }, taxonomy));

  it('labels the sentiment of at least 90% of them right', () => {
    const wrong = samples
      .map(([text, expected], index) => ({ text, expected, got: results[index]!.sentiment.label }))
      .filter(({ expected, got }) => expected !== got);
    expect(wrong.length / samples.length, JSON.stringify(wrong, null, 1)).toBeLessThanOrEqual(0.1);
  });

  it('finds the expected topics in at least 90% of them', () => {
    const missing = samples
      .map(([text, , topics], index) => ({
        text,
        missing: topics.filter((topic) => !results[index]!.topics.some((found) => found.id === topic)),
      }))
      .filter(({ missing }) => missing.length > 0);
    expect(missing.length / samples.length, JSON.stringify(missing, null, 1)).toBeLessThanOrEqual(0.1);
  });
});
