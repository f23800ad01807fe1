import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deliverNotificationEntry } from '../paths.ts';
import { NodeFunction } from './node-function.ts';

export interface NotificationDeliveryProps {
  /** The lifecycle's notifications topic: every message carries its step key. */
  notifications: Topic;
  /** Where an alarm goes when messages cannot be delivered. */
  alarmTopic: Topic;
  codeVersion: string;
  logRetention: RetentionDays;
  /**
   * Who is told what (JSON of the ContactDirectory: `role@jurisdiction` → contacts). A
   * larger deployment would keep it in a parameter store; the environment holds 4 KB.
   */
  contactDirectoryJson?: string;
  /** A verified SES identity (an e-mail address) to send from; none where SES does not exist. */
  fromAddress?: string;
}

/**
 * Delivery of the lifecycle's notifications: the topic feeds an encrypted queue, and a
 * function sends each message by e-mail (SES), SMS (SNS) or to the WeCom/DingTalk group
 * robots of its contacts, reporting partial batch failures so that one bad contact does
 * not resend the batch. Undeliverable messages go to a dead-letter queue and raise an
 * alarm; receivers drop duplicates by the step key every message carries.
 */
export class NotificationDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly function: NodeFunction;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: NotificationDeliveryProps) {
    super(scope, id);
    const timeout = Duration.seconds(60);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: timeout.plus(Duration.seconds(timeout.toSeconds() * 5)),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
    });
    props.notifications.addSubscription(new SqsSubscription(this.queue));

    this.function = new NodeFunction(this, 'Deliver', {
      entry: deliverNotificationEntry,
      description: 'Qingling: deliver lifecycle notifications (e-mail, SMS, group robots)',
      logRetention: props.logRetention,
      timeout,
      environment: {
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
        CONTACT_DIRECTORY_JSON: props.contactDirectoryJson ?? '{}',
        ...(props.fromAddress ? { NOTIFY_FROM_ADDRESS: props.fromAddress } : {}),
      },
    });
    this.function.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 5, reportBatchItemFailures: true }),
    );
    // SMS goes to phone numbers, which have no ARN.
    Grant.addToPrincipal({
      grantee: this.function.role,
      actions: ['sns:Publish'],
      resourceArns: ['*'],
    });
    if (props.fromAddress) {
      Grant.addToPrincipal({
        grantee: this.function.role,
        actions: ['ses:SendEmail'],
        resourceArns: [
          Stack.of(this).formatArn({
            service: 'ses',
            resource: 'identity',
            resourceName: props.fromAddress,
          }),
        ],
      });
    }
    Validations.of(this.function.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:Publish to a phone number (SMS) has no resource ARN to name; the function ' +
        'publishes to no topic.',
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the delivery queue.',
    });

    this.alarm = new Alarm(this, 'Undeliverable', {
      alarmDescription:
        'Notifications could not be delivered after 5 attempts: see the dead-letter queue ' +
        '(a contact missing from the directory, a robot refusing, SES not verified).',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
