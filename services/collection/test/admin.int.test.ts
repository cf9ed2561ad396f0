import { beforeEach, describe, expect, it } from 'vitest';
import { createApiKeySchema, hashApiKey } from '../src/domain/api-keys';
import { createIntegrationSchema, updateIntegrationSchema } from '../src/domain/integrations';
import { createSurveySchema, updateSurveySchema } from '../src/domain/surveys';
import { integrationSecretContext } from '../src/store/integrations';
import { createApiKey, revokeApiKey } from '../src/use-cases/manage-api-keys';
import { createIntegration, updateIntegration } from '../src/use-cases/manage-integrations';
import { createSurvey, openIdentitySecret, rotateIdentitySecret, updateSurvey } from '../src/use-cases/manage-surveys';
import { answered } from './support/answers';
import { type CollectionTestbed, collectionTestbed } from './support/testbed';

const now = new Date('2026-11-20T10:00:00Z');
const later = new Date('2026-11-21T10:00:00Z');

describe('admin use cases against DynamoDB Local', () => {
  let bed: CollectionTestbed;

  beforeEach(async () => {
    bed = await collectionTestbed();
  });

  describe('API keys', () => {
    it('stores a key by its hash only and finds it by the key the caller was shown once', async () => {
      const { apiKey, key } = await createApiKey(
        bed,
        { name: 'BI export', scopes: ['read:metrics'] },
        'admin-key',
        now,
      );
      expect(key).toMatch(/^cxk_[A-Za-z0-9_-]{43}$/);
      expect(await bed.apiKeys.getByHash(hashApiKey(key))).toEqual(apiKey);
      expect(JSON.stringify(await bed.itemsWithPrefix('APIKEY#'))).not.toContain(key);
    });

    it('lists keys newest first without keys or hashes, and revokes by id once', async () => {
      const first = await createApiKey(bed, { name: 'one', scopes: ['admin'] }, 'admin-key', now);
      const second = await createApiKey(bed, { name: 'two', scopes: ['write:responses'] }, 'admin-key', now);
      const { apiKeys } = await bed.apiKeys.list(10);
      expect(apiKeys.map((apiKey) => apiKey.name)).toEqual(['two', 'one']);
      expect(JSON.stringify(apiKeys)).not.toContain(hashApiKey(first.key));

      const revoked = await revokeApiKey(bed.apiKeys, second.apiKey.id, later);
      const again = await revokeApiKey(bed.apiKeys, second.apiKey.id, new Date('2026-12-01T00:00:00Z'));
      expect(revoked.revokedAt).toBe(later.toISOString());
      expect(again.revokedAt).toBe(later.toISOString());
      expect((await bed.apiKeys.getByHash(hashApiKey(second.key)))?.revokedAt).toBe(later.toISOString());
      await expect(answered(revokeApiKey(bed.apiKeys, 'key_missing', later))).rejects.toMatchObject({
        statusCode: 404,
      });
    });

    it('binds a delighted key to an existing survey only', async () => {
      const { survey } = await createSurvey(bed, createSurveySchema.parse({ name: 'NPS' }), now);
      const input = (surveyId: string) =>
        createApiKeySchema.parse({ name: 'Delighted client', scopes: ['delighted'], surveyId });
      const { apiKey, key } = await createApiKey(bed, input(survey.id), 'admin-key', now);
      expect(apiKey).toMatchObject({ scopes: ['delighted'], surveyId: survey.id });
      expect(await bed.apiKeys.getByHash(hashApiKey(key))).toEqual(apiKey);
      await expect(answered(createApiKey(bed, input('srv_missing'), 'admin-key', now))).rejects.toMatchObject({
        statusCode: 400,
        details: { issues: [{ field: 'body.surveyId', message: 'survey srv_missing does not exist' }] },
      });
    });

    it('takes a surveyId for delighted keys only, and a delighted key with no other scope', () => {
      const issues = (body: unknown) =>
        createApiKeySchema.safeParse(body).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
      expect(issues({ name: 'k', scopes: ['delighted'] })).toEqual([['surveyId', 'required for a delighted key']]);
      expect(issues({ name: 'k', scopes: ['delighted', 'read:metrics'], surveyId: 'srv_1' })).toEqual([
        ['scopes', 'a delighted key has no other scope'],
      ]);
      expect(issues({ name: 'k', scopes: ['admin'], surveyId: 'srv_1' })).toEqual([
        ['surveyId', 'only delighted keys are bound to a survey'],
      ]);
    });
  });

  describe('surveys', () => {
    it('creates a survey with a sealed identity secret that rotation replaces', async () => {
      const { survey, identitySecret } = await createSurvey(bed, createSurveySchema.parse({ name: 'NPS' }), now);
      expect(await openIdentitySecret(bed, survey.id)).toBe(identitySecret);
      expect(JSON.stringify(await bed.itemsWithPrefix(`SURVEY#${survey.id}`))).not.toContain(identitySecret);

      const rotated = await rotateIdentitySecret(bed, survey.id);
      expect(rotated).not.toBe(identitySecret);
      expect(await openIdentitySecret(bed, survey.id)).toBe(rotated);
    });

    it('updates a survey field by field and refuses a lost update', async () => {
      const { survey } = await createSurvey(bed, createSurveySchema.parse({ name: 'NPS' }), now);
      const paused = await updateSurvey(
        bed,
        survey.id,
        updateSurveySchema.parse({ status: 'paused', throttle: { sampleRate: 0.25 } }),
        later,
      );
      expect(paused).toMatchObject({
        name: 'NPS',
        status: 'paused',
        throttle: { minDaysBetweenAsks: 30, minDaysAfterResponse: 90, sampleRate: 0.25 },
        updatedAt: later.toISOString(),
      });
      await expect(answered(bed.surveys.replace(survey, { ...survey, name: 'stale' }))).rejects.toMatchObject({
        statusCode: 409,
      });
    });
  });

  describe('integrations', () => {
    it('keeps the secret and credentials sealed, apart from the integration', async () => {
      const integration = await createIntegration(
        bed,
        createIntegrationSchema.parse({ provider: 'delighted', name: 'Delighted', secret: 'delighted-api-key-123' }),
        now,
      );
      expect(integration).toMatchObject({ hasSecret: true, hasCredentials: false, status: 'active' });
      expect(JSON.stringify(await bed.integrations.get(integration.id))).not.toContain('delighted-api-key-123');
      const found = await bed.integrations.getWithSecrets(integration.id);
      expect(bed.box.open(found?.sealed.secret ?? '', integrationSecretContext(integration.id, 'secret'))).toBe(
        'delighted-api-key-123',
      );
    });

    it('sets a secret later, leaving other fields and secrets as they were', async () => {
      const integration = await createIntegration(
        bed,
        createIntegrationSchema.parse({
          provider: 'zendesk',
          name: 'Zendesk',
          mapping: { ticketId: '/id', score: '/score', scale: { kind: 'csat', min: 1, max: 5 } },
        }),
        now,
      );
      const updated = await updateIntegration(
        bed,
        integration.id,
        updateIntegrationSchema.parse({ secret: 'zendesk-signing-secret' }),
        later,
      );
      expect(updated).toMatchObject({ hasSecret: true, mapping: integration.mapping, createdAt: now.toISOString() });
      const found = await bed.integrations.getWithSecrets(integration.id);
      expect(found?.sealed.secret).toMatch(/^v1\./);
    });

    it('checks an update as the provider would check a creation', async () => {
      const integration = await createIntegration(
        bed,
        createIntegrationSchema.parse({ provider: 'intercom', name: 'Intercom', secret: 'intercom-secret' }),
        now,
      );
      await expect(
        answered(updateIntegration(bed, integration.id, { mapping: { ticketId: '/id' } }, later)),
      ).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining('mapping') });
      await expect(answered(updateIntegration(bed, 'int_missing', { name: 'x' }, later))).rejects.toMatchObject({
        statusCode: 404,
      });
    });

    it('gives pull integrations a poll state the poller lists', async () => {
      const play = await createIntegration(
        bed,
        createIntegrationSchema.parse({
          provider: 'google_play',
          name: 'Play',
          config: { packageName: 'com.example.app' },
        }),
        now,
      );
      await createIntegration(
        bed,
        createIntegrationSchema.parse({ provider: 'trustpilot', name: 'TP', secret: 'tp-token-123' }),
        now,
      );
      expect(await bed.integrations.listPolls()).toEqual([{ integrationId: play.id, provider: 'google_play' }]);
    });
  });
});
