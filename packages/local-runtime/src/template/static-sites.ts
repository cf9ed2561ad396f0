import { existsSync, statSync } from 'node:fs';
import type { Json } from './intrinsics';
import type { StackTemplate } from './stack-template';

/** Metadata on an `AWS::CloudFront::Distribution`: the path under which the local runtime serves it. */
export const LOCAL_PATH_METADATA = 'cxloop:local-path';

/**
 * A CloudFront distribution in front of an S3 bucket that `BucketDeployment`s fill, as the local runtime serves it:
 * the deployments' sources (folders of the cloud assembly) under `localPath`, with the distribution's default root
 * object and the headers of its default behaviour's response headers policy.
 */
export interface StaticSiteDefinition {
  /** The distribution's logical id. */
  logicalId: string;
  /** `/dashboard`: no trailing slash. */
  localPath: string;
  /** `<id>.cloudfront.net`, what `Fn::GetAtt <id>.DomainName` gives locally. */
  domainName: string;
  defaultRootObject?: string;
  /** Response headers policy of the default behaviour, as headers. */
  headers: Array<[string, string]>;
  /** In deployment order: a later source's file replaces an earlier one's. */
  sources: StaticSource[];
}

export interface StaticSource {
  /** The unpacked asset. */
  directory: string;
  /** Prefix of the objects in the bucket (`DestinationBucketKeyPrefix`), '' or ending in `/`. */
  keyPrefix: string;
  /** Deploy-time values (`Source.jsonData` with tokens): marker → value, replaced in the files' text. */
  markers: Record<string, string>;
  jsonEscape: boolean;
  /** `SystemMetadata` of the deployment, e.g. `cache-control`. */
  systemMetadata: Record<string, string>;
}

type Props = Record<string, Json>;

const asRecord = (value: Json | undefined): Props =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Props) : {};
const asArray = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);

/**
 * The distributions marked with {@link LOCAL_PATH_METADATA}. Everything else about CloudFront and S3 (and the
 * deployment's Lambda, which runs on Python) stays uninterpreted: locally the files are served straight from the
 * cloud assembly, where synthesis staged them.
 */
export function staticSitesOf(
  template: StackTemplate,
  assets: ReadonlyMap<string, string>,
  log: (line: string) => void,
): StaticSiteDefinition[] {
  return template.resourcesOfType('AWS::CloudFront::Distribution').flatMap(([logicalId, resource]) => {
    const localPath = resource.Metadata?.[LOCAL_PATH_METADATA];
    if (typeof localPath !== 'string' || !localPath.startsWith('/')) return [];
    const config = asRecord(template.propertiesOf(logicalId).DistributionConfig);
    const behaviour = asRecord(config.DefaultCacheBehavior);
    const origin = asArray(config.Origins)
      .map(asRecord)
      .find((candidate) => candidate.Id === behaviour.TargetOriginId);
    const bucketName = String(origin?.DomainName ?? '').split('.s3.')[0];
    const sources = template.resourcesOfType('Custom::CDKBucketDeployment').flatMap(([deploymentId]) => {
      const deployment = template.propertiesOf(deploymentId);
      if (deployment.DestinationBucketName !== bucketName) return [];
      const markers = asArray(deployment.SourceMarkers).map(asRecord);
      const markersConfig = asArray(deployment.SourceMarkersConfig).map(asRecord);
      return asArray(deployment.SourceObjectKeys).flatMap((key, index): StaticSource[] => {
        const hash = String(key).replace(/\.zip$/, '');
        const directory = assets.get(hash);
        if (!directory || !existsSync(directory) || !statSync(directory).isDirectory()) {
          log(
            `[runtime] ${deploymentId}: source ${String(key)} is not an unpacked folder in the cloud assembly: skipped`,
          );
          return [];
        }
        const prefix =
          typeof deployment.DestinationBucketKeyPrefix === 'string' ? deployment.DestinationBucketKeyPrefix : '';
        return [
          {
            directory,
            keyPrefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
            markers: Object.fromEntries(
              Object.entries(markers[index] ?? {}).map(([marker, value]) => [marker, String(value)]),
            ),
            jsonEscape: markersConfig[index]?.jsonEscape === true,
            systemMetadata: Object.fromEntries(
              Object.entries(asRecord(deployment.SystemMetadata)).map(([name, value]) => [
                name.toLowerCase(),
                String(value),
              ]),
            ),
          },
        ];
      });
    });
    return [
      {
        logicalId,
        localPath: localPath.replace(/\/+$/, ''),
        domainName: String(template.getAtt(logicalId, 'DomainName')),
        ...(typeof config.DefaultRootObject === 'string' && config.DefaultRootObject !== ''
          ? { defaultRootObject: config.DefaultRootObject }
          : {}),
        headers: responseHeaders(template, behaviour.ResponseHeadersPolicyId),
        sources,
      },
    ];
  });
}

/** The headers a response headers policy adds (security headers and custom headers). */
function responseHeaders(template: StackTemplate, policyRef: Json | undefined): Array<[string, string]> {
  if (policyRef === undefined) return [];
  const policy = template
    .resourcesOfType('AWS::CloudFront::ResponseHeadersPolicy')
    .find(([logicalId]) => template.ref(logicalId) === policyRef);
  if (!policy) return [];
  const config = asRecord(template.propertiesOf(policy[0]).ResponseHeadersPolicyConfig);
  const security = asRecord(config.SecurityHeadersConfig);
  const headers: Array<[string, string]> = [];
  const csp = asRecord(security.ContentSecurityPolicy).ContentSecurityPolicy;
  if (typeof csp === 'string') headers.push(['content-security-policy', csp]);
  const hsts = asRecord(security.StrictTransportSecurity);
  if (hsts.AccessControlMaxAgeSec !== undefined) {
    headers.push([
      'strict-transport-security',
      [
        `max-age=${String(hsts.AccessControlMaxAgeSec)}`,
        hsts.IncludeSubdomains === true ? 'includeSubDomains' : '',
        hsts.Preload === true ? 'preload' : '',
      ]
        .filter(Boolean)
        .join('; '),
    ]);
  }
  if (security.ContentTypeOptions !== undefined) headers.push(['x-content-type-options', 'nosniff']);
  const frame = asRecord(security.FrameOptions).FrameOption;
  if (typeof frame === 'string') headers.push(['x-frame-options', frame]);
  const referrer = asRecord(security.ReferrerPolicy).ReferrerPolicy;
  if (typeof referrer === 'string') headers.push(['referrer-policy', referrer]);
  const xss = asRecord(security.XSSProtection);
  if (xss.Protection !== undefined) {
    headers.push([
      'x-xss-protection',
      xss.Protection === true ? `1${xss.ModeBlock === true ? '; mode=block' : ''}` : '0',
    ]);
  }
  for (const item of asArray(asRecord(config.CustomHeadersConfig).Items).map(asRecord)) {
    if (typeof item.Header === 'string' && typeof item.Value === 'string') {
      headers.push([item.Header.toLowerCase(), item.Value]);
    }
  }
  return headers;
}
