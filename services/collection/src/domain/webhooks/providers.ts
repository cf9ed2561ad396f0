import type { FeedbackSource } from '@cxloop/events';
import * as z from 'zod';

/** Sources that push to cxloop over HTTP (Google Business Profile through a Pub/Sub push subscription). */
export const webhookProviders = [
  'zendesk',
  'freshdesk',
  'intercom',
  'helpscout',
  'trustpilot',
  'typeform',
  'delighted',
  'surveymonkey',
  'google_business_profile',
] as const satisfies readonly FeedbackSource[];

export const providerSchema = z.enum(webhookProviders);
export type WebhookProvider = z.infer<typeof providerSchema>;
