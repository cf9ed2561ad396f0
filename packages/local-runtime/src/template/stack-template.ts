import { evaluateCondition, IntrinsicError, type IntrinsicHooks, type Json, resolveIntrinsics } from './intrinsics';
import { type NamingContext, type PhysicalIdentity, physicalIdentity } from './physical-ids';
import { LOCAL_PATH_METADATA } from './static-sites';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Condition?: string }>;
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, Json>>>;
}

/**
 * A CloudFormation template with every intrinsic resolved to local values: the single place that knows what a `Ref`
 * or `Fn::GetAtt` means while running offline.
 */
export class StackTemplate {
  private readonly identities = new Map<string, PhysicalIdentity>();
  private readonly properties = new Map<string, Record<string, Json>>();
  private readonly conditions = new Map<string, boolean>();
  private readonly resolving = new Set<string>();
  private readonly hooks: IntrinsicHooks;
  private readonly localizeUrl: (text: string) => string;

  constructor(
    readonly template: CfnTemplate,
    readonly naming: NamingContext,
  ) {
    this.hooks = {
      ref: (name) => this.ref(name),
      getAtt: (logicalId, attribute) => this.getAtt(logicalId, attribute),
      condition: (name) => this.condition(name),
      mappings: template.Mappings,
      region: naming.region,
    };
    this.localizeUrl = apiUrlLocalizer(this);
  }

  /** Logical ids and definitions of the resources of a type whose `Condition` holds. */
  resourcesOfType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.template.Resources).filter(
      ([, resource]) =>
        resource.Type === type && (resource.Condition === undefined || this.condition(resource.Condition)),
    );
  }

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new IntrinsicError(`no resource ${logicalId} in the template`);
    return resource;
  }

  /** The resource's properties with every intrinsic resolved. */
  propertiesOf(logicalId: string): Record<string, Json> {
    let resolved = this.properties.get(logicalId);
    if (!resolved) {
      resolved = this.resolve(this.resource(logicalId).Properties ?? {}) as Record<string, Json>;
      this.properties.set(logicalId, resolved);
    }
    return resolved;
  }

  resolve(value: unknown): Json {
    return localize(resolveIntrinsics(value, this.hooks), this.localizeUrl);
  }

  ref(name: string): Json {
    const pseudo = this.pseudoParameter(name);
    if (pseudo !== undefined) return pseudo;
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new IntrinsicError(`parameter ${name} has no default value`);
      return parameter.Default as Json;
    }
    return this.identity(name).ref;
  }

  getAtt(logicalId: string, attribute: string): Json {
    const identity = this.identity(logicalId);
    const value = identity.attributes[attribute] ?? identity.otherAttribute?.(attribute);
    if (value === undefined) {
      throw new IntrinsicError(`${logicalId} (${this.resource(logicalId).Type}) has no attribute ${attribute} locally`);
    }
    return value;
  }

  condition(name: string): boolean {
    let holds = this.conditions.get(name);
    if (holds === undefined) {
      const body = this.template.Conditions?.[name];
      if (body === undefined) throw new IntrinsicError(`no condition ${name} in the template`);
      holds = evaluateCondition(body, this.hooks);
      this.conditions.set(name, holds);
    }
    return holds;
  }

  /** The stack's outputs whose conditions hold, resolved to local values. */
  outputs(): Record<string, string> {
    const outputs: Record<string, string> = {};
    for (const [name, output] of Object.entries(this.template.Outputs ?? {})) {
      if (output.Condition !== undefined && !this.condition(output.Condition)) continue;
      const value = this.resolve(output.Value);
      outputs[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return outputs;
  }

  private identity(logicalId: string): PhysicalIdentity {
    const known = this.identities.get(logicalId);
    if (known) return known;
    const resource = this.resource(logicalId);
    if (this.resolving.has(logicalId)) throw new IntrinsicError(`circular reference through ${logicalId}`);
    this.resolving.add(logicalId);
    try {
      const readProperty = (name: string) => {
        const raw = resource.Properties?.[name];
        return raw === undefined ? undefined : resolveIntrinsics(raw, this.hooks);
      };
      const identity = physicalIdentity(resource.Type, logicalId, readProperty, this.naming);
      this.identities.set(logicalId, identity);
      return identity;
    } finally {
      this.resolving.delete(logicalId);
    }
  }

  private pseudoParameter(name: string): string | undefined {
    switch (name) {
      case 'AWS::Region':
        return this.naming.region;
      case 'AWS::AccountId':
        return this.naming.account;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.naming.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.naming.region}:${this.naming.account}:stack/${this.naming.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NotificationARNs':
        return '';
      default:
        return undefined;
    }
  }
}

/**
 * CDK writes an HTTP API's URL as `https://<apiId>.execute-api.<region>.<urlSuffix>/`; locally that address is the
 * runtime's own server, so the same string in an output or an environment variable points at it. Likewise a
 * CloudFront distribution the runtime serves (see static-sites.ts): `https://<id>.cloudfront.net` becomes its local
 * path on the same server.
 */
function apiUrlLocalizer(template: StackTemplate): (text: string) => string {
  let replacements: Array<[string, string]> | undefined;
  return (text) => {
    if (!text.includes('.execute-api.') && !text.includes('.cloudfront.net')) return text;
    replacements ??= [
      ...template
        .resourcesOfType('AWS::ApiGatewayV2::Api')
        .map(([logicalId]): [string, string] => [
          `https://${template.ref(logicalId)}.execute-api.${template.naming.region}.amazonaws.com`,
          template.naming.apiEndpoint(logicalId),
        ]),
      ...template
        .resourcesOfType('AWS::CloudFront::Distribution')
        .flatMap(([logicalId, resource]): [string, string][] => {
          const localPath = resource.Metadata?.[LOCAL_PATH_METADATA];
          if (typeof localPath !== 'string' || template.naming.localOrigin === undefined) return [];
          return [
            [`https://${template.getAtt(logicalId, 'DomainName')}`, `${template.naming.localOrigin}${localPath}`],
          ];
        }),
    ];
    return replacements.reduce((result, [remote, local]) => result.split(remote).join(local), text);
  };
}

function localize(value: Json, localizeUrl: (text: string) => string): Json {
  if (typeof value === 'string') return localizeUrl(value);
  if (Array.isArray(value)) return value.map((item) => localize(item, localizeUrl));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, localize(item, localizeUrl)]));
  }
  return value;
}
