import { apiError } from '@qingling/shared/api/errors.ts';
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { WebAclConfig } from './config.ts';

export interface WebAclStackProps extends StackProps, WebAclConfig {}

/** The paths the per-client limit covers: intake, follow-up, messages and photo uploads. */
export const rateLimitedPathPrefix = '/api/tips';

/** What a client over the limit receives: the API's own 429 body, in both languages. */
const tooManyRequests = apiError('too_many_attempts');

/**
 * A CLOUDFRONT-scope WAF web ACL, which AWS keeps in us-east-1 (a regional web ACL cannot
 * attach to an HTTP API): a rate-based rule that blocks a client address sending more than
 * `rateLimit` requests to /api/tips* in any five minutes, with the API's 429 answer.
 *
 * Anonymity (design principle 4): the rule counts addresses in WAF's memory only. There is
 * no logging configuration (WAF logs hold each client's IP address and headers), and no
 * sampled requests (the console would show the same for three hours); the CloudWatch
 * metrics are counts only.
 *
 * Deploy it first, then give its WebAclArn output to the main stack as context webAclArn.
 */
export class WebAclStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: WebAclStackProps) {
    super(scope, id, {
      description: 'Qingling (清零): per-client limits on the tip routes, without logs',
      ...props,
      env: { ...props.env, region: 'us-east-1' },
    });
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: false,
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Qingling per-client rate limit on /api/tips and below, no logging',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('qingling'),
      customResponseBodies: {
        'too-many-attempts': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify(tooManyRequests.body),
        },
      },
      rules: [
        {
          name: 'tips-per-client-rate',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: tooManyRequests.status,
                customResponseBodyKey: 'too-many-attempts',
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimit,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: rateLimitedPathPrefix,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('qingling-tips-per-client-rate'),
        },
      ],
    });

    // AwsSolutions has no WAF logging rule; the compliance packs that do would ask for it.
    const noLogging =
      'Anonymity (design principle 4): WAF logs record each client IP address and request ' +
      'headers, including tipsters on /api/tips; the rate rule needs no log to work.';
    Validations.of(this.webAcl).acknowledge(
      ...['NIST.800.53.R4', 'NIST.800.53.R5', 'HIPAA.Security'].map((pack) => ({
        id: `${pack}-WAFv2LoggingEnabled`,
        reason: noLogging,
      })),
    );

    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.attrArn,
      description: 'Give this to the main stack: cdk deploy Qingling -c webAclArn=<this>',
    });
  }
}
