import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type Rule, Schedule } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { sweepOrphanUploadsEntry } from '../paths.ts';
import type { EvidenceBucket } from './evidence-bucket.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';
import { scheduleWithAlarm } from './schedule.ts';

export interface OrphanUploadSweepProps {
  table: RecordsTable;
  evidence: EvidenceBucket;
  codeVersion: string;
  logRetention: RetentionDays;
  alarmTopic: Topic;
}

/**
 * The orphan upload sweep (hazards/orphan-evidence.ts): a rule runs the function daily at
 * 04:00 CST (20:00 UTC), which lists evidence/ and deletes the photos, and thumbnails,
 * stored more than a day ago that no event of their hazard names (forms left unsent). A
 * lifecycle rule cannot tell a named photo from an orphan; uploads under incoming/ need
 * none of this (the bucket's rule expires them after a day). It may list and delete under
 * evidence/ and read hazards' logs (HAZARD#…): nothing else. Bounded by its timeout (it
 * starts no hazard in its last 30 seconds; the next day goes on).
 */
export class OrphanUploadSweep extends Construct {
  readonly function: NodeFunction;
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: OrphanUploadSweepProps) {
    super(scope, id);
    this.function = new NodeFunction(this, 'Sweep', {
      entry: sweepOrphanUploadsEntry,
      description: 'Qingling: delete evidence photos no record names, a day after upload',
      logRetention: props.logRetention,
      timeout: Duration.minutes(5),
      environment: {
        TABLE_NAME: props.table.table.tableName,
        EVIDENCE_BUCKET: props.evidence.bucket.bucketName,
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
      },
    });
    props.table.grantPartitions(this.function.role, { read: [hazardStream('*')] });
    props.evidence.grantOrphanSweep(this.function.role);

    ({ rule: this.rule, alarm: this.alarm } = scheduleWithAlarm(this, this.function, {
      rule: {
        id: 'Daily',
        description: 'Delete evidence photos no record names, a day after upload (04:00 CST)',
        schedule: Schedule.cron({ minute: '0', hour: '20' }),
      },
      retry: { attempts: 2, maxEventAge: Duration.hours(6) },
      alarm: {
        id: 'Failed',
        description:
          "The orphan upload sweep failed: see the function's log. It is idempotent: " +
          'invoking it again deletes what is due and nothing named.',
        topic: props.alarmTopic,
      },
    }));
  }
}
