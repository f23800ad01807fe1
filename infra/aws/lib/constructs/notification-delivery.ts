import { Annotations, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deliverNotificationEntry } from '../paths.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';
import type { TipsterSecrets } from './tipster-secrets.ts';

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
  /** How SMS goes out: SNS unless told otherwise (see SmsDelivery). */
  sms?: SmsDelivery;
  /** The record: enterprises' principals and controllers are reached at their registered mobiles. */
  table: RecordsTable;
  /**
   * The contact key: the claim reminder goes to a tip's sealed phone, opened here as it is
   * sent (kms:Decrypt with the tipster-contact context, nothing else), each opening an
   * event on the tip. Absent: such messages find nobody and wait in the dead-letter queue.
   */
  secrets?: TipsterSecrets;
}

/**
 * SMS by SNS (the global regions), by an HTTP provider at an https URL (the China regions,
 * where SNS sends no SMS; the construct makes the secret that signs each request), or not
 * at all (the China regions without a provider: SMS contacts are skipped with a warning).
 */
export type SmsDelivery = { via: 'sns' } | { via: 'http'; url: string } | { via: 'none' };

/**
 * Delivery of the lifecycle's notifications: the topic feeds an encrypted queue, and a
 * function sends each message by e-mail (SES), SMS (SNS or an HTTP provider) or to the
 * WeCom/DingTalk group robots of its contacts, reporting partial batch failures so that
 * one bad contact does not resend the batch. Undeliverable messages go to a dead-letter
 * queue and raise an alarm. Each key is sent once: the function claims it in the table's
 * delivery ledger first (a duplicate publish or redelivery is dropped), and receivers may
 * drop a duplicate by the step key every message carries.
 */
export class NotificationDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly function: NodeFunction;
  readonly alarm: Alarm;
  /** The key that signs requests to the HTTP SMS provider, when there is one. */
  readonly smsProviderSecret?: Secret;

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

    const sms = props.sms ?? { via: 'sns' };
    if (sms.via === 'http') {
      this.smsProviderSecret = new Secret(this, 'SmsProviderKey', {
        description:
          'Qingling: HMAC-SHA256 key signing requests to the SMS provider (share it with them)',
        generateSecretString: {
          passwordLength: 64,
          excludePunctuation: true,
          includeSpace: false,
          requireEachIncludedType: false,
        },
      });
      Validations.of(this.smsProviderSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The SMS provider verifies with the same key: it is rotated by hand together with ' +
          'the provider (put the new value; the function reads it again when refused).',
      });
    }

    // A claim's lease in the delivery ledger (DELIVERY#<key>): while it is live, no other
    // attempt sends the key. It must outlast the invocation that claimed it, which ends by
    // the timeout (a claim made late in a batch still ends by then), or a retry could send
    // while that invocation is still sending; twice the timeout leaves room for clocks that
    // differ between instances. It need not be shorter than the visibility timeout: a
    // record that finds a live lease fails back and is received again a visibility timeout
    // later, so a lease up to (maxReceiveCount - 1) visibility timeouts only costs receives;
    // 120 s against 360 s costs at most one, and never sends the dead-letter queue a message
    // whose first attempt died.
    const lease = Duration.seconds(timeout.toSeconds() * 2);
    this.function = new NodeFunction(this, 'Deliver', {
      entry: deliverNotificationEntry,
      description: 'Qingling: deliver lifecycle notifications (e-mail, SMS, group robots)',
      logRetention: props.logRetention,
      timeout,
      environment: {
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
        CONTACT_DIRECTORY_JSON: props.contactDirectoryJson ?? '{}',
        TABLE_NAME: props.table.table.tableName,
        DELIVERY_LEASE_SECONDS: String(lease.toSeconds()),
        ...(props.secrets ? { CONTACT_KEY_ID: props.secrets.contactKey.keyArn } : {}),
        // It reads the register; a lagging enterprise record is repaired by its writers.
        RECORD_REPAIRS: '',
        ...(props.fromAddress ? { NOTIFY_FROM_ADDRESS: props.fromAddress } : {}),
        // The function sends SMS by SNS unless told otherwise.
        ...(sms.via === 'none' ? { SMS_DELIVERY: 'none' } : {}),
        ...(sms.via === 'http' && this.smsProviderSecret
          ? {
              SMS_DELIVERY: 'http',
              SMS_PROVIDER_URL: sms.url,
              SMS_PROVIDER_SECRET_ARN: this.smsProviderSecret.secretArn,
            }
          : {}),
      },
    });
    // The register's people, a place's person in charge on its hazard (site-person-directory
    // .ts), and the jurisdictions' contact lists; its own delivery ledger.
    props.table.grantPartitions(this.function.role, {
      read: ['ENTERPRISE#*', 'HAZARD#*', 'POLICY#CONTACTS'],
      // A tip's record: its sealed phone read, and each opening written on it.
      write: ['DELIVERY#*', ...(props.secrets ? ['TIP#*'] : [])],
    });
    if (props.secrets) props.secrets.grantOpenContact(this.function.role);
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 5, reportBatchItemFailures: true }),
    );
    if (sms.via === 'sns') {
      // SMS goes to phone numbers, which have no ARN.
      Grant.addToPrincipal({
        grantee: this.function.role,
        actions: ['sns:Publish'],
        resourceArns: ['*'],
      });
      Validations.of(this.function.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'sns:Publish to a phone number (SMS) has no resource ARN to name; the function ' +
          'publishes to no topic.',
      });
    }
    if (this.smsProviderSecret) {
      Grant.addToPrincipal({
        grantee: this.function.role,
        actions: ['secretsmanager:GetSecretValue'],
        resourceArns: [this.smsProviderSecret.secretArn],
      });
    }
    if (sms.via === 'none') {
      Annotations.of(this).addWarningV2(
        'qingling:sms-not-sent',
        'SMS contacts in the contact directory are skipped: SNS sends no SMS in the China ' +
          'regions. Give an SMS provider with -c smsProviderUrl=https://...',
      );
    }
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
