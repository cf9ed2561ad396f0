import { describe, expect, it } from 'vitest';
import {
  createIntegrationSchema,
  integrationUpdateCandidate,
  newIntegration,
  webhookUrl,
} from '../../src/domain/integrations';

const now = new Date('2026-11-20T10:00:00Z');
const issuesOf = (input: unknown) =>
  createIntegrationSchema.safeParse(input).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ??
  [];

describe('createIntegrationSchema', () => {
  it('takes a mapping only from providers whose payload the admin writes', () => {
    const mapping = { ticketId: '/id' };
    expect(issuesOf({ provider: 'freshdesk', name: 'FD', mapping })).toEqual([]);
    expect(issuesOf({ provider: 'intercom', name: 'IC', mapping }).join()).toContain('mapping');
  });

  it('takes the Pub/Sub push audience and service account of Business Profile, both or neither', () => {
    const config = {
      pushAudience: 'https://api.example.com/v1/webhooks',
      pushServiceAccount: 'push@p.iam.gserviceaccount.com',
    };
    expect(issuesOf({ provider: 'google_business_profile', name: 'GBP', config })).toEqual([]);
    expect(
      issuesOf({ provider: 'google_business_profile', name: 'GBP', config: { ...config, pushServiceAccount: 'x' } }),
    ).toEqual([expect.stringContaining('config.pushServiceAccount')]);
    expect(issuesOf({ provider: 'google_business_profile', name: 'GBP', config: { pushAudience: 'a' } })).toEqual([
      expect.stringContaining('config.pushServiceAccount'),
    ]);
    expect(issuesOf({ provider: 'trustpilot', name: 'TP', config }).join()).toContain('config');
  });

  it('needs the app of a pull provider, and checks credentials', () => {
    expect(issuesOf({ provider: 'google_play', name: 'Play' })).toEqual([expect.stringContaining('config')]);
    expect(issuesOf({ provider: 'app_store', name: 'iOS', config: { appId: 'abc' } })).toEqual([
      expect.stringContaining('config.appId'),
    ]);
    expect(
      issuesOf({
        provider: 'google_play',
        name: 'Play',
        config: { packageName: 'com.x.y' },
        credentials: { client_email: 'x' },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining('credentials.client_email'),
        expect.stringContaining('credentials.private_key'),
      ]),
    );
  });

  it('refuses providers it cannot serve', () => {
    expect(issuesOf({ provider: 'surveymonkey', name: 'SM' }).join()).toContain('provider');
  });
});

describe('newIntegration', () => {
  it('keeps the secrets apart and says only whether they are set', () => {
    const input = createIntegrationSchema.parse({ provider: 'delighted', name: 'Delighted', secret: 'delighted-key' });
    const { integration, secrets } = newIntegration(input, 'int_1', now);
    expect(integration).toEqual({
      id: 'int_1',
      provider: 'delighted',
      name: 'Delighted',
      status: 'active',
      hasSecret: true,
      hasCredentials: false,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    expect(secrets).toEqual({ secret: 'delighted-key' });
  });
});

describe('integrationUpdateCandidate', () => {
  it('is the integration as it would be created, with the update applied', () => {
    const input = createIntegrationSchema.parse({
      provider: 'google_play',
      name: 'Play',
      config: { packageName: 'com.a.b' },
    });
    const { integration } = newIntegration(input, 'int_1', now);
    expect(
      integrationUpdateCandidate(integration, { name: 'Play (prod)', credentials: { client_email: 'a@b.c' } }),
    ).toEqual({
      provider: 'google_play',
      name: 'Play (prod)',
      config: { packageName: 'com.a.b' },
      credentials: { client_email: 'a@b.c' },
    });
  });
});

describe('webhookUrl', () => {
  it('points push providers at their webhook route and gives pull providers none', () => {
    expect(webhookUrl('https://api.example.com/', { id: 'int_1', provider: 'zendesk' })).toBe(
      'https://api.example.com/v1/webhooks/zendesk/int_1',
    );
    expect(webhookUrl('https://api.example.com', { id: 'int_2', provider: 'app_store' })).toBeNull();
  });
});
