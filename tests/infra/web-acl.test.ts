import { apiError } from '@qingling/shared/api/errors.ts';
import { routes } from '@qingling/shared/api/routes.ts';
import { Template } from 'aws-cdk-lib/assertions';
import { HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  pathPattern,
  receiptLookupPaths,
  tipSubmissionPaths,
  WebAclStack,
} from '../../infra/aws/lib/web-acl-stack.ts';
import { appWithProjectContext, nagViolationsOf } from './synth.ts';

let stack: WebAclStack;
let template: Template;
beforeAll(() => {
  stack = new WebAclStack(appWithProjectContext(), 'QinglingWebAcl', {
    tipRateLimit: 40,
    lookupRateLimit: 20,
  });
  template = Template.fromStack(stack);
});

type Rule = {
  Name: string;
  Priority: number;
  Statement: {
    RateBasedStatement: {
      Limit: number;
      ScopeDownStatement: {
        AndStatement: {
          Statements: [
            {
              RegexMatchStatement: {
                RegexString: string;
                TextTransformations: { Priority: number; Type: string }[];
              };
            },
            { NotStatement: { Statement: { SizeConstraintStatement: unknown } } },
          ];
        };
      };
    };
  };
};
const properties = () =>
  Object.values(template.findResources('AWS::WAFv2::WebACL'))[0]?.Properties as {
    Rules: Rule[];
    CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
  };
const ruleNamed = (name: string) => {
  const rule = properties().Rules.find((candidate) => candidate.Name === name);
  if (!rule) throw new Error(`no rule ${name}`);
  return rule;
};

/**
 * Whether a request path counts toward a rule, as WAF decides it: the path URL-decoded,
 * then normalized (NORMALIZE_PATH: `//` → `/`, `/./` and `/x/../` removed), then the
 * rule's regular expression (the pattern uses nothing JavaScript reads otherwise).
 */
function counts(rule: Rule, path: string): boolean {
  const { RegexString, TextTransformations } =
    rule.Statement.RateBasedStatement.ScopeDownStatement.AndStatement.Statements[0]
      .RegexMatchStatement;
  expect(TextTransformations).toEqual([
    { Priority: 0, Type: 'URL_DECODE' },
    { Priority: 1, Type: 'NORMALIZE_PATH' },
  ]);
  let normalized = decodeURIComponent(path).replace(/\/{2,}/g, '/');
  for (let previous = ''; previous !== normalized; ) {
    previous = normalized;
    normalized = normalized.replace(/\/\.(?=\/|$)/g, '').replace(/\/[^/]+\/\.\.(?=\/|$)/, '');
  }
  return new RegExp(RegexString).test(normalized);
}

describe('the optional CloudFront web ACL', () => {
  it('degrades to a puzzle: requests that carry a proof-of-work header are not counted', () => {
    for (const rule of properties().Rules) {
      const [, notProven] =
        rule.Statement.RateBasedStatement.ScopeDownStatement.AndStatement.Statements;
      expect(notProven.NotStatement.Statement.SizeConstraintStatement).toEqual({
        FieldToMatch: { SingleHeader: { Name: 'x-proof-of-work' } },
        ComparisonOperator: 'GT',
        Size: 0,
        TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      });
    }
  });

  it('lives in us-east-1 with CLOUDFRONT scope, allowing by default', () => {
    expect(stack.region).toBe('us-east-1');
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
    });
  });

  it('limits tip submission and receipt look-ups per client, apart, in 5 minutes with the API 429', () => {
    expect(properties().Rules).toEqual([
      expect.objectContaining({
        Name: 'tip-submission-per-client-rate',
        Priority: 0,
        Statement: {
          RateBasedStatement: expect.objectContaining({
            Limit: 40,
            EvaluationWindowSec: 300,
            AggregateKeyType: 'IP',
          }),
        },
      }),
      expect.objectContaining({
        Name: 'receipt-lookup-per-client-rate',
        Priority: 1,
        Statement: {
          RateBasedStatement: expect.objectContaining({
            Limit: 20,
            EvaluationWindowSec: 300,
            AggregateKeyType: 'IP',
          }),
        },
      }),
    ]);
    for (const rule of properties().Rules) {
      expect(rule).toMatchObject({
        Action: {
          Block: {
            CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'too-many-attempts' },
          },
        },
        VisibilityConfig: {
          MetricName: `qingling-${rule.Name}`,
          SampledRequestsEnabled: false,
        },
      });
    }
    const body = properties().CustomResponseBodies['too-many-attempts'];
    expect(body?.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body?.Content ?? '')).toEqual(apiError('too_many_attempts').body);
  });

  it('names the POST routes of the route table that submit tips and present receipts', () => {
    const routeOf = (path: string) =>
      routes.filter((route) => route.path === path).map((route) => route.method);
    expect(tipSubmissionPaths).toEqual(['/api/tips', '/api/tips/photo-uploads']);
    expect(receiptLookupPaths).toEqual([
      '/api/tips/lookup',
      '/api/tips/messages',
      '/api/tips/reward-claims',
    ]);
    for (const path of [...tipSubmissionPaths, ...receiptLookupPaths]) {
      expect(routeOf(path), path).toEqual(['POST']);
    }
    // Every public route under /api/tips is counted by one of the two rules.
    const tipRoutes = routes.filter(
      (route) => route.access.kind === 'public' && route.path.startsWith('/api/tips'),
    );
    expect(tipRoutes.map((route) => route.path).sort()).toEqual(
      [...tipSubmissionPaths, ...receiptLookupPaths].sort(),
    );
  });

  it('counts each path in one rule only, whichever way it is spelled', () => {
    const tips = ruleNamed('tip-submission-per-client-rate');
    const lookups = ruleNamed('receipt-lookup-per-client-rate');
    for (const path of ['/api/tips', '/api/tips/photo-uploads', '/api/tips/', '/api//tips']) {
      expect(counts(tips, path), path).toBe(true);
      expect(counts(lookups, path), path).toBe(false);
    }
    for (const path of [
      '/api/tips/lookup',
      '/api/tips/messages',
      '/api/tips/lookup/',
      '/api/%74ips/lookup',
      '/api/tips/./messages',
      '/api/x/../tips/lookup',
    ]) {
      expect(counts(lookups, path), path).toBe(true);
      expect(counts(tips, path), path).toBe(false);
    }
    for (const path of ['/api/tipsy', '/api/tips/lookups', '/api/office/tips', '/report/']) {
      expect(counts(tips, path), path).toBe(false);
      expect(counts(lookups, path), path).toBe(false);
    }
  });

  it('escapes what a path could hold that a regular expression would read', () => {
    expect(pathPattern(['/api/a.b', '/api/(x)'])).toBe('^(/api/a\\.b|/api/\\(x\\))/?$');
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
