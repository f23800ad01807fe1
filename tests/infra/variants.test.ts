import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedConfigJson, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

// The configurations other than the default, each synthesized once.
const issuer = 'https://sso.example.gov.cn/realms/qingling';
let chinaCdn: Synthesized;
let oidc: Synthesized;
let customDomain: Synthesized;
let global: Synthesized;
let china: Synthesized;
let chinaWithoutSms: Synthesized;
const chinaProfile = {
  profile: 'china',
  cdn: 'none',
  auth: { kind: 'oidc', issuer: 'https://sso.example.gov.cn', audience: ['qingling'] },
  siteUrl: 'https://qingling.example.gov.cn',
} as const;
const smsProviderUrl = 'https://sms.example.gov.cn/send';
beforeAll(() => {
  global = synthesize();
  china = synthesize({ ...chinaProfile, smsProviderUrl });
  chinaWithoutSms = synthesize(chinaProfile);
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

// Everything the template makes, by type, and what the notification function may do.
const resourceTypes = (s: Synthesized) =>
  Object.values((s.template.toJSON() as { Resources: Record<string, { Type: string }> }).Resources)
    .map(({ Type }) => Type)
    .sort();
const logicalIdOf = (s: Synthesized, construct: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(construct.node.defaultChild as never);
function notificationStatements(s: Synthesized) {
  const roleId = logicalIdOf(s, s.stack.notificationDelivery.function.role);
  return resourcesOfType(s, 'AWS::IAM::Policy')
    .filter(({ properties }) => JSON.stringify(properties.Roles).includes(roleId))
    .flatMap(
      ({ properties }) =>
        (properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
          .Statement,
    );
}
function notificationEnvironment(s: Synthesized): Record<string, unknown> {
  const id = logicalIdOf(s, s.stack.notificationDelivery.function.function);
  const fn = resourcesOfType(s, 'AWS::Lambda::Function').find(({ logicalId }) => logicalId === id);
  return (fn?.properties as { Environment: { Variables: Record<string, unknown> } } | undefined)
    ?.Environment.Variables as Record<string, unknown>;
}
const actionsOf = (statement: { Action: unknown }) => [statement.Action].flat();

describe('the global profile (the default)', () => {
  it('makes Cognito, CloudFront and SMS by SNS, as before the profiles', () => {
    const types = resourceTypes(global);
    for (const type of [
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolDomain',
      'AWS::CloudFront::Distribution',
      'AWS::CloudFront::Function',
      'AWS::CloudFront::OriginAccessControl',
      'AWS::CloudFront::OriginRequestPolicy',
    ]) {
      expect(types).toContain(type);
    }
    // The receipt key and CloudFront's origin secret: no SMS provider secret.
    expect(types.filter((type) => type === 'AWS::SecretsManager::Secret')).toHaveLength(2);
    expect(global.stack.originVerification).toBeDefined();
    // On "*" with the X-Ray grants (IAM merges statements of one resource).
    expect(notificationStatements(global)).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['sns:Publish']), Resource: '*' }),
    );
    expect(notificationEnvironment(global)).not.toHaveProperty('SMS_DELIVERY');
    expect(global.stack.notificationDelivery.smsProviderSecret).toBeUndefined();
  });
});

describe('the china profile (cn-north-1, cn-northwest-1)', () => {
  it('makes no Cognito and no CloudFront resources', () => {
    for (const synthesized of [china, chinaWithoutSms]) {
      const types = resourceTypes(synthesized);
      expect(types.filter((type) => type.startsWith('AWS::Cognito::'))).toEqual([]);
      expect(types.filter((type) => type.startsWith('AWS::CloudFront::'))).toEqual([]);
      expect(types).toContain('AWS::S3::Bucket');
      expect(synthesized.json).not.toMatch(/cognito-idp|cloudfront\.net/);
    }
  });

  it('has no origin secret and no origin check: no CloudFront sends one', () => {
    for (const synthesized of [china, chinaWithoutSms, chinaCdn]) {
      expect(synthesized.stack.originVerification).toBeUndefined();
      expect(synthesized.json).not.toMatch(/ORIGIN_VERIFY|x-origin-verify|OriginVerif/);
    }
  });

  it("checks officers' tokens against the OIDC issuer", () => {
    china.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://sso.example.gov.cn', Audience: ['qingling'] },
    });
  });

  it('sends SMS through the HTTP provider: reads its secret, never sns:Publish', () => {
    const secret = china.stack.notificationDelivery.smsProviderSecret;
    expect(secret).toBeDefined();
    const secretId = logicalIdOf(china, secret as NonNullable<typeof secret>);
    const statements = notificationStatements(china);
    expect(statements.flatMap(actionsOf)).not.toContain('sns:Publish');
    expect(
      statements.flatMap(actionsOf).filter((a) => String(a).startsWith('secretsmanager:')),
    ).toEqual(['secretsmanager:GetSecretValue']);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: secretId },
      }),
    );
    expect(notificationEnvironment(china)).toEqual(
      expect.objectContaining({
        SMS_DELIVERY: 'http',
        SMS_PROVIDER_URL: smsProviderUrl,
        SMS_PROVIDER_SECRET_ARN: { Ref: secretId },
      }),
    );
    expect(notificationEnvironment(china)).not.toHaveProperty('NOTIFY_FROM_ADDRESS');
    china.template.hasOutput('SmsProviderSecretArn', { Value: { Ref: secretId } });
  });

  it('without an SMS provider, skips SMS (and says so at synth), still never sns:Publish', () => {
    expect(notificationStatements(chinaWithoutSms).flatMap(actionsOf)).not.toContain('sns:Publish');
    expect(notificationEnvironment(chinaWithoutSms)).toEqual(
      expect.objectContaining({ SMS_DELIVERY: 'none' }),
    );
    expect(chinaWithoutSms.stack.notificationDelivery.smsProviderSecret).toBeUndefined();
    expect(
      chinaWithoutSms.annotations.findWarning('*', Match.stringLikeRegexp('smsProviderUrl')),
    ).toHaveLength(1);
    expect(china.annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    expect(china.nagViolations).toEqual([]);
    expect(chinaWithoutSms.nagViolations).toEqual([]);
  });

  it('cannot be built with Cognito, CloudFront or SES', () => {
    expect(() => synthesize({ ...chinaProfile, auth: { kind: 'cognito' } })).toThrow(
      /China regions have no Cognito/,
    );
    expect(() => synthesize({ ...chinaProfile, cdn: 'cloudfront' })).toThrow(/ICP licence/);
    expect(() =>
      synthesize({ ...chinaProfile, notifyFromAddress: 'notify@example.gov.cn' }),
    ).toThrow(/no SES/);
  });
});
