import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOfType, type Synthesized, synthesize } from './synth.ts';

/**
 * What an operator is given at deploy: where alarms go, a way to drain failed lifecycles,
 * data that seeds itself and a first administrator. (The harness runs the seed, the
 * redrive and the dead-letter path; these check the deploy-time parameters around them.)
 */
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

describe('a deployment an operator can run', () => {
  it('sends every alarm to the operator address given at deploy, when one is given', () => {
    const template = synthesized.template.toJSON() as {
      Parameters: Record<string, { Default?: string }>;
      Conditions: Record<string, unknown>;
    };
    expect(template.Parameters.OperatorEmail?.Default).toBe('');
    const [subscription] = resourcesOfType(synthesized, 'AWS::SNS::Subscription').filter(
      ({ properties }) => properties.Protocol === 'email',
    );
    expect(subscription?.properties.Endpoint).toEqual({ Ref: 'OperatorEmail' });
    const alarmTopic = synthesized.stack.getLogicalId(
      synthesized.stack.lifecycle.alarmTopic.node.defaultChild as never,
    );
    expect(subscription?.properties.TopicArn).toEqual({ Ref: alarmTopic });
    // Every alarm of the stack acts on that topic.
    for (const { properties } of resourcesOfType(synthesized, 'AWS::CloudWatch::Alarm')) {
      expect(properties.AlarmActions).toEqual([{ Ref: alarmTopic }]);
    }
  });

  it('alarms when a failed lifecycle waits, and drains the queue only once enabled', () => {
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 900,
    });
    const deadLetters = synthesized.stack.getLogicalId(
      synthesized.stack.lifecycle.deadLetters.node.defaultChild as never,
    );
    synthesized.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
      Enabled: false,
    });
  });

  it('seeds its data with a custom resource and creates the first administrator if asked', () => {
    synthesized.template.hasResourceProperties('Custom::QinglingSeedData', {
      version: Match.stringLikeRegexp('.+'),
    });
    const template = synthesized.template.toJSON() as {
      Resources: Record<
        string,
        { Type: string; Condition?: string; Properties: Record<string, unknown> }
      >;
    };
    const [administrator] = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Cognito::UserPoolUser',
    );
    expect(administrator?.Condition).toBeDefined();
    expect(JSON.stringify(administrator?.Properties.UserAttributes)).toContain(
      '"Name":"custom:roles","Value":"administrator"',
    );
  });

  it('has no first administrator to create where another OIDC issuer signs people in', () => {
    const oidc = synthesize({
      auth: { kind: 'oidc', issuer: 'https://sso.example.gov.cn', audience: ['qingling'] },
    });
    expect(resourcesOfType(oidc, 'AWS::Cognito::UserPoolUser')).toEqual([]);
    oidc.template.resourceCountIs('Custom::QinglingSeedData', 1);
  });

  it('lets the lifecycle, photo, delivery and seed functions touch only their partitions', () => {
    const { stack } = synthesized;
    const roles = {
      Plan: stack.lifecycle.functions.Plan.role,
      Escalate: stack.lifecycle.functions.Escalate.role,
      Redrive: stack.lifecycle.redrive.role,
      PhotoProcessor: stack.photoProcessor.function.role,
      Delivery: stack.notificationDelivery.function.role,
      Seed: stack.seed.function.role,
    };
    for (const [name, role] of Object.entries(roles)) {
      const policy = role.node.tryFindChild('DefaultPolicy') as unknown as { document: unknown };
      const document = stack.resolve(policy.document) as {
        Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[];
      };
      const table = document.Statement.filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
      );
      expect(table.length, name).toBeGreaterThan(0);
      for (const statement of table) {
        expect(JSON.stringify(statement.Resource), name).not.toContain('/index/');
        expect(statement.Condition, name).toMatchObject({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': expect.any(Array) },
        });
      }
    }
  });
});
