import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  categorise,
  compileTaxonomy,
  defaultTaxonomy,
  type Taxonomy,
  type TaxonomyInput,
  taxonomySchema,
} from '../src/index';

const topicsOf = (text: string, taxonomy = compileTaxonomy(defaultTaxonomy), languageHint?: string) =>
  categorise({ text, languageHint }, taxonomy).topics;
const topicIds = (text: string, taxonomy = compileTaxonomy(defaultTaxonomy)) =>
  topicsOf(text, taxonomy).map((topic) => topic.id);

function withTopic(topic: TaxonomyInput['topics'][number], version = 2): TaxonomyInput {
  return { version, topics: [...defaultTaxonomy.topics, topic] };
}

describe('default taxonomy', () => {
  it('is valid as it stands (the literal equals its parsed form)', () => {
    expect(taxonomySchema.parse(defaultTaxonomy)).toEqual(defaultTaxonomy);
  });

  it('covers the usual themes of customer feedback in Russian and English', () => {
    const ids = defaultTaxonomy.topics.map((topic) => topic.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'delivery',
        'price',
        'quality',
        'support',
        'staff',
        'usability',
        'returns',
        'availability',
        'communication',
      ]),
    );
    for (const topic of defaultTaxonomy.topics) {
      expect(Object.keys(topic.rules).sort(), topic.id).toEqual(['en', 'ru']);
      expect(topic.names.ru && topic.names.en, topic.id).toBeTruthy();
    }
  });

  it.each([
    ['Доставили на три дня позже', 'delivery'],
    ['The parcel arrived two days late', 'delivery'],
    ['Цены выросли, тариф стал дороже', 'price'],
    ['I was charged twice on my bill', 'price'],
    ['Товар бракованный, сломался через неделю', 'quality'],
    ['Служба поддержки не отвечает', 'support'],
    ['Nobody from customer service called back', 'support'],
    ['Официант был очень вежлив', 'staff'],
    ['The app keeps crashing on login', 'usability'],
    ['Хочу оформить возврат и вернуть деньги', 'returns'],
    ['Нужного размера нет в наличии', 'availability'],
    ['Получаю спам-рассылку каждый день', 'communication'],
    ['В зале было грязно и шумно', 'premises'],
  ])('finds a topic in "%s": %s', (text, topic) => {
    expect(topicIds(text)).toContain(topic);
  });

  it('matches keywords by stem and by prefix', () => {
    expect(topicIds('two deliveries were late')).toContain('delivery');
    expect(topicIds('доставили')).toContain('delivery');
    expect(topicIds('доставкой')).toContain('delivery');
  });

  it('applies exclusions to overlapping matches only', () => {
    expect(topicIds('Этот ресторан доставил удовольствие')).not.toContain('delivery');
    expect(topicIds('Обязательно вернемся')).not.toContain('returns');
    expect(topicIds('Обязательно вернемся, но доставка опоздала')).toContain('delivery');
  });

  it('is multi-label', () => {
    expect(topicIds('Доставка опоздала, а поддержка не отвечает')).toEqual(
      expect.arrayContaining(['delivery', 'support']),
    );
  });

  it('uses the rules of each script in mixed-language text', () => {
    expect(topicIds('Доставка was fine but customer service ужасный')).toEqual(
      expect.arrayContaining(['delivery', 'support']),
    );
  });
});

describe('evidence', () => {
  it('gives spans of the original text with the rule that matched', () => {
    const text = 'Курьер опоздал, а поддержка не отвечает 😡';
    const topics = topicsOf(text);
    expect(topics.length).toBeGreaterThan(0);
    for (const topic of topics) {
      expect(topic.score).toBeGreaterThan(0);
      expect(topic.score).toBeLessThanOrEqual(1);
      for (const evidence of topic.evidence) {
        expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
        expect(evidence.rule).toBeTruthy();
      }
    }
    const delivery = topics.find((topic) => topic.id === 'delivery');
    expect(delivery?.evidence.map((evidence) => evidence.text)).toEqual(['Курьер', 'опоздал']);
  });

  it('keeps offsets right for any text around the matched words (UTF-16, emoji, ё)', () => {
    const fragments = [
      'доставка',
      'Ёлка',
      '😀',
      'customer service',
      '🇷🇺',
      'price',
      '\n',
      ' ',
      ', ',
      'Поддержка',
      'é',
      '?!',
      'не отвечает',
      'thanks',
      'уйду к конкурентам',
      ':)))',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 30 }), (parts) => {
        const text = parts.join(' ');
        const result = categorise({ text }, compileTaxonomy(defaultTaxonomy));
        const spans = [
          ...result.topics.flatMap((topic) => topic.evidence),
          ...result.intents.flatMap((intent) => intent.evidence),
          ...result.churnRisk.evidence,
        ];
        for (const evidence of spans) expect(text.slice(evidence.start, evidence.end)).toBe(evidence.text);
        for (const sentence of result.sentences) {
          expect(sentence.start).toBeLessThanOrEqual(sentence.end);
          expect(sentence.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('taxonomy edits', () => {
  const cashback: TaxonomyInput['topics'][number] = {
    id: 'loyalty',
    names: { en: 'Loyalty programme', ru: 'Программа лояльности' },
    rules: {
      ru: { keywords: ['бонус*', 'баллы'], phrases: ['программа лояльности'], exclusions: ['бонусная карта не нужна'] },
      en: { keywords: ['points', 'loyalty'], regex: [String.raw`\bmiles?\s+card\b`] },
    },
  };

  it('a new topic with keywords, phrases and regex changes the output and carries the new version', () => {
    const before = compileTaxonomy(defaultTaxonomy);
    const after = compileTaxonomy(withTopic(cashback));
    expect(topicIds('Начислили баллы', before)).not.toContain('loyalty');
    expect(topicIds('Начислили баллы', after)).toContain('loyalty');
    expect(topicIds('I cancelled my miles card', after)).toContain('loyalty');
    expect(categorise({ text: 'x' }, after).taxonomyVersion).toBe(2);
    const regexEvidence = topicsOf('I cancelled my miles card', after).find((topic) => topic.id === 'loyalty')
      ?.evidence[0];
    expect(regexEvidence).toMatchObject({ text: 'miles card', rule: String.raw`/\bmiles?\s+card\b/` });
  });

  it('an exclusion added later suppresses the overlapping match', () => {
    const taxonomy = compileTaxonomy(withTopic(cashback));
    expect(topicIds('Бонусная карта не нужна', taxonomy)).not.toContain('loyalty');
    expect(topicIds('Бонусная карта не нужна, но баллы приятно', taxonomy)).toContain('loyalty');
  });

  it('removing a keyword removes the topic it alone found', () => {
    const edited: Taxonomy = {
      version: 3,
      topics: defaultTaxonomy.topics.map((topic) =>
        topic.id === 'premises'
          ? {
              ...topic,
              rules: {
                ...topic.rules,
                en: { ...topic.rules.en!, keywords: topic.rules.en!.keywords.filter((k) => k !== 'music') },
              },
            }
          : topic,
      ),
    };
    expect(topicIds('the music was loud')).toContain('premises');
    expect(topicIds('the music was nice', compileTaxonomy(edited))).not.toContain('premises');
  });

  it('supports rules in further languages with their Snowball stemmer', () => {
    const taxonomy = compileTaxonomy(
      withTopic({ id: 'versand', names: { de: 'Versand' }, rules: { de: { keywords: ['Lieferung'] } } }),
    );
    expect(topicIds('Die Lieferungen kamen sehr spät und der Kundendienst hat nicht geantwortet', taxonomy)).toContain(
      'versand',
    );
  });

  it('rejects invalid taxonomies', () => {
    const invalid: unknown[] = [
      { version: 1, topics: [cashback, cashback] },
      withTopic({ id: 'Bad Id', names: { en: 'x' }, rules: {} }),
      withTopic({ id: 'x', names: { en: 'x' }, rules: { en: { regex: ['(unclosed'] } } }),
      withTopic({ id: 'x', names: { en: 'x' }, rules: { en: { regex: [String.raw`(a)\1`] } } }),
      withTopic({ id: 'x', names: { en: 'x' }, rules: { en: { regex: ['(?<=a)b'] } } }),
      withTopic({ id: 'x', names: { en: 'x' }, rules: { en: { keywords: ['***'] } } }),
      withTopic({ id: 'x', names: { en: 'x' }, rules: { english: { keywords: ['a'] } } }),
      { version: -1, topics: [] },
    ];
    for (const taxonomy of invalid)
      expect(taxonomySchema.safeParse(taxonomy).success, JSON.stringify(taxonomy)).toBe(false);
    expect(() => compileTaxonomy(invalid[0] as TaxonomyInput)).toThrow();
  });

  it('compiles each taxonomy object once', () => {
    expect(compileTaxonomy(defaultTaxonomy)).toBe(compileTaxonomy(defaultTaxonomy));
  });
});

describe('regexes (RE2: linear time)', () => {
  const regexTopic = (...regex: string[]): TaxonomyInput['topics'][number] => ({
    id: 'custom',
    names: { en: 'Custom' },
    rules: { en: { regex } },
  });
  const issues = (taxonomy: TaxonomyInput) =>
    (taxonomySchema.safeParse(taxonomy).error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]);
  const customAt = defaultTaxonomy.topics.length;

  it('categorises a 10,000-character comment against (a|aa)+$ in well under 200 ms', () => {
    const taxonomy = compileTaxonomy(withTopic(regexTopic('(a|aa)+$')));
    const comment = `${'a'.repeat(9_999)}b`;
    categorise({ text: comment }, taxonomy);
    const started = performance.now();
    const result = categorise({ text: comment }, taxonomy);
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.topics.map((topic) => topic.id)).not.toContain('custom');
    expect(topicIds('aaaa', taxonomy)).toContain('custom');
  });

  it("refuses what RE2 cannot compile, with the engine's reason", () => {
    expect(issues(withTopic(regexTopic('miles? card', String.raw`(a)\1`)))).toEqual([
      [`topics.${customAt}.rules.en.regex.1`, expect.stringContaining('invalid escape sequence: `\\1`')],
    ]);
    for (const lookaround of ['(?<=a)b', '(?<!a)b', 'a(?=b)', 'a(?!b)']) {
      expect(issues(withTopic(regexTopic(lookaround))), lookaround).toEqual([
        [`topics.${customAt}.rules.en.regex.0`, expect.stringContaining('no backreferences or lookaround')],
      ]);
    }
  });

  it('bounds the work per text: program size per regex, and regexes per taxonomy', () => {
    expect(issues(withTopic(regexTopic(String.raw`\w{1,1000}z`)))).toEqual([
      [`topics.${customAt}.rules.en.regex.0`, 'too complex: 2002 RE2 instructions, at most 200'],
    ]);
    const many = Array.from({ length: 50 }, (_, index) => `word${index}`);
    expect(issues(withTopic(regexTopic(...many)))).toEqual([
      [`topics.${customAt}.rules.en.regex.46`, expect.stringContaining('at most 50 regexes')],
    ]);
    const large = Array.from({ length: 5 }, () => '[^z]{1,98}z');
    expect(issues(withTopic(regexTopic(...large)))).toEqual([
      [`topics.${customAt}.rules.en.regex.4`, expect.stringContaining('at most 1000 RE2 instructions in all')],
    ]);
  });

  it('gives UTF-16 offsets, ignores empty matches, and treats a no-break space as space in the defaults', () => {
    const text = '😀 Ёлка: I cancelled my MILES card';
    const [evidence] = topicsOf(text, compileTaxonomy(withTopic(regexTopic(String.raw`\bmiles?\s+card\b`)))).find(
      (topic) => topic.id === 'custom',
    )!.evidence;
    expect(text.slice(evidence!.start, evidence!.end)).toBe('MILES card');
    expect(topicIds('nothing here', compileTaxonomy(withTopic(regexTopic('x*'))))).not.toContain('custom');
    const price = topicsOf('Заплатил 40\u00a0000\u00a0₽', compileTaxonomy(defaultTaxonomy)).find(
      (topic) => topic.id === 'price',
    );
    expect(price?.evidence.map((item) => item.text)).toContain('000\u00a0₽');
  });
});
