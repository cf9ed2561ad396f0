import type { Json } from '../intrinsics';
import type { TemplateReader } from './reader';

export interface SecretDefinition {
  logicalId: string;
  name: string;
  arn: string;
  secretString?: string;
  generate?: GenerateSecretStringOptions;
}
export interface GenerateSecretStringOptions {
  passwordLength?: number;
  excludeCharacters?: string;
  excludeLowercase?: boolean;
  excludeUppercase?: boolean;
  excludeNumbers?: boolean;
  excludePunctuation?: boolean;
  includeSpace?: boolean;
  requireEachIncludedType?: boolean;
  secretStringTemplate?: string;
  generateStringKey?: string;
}

export const secretsOf = ({ each, text }: TemplateReader): SecretDefinition[] =>
  each('AWS::SecretsManager::Secret', (logicalId, p) => ({
    logicalId,
    name: typeof p.Name === 'string' ? p.Name : secretNameOf(text(logicalId)),
    arn: text(logicalId),
    ...(typeof p.SecretString === 'string' ? { secretString: p.SecretString } : {}),
    ...(p.GenerateSecretString ? { generate: generateOptionsOf(p.GenerateSecretString as Record<string, Json>) } : {}),
  }));

function secretNameOf(secretArn: string): string {
  const name = secretArn.slice(secretArn.indexOf(':secret:') + ':secret:'.length);
  return name.replace(/-[A-Za-z0-9]{6}$/, '');
}

function generateOptionsOf(options: Record<string, Json>): GenerateSecretStringOptions {
  const flag = (value: Json | undefined) => value === true || value === 'true';
  return {
    ...(options.PasswordLength !== undefined ? { passwordLength: Number(options.PasswordLength) } : {}),
    ...(typeof options.ExcludeCharacters === 'string' ? { excludeCharacters: options.ExcludeCharacters } : {}),
    excludeLowercase: flag(options.ExcludeLowercase),
    excludeUppercase: flag(options.ExcludeUppercase),
    excludeNumbers: flag(options.ExcludeNumbers),
    excludePunctuation: flag(options.ExcludePunctuation),
    includeSpace: flag(options.IncludeSpace),
    requireEachIncludedType: options.RequireEachIncludedType === undefined || flag(options.RequireEachIncludedType),
    ...(typeof options.SecretStringTemplate === 'string' ? { secretStringTemplate: options.SecretStringTemplate } : {}),
    ...(typeof options.GenerateStringKey === 'string' ? { generateStringKey: options.GenerateStringKey } : {}),
  };
}
