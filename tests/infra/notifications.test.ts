import { beforeAll, describe, expect, it } from 'vitest';
import { resourceOfType, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

// The delivery of the lifecycle's notifications on AWS: topic → encrypted queue → function
// with partial batch failures, a dead-letter queue with an alarm, and least privilege
// (SES only where an identity is configured).
let plain: Synthesized;
let withEmail: Synthesized;
beforeAll(() => {
  plain = synthesize();
  withEmail = synthesize({
    notifyFromAddress: 'notify@example.gov.cn',
    contactDirectoryJson: JSON.stringify({
      'leader_in_charge@cq-gecheng': [{ kind: 'email', address: 'leader@example.gov.cn' }],
    }),
  });
});

const logicalIdOf = (s: Synthesized, construct: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(construct.node.defaultChild as never);

function policyOf(s: Synthesized): string {
  const roleId = logicalIdOf(s, s.stack.notificationDelivery.function.role);
  return JSON.stringify(
    resourcesOfType(s, 'AWS::IAM::Policy')
      .filter(({ properties }) => JSON.stringify(properties.Roles).includes(roleId))
      .map(({ properties }) => properties.PolicyDocument),
  );
}

describe('notification delivery', () => {
  it('subscribes an encrypted, TLS-only queue with a dead-letter queue to the topic', () => {
    const { notificationDelivery, lifecycle } = plain.stack;
    const queueId = logicalIdOf(plain, notificationDelivery.queue);
    plain.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: logicalIdOf(plain, lifecycle.notifications) },
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    const queue = resourceOfType(plain, 'AWS::SQS::Queue', queueId).properties;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    // Visibility well above the function's timeout, so a slow batch is not sent twice.
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 60);
  });

  it('reports partial batch failures: one bad contact does not resend the batch', () => {
    plain.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
    });
  });

  it('sends SMS without naming a topic, and e-mail only from a configured identity', () => {
    expect(policyOf(plain)).toContain('sns:Publish');
    expect(policyOf(plain)).not.toContain('ses:SendEmail');
    expect(policyOf(withEmail)).toContain('ses:SendEmail');
    expect(policyOf(withEmail)).toContain('identity/notify@example.gov.cn');
    const fn = resourceOfType(
      withEmail,
      'AWS::Lambda::Function',
      logicalIdOf(withEmail, withEmail.stack.notificationDelivery.function.function),
    ).properties as { Environment: { Variables: Record<string, string> } };
    expect(fn.Environment.Variables.NOTIFY_FROM_ADDRESS).toBe('notify@example.gov.cn');
    expect(JSON.parse(fn.Environment.Variables.CONTACT_DIRECTORY_JSON ?? '')).toHaveProperty([
      'leader_in_charge@cq-gecheng',
    ]);
  });

  it('alarms when a message lands in the dead-letter queue', () => {
    const { notificationDelivery, lifecycle } = plain.stack;
    const alarm = resourceOfType(
      plain,
      'AWS::CloudWatch::Alarm',
      logicalIdOf(plain, notificationDelivery.alarm),
    ).properties;
    expect(alarm).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      AlarmActions: [{ Ref: logicalIdOf(plain, lifecycle.alarmTopic) }],
    });
  });
});
