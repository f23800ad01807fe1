import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { accessLogFields, accessLogFormat } from '../../infra/aws/lib/access-log-format.ts';
import {
  configFromContext,
  defaultReceiptRouteThrottle,
  defaultThrottle,
  webAclFromContext,
} from '../../infra/aws/lib/config.ts';
import { listPages, spaRoutingFunctionCode } from '../../infra/aws/lib/spa-routing.ts';
import { fixtureSite } from './synth.ts';

const fromContext = (context: Record<string, unknown>) =>
  configFromContext(new App({ context }).node);

describe('configuration from CDK context', () => {
  it('defaults to CloudFront, Cognito, the package version and the default throttle', () => {
    const config = fromContext({});
    expect(config).toMatchObject({
      profile: 'global',
      cdn: 'cloudfront',
      auth: { kind: 'cognito' },
      throttle: defaultThrottle,
      receiptRouteThrottle: defaultReceiptRouteThrottle,
    });
    expect(defaultReceiptRouteThrottle.rateLimit).toBeLessThan(defaultThrottle.rateLimit);
    expect(config.codeVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reads an OIDC issuer with its audiences, a China CDN mode and the throttle', () => {
    expect(
      fromContext({
        cdn: 'none',
        oidcIssuer: 'https://sso.example.gov.cn/realms/q/',
        oidcAudience: 'web, app',
        siteUrl: 'https://qingling.example.cn/',
        throttleRateLimit: '20',
        throttleBurstLimit: 40,
        receiptThrottleRateLimit: 2,
        receiptThrottleBurstLimit: '4',
        codeVersion: '1.2.3+abc',
      }),
    ).toEqual({
      profile: 'global',
      cdn: 'none',
      auth: {
        kind: 'oidc',
        issuer: 'https://sso.example.gov.cn/realms/q',
        audience: ['web', 'app'],
      },
      siteUrl: 'https://qingling.example.cn',
      throttle: { rateLimit: 20, burstLimit: 40 },
      receiptRouteThrottle: { rateLimit: 2, burstLimit: 4 },
      codeVersion: '1.2.3+abc',
    });
  });

  it('refuses half or wrong settings with a clear message', () => {
    expect(() => fromContext({ cdn: 'akamai' })).toThrow(/"cdn" must be/);
    expect(() => fromContext({ oidcIssuer: 'https://sso.example.org' })).toThrow(/go together/);
    expect(() => fromContext({ oidcIssuer: 'http://sso.example.org', oidcAudience: 'a' })).toThrow(
      /https/,
    );
    expect(() => fromContext({ domainNames: 'a.example.org' })).toThrow(/go together/);
    expect(() => fromContext({ throttleRateLimit: -1 })).toThrow(/positive/);
    // After rotating the origin secret: its new VersionId, and only in front of CloudFront.
    const version = '5f0c3a7e-1b2d-4c8e-9f10-0a1b2c3d4e5f';
    expect(fromContext({ originSecretVersion: version }).originSecretVersion).toBe(version);
    expect(() => fromContext({ originSecretVersion: 'AWSCURRENT' })).toThrow(
      /密钥版本 ID.*must be a secret's VersionId/,
    );
    expect(() => fromContext({ cdn: 'none', originSecretVersion: version })).toThrow(
      /CloudFront.*only applies with cdn "cloudfront"/,
    );
    expect(() => fromContext({ receiptThrottleBurstLimit: 'many' })).toThrow(/positive/);
  });
});

describe('the china profile', () => {
  const oidc = { oidcIssuer: 'https://sso.example.gov.cn', oidcAudience: 'qingling' };

  it('serves the site without CloudFront, signs in with the OIDC issuer, SMS by the provider', () => {
    expect(
      fromContext({
        profile: 'china',
        ...oidc,
        smsProviderUrl: 'https://sms.example.gov.cn/send',
        siteUrl: 'https://qingling.example.gov.cn',
      }),
    ).toMatchObject({
      profile: 'china',
      cdn: 'none',
      auth: { kind: 'oidc', issuer: 'https://sso.example.gov.cn', audience: ['qingling'] },
      smsProviderUrl: 'https://sms.example.gov.cn/send',
      siteUrl: 'https://qingling.example.gov.cn',
    });
    expect(fromContext({ profile: 'china', ...oidc, cdn: 'none' }).smsProviderUrl).toBeUndefined();
  });

  it('refuses Cognito, saying the China regions have none and what to pass', () => {
    expect(() => fromContext({ profile: 'china' })).toThrow(
      /China regions have no Cognito\. Pass -c oidcIssuer=https:\/\/.* -c oidcAudience=/,
    );
  });

  it('refuses CloudFront, which needs an ICP licence and its own account setup there', () => {
    expect(() => fromContext({ profile: 'china', ...oidc, cdn: 'cloudfront' })).toThrow(
      /cannot use cdn "cloudfront": CloudFront in the China regions needs an ICP licence/,
    );
    expect(webAclFromContext(new App({ context: { profile: 'china' } }).node)).toBeUndefined();
    expect(() =>
      webAclFromContext(new App({ context: { profile: 'china', createWebAcl: true } }).node),
    ).toThrow(/needs cdn "cloudfront"/);
  });

  it('refuses SES e-mail, which the China regions do not have', () => {
    expect(() =>
      fromContext({ profile: 'china', ...oidc, notifyFromAddress: 'notify@example.gov.cn' }),
    ).toThrow(/cannot send e-mail: the China regions have no SES/);
  });

  it('refuses the CloudFront domain and web ACL settings, which would have nothing to attach to', () => {
    expect(() =>
      fromContext({
        profile: 'china',
        ...oidc,
        domainNames: 'qingling.example.cn',
        certificateArn: 'arn:aws-cn:acm:cn-north-1:111122223333:certificate/abcd',
      }),
    ).toThrow(/no CloudFront distribution/);
    expect(() =>
      fromContext({ profile: 'china', ...oidc, webAclArn: 'arn:aws-cn:wafv2:x' }),
    ).toThrow(/no CloudFront distribution/);
  });

  it('refuses an unknown profile and an SMS provider that is not plain https', () => {
    expect(() => fromContext({ profile: 'cn' })).toThrow(
      'Context "profile" must be "global" or "china", got "cn"',
    );
    expect(() => fromContext({ smsProviderUrl: 'http://sms.example.gov.cn/send' })).toThrow(
      /"smsProviderUrl" must be an https URL/,
    );
    expect(() => fromContext({ smsProviderUrl: 'https://user:pw@sms.example.gov.cn' })).toThrow(
      /no credentials/,
    );
    expect(() => fromContext({ smsProviderUrl: 'sms.example.gov.cn' })).toThrow(/https URL/);
  });
});

describe('the optional web ACL from CDK context', () => {
  const webAcl = (context: Record<string, unknown>) => webAclFromContext(new App({ context }).node);

  it('is not made unless asked for', () => {
    expect(webAcl({})).toBeUndefined();
    expect(webAcl({ createWebAcl: 'false' })).toBeUndefined();
  });

  it('limits tip submission to 50 and receipt look-ups to 30 per client in five minutes unless told otherwise', () => {
    expect(webAcl({ createWebAcl: true })).toEqual({ tipRateLimit: 50, lookupRateLimit: 30 });
    expect(webAcl({ createWebAcl: 'true', webAclTipRateLimit: '300' })).toEqual({
      tipRateLimit: 300,
      lookupRateLimit: 30,
    });
    expect(webAcl({ createWebAcl: true, webAclLookupRateLimit: 12 })).toEqual({
      tipRateLimit: 50,
      lookupRateLimit: 12,
    });
  });

  it('refuses what WAF or the deployment cannot do', () => {
    expect(() => webAcl({ createWebAcl: 'yes' })).toThrow(/true or false/);
    expect(() => webAcl({ createWebAcl: true, cdn: 'none' })).toThrow(/cloudfront/);
    expect(() => webAcl({ createWebAcl: true, webAclTipRateLimit: 5 })).toThrow(/at least 10/);
    expect(() => webAcl({ createWebAcl: true, webAclLookupRateLimit: 9.5 })).toThrow(
      /"webAclLookupRateLimit" must be an integer/,
    );
    expect(() => webAcl({ createWebAcl: true, webAclLookupRateLimit: 3e9 })).toThrow(
      /at most 2000000000/,
    );
  });

  it('says what replaced the single limit of old', () => {
    expect(() => webAcl({ createWebAcl: true, webAclRateLimit: 100 })).toThrow(
      /webAclTipRateLimit.*webAclLookupRateLimit/,
    );
  });
});

describe('the API access-log format', () => {
  it('is one JSON object with the request id', () => {
    expect(JSON.parse(accessLogFormat())).toMatchObject({ requestId: '$context.requestId' });
  });

  it('refuses variables that identify a caller', () => {
    for (const variable of [
      '$context.identity.sourceIp',
      '$context.identity.userAgent',
      '$context.path',
    ]) {
      expect(() => accessLogFormat({ ...accessLogFields, extra: variable })).toThrow(/anonymity/);
    }
  });
});

describe('the SPA routing function', () => {
  it('lists the prerendered pages of a built site', () => {
    expect(listPages(fixtureSite)).toEqual(['/200.html', '/index.html', '/report/index.html']);
  });

  it('refuses a site without the fallback page', () => {
    expect(() => spaRoutingFunctionCode(['/index.html'])).toThrow(/200\.html/);
  });

  it('refuses a page list too long for a CloudFront Function', () => {
    const pages = ['/200.html', ...Array.from({ length: 500 }, (_, i) => `/page-${i}/index.html`)];
    expect(() => spaRoutingFunctionCode(pages)).toThrow(/10 KB/);
  });
});
