import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { LocalRuntime } from '../src/index';
import { awsJson, type Fixture, prepareFixture } from './support/fixture-runtime';

let fixture: Fixture;
let dataDir: string;

beforeAll(() => {
  // A database that outlives the runtime, as DynamoDB Local's files in `.cxloop/` do between `npm start`s.
  fixture = prepareFixture('FixturePersistence', { dynamoEndpoint: inject('dynamoEndpoint') });
  dataDir = join(fixture.workDir, 'data');
});
afterAll(() => fixture?.dispose());

const adminKeyOf = async (runtime: LocalRuntime) =>
  (await awsJson(runtime, 'secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: 'AdminKeyC19094DA' })).body
    .SecretString as string;

it('restarts on existing tables and keeps generated secrets in the data directory', async () => {
  const first = await fixture.start({ dataDir });
  const key = await adminKeyOf(first);
  expect(key).toMatch(/^[A-Za-z0-9]{32}$/);
  const created = await fetch(`${first.url}/items`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: JSON.stringify({ id: 'kept', name: 'survives restarts' }),
  });
  expect(created.status).toBe(201);
  await first.stop();
  expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);

  const second = await fixture.start({ dataDir });
  expect(await adminKeyOf(second)).toBe(key);
  expect(await (await fetch(`${second.url}/items/kept`)).json()).toMatchObject({
    id: 'kept',
    name: 'survives restarts',
  });

  const third = await fixture.start({
    dataDir: join(fixture.workDir, 'other'),
    secretValues: { AdminKeyC19094DA: 'given' },
  });
  expect(await adminKeyOf(third)).toBe('given');
});
