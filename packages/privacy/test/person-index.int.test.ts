import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createServiceTable } from '../../../test/support/dynamodb';
import { erasePersonalItems, type ItemKey, personIdentifiers, personIndexItems } from '../src';

const now = new Date('2026-12-07T10:00:00Z');

describe('the person index', () => {
  it('finds every item of a person by any identifier, erases each once and counts it once, even when run again', async () => {
    const { db, tableName } = await createServiceTable('privacy');
    const anna = personIdentifiers({ respondentId: 'u-anna', email: 'anna@example.com' });
    const bob = personIdentifiers({ email: 'bob@example.com' });
    const responses: ItemKey[] = [
      { pk: 'SURVEY#s1', sk: 'RESP#r1' },
      { pk: 'SURVEY#s1', sk: 'RESP#r2' },
    ];
    for (const key of responses) {
      for (const pointer of personIndexItems(anna, 'responses', key, 2_000_000_000)) {
        await db.send(new PutCommand({ TableName: tableName, Item: pointer }));
      }
      await db.send(new PutCommand({ TableName: tableName, Item: { ...key, comment: 'Anna wrote this' } }));
    }
    const bobsResponse = { pk: 'SURVEY#s1', sk: 'RESP#r3' };
    for (const pointer of personIndexItems(bob, 'responses', bobsResponse, undefined)) {
      await db.send(new PutCommand({ TableName: tableName, Item: pointer }));
    }
    await db.send(new PutCommand({ TableName: tableName, Item: { ...bobsResponse, comment: 'Bob wrote this' } }));

    let erasures = 0;
    const erasers = {
      responses: async (target: ItemKey) => {
        erasures += 1;
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: target,
            UpdateExpression: 'REMOVE #comment',
            ExpressionAttributeNames: { '#comment': 'comment' },
          }),
        );
      },
    };
    // Erasing by e-mail alone still finds the items indexed under the respondent id, since both point at them.
    const first = await erasePersonalItems(db, tableName, 'er_1', anna, erasers, now);
    expect(first).toEqual({ responses: 2 });
    expect(erasures).toBe(2);
    const again = await erasePersonalItems(db, tableName, 'er_1', anna, erasers, now);
    expect(again).toEqual({ responses: 2 });

    const items = (await db.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    expect(JSON.stringify(items)).not.toContain('Anna wrote this');
    expect(JSON.stringify(items)).toContain('Bob wrote this');
    expect(items.filter((item) => String(item.pk).startsWith('PERSONAL#'))).toHaveLength(1);
    const progress = await db.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'ERASURE#er_1', sk: 'PROGRESS' } }),
    );
    expect(progress.Item?.expiresAt).toBeGreaterThan(now.getTime() / 1000);
  });

  it('refuses an item kind it has no eraser for, rather than leaving it behind silently', async () => {
    const { db, tableName } = await createServiceTable('privacy');
    const carol = personIdentifiers({ email: 'carol@example.com' });
    for (const pointer of personIndexItems(carol, 'mystery', { pk: 'X', sk: 'Y' }, undefined)) {
      await db.send(new PutCommand({ TableName: tableName, Item: pointer }));
    }
    await expect(erasePersonalItems(db, tableName, 'er_2', carol, {}, now)).rejects.toThrow(/mystery/);
  });

  it('reports every kind it has an eraser for, 0 when the person had none', async () => {
    const { db, tableName } = await createServiceTable('privacy');
    const dave = personIdentifiers({ email: 'dave@example.com' });
    const erasers = { responses: async () => {}, respondents: async () => {} };
    expect(await erasePersonalItems(db, tableName, 'er_3', dave, erasers, now)).toEqual({
      responses: 0,
      respondents: 0,
    });
  });
});
