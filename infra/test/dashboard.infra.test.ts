import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, Dashboard, LOCAL_DASHBOARD_PATH, LOCAL_PATH_METADATA } from '../lib/dashboard';
import { type Resource, type SynthesizedStack, synthesizeStack } from './support/synthesized-stack';

/** AWS's managed CloudFront policies (ids documented by AWS, the same in every account). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let stack: SynthesizedStack;
let distribution: Resource;

beforeAll(() => {
  // cdk-nag's AwsSolutions checks run here and throw on any finding without an acknowledgement.
  stack = synthesizeStack();
  [, distribution] = stack.resourceAt('Dashboard/Distribution', 'AWS::CloudFront::Distribution');
});

describe('the dashboard: S3 behind CloudFront', () => {
  it('keeps the bucket private, encrypted and reachable over TLS only', () => {
    const [bucketId] = stack.resourceAt('Dashboard/Bucket', 'AWS::S3::Bucket');
    stack.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const [, policy] = stack.resourceAt('Dashboard/Bucket/Policy', 'AWS::S3::BucketPolicy');
    expect(policy.Properties.Bucket).toEqual({ Ref: bucketId });
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    // Only this distribution may read, and only objects.
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    );
  });

  it('serves it over HTTPS through Origin Access Control, index.html at the root', () => {
    const config = distribution.Properties.DistributionConfig as { Origins: Record<string, unknown>[] };
    expect(config).toMatchObject({
      DefaultRootObject: 'index.html',
      Enabled: true,
      HttpVersion: 'http2and3',
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        Compress: true,
      },
    });
    const s3Origin = config.Origins.find((origin) => 'S3OriginConfig' in origin);
    expect(s3Origin).toMatchObject({
      OriginAccessControlId: { 'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    stack.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    expect(distribution.Metadata?.[LOCAL_PATH_METADATA]).toBe(LOCAL_DASHBOARD_PATH);
  });

  it('adds the security headers (CSP, HSTS, no framing, no sniffing, no referrer) to every answer', () => {
    stack.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: DASHBOARD_CSP, Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 730 * 86_400, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
      },
    });
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const [policyId] = stack.resourceAt('Dashboard/SecurityHeaders', 'AWS::CloudFront::ResponseHeadersPolicy');
    const config = distribution.Properties.DistributionConfig as {
      DefaultCacheBehavior: { ResponseHeadersPolicyId: unknown };
      CacheBehaviors: { ResponseHeadersPolicyId: unknown }[];
    };
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect(config.CacheBehaviors[0]?.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('forwards /v1/* reads to the HTTP API, uncached, with the Authorization header', () => {
    const [apiId] = stack.resourceAt('Http/Api/Resource', 'AWS::ApiGatewayV2::Api');
    const config = distribution.Properties.DistributionConfig as {
      CacheBehaviors: Record<string, unknown>[];
      Origins: Record<string, unknown>[];
    };
    expect(config.CacheBehaviors).toHaveLength(1);
    const behaviour = config.CacheBehaviors[0]!;
    expect(behaviour).toMatchObject({
      PathPattern: '/v1/*',
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
    });
    const apiOrigin = config.Origins.find((origin) => origin.Id === behaviour.TargetOriginId);
    expect(apiOrigin).toMatchObject({
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain(apiId);
  });

  it('deploys the build and config.json, invalidates CloudFront, and says where the dashboard is', () => {
    const [bucketId] = stack.resourceAt('Dashboard/Bucket', 'AWS::S3::Bucket');
    const [distributionId] = stack.resourceAt('Dashboard/Distribution', 'AWS::CloudFront::Distribution');
    stack.template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucketId },
      SourceObjectKeys: [Match.stringLikeRegexp('\\.zip$'), Match.stringLikeRegexp('\\.zip$')],
      DistributionId: { Ref: distributionId },
      DistributionPaths: ['/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      RetainOnDelete: false,
      Prune: true,
    });
    stack.template.hasOutput('DashboardUrl', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] },
    });
  });
});

describe('the dashboard build during synthesis', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cxloop-dashboard-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles the app with esbuild (no Docker) and stages it with config.json as the deployment’s sources', () => {
    const app = new App({ outdir });
    const dashboardStack = new Stack(app, 'DashboardOnly');
    new Dashboard(dashboardStack, 'Dashboard', { apiEndpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com' });
    app.synth();
    const template = Template.fromStack(dashboardStack).toJSON() as { Resources: Record<string, Resource> };
    const deployment = Object.values(template.Resources).find(
      (resource) => resource.Type === 'Custom::CDKBucketDeployment',
    );
    expect(deployment).toBeDefined();
    const [build, config] = (deployment!.Properties.SourceObjectKeys as string[]).map((key) =>
      join(outdir, `asset.${key.replace(/\.zip$/, '')}`),
    ) as [string, string];
    for (const file of ['index.html', 'app.js', 'app.css', 'favicon.svg', 'api.html']) {
      expect(existsSync(join(build, file)), file).toBe(true);
    }
    const html = readFileSync(join(build, 'index.html'), 'utf8');
    expect(html).toContain('<script type="module" src="app.js"></script>');
    expect(html).not.toMatch(/<script>|style=|https?:\/\//);
    const script = readFileSync(join(build, 'app.js'), 'utf8');
    expect(script).toContain('Chart.js');
    expect(script).not.toMatch(/sourceMappingURL/);
    expect(JSON.parse(readFileSync(join(config, 'config.json'), 'utf8'))).toEqual({ apiUrl: '/' });
  });
});
