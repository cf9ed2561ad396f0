import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRows, MappingError, parseMapSpec, resolveMapping, rowFromRecord } from '../src/csv';
import { isoTime } from '../src/rows';

const origin = { file: 'export.csv', line: 2 };

describe('CSV mapping', () => {
  it('parses --map with respondent aliases and properties', () => {
    expect(parseMapSpec('score=Score, comment=Comment,email=E-mail,name=Name,id=User,properties.plan=Plan')).toEqual({
      fields: {
        score: 'Score',
        comment: 'Comment',
        'respondent.email': 'E-mail',
        'respondent.name': 'Name',
        'respondent.id': 'User',
      },
      properties: { plan: 'Plan' },
    });
    expect(() => parseMapSpec('rating=Score')).toThrow(MappingError);
    expect(() => parseMapSpec('score')).toThrow('expected field=Column');
  });

  it("resolves Delighted's export columns case-insensitively, with --map over the preset", () => {
    const header = ['Response ID', 'score', 'Comment', 'Email', 'Name', 'Created At', 'Plan'];
    const mapping = resolveMapping(header, 'delighted-csv', parseMapSpec('answeredAt=Created At,properties.plan=Plan'));
    expect(mapping).toEqual({
      fields: {
        sourceId: 'Response ID',
        answeredAt: 'Created At',
        score: 'score',
        comment: 'Comment',
        'respondent.email': 'Email',
        'respondent.name': 'Name',
      },
      properties: { plan: 'Plan' },
    });
  });

  it('names the fields it has no column for, and columns the header lacks', () => {
    expect(() => resolveMapping(['Score', 'Comment'], 'delighted-csv', parseMapSpec(''))).toThrow(
      /no column for sourceId, answeredAt: map them with --map sourceId=<Column>,answeredAt=<Column>/,
    );
    expect(() =>
      resolveMapping(['ID', 'When', 'Score'], undefined, parseMapSpec('sourceId=ID,answeredAt=When,score=Rating')),
    ).toThrow('no column "Rating"');
  });

  const mapping = resolveMapping(
    ['ID', 'When', 'Score', 'Comment', 'Email', 'Plan'],
    undefined,
    parseMapSpec('sourceId=ID,answeredAt=When,score=Score,comment=Comment,email=Email,properties.plan=Plan'),
  );

  it('maps a record to a row, leaving out empty cells', () => {
    expect(
      rowFromRecord(
        { ID: ' 42 ', When: '2026-03-01 12:30:00', Score: '9', Comment: '', Email: 'anna@example.com', Plan: 'pro' },
        mapping,
        origin,
      ),
    ).toEqual({
      origin,
      sourceId: '42',
      row: {
        sourceId: '42',
        answeredAt: '2026-03-01T12:30:00.000Z',
        score: 9,
        respondent: { email: 'anna@example.com' },
        properties: { plan: 'pro' },
      },
    });
  });

  it.each([
    [{ ID: '', When: '2026-03-01', Score: '9' }, 'sourceId'],
    [{ ID: '7', When: '2026-03-01', Score: 'nine' }, 'score'],
    [{ ID: '7', When: '2026-03-01', Score: '8.5' }, 'score'],
    [{ ID: '7', When: 'yesterday', Score: '9' }, 'answeredAt'],
  ])('rejects %o naming %s', (record, field) => {
    expect(rowFromRecord(record, mapping, origin)).toMatchObject({ rejection: { reason: 'invalid', field } });
  });

  it('reads times as ISO 8601, "YYYY-MM-DD HH:MM:SS" (UTC) and Unix seconds', () => {
    expect(isoTime('2026-03-01T12:30:00+03:00')).toBe('2026-03-01T09:30:00.000Z');
    expect(isoTime('2026-03-01T12:30')).toBe('2026-03-01T12:30:00.000Z');
    expect(isoTime('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(isoTime('1713418460')).toBe('2024-04-18T05:34:20.000Z');
    expect(isoTime('01/03/2026')).toBeUndefined();
    expect(isoTime('2026-02-31')).toBeUndefined();
  });

  it('streams a file with the line number of each record, an unreadable record rejected rather than dropped', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'importer-')), 'export.csv');
    writeFileSync(
      path,
      [
        '\uFEFFID,When,Score,Comment',
        '1,2026-03-01,9,"Всё отлично"',
        '2,2026-03-02,3,"Two lines,',
        'of comment"',
        '3,2026-03-03,x,',
        '4,2026-03-04,5,"broken "quote" here"',
        '5,2026-03-05,10,',
        '',
      ].join('\n'),
    );
    const rows = [];
    for await (const row of csvRows(
      path,
      undefined,
      parseMapSpec('sourceId=ID,answeredAt=When,score=Score,comment=Comment'),
    )) {
      rows.push(row);
    }
    expect(rows.map((row) => [row.origin, 'row' in row ? 'row' : row.rejection.field])).toEqual([
      [{ file: 'export.csv', line: 2 }, 'row'],
      [{ file: 'export.csv', line: 4 }, 'row'],
      [{ file: 'export.csv', line: 5 }, 'score'],
      [{ file: 'export.csv', line: 6 }, 'row'],
      [{ file: 'export.csv', line: 7 }, 'row'],
    ]);
    expect(rows[1]).toMatchObject({ row: { comment: 'Two lines,\nof comment' } });
  });
});
