import { categorisationSchema } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { CATEGORISER_VERSION, type CategoriseInput, categorise, compileTaxonomy, defaultTaxonomy } from '../src/index';

const taxonomy = compileTaxonomy(defaultTaxonomy);
const run = (text: string, extra: Omit<CategoriseInput, 'text'> = {}) => categorise({ text, ...extra }, taxonomy);
const intentIds = (text: string) => run(text).intents.map((intent) => intent.id);

describe('categorise', () => {
  it('returns exactly the FeedbackCategorised categorisation, with versions', () => {
    const result = run('Доставка опоздала на три дня, поддержка не отвечает.', { languageHint: 'ru' });
    expect(categorisationSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({
      categoriserVersion: CATEGORISER_VERSION,
      taxonomyVersion: 1,
      language: 'ru',
      sentiment: { label: 'negative' },
      corrected: false,
    });
    expect(result.topics.map((topic) => topic.id)).toEqual(expect.arrayContaining(['delivery', 'support']));
    expect(result.intents.map((intent) => intent.id)).toContain('complaint');
  });

  it('handles empty and missing text', () => {
    for (const input of [{}, { text: '' }, { text: '   \n ' }]) {
      const result = categorise(input, taxonomy);
      expect(categorisationSchema.parse(result)).toEqual(result);
      expect(result).toMatchObject({
        language: 'und',
        sentiment: { label: 'neutral', score: 0 },
        topics: [],
        intents: [],
        churnRisk: { score: 0, evidence: [] },
      });
    }
    expect(categorise({ languageHint: 'ru' }, taxonomy).language).toBe('ru');
  });

  it('categorises very long text in bounded time without failing', () => {
    const sentence = 'Курьер опоздал, поддержка не отвечает, но приложение отличное! The refund never arrived 😡. ';
    run(sentence);
    const elapsed: number[] = [];
    for (const length of [10_000, 20_000, 200_000]) {
      const text = sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length);
      // CPU time, not wall time: the test machine is shared and may be busy.
      const started = process.cpuUsage();
      const result = run(text);
      const used = process.cpuUsage(started);
      elapsed.push((used.user + used.system) / 1_000);
      expect(categorisationSchema.parse(result)).toEqual(result);
      for (const topic of result.topics) {
        expect(topic.evidence.length).toBeLessThanOrEqual(10);
        for (const evidence of topic.evidence) expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
      }
    }
    // Generous bounds; the work is capped, so 200,000 characters cost about what 10,000 do.
    expect(Math.max(...elapsed)).toBeLessThan(400);
    expect(elapsed[2]!).toBeLessThan(elapsed[0]! * 3 + 30);
  });

  it('never fails on unusual input', () => {
    for (const text of [
      '\u0000\uFFFF',
      '\uD83D',
      ')))(((',
      '#',
      '@',
      'a'.repeat(15_000),
      '😀'.repeat(6_000),
      '. . . ! ? ,',
    ]) {
      expect(() => categorisationSchema.parse(run(text))).not.toThrow();
    }
  });

  describe('intents', () => {
    it.each([
      ['Курьер нахамил, заказ опоздал', 'complaint'],
      ['The app crashes every time, fix it', 'complaint'],
      ['Спасибо большое, всё отлично!', 'praise'],
      ['Great job, thank you', 'praise'],
      ['Было бы удобно добавить оплату картой', 'idea'],
      ['It would be great if you could add dark mode', 'idea'],
      ['Подскажите, где посмотреть статус заказа?', 'question'],
      ['Is there a way to change the delivery address?', 'question'],
    ])('"%s" → %s', (text, intent) => {
      expect(intentIds(text)).toContain(intent);
    });

    it('allows several intents and explains each with evidence', () => {
      const text = 'Отличный сервис, спасибо! Но почему нет доставки в выходные? Добавьте, пожалуйста.';
      const result = run(text);
      expect(result.intents.map((intent) => intent.id)).toEqual(expect.arrayContaining(['praise', 'question', 'idea']));
      for (const intent of result.intents) {
        expect(intent.evidence.length).toBeGreaterThan(0);
        for (const evidence of intent.evidence) expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
      }
    });

    it('finds no intent in a plain statement', () => {
      expect(intentIds('Заказ номер 42 оформлен вчера')).toEqual([]);
    });
  });

  describe('churn risk', () => {
    it.each([
      'Ухожу к конкурентам, расторгаю договор',
      'Верните деньги, больше не буду у вас заказывать',
      'Подам в суд и напишу жалобу в Роспотребнадзор',
      'I am cancelling my subscription and switching to another provider',
      'You just lost a customer. I will take my business elsewhere',
      'My lawyer will contact you',
    ])('is high for "%s", with evidence', (text) => {
      const { churnRisk } = run(text);
      expect(churnRisk.score).toBeGreaterThanOrEqual(0.6);
      expect(churnRisk.evidence.length).toBeGreaterThan(0);
      for (const evidence of churnRisk.evidence) expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
    });

    it('is low for negated cues and ordinary feedback', () => {
      expect(run('Никогда не уйду от вас, лучший банк').churnRisk.score).toBeLessThan(0.3);
      expect(run("I won't cancel, I love this app").churnRisk.score).toBeLessThan(0.3);
      expect(run('Доставка была быстрой').churnRisk.score).toBe(0);
    });
  });

  describe('urgency', () => {
    it('is high for legal threats, fraud and safety', () => {
      expect(run('Обращусь в прокуратуру, если не вернёте деньги').urgency).toBe('high');
      expect(run('My card was charged twice, this is fraud').urgency).toBe('high');
      expect(run('Срочно! Списали деньги без моего ведома').urgency).toBe('high');
    });

    it('is normal for complaints and questions and low for praise', () => {
      expect(run('Доставка опоздала на день').urgency).toBe('normal');
      expect(run('Когда откроется новый магазин?').urgency).toBe('normal');
      expect(run('Всё понравилось, спасибо').urgency).toBe('low');
    });
  });

  describe('consistency of score and text', () => {
    const nps = (value: number) => ({ value, min: 0, max: 10, normalised: value / 10 });

    it('flags an NPS 10 with an angry comment and a 0 with praise', () => {
      expect(
        run('Ужасный сервис, никто не отвечает, верните деньги!', { score: nps(10), kind: 'nps' }).consistent,
      ).toBe(false);
      expect(run('Всё отлично, спасибо большое!', { score: nps(0), kind: 'nps' }).consistent).toBe(false);
    });

    it('accepts agreeing or middling combinations and texts without a score', () => {
      expect(run('Всё отлично, спасибо большое!', { score: nps(10), kind: 'nps' }).consistent).toBe(true);
      expect(run('Ужасный сервис', { score: nps(2), kind: 'nps' }).consistent).toBe(true);
      expect(run('Ужасный сервис', { score: nps(7), kind: 'nps' }).consistent).toBe(true);
      expect(run('Ужасный сервис').consistent).toBe(true);
      const stars = { value: 5, min: 1, max: 5, normalised: 1 };
      expect(run('Terrible, the worst order ever', { score: stars, kind: 'rating' }).consistent).toBe(false);
    });
  });
});
