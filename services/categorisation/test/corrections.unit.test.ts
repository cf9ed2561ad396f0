import { categorisationSchema } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import {
  applyCorrection,
  type CorrectionModel,
  categorise,
  compileTaxonomy,
  correctionModelSchema,
  correctionSchema,
  defaultTaxonomy,
  type TrainingExample,
  trainCorrectionModel,
} from '../src/index';

const taxonomy = compileTaxonomy(defaultTaxonomy);

describe('corrections', () => {
  it('validates a correction', () => {
    expect(correctionSchema.parse({ feedbackId: 'fb_1', sentiment: 'negative', topics: { add: ['price'] } })).toEqual({
      feedbackId: 'fb_1',
      sentiment: 'negative',
      topics: { add: ['price'], remove: [] },
    });
    expect(correctionSchema.safeParse({ feedbackId: 'fb_1', sentiment: 'angry' }).success).toBe(false);
    expect(correctionSchema.safeParse({ feedbackId: 'fb_1', intents: { add: ['rant'] } }).success).toBe(false);
    expect(correctionSchema.safeParse({ sentiment: 'negative' }).success).toBe(false);
  });

  it('puts the corrected labels over the categoriser’s and marks the result', () => {
    const original = categorise({ text: 'Доставка опоздала, но курьер вежливый' }, taxonomy);
    const corrected = applyCorrection(
      original,
      correctionSchema.parse({
        feedbackId: 'fb_1',
        sentiment: 'positive',
        topics: { add: ['price'], remove: ['delivery'] },
        intents: { add: ['idea'], remove: ['complaint'] },
        urgency: 'high',
      }),
    );
    expect(categorisationSchema.parse(corrected)).toEqual(corrected);
    expect(corrected.corrected).toBe(true);
    expect(corrected.sentiment.label).toBe('positive');
    expect(corrected.sentiment.score).toBeGreaterThan(0);
    expect(corrected.topics.map((topic) => topic.id)).toContain('price');
    expect(corrected.topics.map((topic) => topic.id)).not.toContain('delivery');
    expect(corrected.topics.map((topic) => topic.id)).toContain('staff');
    expect(corrected.intents.map((intent) => intent.id)).toContain('idea');
    expect(corrected.intents.map((intent) => intent.id)).not.toContain('complaint');
    expect(corrected.urgency).toBe('high');
  });

  it('is applied by categorise as an override', () => {
    const correction = correctionSchema.parse({ feedbackId: 'fb_2', sentiment: 'neutral' });
    const result = categorise({ text: 'Ужасно!' }, taxonomy, { correction });
    expect(result).toMatchObject({ sentiment: { label: 'neutral', score: 0 }, corrected: true });
  });
});

describe('the per-deployment model', () => {
  // A deployment whose customers call slow delivery "улитка" and praise with "пушка": words the rules do not know.
  const slow = (feedbackId: string, text: string): TrainingExample => ({
    text,
    correction: correctionSchema.parse({ feedbackId, sentiment: 'negative', topics: { add: ['delivery'] } }),
  });
  const examples: TrainingExample[] = [
    slow('1', 'Курьер улитка'),
    slow('2', 'Опять улитка, а не сервис'),
    slow('3', 'Улитка приехала к вечеру'),
    slow('4', 'Какая же улитка'),
    slow('5', 'Улитка второй раз подряд'),
    { text: 'Новый вкус просто пушка', correction: correctionSchema.parse({ feedbackId: '6', sentiment: 'positive' }) },
    { text: 'Это пушка, берите', correction: correctionSchema.parse({ feedbackId: '7', sentiment: 'positive' }) },
    {
      text: 'Заказ номер 12 оформлен',
      correction: correctionSchema.parse({ feedbackId: '8', sentiment: 'neutral', topics: { remove: ['delivery'] } }),
    },
  ];
  const model = trainCorrectionModel(examples, taxonomy);
  const withModel = (text: string, trained: CorrectionModel = model) =>
    categorise({ text }, taxonomy, { model: trained });

  it('gives every corrected item its corrected labels back', () => {
    for (const example of examples) {
      const result = withModel(example.text);
      if (example.correction.sentiment) expect(result.sentiment.label, example.text).toBe(example.correction.sentiment);
      for (const id of example.correction.topics?.add ?? []) {
        expect(
          result.topics.map((topic) => topic.id),
          example.text,
        ).toContain(id);
      }
    }
  });

  it('generalises from the corrected words to new texts, with learned evidence', () => {
    const text = 'Ну и улитка этот курьер сегодня';
    expect(categorise({ text }, taxonomy).sentiment.label).not.toBe('negative');
    const result = withModel(text);
    expect(result.sentiment.label).toBe('negative');
    expect(result.corrected).toBe(false);
    expect(categorisationSchema.parse(result)).toEqual(result);
    const learned = withModel('улитка опять').topics.find((topic) => topic.id === 'delivery');
    expect(
      learned?.evidence.some((evidence) => evidence.rule?.startsWith('learned:') && evidence.text === 'улитка'),
    ).toBe(true);
  });

  it('leaves texts without corrected words as the rules label them', () => {
    for (const text of ['Отличный магазин, спасибо', 'Поддержка не отвечает', 'Great app']) {
      expect(withModel(text)).toEqual(categorise({ text }, taxonomy));
    }
  });

  it('changes nothing when trained on no corrections', () => {
    const empty = trainCorrectionModel([], taxonomy);
    const text = 'Курьер улитка';
    expect(withModel(text, empty)).toEqual(categorise({ text }, taxonomy));
  });

  it('serialises to JSON and back, deterministically', () => {
    const json = JSON.parse(JSON.stringify(model));
    expect(correctionModelSchema.parse(json)).toEqual(model);
    expect(trainCorrectionModel(examples, taxonomy)).toEqual(model);
    expect(withModel('Курьер улитка', correctionModelSchema.parse(json)).sentiment.label).toBe('negative');
  });
});
