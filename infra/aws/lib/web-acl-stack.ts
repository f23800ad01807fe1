import { apiError } from '@qingling/shared/api/errors.ts';
import { proofHeader } from '@qingling/shared/api/proof-of-work.ts';
import { routes } from '@qingling/shared/api/routes.ts';
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { WebAclConfig } from './config.ts';

export interface WebAclStackProps extends StackProps, WebAclConfig {}

/** The paths of these route-table operations, read from the table so a rename follows. */
function pathsOf(...operationIds: string[]): string[] {
  return operationIds.map((operationId) => {
    const route = routes.find((candidate) => candidate.operationId === operationId);
    if (!route) throw new Error(`The route table has no ${operationId} for the web ACL`);
    return route.path;
  });
}

/** Submitting a tip and asking for photo upload forms: POST /api/tips, /api/tips/photo-uploads. */
export const tipSubmissionPaths = pathsOf('createTip', 'requestPhotoUploads');

/**
 * Presenting a receipt: POST /api/tips/lookup (the follow-up), /api/tips/messages and
 * /api/tips/reward-claims (claiming a reward: the receipt is the claimant's only proof).
 */
export const receiptLookupPaths = pathsOf('lookupTip', 'postTipsterMessage', 'claimReward');

/**
 * The pattern a rule's requests match: one of the paths, with or without a trailing slash,
 * after WAF has URL-decoded the path and removed `//`, `/./` and `/../` (pathTransformations),
 * so that no spelling of a path the API would route escapes its count.
 */
export function pathPattern(paths: readonly string[]): string {
  const escaped = paths.map((path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(${escaped.join('|')})/?$`;
}

const pathTransformations: CfnWebACL.TextTransformationProperty[] = [
  { priority: 0, type: 'URL_DECODE' },
  { priority: 1, type: 'NORMALIZE_PATH' },
];

/** What a client over a limit receives: the API's own 429 body, in both languages. */
const tooManyRequests = apiError('too_many_attempts');

/**
 * A CLOUDFRONT-scope WAF web ACL, which AWS keeps in us-east-1 (a regional web ACL cannot
 * attach to an HTTP API), with two rate-based rules, each counting requests per client
 * address in any five minutes and answering the API's 429 over its limit:
 *
 * - tip submission (`tipRateLimit`): a new tip, and upload forms for its photos;
 * - receipt look-ups (`lookupRateLimit`): the follow-up page's look-up and the tipster's
 *   messages, both of which present a receipt. The API caps the answers that tell a right
 *   receipt from a wrong one deployment-wide (GuessingGuard); this limit keeps one address
 *   from using that budget up.
 *
 * Past a limit the rules degrade to a challenge, not a lock-out: a request that carries a
 * proof-of-work header is not counted, and the API itself checks and spends it. (WAF's own
 * CHALLENGE and CAPTCHA actions need a browser and are not offered in the China regions;
 * the API has to enforce the cap for any client anyway.)
 *
 * Each rule counts any method on its paths: only POST routes live there, and the rest are
 * answered 404 by API Gateway anyway.
 *
 * Anonymity (design principle 4): the rules count addresses in WAF's memory only. There is
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
    const perClientRate = (
      name: string,
      priority: number,
      limit: number,
      paths: readonly string[],
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
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
          limit,
          evaluationWindowSec: 300,
          aggregateKeyType: 'IP',
          // Requests that carry a puzzle answer are not counted: the API checks and spends
          // each one (and answers any other value with a 429 and a fresh puzzle), so past
          // this limit a person pays seconds of work instead of being locked out with
          // everyone behind the same address.
          scopeDownStatement: {
            andStatement: {
              statements: [
                {
                  regexMatchStatement: {
                    fieldToMatch: { uriPath: {} },
                    regexString: pathPattern(paths),
                    textTransformations: pathTransformations,
                  },
                },
                {
                  notStatement: {
                    statement: {
                      sizeConstraintStatement: {
                        // singleHeader is untyped in the L1 construct: CloudFormation's own casing.
                        fieldToMatch: { singleHeader: { Name: proofHeader } },
                        comparisonOperator: 'GT',
                        size: 0,
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                  },
                },
              ],
            },
          },
        },
      },
      visibilityConfig: visibility(`qingling-${name}`),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description:
        'Qingling per-client rate limits on tip submission and receipt look-ups, no logging',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('qingling'),
      customResponseBodies: {
        'too-many-attempts': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify(tooManyRequests.body),
        },
      },
      rules: [
        perClientRate('tip-submission-per-client-rate', 0, props.tipRateLimit, tipSubmissionPaths),
        perClientRate(
          'receipt-lookup-per-client-rate',
          1,
          props.lookupRateLimit,
          receiptLookupPaths,
        ),
      ],
    });

    // AwsSolutions has no WAF logging rule; the compliance packs that do would ask for it.
    const noLogging =
      'Anonymity (design principle 4): WAF logs record each client IP address and request ' +
      'headers, including tipsters on /api/tips; the rate rules need no log to work.';
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
