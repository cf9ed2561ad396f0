import * as z from 'zod';
import type { CaseRouting, CategorisedFeedback } from './rules';

const ownerSchema = z.string().min(1).max(200);

export const routingConfigSchema = z.object({
  topicTeams: z.record(z.string().min(1), ownerSchema).default({}).describe('Topic id → the team that owns it'),
  accountOwnerAttributes: z
    .array(z.string().min(1))
    .default(['accountOwner'])
    .describe('Customer attributes that name the account owner, first present wins'),
  segmentOwners: z
    .record(z.string().min(1), z.record(z.string(), ownerSchema))
    .default({})
    .describe('Customer attribute → its value → owner, for customers without a named account owner'),
  fallbackOwner: ownerSchema.describe('Who gets a case no other route decides'),
});
export type RoutingConfig = z.infer<typeof routingConfigSchema>;

export type RoutedVia = 'team' | 'account_owner' | 'segment' | 'topic' | 'fallback';

export interface RoutedOwner {
  owner: string;
  via: RoutedVia;
}

function accountOwnerOf({ feedback }: CategorisedFeedback, config: RoutingConfig): RoutedOwner | undefined {
  for (const attribute of config.accountOwnerAttributes) {
    const value = feedback.attributes[attribute];
    if (typeof value === 'string' && value.trim() !== '') return { owner: value.trim(), via: 'account_owner' };
  }
  return undefined;
}

function segmentOwnerOf({ feedback }: CategorisedFeedback, config: RoutingConfig): RoutedOwner | undefined {
  for (const [attribute, owners] of Object.entries(config.segmentOwners)) {
    const value = feedback.attributes[attribute];
    const owner = value === undefined ? undefined : owners[String(value)];
    if (owner) return { owner, via: 'segment' };
  }
  return undefined;
}

function topicTeamOf({ categorisation }: CategorisedFeedback, config: RoutingConfig): RoutedOwner | undefined {
  const strongestFirst = [...categorisation.topics].sort((a, b) => b.score - a.score);
  const routed = strongestFirst.find((topic) => config.topicTeams[topic.id] !== undefined);
  return routed && { owner: config.topicTeams[routed.id]!, via: 'topic' };
}

/**
 * Who owns a new case. A fixed team is taken as given; `topic_team` goes by the strongest topic with a team;
 * `account_owner` goes to the customer's named account owner, else their segment's owner, else the topic's team.
 * Whatever is left goes to the fallback owner, so every case has one.
 */
export function routeCase(routing: CaseRouting, input: CategorisedFeedback, config: RoutingConfig): RoutedOwner {
  const fallback: RoutedOwner = { owner: config.fallbackOwner, via: 'fallback' };
  switch (routing.to) {
    case 'team':
      return { owner: routing.team, via: 'team' };
    case 'topic_team':
      return topicTeamOf(input, config) ?? fallback;
    case 'account_owner':
      return accountOwnerOf(input, config) ?? segmentOwnerOf(input, config) ?? topicTeamOf(input, config) ?? fallback;
  }
}
