import * as z from 'zod';
import { fieldMappingSchema } from './webhooks';

/** Providers that push to `POST /v1/webhooks/{provider}/{integrationId}` (Google Business Profile through Pub/Sub). */
export const pushProviders = [
  'zendesk',
  'freshdesk',
  'intercom',
  'helpscout',
  'trustpilot',
  'typeform',
  'delighted',
  'google_business_profile',
] as const;
/** Providers without webhooks: the poller fetches their reviews on a schedule. */
export const pullProviders = ['google_play', 'app_store'] as const;
export const integrationProviders = [...pushProviders, ...pullProviders] as const;
export type IntegrationProvider = (typeof integrationProviders)[number];
export type PushProvider = (typeof pushProviders)[number];
export type PullProvider = (typeof pullProviders)[number];

export function isPullProvider(provider: IntegrationProvider): provider is PullProvider {
  return (pullProviders as readonly string[]).includes(provider);
}

const name = z.string().trim().min(1).max(200);
/** What proves a delivery: the provider's signing secret, or the token the admin puts in the provider's settings. */
const secret = z.string().min(8).max(4096);

/** A Google service account key (the JSON file Google Cloud gives); only the two fields cxloop needs are kept. */
export const googleServiceAccountSchema = z.object({
  client_email: z.email(),
  private_key: z.string().includes('PRIVATE KEY', { message: 'expected a PEM private key' }),
});
/** An App Store Connect API key: the issuer id, the key id and the .p8 file's contents. */
export const appStoreConnectKeySchema = z.object({
  issuerId: z.string().min(1).max(100),
  keyId: z.string().min(1).max(100),
  privateKey: z.string().includes('PRIVATE KEY', { message: 'expected the PEM contents of the .p8 file' }),
});

const templated = z.strictObject({
  provider: z.enum(['zendesk', 'freshdesk', 'typeform']),
  name,
  secret: secret.optional(),
  mapping: fieldMappingSchema.optional(),
});
const signed = z.strictObject({
  provider: z.enum(['intercom', 'helpscout', 'trustpilot', 'delighted']),
  name,
  secret: secret.optional(),
});
const businessProfile = z.strictObject({
  provider: z.literal('google_business_profile'),
  name,
  secret: secret.optional(),
  credentials: googleServiceAccountSchema.optional(),
  /** The push subscription's OIDC token settings: with them, a push is proven by its token instead of `?token=`. */
  config: z
    .strictObject({
      pushAudience: z.string().trim().min(1).max(2048),
      pushServiceAccount: z.email(),
    })
    .optional(),
});
const googlePlay = z.strictObject({
  provider: z.literal('google_play'),
  name,
  credentials: googleServiceAccountSchema.optional(),
  config: z.strictObject({
    packageName: z
      .string()
      .regex(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/, 'expected a package name such as com.example.app'),
  }),
});
const appStore = z.strictObject({
  provider: z.literal('app_store'),
  name,
  credentials: appStoreConnectKeySchema.optional(),
  config: z.strictObject({ appId: z.string().regex(/^\d{1,20}$/, 'expected the numeric Apple ID of the app') }),
});

/** `POST /v1/integrations`: each provider takes only the fields it uses. */
export const createIntegrationSchema = z.discriminatedUnion('provider', [
  templated,
  signed,
  businessProfile,
  googlePlay,
  appStore,
]);
export type CreateIntegrationInput = z.infer<typeof createIntegrationSchema>;

/** `PATCH /v1/integrations/{id}`: the provider stays; the result is checked again as a whole. */
export const updateIntegrationSchema = z.strictObject({
  name: name.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  secret: secret.optional(),
  credentials: z.unknown().optional(),
  mapping: z.unknown().optional(),
  config: z.unknown().optional(),
});
export type UpdateIntegrationInput = z.infer<typeof updateIntegrationSchema>;

/** An integration as the admin API shows it: whether secrets are set, never the secrets. */
export interface Integration {
  id: string;
  provider: IntegrationProvider;
  name: string;
  status: 'active' | 'disabled';
  mapping?: z.infer<typeof fieldMappingSchema>;
  config?: Record<string, string>;
  hasSecret: boolean;
  hasCredentials: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The secrets of an integration, kept apart from it (and sealed) so that reading the integration never reads them. */
export interface IntegrationSecrets {
  secret?: string;
  /** JSON of the provider's API credentials. */
  credentials?: string;
}

export function newIntegration(
  input: CreateIntegrationInput,
  id: string,
  now: Date,
): { integration: Integration; secrets: IntegrationSecrets } {
  const secretValue = 'secret' in input ? input.secret : undefined;
  const credentials = 'credentials' in input && input.credentials ? JSON.stringify(input.credentials) : undefined;
  return {
    integration: {
      id,
      provider: input.provider,
      name: input.name,
      status: 'active',
      ...('mapping' in input && input.mapping ? { mapping: input.mapping } : {}),
      ...('config' in input ? { config: input.config } : {}),
      hasSecret: secretValue !== undefined,
      hasCredentials: credentials !== undefined,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    },
    secrets: {
      ...(secretValue !== undefined ? { secret: secretValue } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
    },
  };
}

/**
 * What a PATCH makes of an integration, in the shape of `POST /v1/integrations`: checking it with
 * `createIntegrationSchema` means that an update cannot make an integration that could not have been created.
 */
export function integrationUpdateCandidate(integration: Integration, update: UpdateIntegrationInput): unknown {
  return {
    provider: integration.provider,
    name: update.name ?? integration.name,
    ...(update.mapping !== undefined || integration.mapping ? { mapping: update.mapping ?? integration.mapping } : {}),
    ...(update.config !== undefined || integration.config ? { config: update.config ?? integration.config } : {}),
    ...(update.secret !== undefined ? { secret: update.secret } : {}),
    ...(update.credentials !== undefined ? { credentials: update.credentials } : {}),
  };
}

/** The integration after a checked update; the secrets returned are only those the update sets. */
export function updatedIntegration(
  integration: Integration,
  checked: CreateIntegrationInput,
  status: Integration['status'] | undefined,
  now: Date,
): { integration: Integration; secrets: IntegrationSecrets } {
  const next = newIntegration(checked, integration.id, now);
  return {
    integration: {
      ...next.integration,
      status: status ?? integration.status,
      hasSecret: integration.hasSecret || next.integration.hasSecret,
      hasCredentials: integration.hasCredentials || next.integration.hasCredentials,
      createdAt: integration.createdAt,
    },
    secrets: next.secrets,
  };
}

/** Who signs an integration's Pub/Sub pushes, and for which audience, when their OIDC token is to be checked. */
export interface PubSubPushIdentity {
  audience: string;
  serviceAccountEmail: string;
}

export function pubSubPushIdentity(
  integration: Pick<Integration, 'provider' | 'config'>,
): PubSubPushIdentity | undefined {
  const { pushAudience, pushServiceAccount } = integration.config ?? {};
  if (integration.provider !== 'google_business_profile' || !pushAudience || !pushServiceAccount) return undefined;
  return { audience: pushAudience, serviceAccountEmail: pushServiceAccount };
}

/** Where the provider must deliver; pull providers have none. Token-checked providers add `?token=<secret>`. */
export function webhookUrl(apiUrl: string, integration: Pick<Integration, 'id' | 'provider'>): string | null {
  if (isPullProvider(integration.provider)) return null;
  return `${apiUrl.replace(/\/+$/, '')}/v1/webhooks/${integration.provider}/${integration.id}`;
}
