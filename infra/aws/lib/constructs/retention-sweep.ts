import { sealedDataPartition } from '@qingling/shared/tips/retention.ts';
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { sweepSealedDataEntry } from '../paths.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';
import { scheduleWithAlarm } from './schedule.ts';

export interface RetentionSweepProps {
  table: RecordsTable;
  codeVersion: string;
  logRetention: RetentionDays;
  alarmTopic: Topic;
}

/**
 * The retention sweep (DESIGN.md: retention periods are policy data and a scheduled sweep
 * applies them; tips/retention.ts): a rule runs the function daily at 03:00 CST (19:00
 * UTC), which Queries the sweep's index (gsi3, SEALED#<jurisdiction> partitions only) and
 * erases each due tip's sealed phone and bank details: tombstones on its event items,
 * then `contact_erased` on its log. It may read the jurisdictions and the policies, and
 * read and write tip records (TIP#…): nothing else, and it holds no key to open a seal.
 * Bounded by its timeout (it starts no tip in its last 30 seconds; the next day finishes).
 */
export class RetentionSweep extends Construct {
  readonly function: NodeFunction;
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: RetentionSweepProps) {
    super(scope, id);
    this.function = new NodeFunction(this, 'Sweep', {
      entry: sweepSealedDataEntry,
      description: "Qingling: erase tips' sealed phone and bank details past their period",
      logRetention: props.logRetention,
      timeout: Duration.minutes(5),
      environment: {
        TABLE_NAME: props.table.table.tableName,
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
        // A tip whose state lags its log is repaired as it is read: its own partition.
        RECORD_REPAIRS: 'TIP#*',
      },
    });
    const tableArn = props.table.table.tableArn;
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'QueryTheSweepsIndex',
        actions: ['dynamodb:Query'],
        resources: [`${tableArn}/index/gsi3`],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [sealedDataPartition('*')] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
    );
    props.table.grantPartitions(this.function.role, {
      read: ['JURISDICTION', 'POLICY'],
      write: ['TIP#*'],
    });

    ({ rule: this.rule, alarm: this.alarm } = scheduleWithAlarm(this, this.function, {
      rule: {
        id: 'Daily',
        description: "Erase tips' sealed data past their retention period (03:00 CST)",
        schedule: Schedule.cron({ minute: '0', hour: '19' }),
      },
      retry: { attempts: 2, maxEventAge: Duration.hours(6) },
      alarm: {
        id: 'Failed',
        description:
          "The retention sweep failed: see the function's log. It is idempotent: invoking it " +
          'again erases what is due and nothing twice.',
        topic: props.alarmTopic,
      },
    }));
  }
}
