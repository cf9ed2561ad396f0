import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboard, dashboardRoot } from '@cxloop/dashboard/build';
import { DockerImage, Duration, FileSystem, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  type CfnDistribution,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';

/** Where the local runtime serves the dashboard (it reads this from the distribution's metadata). */
export const LOCAL_DASHBOARD_PATH = '/dashboard';
export const LOCAL_PATH_METADATA = 'cxloop:local-path';

/**
 * What the dashboard may load: only its own files, and API calls to its own origin. No inline script or style, no
 * framing, no plugins. Served by CloudFront (and by the local runtime, from this same template) on every answer.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface DashboardProps {
  /**
   * The HTTP API's endpoint (`https://<id>.execute-api.<region>.amazonaws.com`). CloudFront forwards `/v1/*` to it, so
   * the dashboard calls the API on its own origin: no CORS, and the API key never leaves that origin.
   */
  readonly apiEndpoint: string;
}

/**
 * The CX managers' dashboard (`packages/dashboard`): static files in a private, encrypted bucket, served by CloudFront
 * over HTTPS through Origin Access Control, with security headers (CSP, HSTS, …) on every answer.
 *
 * The files are built by esbuild during synthesis (CDK local bundling; no Docker, no network), cached in the cloud
 * assembly by a hash of the dashboard's sources, so an unchanged dashboard costs a synthesis nothing.
 * `config.json` next to them tells the app where the API is: `/`, its own origin, which CloudFront's `/v1/*`
 * behaviour forwards to the HTTP API. (An API-wide CORS configuration would have let the app call the API directly,
 * but API Gateway then drops the CORS headers the collection service sets per survey for widgets on customers' sites.)
 */
export class Dashboard extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment;
  /** `https://<distribution>.cloudfront.net` */
  readonly url: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // It holds only the build output, which the deployment removes on delete (retainOnDelete: false below).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the public build output of the dashboard, written by the deployment and read only by CloudFront (OAC); the API calls behind it are logged by the HTTP API stage',
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'cxloop dashboard: CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: DASHBOARD_CSP, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.apiEndpoint));
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'cxloop dashboard',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      additionalBehaviors: {
        // The app only reads. Caching is off, so AllViewerExceptHostHeader may forward the Authorization header.
        '/v1/*': {
          origin: new HttpOrigin(apiDomain, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
        },
      },
    });
    (this.distribution.node.defaultChild as CfnDistribution).addMetadata(LOCAL_PATH_METADATA, LOCAL_DASHBOARD_PATH);
    const distributionFindings: [string, string][] = [
      [
        'AwsSolutions-CFR1',
        'CX managers sign in from wherever they work; the API key, not the country, decides who reads the figures',
      ],
      [
        'AwsSolutions-CFR2',
        'Static files and key-protected reads; the HTTP API throttles per stage. Attach a WAF web ACL (webAclId) where an organisation requires one',
      ],
      [
        'AwsSolutions-CFR3',
        'The files are public build output; every API call through the distribution is logged by the HTTP API stage',
      ],
      [
        'AwsSolutions-CFR4',
        'The default *.cloudfront.net certificate fixes the viewer TLS policy; a custom domain with its own certificate can require TLSv1.2_2021',
      ],
    ];
    for (const [findingId, reason] of distributionFindings) {
      Validations.of(this.distribution).acknowledge({ id: findingId, reason });
    }

    // The build's inputs: the dashboard's sources and the version of Chart.js it bundles.
    const chartJs = JSON.parse(
      readFileSync(join(dashboardRoot, '../../node_modules/chart.js/package.json'), 'utf8'),
    ) as {
      version: string;
    };
    const sourceHash = FileSystem.fingerprint(dashboardRoot, {
      exclude: ['dist', 'node_modules', 'test', '*.md'],
      extraHash: `chart.js@${chartJs.version}`,
    });
    this.deployment = new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(dashboardRoot, {
          assetHash: sourceHash,
          bundling: {
            // Never pulled: local bundling always succeeds (esbuild is a dependency of the repository).
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
            local: {
              tryBundle(outputDir: string): boolean {
                buildDashboard(outputDir);
                return true;
              },
            },
          },
        }),
        Source.jsonData('config.json', { apiUrl: '/' }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Browsers revalidate (ETag) on every visit; a deployment also invalidates CloudFront's copies.
      cacheControl: [CacheControl.noCache()],
      retainOnDelete: false,
      memoryLimit: 256,
    });
    acknowledgeDeploymentHandler(this.deployment, this.bucket);

    this.url = `https://${this.distribution.distributionDomainName}`;
  }
}

/** The deployment's handler is CDK's own (Python, AWS CLI layer), one per stack; what cdk-nag says of it, and why. */
function acknowledgeDeploymentHandler(deployment: BucketDeployment, bucket: Bucket): void {
  const stack = Stack.of(deployment);
  const role = deployment.handlerRole;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "CDK's BucketDeployment handler writes its logs with the basic execution role",
  });
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
  const wildcards: [string, string][] = [
    ['Action::s3:GetObject*', 'reads the zipped build from the CDK assets bucket and the current files to sync them'],
    ['Action::s3:GetBucket*', 'reads the location and settings of the two buckets it syncs between'],
    ['Action::s3:List*', 'lists the dashboard bucket to find files that a new build no longer has'],
    ['Action::s3:DeleteObject*', 'removes files that a new build no longer has (prune), and all of them on delete'],
    ['Action::s3:Abort*', 'aborts its own multipart uploads when a copy fails'],
    [`Resource::<${bucketId}.Arn>/*`, 'every file of the dashboard bucket, which holds nothing but the dashboard'],
    [
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      "CDK's bootstrap assets bucket, where the build's zip is uploaded under a content hash",
    ],
    ['Resource::*', 'cloudfront:CreateInvalidation/GetInvalidation to refresh the distribution after a deployment'],
  ];
  for (const [finding, reason] of wildcards) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[${finding}]`,
      reason: `CDK's BucketDeployment handler ${reason}`,
    });
  }
  const handler = stack.node.children.find((child: IConstruct) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handler) {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "CDK's BucketDeployment handler: its runtime is chosen and upgraded by aws-cdk-lib",
    });
  }
}
