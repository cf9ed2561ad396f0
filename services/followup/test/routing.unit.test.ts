import type { Categorisation, Feedback } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { type RoutingConfig, routeCase, routingConfigSchema } from '../src/domain/routing';
import { categorised } from './categorised-fixture';

const categorisedWith = (attributes: Feedback['attributes'], topics: Categorisation['topics'] = []) =>
  categorised({ attributes }, { topics });
const topic = (id: string, score: number) => ({ id, score, evidence: [] });

const config: RoutingConfig = routingConfigSchema.parse({
  topicTeams: { delivery: 'logistics', price: 'billing' },
  accountOwnerAttributes: ['accountOwner', 'csm'],
  segmentOwners: { segment: { enterprise: 'enterprise-cx' }, tier: { '1': 'tier-one-cx' } },
  fallbackOwner: 'cx-team',
});

describe('routeCase', () => {
  it('takes a fixed team as given', () => {
    expect(routeCase({ to: 'team', team: 'support' }, categorisedWith({ accountOwner: 'anna' }), config)).toEqual({
      owner: 'support',
      via: 'team',
    });
  });

  it('routes by the strongest topic that has a team', () => {
    const topics = [topic('quality', 0.95), topic('delivery', 0.6), topic('price', 0.8)];
    expect(routeCase({ to: 'topic_team' }, categorisedWith({}, topics), config)).toEqual({
      owner: 'billing',
      via: 'topic',
    });
  });

  it('falls back when no topic has a team', () => {
    expect(routeCase({ to: 'topic_team' }, categorisedWith({}, [topic('quality', 0.9)]), config)).toEqual({
      owner: 'cx-team',
      via: 'fallback',
    });
  });

  describe('to the account owner', () => {
    const route = (attributes: Feedback['attributes'], topics: Categorisation['topics'] = []) =>
      routeCase({ to: 'account_owner' }, categorisedWith(attributes, topics), config);

    it('uses the first attribute that names an owner', () => {
      expect(route({ csm: 'boris', accountOwner: 'anna' })).toEqual({ owner: 'anna', via: 'account_owner' });
      expect(route({ accountOwner: '  ', csm: 'boris' })).toEqual({ owner: 'boris', via: 'account_owner' });
      expect(route({ accountOwner: 42 }).via).not.toBe('account_owner');
    });

    it("then the segment's owner, matching numbers and booleans by their text", () => {
      expect(route({ segment: 'enterprise' })).toEqual({ owner: 'enterprise-cx', via: 'segment' });
      expect(route({ tier: 1 })).toEqual({ owner: 'tier-one-cx', via: 'segment' });
      expect(route({ segment: 'smb' }).via).toBe('fallback');
    });

    it("then the topic's team, then the fallback", () => {
      expect(route({}, [topic('delivery', 0.7)])).toEqual({ owner: 'logistics', via: 'topic' });
      expect(route({})).toEqual({ owner: 'cx-team', via: 'fallback' });
    });
  });

  it('needs a fallback owner in its configuration and defaults the rest', () => {
    expect(routingConfigSchema.safeParse({}).success).toBe(false);
    expect(routingConfigSchema.parse({ fallbackOwner: 'cx' })).toEqual({
      topicTeams: {},
      accountOwnerAttributes: ['accountOwner'],
      segmentOwners: {},
      fallbackOwner: 'cx',
    });
  });
});
