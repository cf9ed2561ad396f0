import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { categorisationSchema } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { categoriseLine } from '../scripts/categorise-cli';
import { compileTaxonomy, defaultTaxonomy } from '../src/index';

const taxonomy = compileTaxonomy(defaultTaxonomy);
const line = (input: string) => categoriseLine(input, taxonomy, {});

describe('categorise CLI', () => {
  it('turns one input line into one categorisation with its id', () => {
    const output = line(JSON.stringify({ id: 'a1', text: 'Курьер опоздал', lang: 'ru' }));
    const { id, ...categorisation } = output;
    expect(id).toBe('a1');
    expect(categorisationSchema.parse(categorisation)).toEqual(categorisation);
    expect(categorisation).toMatchObject({ language: 'ru', sentiment: { label: 'negative' } });
  });

  it('answers bad lines with an error line, keeping the id when there is one', () => {
    expect(line('{not json')).toEqual({ error: 'not valid JSON' });
    expect(line(JSON.stringify({ id: 7, text: 42 }))).toMatchObject({ id: 7, error: expect.stringContaining('text') });
    expect(line('[1, 2]')).toMatchObject({ error: expect.any(String) });
  });

  it('streams stdin to stdout, one line out per line in', () => {
    const input = [
      JSON.stringify({ id: '1', text: 'Great support, thanks!' }),
      'garbage',
      JSON.stringify({ id: '3', text: 'Доставка опоздала', lang: 'ru-RU' }),
    ].join('\n');
    const script = resolve(import.meta.dirname, '../scripts/categorise-cli.ts');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', script], { input, encoding: 'utf8' });
    const outputs = stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    expect(outputs).toHaveLength(3);
    expect(outputs[0]).toMatchObject({ id: '1', language: 'en', sentiment: { label: 'positive' } });
    expect(outputs[1]).toEqual({ error: 'not valid JSON' });
    expect(outputs[2]).toMatchObject({
      id: '3',
      language: 'ru',
      topics: [expect.objectContaining({ id: 'delivery' })],
    });
  });
});
