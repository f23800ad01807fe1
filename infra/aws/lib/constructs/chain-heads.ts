import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { publishChainHeadsEntry } from '../paths.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';
import { scheduleWithAlarm } from './schedule.ts';

export interface ChainHeadsPublicationProps {
  table: RecordsTable;
  codeVersion: string;
  logRetention: RetentionDays;
  /** Where the alarm goes when a day could not be published. */
  alarmTopic: Topic;
  /** The function's handler; defaults to functions/src/events/publish-chain-heads.ts. */
  entry?: string;
}

/** The partition keys of the published days and of their pages: all the function writes. */
const chainHeadsKeys = ['CHAINHEADS', 'CHAINHEADS#*'];

/**
 * Each day's chain heads: a rule runs the publishing function every day at 00:05 CST
 * (16:05 UTC), which reads every hazard's head from the ledger index and stores the day
 * that just ended, once (a conditional write; a retried or repeated run changes nothing).
 * The function may Query the table and its ledger index, and read and write only the
 * chain heads' own items: it can change no record. A failure after Lambda's two retries
 * raises the alarm; the public routes read the days (GET handlers of the route table).
 */
export class ChainHeadsPublication extends Construct {
  readonly function: NodeFunction;
  readonly rule: Rule;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: ChainHeadsPublicationProps) {
    super(scope, id);
    this.function = new NodeFunction(this, 'Publish', {
      entry: props.entry ?? publishChainHeadsEntry,
      description: "Qingling: publish each day's chain heads (00:05 CST)",
      logRetention: props.logRetention,
      // Reading 100,000 heads takes seconds; the margin is for a cold, throttled table.
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
      },
    });
    const tableArn = props.table.table.tableArn;
    // Each statement names its partitions (a request without the key is refused too): the
    // jurisdictions and the days on the table, the ledger's partitions on its index.
    const only = (keys: readonly string[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...keys] },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'QueryJurisdictionsAndDays',
        actions: ['dynamodb:Query'],
        resources: [tableArn],
        conditions: only(['JURISDICTION', ...chainHeadsKeys]),
      }),
    );
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'QueryTheLedgerIndex',
        actions: ['dynamodb:Query'],
        resources: [`${tableArn}/index/gsi1`],
        conditions: only(['HAZARDS#*']),
      }),
    );
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadAndWriteChainHeadsItemsOnly',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [tableArn],
        conditions: only(chainHeadsKeys),
      }),
    );

    ({ rule: this.rule, alarm: this.alarm } = scheduleWithAlarm(this, this.function, {
      rule: {
        id: 'Daily',
        description: 'Publish the chain heads of the CST day that just ended (00:05 CST)',
        schedule: Schedule.cron({ minute: '5', hour: '16' }),
      },
      retry: { attempts: 4, maxEventAge: Duration.hours(2) },
      alarm: {
        id: 'NotPublished',
        description:
          "A day's chain heads could not be published: see the function's log. The next " +
          'run publishes the next day; the missed day stays unpublished.',
        topic: props.alarmTopic,
      },
    }));
  }
}
