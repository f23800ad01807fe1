import { Validations } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedConfigJson, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

// The configurations other than the default, each synthesized once.
const issuer = 'https://sso.example.gov.cn/realms/qingling';
let chinaCdn: Synthesized;
let oidc: Synthesized;
let customDomain: Synthesized;
beforeAll(() => {
  chinaCdn = synthesize({ cdn: 'none', siteUrl: 'https://qingling.example.cn' });
  oidc = synthesize({ auth: { kind: 'oidc', issuer, audience: ['qingling-web', 'qingling-app'] } });
  customDomain = synthesize({
    domain: {
      names: ['qingling.example.org'],
      certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abcd-1234',
    },
    webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/qingling/abcd-1234',
  });
});

describe("cdn: 'none' (China regions, where CloudFront needs an ICP licence)", () => {
  it('has no distribution and no CloudFront function, but still the site bucket', () => {
    expect(resourcesOfType(chinaCdn, 'AWS::CloudFront::Distribution')).toHaveLength(0);
    expect(resourcesOfType(chinaCdn, 'AWS::CloudFront::Function')).toHaveLength(0);
    expect(resourcesOfType(chinaCdn, 'AWS::S3::Bucket')).toHaveLength(2);
    for (const { properties } of resourcesOfType(chinaCdn, 'Custom::CDKBucketDeployment')) {
      expect(properties.DistributionId).toBeUndefined();
    }
  });

  it('uses the configured site URL for sign-in redirects, uploads and API CORS', () => {
    chinaCdn.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://qingling.example.cn/office/callback'],
    });
    const buckets = resourcesOfType(chinaCdn, 'AWS::S3::Bucket');
    const cors = buckets.flatMap(({ properties }) =>
      properties.CorsConfiguration
        ? (properties.CorsConfiguration as { CorsRules: { AllowedOrigins: string[] }[] }).CorsRules
        : [],
    );
    expect(cors).toEqual([
      expect.objectContaining({ AllowedOrigins: ['https://qingling.example.cn'] }),
    ]);
    chinaCdn.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://qingling.example.cn'] },
    });
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    expect(chinaCdn.nagViolations).toEqual([]);
  });
});

describe('any OIDC issuer instead of Cognito', () => {
  it('makes no Cognito user pool or trigger', () => {
    expect(resourcesOfType(oidc, 'AWS::Cognito::UserPool')).toHaveLength(0);
    expect(resourcesOfType(oidc, 'AWS::Cognito::UserPoolClient')).toHaveLength(0);
    expect(oidc.stack.auth.userPool).toBeUndefined();
  });

  it('checks tokens against the configured issuer and audiences', () => {
    oidc.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: issuer, Audience: ['qingling-web', 'qingling-app'] },
    });
  });

  it('tells the web app to sign in there', () => {
    expect(JSON.parse(deployedConfigJson(oidc).text)).toEqual({
      auth: { mode: 'oidc', authority: issuer, clientId: 'qingling-web', scope: 'openid' },
    });
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    expect(oidc.nagViolations).toEqual([]);
  });
});

describe('a custom domain and a WAF web ACL', () => {
  it('requires TLS 1.2 with the given certificate and attaches the web ACL', () => {
    customDomain.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: ['qingling.example.org'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abcd-1234',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
        WebACLId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/qingling/abcd-1234',
      },
    });
    customDomain.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://qingling.example.org/office/callback'],
    });
  });

  it('passes cdk-nag without the CFR2 and CFR4 acknowledgments', () => {
    const distribution = customDomain.stack.site.distribution;
    const acknowledged = (distribution?.node.metadata ?? [])
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as object));
    expect(acknowledged.join(' ')).toContain('AwsSolutions-CFR3');
    expect(acknowledged.join(' ')).not.toMatch(/AwsSolutions-CFR[24]/);
    expect(customDomain.nagViolations).toEqual([]);
  });
});
