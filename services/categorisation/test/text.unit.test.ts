import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseText, MAX_ANALYSED_CHARS } from '../src/domain/text';

const kindsAndTexts = (text: string) => analyseText(text).tokens.map((token) => [token.kind, token.norm]);

describe('analyseText', () => {
  it('keeps UTF-16 offsets into the original text for every token', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        for (const token of analyseText(text).tokens) {
          expect(token.start).toBeGreaterThanOrEqual(0);
          expect(token.end).toBeLessThanOrEqual(text.length);
          expect(token.end).toBeGreaterThan(token.start);
        }
      }),
    );
  });

  it('normalises case, ё and typographic apostrophes but not the offsets', () => {
    const text = 'ЁЛКА don’t';
    const [yolka, dont] = analyseText(text).tokens;
    expect(yolka?.norm).toBe('елка');
    expect(dont?.norm).toBe("don't");
    expect(text.slice(dont!.start, dont!.end)).toBe('don’t');
  });

  it('squeezes elongated words and remembers the emphasis', () => {
    const [so, good] = analyseText('sooo goooood').tokens;
    expect(so).toMatchObject({ norm: 'soo', squeezed: 'so', elongated: true });
    expect(good).toMatchObject({ norm: 'good', squeezed: 'god', elongated: true });
  });

  it('marks words in capitals as shouted only when the text is not all capitals', () => {
    expect(analyseText('this is BAD').tokens[2]?.shouted).toBe(true);
    expect(analyseText('THIS IS BAD').tokens[2]?.shouted).toBe(false);
  });

  it('recognises emoji sequences, emoticons, mentions and links', () => {
    expect(kindsAndTexts('@shop 👍🏽 ❤️ :-) :(( https://x.io/a?b=1')).toEqual([
      ['mention', '@shop'],
      ['emoji', '👍🏽'],
      ['emoji', '❤️'],
      ['emoticon', ':-)'],
      ['emoticon', ':(('],
      ['url', 'https://x.io/a?b=1'],
    ]);
  });

  it('reads a bare ")" as a smile and a closing one as punctuation', () => {
    expect(kindsAndTexts('спасибо)')).toEqual([
      ['word', 'спасибо'],
      ['emoticon', ')'],
    ]);
    expect(kindsAndTexts('тариф (новый) дорогой(((').map(([kind]) => kind)).toEqual([
      'word',
      'punct',
      'word',
      'punct',
      'word',
      'emoticon',
    ]);
  });

  it('splits camel-case hashtags into words', () => {
    const text = '#CommunicationFail';
    const words = analyseText(text).tokens.map((token) => text.slice(token.start, token.end));
    expect(words).toEqual(['Communication', 'Fail']);
  });

  it('splits sentences at terminal punctuation and line breaks, keeping a trailing smiley', () => {
    const text = 'Great food! 😊 But slow service.\nWill return';
    const sentences = analyseText(text).sentences.map((sentence) => text.slice(sentence.start, sentence.end));
    expect(sentences).toEqual(['Great food! 😊', 'But slow service.', 'Will return']);
  });

  it('analyses at most MAX_ANALYSED_CHARS of a long text, cutting between words', () => {
    const text = 'слово '.repeat(5_000);
    const analysed = analyseText(text);
    expect(analysed.text.length).toBeLessThanOrEqual(MAX_ANALYSED_CHARS);
    expect(text.startsWith(analysed.text)).toBe(true);
    expect(analysed.text.endsWith('слово')).toBe(true);
  });
});
