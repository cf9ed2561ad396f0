import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { delightedRows, rowFromDelighted } from '../src/delighted-json';

const origin = { file: 'survey_responses.json', index: 0 };
const people = new Map([['10', { id: '10', email: 'gabriel@example.com', name: 'Gabriel Larson' }]]);

// The shape of Delighted's GET /v1/survey_responses.json example (expand[]=person gives the person object).
const response = {
  id: '1',
  person: { id: '10', email: 'gabriel@example.com', name: 'Gabriel Larson', created_at: 1708404257 },
  survey_type: 'nps',
  score: 0,
  comment: ' Доставка опоздала ',
  permalink: 'https://app.delighted.com/r/2jo3B7Gak9q37XkuHrGLGAbCdevemcx8',
  created_at: 1713418460,
  updated_at: null,
  person_properties: { purchase_experience: 'Retail Store', country: 'USA', empty: null, nested: { a: 1 } },
  notes: [],
  tags: [],
  additional_answers: [],
};

describe('Delighted JSON pages', () => {
  it('maps an expanded response to a row: its id, creation time, score, comment, person and scalar properties', () => {
    expect(rowFromDelighted(response, new Map(), origin)).toEqual({
      origin,
      sourceId: '1',
      row: {
        sourceId: '1',
        answeredAt: '2024-04-18T05:34:20.000Z',
        score: 0,
        comment: 'Доставка опоздала',
        respondent: { id: '10', email: 'gabriel@example.com', name: 'Gabriel Larson' },
        properties: { purchase_experience: 'Retail Store', country: 'USA' },
      },
    });
  });

  it('finds the person of a response saved without expand[]=person in people.json', () => {
    const row = rowFromDelighted({ ...response, id: 2, person: '10', comment: null }, people, origin);
    expect(row).toMatchObject({
      sourceId: '2',
      row: { sourceId: '2', respondent: { id: '10', email: 'gabriel@example.com', name: 'Gabriel Larson' } },
    });
    expect(row).not.toHaveProperty('row.comment');
    expect(rowFromDelighted({ ...response, person: '99' }, people, origin)).toMatchObject({
      row: { respondent: { id: '99' } },
    });
  });

  it('rejects what is not a response on a cxloop scale, or not of the survey’s type', () => {
    expect(rowFromDelighted({ ...response, score: 'ten' }, people, origin)).toMatchObject({
      sourceId: '1',
      rejection: { reason: 'invalid', field: 'score' },
    });
    expect(rowFromDelighted({ ...response, created_at: undefined }, people, origin)).toMatchObject({
      rejection: { field: 'created_at' },
    });
    expect(rowFromDelighted({ ...response, survey_type: 'smileys' }, people, origin)).toMatchObject({
      rejection: { field: 'survey_type' },
    });
    expect(rowFromDelighted({ ...response, survey_type: 'csat', score: 4 }, people, origin, 'nps')).toMatchObject({
      rejection: { field: 'survey_type', message: expect.stringContaining('csat survey') },
    });
    expect(rowFromDelighted({ ...response, survey_type: 'enps' }, people, origin, 'nps')).toHaveProperty('row');
  });

  it('reads the pages of a directory in page order, each item with its file and index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'delighted-'));
    writeFileSync(join(dir, 'people.json'), JSON.stringify([{ id: '10', email: 'gabriel@example.com' }]));
    writeFileSync(join(dir, 'survey_responses-2.json'), JSON.stringify([{ ...response, id: '3', person: '10' }]));
    writeFileSync(join(dir, 'survey_responses.json'), JSON.stringify([response, { id: '2' }]));
    writeFileSync(join(dir, 'survey_responses-10.json'), JSON.stringify([{ ...response, id: '4' }]));
    const rows = [];
    for await (const row of delightedRows(dir, 'nps')) rows.push(row);
    expect(rows.map((row) => [row.origin, row.sourceId, 'row' in row])).toEqual([
      [{ file: 'survey_responses.json', index: 0 }, '1', true],
      [{ file: 'survey_responses.json', index: 1 }, '2', false],
      [{ file: 'survey_responses-2.json', index: 0 }, '3', true],
      [{ file: 'survey_responses-10.json', index: 0 }, '4', true],
    ]);
    expect(rows[2]).toMatchObject({ row: { respondent: { email: 'gabriel@example.com' } } });
  });
});
