import { parseOrBadRequest } from '@cxloop/lambda-kit';
import { ulid } from 'ulid';
import { UnknownResourceError } from '../domain/errors';
import {
  type CreateIntegrationInput,
  createIntegrationSchema,
  type Integration,
  type IntegrationSecrets,
  integrationUpdateCandidate,
  newIntegration,
  type UpdateIntegrationInput,
  updatedIntegration,
} from '../domain/integrations';
import type { SecretBox } from '../domain/secret-box';
import { type IntegrationStore, integrationSecretContext, type SealedIntegrationSecrets } from '../store/integrations';

export interface ManageIntegrationsDeps {
  integrations: IntegrationStore;
  secretBox: () => Promise<SecretBox>;
}

async function seal(
  deps: ManageIntegrationsDeps,
  integrationId: string,
  secrets: IntegrationSecrets,
): Promise<SealedIntegrationSecrets> {
  if (secrets.secret === undefined && secrets.credentials === undefined) return {};
  const box = await deps.secretBox();
  return {
    ...(secrets.secret !== undefined
      ? { secret: box.seal(secrets.secret, integrationSecretContext(integrationId, 'secret')) }
      : {}),
    ...(secrets.credentials !== undefined
      ? { credentials: box.seal(secrets.credentials, integrationSecretContext(integrationId, 'credentials')) }
      : {}),
  };
}

export async function createIntegration(
  deps: ManageIntegrationsDeps,
  input: CreateIntegrationInput,
  now: Date,
): Promise<Integration> {
  const { integration, secrets } = newIntegration(input, `int_${ulid()}`, now);
  await deps.integrations.create(integration, await seal(deps, integration.id, secrets));
  return integration;
}

export async function updateIntegration(
  deps: ManageIntegrationsDeps,
  integrationId: string,
  update: UpdateIntegrationInput,
  now: Date,
): Promise<Integration> {
  const integration = await deps.integrations.get(integrationId);
  if (!integration) throw new UnknownResourceError(`Integration ${integrationId} does not exist`);
  const checked = parseOrBadRequest(createIntegrationSchema, integrationUpdateCandidate(integration, update), 'body');
  const next = updatedIntegration(integration, checked, update.status, now);
  await deps.integrations.update(integration, next.integration, await seal(deps, integrationId, next.secrets));
  return next.integration;
}
