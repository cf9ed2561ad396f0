import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AwsError } from '../aws-api/aws-error';
import type { SecretDefinition } from '../template/resources/secrets';
import { generateSecretString } from './generate-secret';

interface StoredSecret {
  definition: SecretDefinition;
  value: string;
  versionId: string;
  createdAt: number;
}

export interface SecretsOptions {
  /** Values to use, by logical id, instead of generated ones. */
  values?: Record<string, string>;
  /** JSON file (logical id → value) that keeps generated values across restarts. */
  persistFile?: string;
}

/** The stack's secrets: generated once (and remembered when persisted), served by the Secrets Manager API. */
export class SecretsManager {
  private readonly secrets: StoredSecret[];
  private readonly persisted: Record<string, string>;

  constructor(
    definitions: SecretDefinition[],
    private readonly options: SecretsOptions = {},
  ) {
    const persisted = this.readPersisted();
    this.persisted = persisted;
    this.secrets = definitions.map((definition) => ({
      definition,
      value:
        options.values?.[definition.logicalId] ??
        persisted[definition.logicalId] ??
        definition.secretString ??
        generateSecretString(definition.generate ?? {}),
      versionId: randomUUID(),
      createdAt: Date.now(),
    }));
    this.persist();
  }

  /** The current value of a secret, by logical id, name or ARN. */
  valueOf(reference: string): string {
    return this.find(reference).value;
  }

  handle(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'GetSecretValue': {
        const secret = this.find(String(input.SecretId ?? ''));
        return {
          ARN: secret.definition.arn,
          Name: secret.definition.name,
          VersionId: secret.versionId,
          SecretString: secret.value,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.createdAt / 1000,
        };
      }
      case 'DescribeSecret': {
        const secret = this.find(String(input.SecretId ?? ''));
        return {
          ARN: secret.definition.arn,
          Name: secret.definition.name,
          VersionIdsToStages: { [secret.versionId]: ['AWSCURRENT'] },
          CreatedDate: secret.createdAt / 1000,
        };
      }
      case 'PutSecretValue': {
        const secret = this.find(String(input.SecretId ?? ''));
        secret.value = String(input.SecretString ?? '');
        secret.versionId = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID();
        this.persist();
        return {
          ARN: secret.definition.arn,
          Name: secret.definition.name,
          VersionId: secret.versionId,
          VersionStages: ['AWSCURRENT'],
        };
      }
      default:
        throw new AwsError(
          'UnknownOperationException',
          `The local runtime does not implement Secrets Manager ${operation}`,
        );
    }
  }

  private find(reference: string): StoredSecret {
    const secret = this.secrets.find(
      ({ definition }) =>
        definition.logicalId === reference ||
        definition.name === reference ||
        definition.arn === reference ||
        // A partial ARN (without the random suffix) also names a secret.
        definition.arn.startsWith(`${reference}-`),
    );
    if (!secret) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  }

  private readPersisted(): Record<string, string> {
    const file = this.options.persistFile;
    if (!file || !existsSync(file)) return {};
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  }

  private persist(): void {
    const file = this.options.persistFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    // Values given by the caller stay theirs: they are not written, so dropping them brings the remembered one back.
    const values = { ...this.persisted };
    for (const secret of this.secrets) {
      if (this.options.values?.[secret.definition.logicalId] === undefined)
        values[secret.definition.logicalId] = secret.value;
    }
    writeFileSync(file, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  }
}
