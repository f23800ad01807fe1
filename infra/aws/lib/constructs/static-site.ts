import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { CdnMode } from '../config.ts';
import { listPages, spaRoutingFunctionCode } from '../spa-routing.ts';

/** What the web app reads from /config.json to sign officers in. */
export interface WebAuthConfig {
  authority: string;
  clientId: string;
}

export interface StaticSiteProps {
  /** The built web app (web/build), or a fixture folder in tests. */
  assetPath: string;
  cdn: CdnMode;
  /** The API's host name: CloudFront sends /api/* there, so site and API share an origin. */
  apiDomainName: string;
  logRetention: RetentionDays;
  domain?: { names: readonly string[]; certificateArn: string };
  webAclArn?: string;
  /** Headers CloudFront adds to every /api/* origin request (the origin verification). */
  apiOriginHeaders?: Record<string, string>;
}

/**
 * The static web app: a private bucket, and (with `cdn: 'cloudfront'`) a distribution in
 * front of it through Origin Access Control that also routes /api/* to the HTTP API. With
 * `cdn: 'none'` (China regions) only the bucket is made, for a licensed CDN to serve.
 * Neither CloudFront nor the bucket keeps access logs: they would hold tipsters' IPs.
 */
export class StaticSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution?: Distribution;
  /** https://<distribution domain> or the first custom domain, when CloudFront is used. */
  readonly url?: string;
  private readonly props: StaticSiteProps;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    this.props = props;
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Anonymity (design principle 4): the report pages are served from this bucket, and ' +
        'access logs would tie readers to pages; the content is rebuilt from the repository.',
    });

    if (props.cdn === 'cloudfront') {
      this.distribution = this.createDistribution(props);
      const [customDomain] = props.domain?.names ?? [];
      this.url = `https://${customDomain ?? this.distribution.distributionDomainName}`;
    }
  }

  private createDistribution(props: StaticSiteProps): Distribution {
    const routing = new CloudFrontFunction(this, 'SpaRouting', {
      comment: 'Prerendered pages by path, 200.html for client-only routes',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(spaRoutingFunctionCode(listPages(props.assetPath))),
    });
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Qingling security headers; no-referrer so follow-up URLs never leak',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    // Everything the API may need from the viewer (Authorization included), but not the
    // user agent or referrer: the API has no use for them and should never see them.
    const apiRequests = new OriginRequestPolicy(this, 'ApiOriginRequest', {
      comment: 'Qingling API: viewer headers except Host, User-Agent and Referer; no cookies',
      headerBehavior: OriginRequestHeaderBehavior.denyList('Host', 'User-Agent', 'Referer'),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });

    const distribution = new Distribution(this, 'Distribution', {
      comment: 'Qingling: web app and /api/*',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableIpv6: true,
      enableLogging: false,
      ...(props.domain
        ? {
            domainNames: [...props.domain.names],
            certificate: Certificate.fromCertificateArn(
              this,
              'Certificate',
              props.domain.certificateArn,
            ),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [{ function: routing, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(props.apiDomainName, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            // Replaces a header of the same name a viewer may send.
            ...(props.apiOriginHeaders ? { customHeaders: props.apiOriginHeaders } : {}),
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: apiRequests,
          responseHeadersPolicy: securityHeaders,
          compress: true,
        },
      },
    });

    const suppressions = [
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Anonymity (design principle 4): CloudFront access logs record each viewer IP ' +
          'address and user agent, including tipsters on the public report pages.',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: tipsters may report from anywhere, and a block list by country ' +
          'would need the viewer location that the system does not want to depend on.',
      },
    ];
    if (!props.webAclArn) {
      suppressions.push({
        id: 'AwsSolutions-CFR2',
        reason:
          'A CLOUDFRONT-scope WAF web ACL must live in us-east-1, outside this env-agnostic ' +
          'stack: make one with -c createWebAcl=true (stack QinglingWebAcl) and attach it by ' +
          'context webAclArn. The API stage and its receipt routes are throttled meanwhile.',
      });
    }
    if (!props.domain) {
      suppressions.push({
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot pin a TLS policy; with context ' +
          'domainNames + certificateArn the distribution requires TLSv1.2_2021.',
      });
    }
    Validations.of(distribution).acknowledge(...suppressions);
    return distribution;
  }

  /**
   * Uploads the site and its /config.json. Hashed files under _app/immutable are cached for
   * a year and kept across deployments (open pages may still load them); everything else
   * is revalidated on each request and pruned when gone from the build.
   */
  deploy(auth: WebAuthConfig): void {
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: this.props.logRetention,
    });
    const common = {
      destinationBucket: this.bucket,
      logGroup,
      memoryLimit: 512,
    };
    const immutable = new BucketDeployment(this, 'DeployImmutable', {
      ...common,
      sources: [Source.asset(this.props.assetPath)],
      exclude: ['*'],
      include: ['_app/immutable/*'],
      prune: false,
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.days(365)),
        CacheControl.immutable(),
      ],
    });
    const pages = new BucketDeployment(this, 'DeployPages', {
      ...common,
      sources: [
        Source.asset(this.props.assetPath),
        Source.jsonData('config.json', {
          auth: {
            mode: 'oidc',
            authority: auth.authority,
            clientId: auth.clientId,
            scope: 'openid',
          },
        }),
      ],
      exclude: ['_app/immutable/*'],
      prune: true,
      cacheControl: [CacheControl.noCache()],
      ...(this.distribution ? { distribution: this.distribution, distributionPaths: ['/*'] } : {}),
    });
    pages.node.addDependency(immutable);

    acknowledgeBucketDeploymentFindings(Stack.of(this), this.bucket);
  }
}

/**
 * The findings on CDK's own bucket-deployment Lambda (a singleton at the stack's root):
 * a deploy-time function that never sees a request, with the permissions CDK gives it.
 */
function acknowledgeBucketDeploymentFindings(stack: Stack, siteBucket: Bucket): void {
  const qualifier =
    (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
    'hnb659fds';
  const assetBucket = `arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`;
  const siteObjects = `<${stack.getLogicalId(siteBucket.node.defaultChild as CfnBucket)}.Arn>/*`;
  const copyReason =
    "CDK's BucketDeployment copies the site asset into the site bucket and prunes old " +
    'files, so it reads and writes objects by wildcard in those two buckets only.';
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    Validations.of(child).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's BucketDeployment handler runs with AWSLambdaBasicExecutionRole (log writes); " +
          'it is a deploy-time function outside the request path.',
      },
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map(
        (action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: copyReason }),
      ),
      { id: `AwsSolutions-IAM5[Resource::${assetBucket}]`, reason: copyReason },
      { id: `AwsSolutions-IAM5[Resource::${siteObjects}]`, reason: copyReason },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "CDK's BucketDeployment grants cloudfront:CreateInvalidation/GetInvalidation on * " +
          'to invalidate the site after each upload.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "The runtime of CDK's BucketDeployment handler (Python) is pinned by aws-cdk-lib; " +
          'our own functions run Node.js 24.',
      },
    );
  }
}
