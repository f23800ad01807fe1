import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { sendWeeklyReportsEntry } from '../paths.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';
import { scheduleWithAlarm } from './schedule.ts';

export interface WeeklyReportsProps {
  table: RecordsTable;
  /** The lifecycle's notifications topic, and the key it is encrypted with. */
  notifications: Topic;
  notificationsKey: IKey;
  codeVersion: string;
  logRetention: RetentionDays;
  alarmTopic: Topic;
  /** The site's address, for the report's link to the statistics page. */
  siteUrl?: string;
}

/**
 * The weekly report to each leader (issue 15): a rule runs the function every Monday at
 * 09:00 CST (01:00 UTC), which reads every jurisdiction's statistics buckets by key and
 * publishes one message per leader to the notifications topic, keyed by jurisdiction +
 * week + recipient, so that the delivery ledger sends a retried run's messages once. The
 * function may read the statistics' counters and the jurisdictions, and publish: it
 * changes no record. A failure after the rule's retries raises the alarm.
 */
export class WeeklyReports extends Construct {
  readonly function: NodeFunction;
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: WeeklyReportsProps) {
    super(scope, id);
    this.function = new NodeFunction(this, 'Send', {
      entry: sendWeeklyReportsEntry,
      description: 'Qingling: the weekly report to each leader (Monday 09:00 CST)',
      logRetention: props.logRetention,
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        NOTIFICATIONS_TOPIC_ARN: props.notifications.topicArn,
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
        ...(props.siteUrl ? { SITE_URL: props.siteUrl } : {}),
      },
    });
    props.table.grantPartitions(this.function.role, {
      read: ['HAZARD#STATS#*', 'TIP#STATS#*', 'JURISDICTION'],
    });
    // sns:Publish on the topic and the two key actions SNS needs to encrypt the message.
    Grant.addToPrincipal({
      grantee: this.function.role,
      actions: ['sns:Publish'],
      resourceArns: [props.notifications.topicArn],
    });
    Grant.addToPrincipal({
      grantee: this.function.role,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [props.notificationsKey.keyArn],
    });

    ({ rule: this.rule, alarm: this.alarm } = scheduleWithAlarm(this, this.function, {
      rule: {
        id: 'Weekly',
        description: 'Send the weekly report to each leader (Monday 09:00 CST)',
        schedule: Schedule.cron({ minute: '0', hour: '1', weekDay: 'MON' }),
      },
      retry: { attempts: 4, maxEventAge: Duration.hours(6) },
      alarm: {
        id: 'NotSent',
        description:
          "The weekly reports could not be sent: see the function's log. Invoking the " +
          'function again the same week sends what is missing (messages already sent are ' +
          'dropped by their keys).',
        topic: props.alarmTopic,
      },
    }));
  }
}
