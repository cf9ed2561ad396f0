import { describe, expect, it } from 'vitest';
import { followUpConfigSchema } from '../src/domain/config';
import { ConfigVersionConflictError, configStore } from '../src/store/config';
import { casesTable } from './cases-fixtures';

const now = new Date('2026-11-20T09:00:00Z');

describe('configStore against DynamoDB Local', () => {
  it('answers the defaults at version 0, then versions each change, optionally checked', async () => {
    const { db, tableName } = await casesTable();
    const store = configStore(db, tableName);
    expect(await store.get()).toMatchObject({ version: 0, config: { routing: { fallbackOwner: 'cx-team' } } });
    const config = followUpConfigSchema.parse({ routing: { fallbackOwner: 'support' }, locale: 'ru' });
    expect(await store.put(config, 'key-admin', now)).toMatchObject({ version: 1, updatedBy: 'key-admin' });
    await expect(store.put(config, 'key-admin', now, 0)).rejects.toBeInstanceOf(ConfigVersionConflictError);
    await store.put({ ...config, locale: 'en' }, 'key-admin', now, 1);
    expect(await store.get()).toMatchObject({
      version: 2,
      config: { locale: 'en', routing: { fallbackOwner: 'support' } },
    });
  });
});
