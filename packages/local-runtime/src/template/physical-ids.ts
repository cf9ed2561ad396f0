import { createHash } from 'node:crypto';
import type { Json } from './intrinsics';

/** What the local runtime knows when it names a resource: the stack, the fake account and its own endpoints. */
export interface NamingContext {
  stackName: string;
  region: string;
  account: string;
  /** Base of every queue URL, e.g. `http://127.0.0.1:3000/__aws/sqs`. */
  sqsEndpoint: string;
  /** Local base URL (no trailing slash) of the HTTP API with this logical id. */
  apiEndpoint(logicalId: string): string;
  /** Base URL (no trailing slash) of the runtime's main server, where CloudFront distributions are served. */
  localOrigin?: string;
}

/** What `Ref` and `Fn::GetAtt` give for one resource. */
export interface PhysicalIdentity {
  ref: Json;
  attributes: Record<string, Json>;
  /** For resource types the runtime does not model: a plausible value for any other attribute. */
  otherAttribute?: (name: string) => Json;
}

/** Reads one (resolved) property of the resource being named. */
export type PropertyReader = (name: string) => Json | undefined;

export function arn(context: NamingContext, service: string, resource: string, regional = true): string {
  return `arn:aws:${service}:${regional ? context.region : ''}:${context.account}:${resource}`;
}

/** A short stable id, like the random ids AWS gives (API ids, integration ids), derived from the logical id. */
export function stableId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join('');
}

export function physicalIdentity(
  type: string,
  logicalId: string,
  property: PropertyReader,
  context: NamingContext,
): PhysicalIdentity {
  const named = (propertyName: string, fallback = `${context.stackName}-${logicalId}`) => {
    const value = property(propertyName);
    return typeof value === 'string' && value !== '' ? value : fallback;
  };
  switch (type) {
    case 'AWS::DynamoDB::Table': {
      const name = named('TableName');
      const tableArn = arn(context, 'dynamodb', `table/${name}`);
      return { ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/1970-01-01T00:00:00.000` } };
    }
    case 'AWS::SQS::Queue': {
      const fifo = property('FifoQueue') === true;
      const name = named('QueueName', `${context.stackName}-${logicalId}${fifo ? '.fifo' : ''}`);
      const url = `${context.sqsEndpoint}/${context.account}/${name}`;
      return { ref: url, attributes: { Arn: arn(context, 'sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::Lambda::Function': {
      const name = named('FunctionName');
      return { ref: name, attributes: { Arn: arn(context, 'lambda', `function:${name}`) } };
    }
    case 'AWS::Events::EventBus': {
      const name = named('Name');
      return { ref: name, attributes: { Arn: arn(context, 'events', `event-bus/${name}`), Name: name } };
    }
    case 'AWS::Events::Rule': {
      const name = named('Name');
      const bus = property('EventBusName');
      const busName = typeof bus === 'string' ? busNameOf(bus) : 'default';
      const ruleArn = arn(context, 'events', `rule/${busName === 'default' ? '' : `${busName}/`}${name}`);
      return { ref: busName === 'default' ? name : `${busName}|${name}`, attributes: { Arn: ruleArn } };
    }
    case 'AWS::SecretsManager::Secret': {
      const name = named('Name', `${logicalId}-${stableId(`${context.stackName}/${logicalId}`, 12)}`);
      const secretArn = arn(context, 'secretsmanager', `secret:${name}-${stableId(name, 6)}`);
      return { ref: secretArn, attributes: { Id: secretArn } };
    }
    case 'AWS::ApiGatewayV2::Api': {
      const apiId = stableId(`${context.stackName}/${logicalId}`, 10);
      return { ref: apiId, attributes: { ApiId: apiId, ApiEndpoint: context.apiEndpoint(logicalId) } };
    }
    case 'AWS::ApiGatewayV2::Stage':
      return { ref: named('StageName', '$default'), attributes: {} };
    case 'AWS::Scheduler::Schedule': {
      const name = named('Name');
      const group = named('GroupName', 'default');
      return { ref: name, attributes: { Arn: arn(context, 'scheduler', `schedule/${group}/${name}`) } };
    }
    case 'AWS::Scheduler::ScheduleGroup': {
      const name = named('Name');
      return { ref: name, attributes: { Arn: arn(context, 'scheduler', `schedule-group/${name}`) } };
    }
    case 'AWS::IAM::Role': {
      const name = named('RoleName');
      return { ref: name, attributes: { Arn: arn(context, 'iam', `role/${name}`, false), RoleId: stableId(name, 21) } };
    }
    case 'AWS::SNS::Topic': {
      const name = named('TopicName');
      const topicArn = arn(context, 'sns', name);
      return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    case 'AWS::S3::Bucket': {
      const name = named('BucketName', `${context.stackName}-${logicalId}`.toLowerCase());
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${context.region}.amazonaws.com`,
        },
      };
    }
    case 'AWS::CloudFront::Distribution': {
      const id = `E${stableId(`${context.stackName}/${logicalId}`, 13).toUpperCase()}`;
      return { ref: id, attributes: { Id: id, DomainName: `d${stableId(id, 13)}.cloudfront.net` } };
    }
    case 'AWS::SSM::Parameter':
      return { ref: named('Name'), attributes: { Value: property('Value') ?? '' } };
    default:
      return genericIdentity(type, logicalId, context);
  }
}

/** Resources the runtime does not interpret still need plausible values when other resources refer to them. */
function genericIdentity(type: string, logicalId: string, context: NamingContext): PhysicalIdentity {
  const name = `${context.stackName}-${logicalId}`;
  const service = type.split('::')[1]?.toLowerCase() ?? 'custom';
  const resourceArn = arn(context, service, `${type.split('::')[2]?.toLowerCase() ?? 'resource'}/${name}`);
  return {
    ref: name,
    attributes: {},
    otherAttribute: (attribute) => (attribute.endsWith('Arn') ? resourceArn : `${name}.${attribute}`),
  };
}

/** An event bus is named by name or by ARN; rules and PutEvents accept both. */
export function busNameOf(nameOrArn: string): string {
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}
