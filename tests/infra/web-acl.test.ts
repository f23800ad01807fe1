import { apiError } from '@qingling/shared/api/errors.ts';
import { Template } from 'aws-cdk-lib/assertions';
import { HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebAclStack } from '../../infra/aws/lib/web-acl-stack.ts';
import { appWithProjectContext, nagViolationsOf } from './synth.ts';

let stack: WebAclStack;
let template: Template;
beforeAll(() => {
  stack = new WebAclStack(appWithProjectContext(), 'QinglingWebAcl', { rateLimit: 100 });
  template = Template.fromStack(stack);
});

describe('the optional CloudFront web ACL', () => {
  it('lives in us-east-1 with CLOUDFRONT scope, allowing by default', () => {
    expect(stack.region).toBe('us-east-1');
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
    });
  });

  it('blocks a client over 100 requests to /api/tips* in 5 minutes with the API 429', () => {
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
    const properties = acl?.Properties as {
      Rules: Record<string, unknown>[];
      CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
    };
    expect(properties.Rules).toEqual([
      expect.objectContaining({
        Priority: 0,
        Statement: {
          RateBasedStatement: {
            Limit: 100,
            EvaluationWindowSec: 300,
            AggregateKeyType: 'IP',
            ScopeDownStatement: {
              ByteMatchStatement: {
                FieldToMatch: { UriPath: {} },
                PositionalConstraint: 'STARTS_WITH',
                SearchString: '/api/tips',
                TextTransformations: [{ Priority: 0, Type: 'NONE' }],
              },
            },
          },
        },
        Action: {
          Block: {
            CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'too-many-attempts' },
          },
        },
      }),
    ]);
    const body = properties.CustomResponseBodies['too-many-attempts'];
    expect(body?.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body?.Content ?? '')).toEqual(apiError('too_many_attempts').body);
  });

  it('keeps no identity: no logging, no sampled requests, metrics only', () => {
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    const json = JSON.stringify(template.toJSON());
    expect(json).toContain('"SampledRequestsEnabled":false');
    expect(json).not.toContain('"SampledRequestsEnabled":true');
  });

  it('outputs its ARN for the main stack', () => {
    const id = stack.getLogicalId(stack.webAcl);
    template.hasOutput('WebAclArn', { Value: { 'Fn::GetAtt': [id, 'Arn'] } });
  });

  it('passes cdk-nag with nothing unacknowledged', () => {
    expect(nagViolationsOf(stack)).toEqual([]);
  });

  it('says why it has no logging to the packs that ask for WAF logs', () => {
    for (const pack of [
      new NIST80053R5Checks(undefined, { verbose: false }),
      new HIPAASecurityChecks(undefined, { verbose: false }),
    ]) {
      expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
    }
  });
});
