import type { Json } from '../intrinsics';
import type { TemplateReader } from './reader';

export interface TableDefinition {
  logicalId: string;
  name: string;
  keySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  attributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  globalSecondaryIndexes: SecondaryIndex[];
  localSecondaryIndexes: SecondaryIndex[];
  ttlAttribute?: string;
}
export interface SecondaryIndex {
  IndexName: string;
  KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
}

export const tablesOf = ({ each, text }: TemplateReader): TableDefinition[] =>
  each('AWS::DynamoDB::Table', (logicalId, p) => ({
    logicalId,
    name: text(logicalId),
    keySchema: p.KeySchema as unknown as TableDefinition['keySchema'],
    attributeDefinitions: p.AttributeDefinitions as unknown as TableDefinition['attributeDefinitions'],
    globalSecondaryIndexes: secondaryIndexes(p.GlobalSecondaryIndexes),
    localSecondaryIndexes: secondaryIndexes(p.LocalSecondaryIndexes),
    ...ttlOf(p.TimeToLiveSpecification),
  }));

function secondaryIndexes(value: Json | undefined): SecondaryIndex[] {
  return ((value as unknown as Array<Record<string, Json>> | undefined) ?? []).map((index) => ({
    IndexName: String(index.IndexName),
    KeySchema: index.KeySchema as unknown as SecondaryIndex['KeySchema'],
    Projection: (index.Projection ?? { ProjectionType: 'ALL' }) as SecondaryIndex['Projection'],
  }));
}

function ttlOf(value: Json | undefined): { ttlAttribute?: string } {
  const spec = value as { AttributeName?: string; Enabled?: boolean | string } | undefined;
  return spec?.AttributeName && (spec.Enabled === true || spec.Enabled === 'true')
    ? { ttlAttribute: spec.AttributeName }
    : {};
}
