/**
 * Comments like real NPS feedback, built from templates: what a promoter, passive or detractor of a delivery shop
 * says, in Russian or English, in a few words or a few sentences.
 */
type Band = 'promoter' | 'passive' | 'detractor';
type Language = 'ru' | 'en';

const parts: Record<Language, Record<Band, { topics: string[]; endings: string[] }>> = {
  ru: {
    promoter: {
      topics: [
        'Курьер приехал вовремя и был очень вежлив',
        'Заказ собрали быстро, всё свежее',
        'Поддержка ответила за пять минут и сразу помогла',
        'Удобное приложение, оплата прошла без проблем',
        'Цены приятные, часто есть скидки',
      ],
      endings: ['Спасибо!', 'Буду заказывать ещё.', 'Рекомендую друзьям.', ''],
    },
    passive: {
      topics: [
        'В целом нормально, но доставка заняла больше часа',
        'Товар хороший, упаковка могла быть лучше',
        'Приложение удобное, но иногда тормозит',
        'Цены чуть выше, чем у конкурентов',
      ],
      endings: ['Посмотрим дальше.', 'Есть куда расти.', ''],
    },
    detractor: {
      topics: [
        'Доставка опоздала на три дня, никто не предупредил',
        'Привезли не тот товар, возврат оформляют вторую неделю',
        'Поддержка не отвечает, чат просто висит',
        'Приложение вылетает при оплате картой',
        'Списали деньги дважды, до сих пор не вернули',
        'Курьер нагрубил и оставил заказ у двери',
      ],
      endings: ['Очень разочарован.', 'Больше не закажу.', 'Верните деньги.', ''],
    },
  },
  en: {
    promoter: {
      topics: [
        'The courier was on time and really friendly',
        'Everything arrived fresh and well packed',
        'Support sorted out my question in minutes',
        'The app is easy to use and checkout is quick',
        'Good prices and the discounts are real',
      ],
      endings: ['Thanks!', 'Will order again.', 'Recommended it to my friends.', ''],
    },
    passive: {
      topics: [
        'Mostly fine, but delivery took over an hour',
        'Good products, the packaging could be better',
        'The app works but is slow at times',
        'A bit pricier than other shops',
      ],
      endings: ['We will see.', 'Room to improve.', ''],
    },
    detractor: {
      topics: [
        'Delivery was three days late and nobody told me',
        'Wrong item delivered and the refund is taking weeks',
        'Support never answers, the chat just hangs',
        'The app crashes when I pay by card',
        'I was charged twice and still have not got my money back',
        'The courier was rude and left the bag at the door',
      ],
      endings: ['Very disappointed.', 'Never again.', 'I want my money back.', ''],
    },
  },
};

export interface GeneratedFeedback {
  score: number;
  comment: string;
  locale: 'ru-RU' | 'en-GB';
}

/**
 * The `index`-th of a stream of NPS answers: about half promoters (9–10), a fifth passives (7–8) and the rest
 * detractors (0–6); 60 % in Russian; one comment in five joins two topics.
 */
export function generatedFeedback(index: number): GeneratedFeedback {
  const draw = (salt: number) => (Math.imul(index + 1, 2654435761) ^ Math.imul(salt, 40503)) >>> 0;
  const band: Band = draw(1) % 10 < 5 ? 'promoter' : draw(1) % 10 < 7 ? 'passive' : 'detractor';
  const language: Language = draw(2) % 10 < 6 ? 'ru' : 'en';
  const score = band === 'promoter' ? 9 + (draw(3) % 2) : band === 'passive' ? 7 + (draw(3) % 2) : draw(3) % 7;
  const { topics, endings } = parts[language][band];
  const pick = <T>(items: readonly T[], salt: number) => items[draw(salt) % items.length] as T;
  const first = pick(topics, 4);
  const second = draw(5) % 5 === 0 ? pick(topics, 6) : first;
  const sentences = [first, ...(second === first ? [] : [second])].map((topic) => `${topic}.`);
  const comment = [...sentences, pick(endings, 7)].filter((part) => part !== '').join(' ');
  return { score, comment, locale: language === 'ru' ? 'ru-RU' : 'en-GB' };
}
