import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type ChannelSettings, channelSettingsSchema } from '../domain/channel-settings';
import type { OutboundUrlPolicy } from '../domain/url-policy';

export class InvalidStoredSettingsError extends Error {
  override readonly name = 'InvalidStoredSettingsError';
}

/**
 * The channel settings document in Secrets Manager (the `ChannelSettings` secret). An empty secret means "nothing
 * configured"; a document that no longer validates (edited by hand, or a URL the outbound URL policy refuses) is an
 * error naming the fields, not the values.
 */
export function channelSettingsStore(
  secretId: string,
  policy: OutboundUrlPolicy,
  client = new SecretsManagerClient({}),
) {
  const schema = channelSettingsSchema(policy);
  return {
    async read(): Promise<ChannelSettings> {
      const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      const text = result.SecretString?.trim() ?? '';
      if (text === '') return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new InvalidStoredSettingsError('The channel settings secret is not JSON');
      }
      const settings = schema.safeParse(parsed);
      if (!settings.success) {
        const fields = settings.error.issues.map((issue) => issue.path.join('.') || '(root)');
        throw new InvalidStoredSettingsError(`The channel settings secret is invalid at ${fields.join(', ')}`);
      }
      return settings.data;
    },

    async write(settings: ChannelSettings): Promise<void> {
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(settings) }));
    },
  };
}
export type ChannelSettingsStore = ReturnType<typeof channelSettingsStore>;
