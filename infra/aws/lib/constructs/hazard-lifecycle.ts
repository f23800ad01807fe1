import { join } from 'node:path';
import {
  ledgerIndexesMarker,
  recordedByMarker,
} from '@qingling/shared/adapters/dynamodb/ledger-backfills.ts';
import { ArnFormat, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IRole, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { definitionHash, recordLifecycles } from '../../../workflows/definitions.ts';
import { workflowHandlersDir } from '../paths.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';

/** The lifecycle's tasks, named as in the ASL's `${<Name>FunctionArn}` tokens. */
export const lifecycleTasks = ['Plan', 'Escalate', 'RegisterWait', 'Renew'] as const;
export type LifecycleTask = (typeof lifecycleTasks)[number];

const taskFiles: Record<LifecycleTask, string> = {
  Plan: 'plan.ts',
  Escalate: 'escalate.ts',
  RegisterWait: 'register-wait.ts',
  Renew: 'renew.ts',
};

/** Lambda timeouts below each Task's TimeoutSeconds in the ASL (30, 60, -, 30). */
const taskTimeouts: Record<LifecycleTask, Duration> = {
  Plan: Duration.seconds(20),
  Escalate: Duration.seconds(50),
  RegisterWait: Duration.seconds(10),
  Renew: Duration.seconds(20),
};

/** The fixed part of the state machine's name: `<stack name>-hazard-lifecycle`. */
export const stateMachineNameSuffix = 'hazard-lifecycle';
export const tipStateMachineNameSuffix = 'tip-lifecycle';

export interface HazardLifecycleProps {
  table: RecordsTable;
  codeVersion: string;
  logRetention: RetentionDays;
  /** The ASL file; defaults to infra/workflows/hazard-lifecycle.asl.json. */
  definitionPath?: string;
  /** The tip's ASL file; defaults to infra/workflows/tip-lifecycle.asl.json. */
  tipDefinitionPath?: string;
  /** Where the task handlers live; defaults to functions/src/workflow. */
  handlersDir?: string;
}

/**
 * The hazard lifecycle on AWS: a Standard state machine loaded from the ASL file (the
 * local runner loads the same file), its four task functions, the notifications topic
 * (the first channel: subscribers format SES, SMS, WeCom or DingTalk messages), and what
 * watches it: an alarm on failed or timed-out executions, and a rule that keeps every
 * failed, timed-out or aborted execution in a dead-letter queue, so that its lifecycle
 * can be restarted from the record (`{hazardId}-{generation + 1}`).
 */
export class HazardLifecycle extends Construct {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  /** Computed from the name (see below), so the API's functions can hold it without a cycle. */
  readonly stateMachineArn: string;
  /** The tip's lifecycle (its time limits): the same four functions, its own ASL file. */
  readonly tipStateMachine: StateMachine;
  readonly tipStateMachineName: string;
  readonly tipStateMachineArn: string;
  readonly functions: Record<LifecycleTask, NodeFunction>;
  readonly key: Key;
  readonly notifications: Topic;
  readonly alarmTopic: Topic;
  readonly alarm: Alarm;
  readonly deadLetters: Queue;
  readonly failedExecutions: Rule;
  /** Drains the dead-letter queue once an operator enables its event source mapping. */
  readonly redrive: NodeFunction;
  /** A failed lifecycle waiting in the dead-letter queue for 15 minutes. */
  readonly deadLetterAlarm: Alarm;
  /** Wakes every lifecycle that should be awake and is not (every five minutes). */
  readonly reconciler: NodeFunction;
  /** On a deploy that changed a definition: wakes lifecycles waiting on an older one. */
  readonly renewal: CustomResource;
  /** Each definition's fingerprint (DefinitionHash), as deployed. */
  readonly definitions: { hazard: string; tip: string };
  readonly reconcilerSchedule: Rule;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HazardLifecycleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Computed, not referenced: the renew function starts executions of this state
    // machine, whose definition references the function (a reference would be a cycle).
    this.stateMachineName = `${stack.stackName}-${stateMachineNameSuffix}`;
    this.tipStateMachineName = `${stack.stackName}-${tipStateMachineNameSuffix}`;
    const arnOf = (name: string) =>
      stack.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    this.stateMachineArn = arnOf(this.stateMachineName);
    this.tipStateMachineArn = arnOf(this.tipStateMachineName);

    // One customer managed key for the two topics: CloudWatch alarms can publish only to
    // a topic whose key lets the CloudWatch service use it (the AWS managed key cannot).
    this.key = new Key(this, 'Key', {
      description: 'Qingling hazard lifecycle: notification and alarm topics',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
      }),
    );
    this.notifications = new Topic(this, 'Notifications', {
      displayName: 'Qingling hazard notifications',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.alarmTopic = new Topic(this, 'Alarms', {
      displayName: 'Qingling hazard lifecycle alarms',
      masterKey: this.key,
      enforceSSL: true,
    });

    const handlersDir = props.handlersDir ?? workflowHandlersDir;
    // Each definition's fingerprint: executions carry theirs into Plan, which renews an
    // execution of an older one onto the one deployed (see functions/src/workflow/plan.ts).
    const definitionPaths = {
      hazard: props.definitionPath ?? recordLifecycles.hazard.definitionPath,
      tip: props.tipDefinitionPath ?? recordLifecycles.tip.definitionPath,
    };
    this.definitions = {
      hazard: definitionHash(definitionPaths.hazard),
      tip: definitionHash(definitionPaths.tip),
    };
    const common = {
      CODE_VERSION: props.codeVersion,
      POWERTOOLS_SERVICE_NAME: 'qingling',
    };
    const environments: Record<LifecycleTask, Record<string, string>> = {
      Plan: {
        ...common,
        TABLE_NAME: props.table.table.tableName,
        LIFECYCLE_DEFINITIONS: JSON.stringify(this.definitions),
      },
      Escalate: {
        ...common,
        TABLE_NAME: props.table.table.tableName,
        NOTIFICATIONS_TOPIC_ARN: this.notifications.topicArn,
      },
      RegisterWait: { ...common, TABLE_NAME: props.table.table.tableName },
      // The state machine passes its own ARN in the task input ($$.StateMachine.Id).
      Renew: { ...common },
    };
    const make = (task: LifecycleTask) =>
      new NodeFunction(this, task, {
        entry: join(handlersDir, taskFiles[task]),
        description: `Qingling hazard lifecycle: ${task} task`,
        logRetention: props.logRetention,
        timeout: taskTimeouts[task],
        environment: environments[task],
      });
    this.functions = {
      Plan: make('Plan'),
      Escalate: make('Escalate'),
      RegisterWait: make('RegisterWait'),
      Renew: make('Renew'),
    };

    // Least privilege: Plan reads and claims the record for its generation (an appended
    // event, and its WAIT item once the lifecycle ends); Escalate reads and appends, and
    // publishes; RegisterWait puts its one item (below);
    // Renew starts executions of this state machine only.
    // Each only on the records it conducts (hazards and tips) and the policies it reads.
    const records = { read: ['POLICY'], write: ['HAZARD#*', 'TIP#*'] };
    props.table.grantPartitions(this.functions.Plan.role, records);
    // Escalate also reads the register: a step's message names the enterprise.
    props.table.grantPartitions(this.functions.Escalate.role, {
      ...records,
      read: [...records.read, 'ENTERPRISE#*'],
    });
    // sns:Publish on the topic and the two key actions SNS needs to encrypt the message
    // (grantPublish would allow kms:GenerateDataKey*, a wildcard).
    Grant.addToPrincipal({
      grantee: this.functions.Escalate.role,
      actions: ['sns:Publish'],
      resourceArns: [this.notifications.topicArn],
    });
    Grant.addToPrincipal({
      grantee: this.functions.Escalate.role,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [this.key.keyArn],
    });
    // RegisterWait puts the record's WAIT item, reads the record's version again, and ends
    // its own wait when a decision landed while Plan ran (states:SendTaskSuccess).
    props.table.grantPartitions(this.functions.RegisterWait.role, {
      read: [],
      write: ['HAZARD#*', 'TIP#*'],
    });
    Grant.addToPrincipal({
      grantee: this.functions.RegisterWait.role,
      actions: ['states:SendTaskSuccess'],
      resourceArns: [this.stateMachineArn, this.tipStateMachineArn],
    });
    Grant.addToPrincipal({
      grantee: this.functions.Renew.role,
      actions: ['states:StartExecution'],
      resourceArns: [this.stateMachineArn, this.tipStateMachineArn],
    });
    // Plan checks that the state machine has the new definition before it renews onto it.
    Grant.addToPrincipal({
      grantee: this.functions.Plan.role,
      actions: ['states:DescribeStateMachine'],
      resourceArns: [this.stateMachineArn, this.tipStateMachineArn],
    });

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    // Each task invokes its function's alias `live` (what a deploy switches and a rollback
    // points back), so `${PlanFunctionArn}` and the rest are the aliases' ARNs.
    const aliasArns = lifecycleTasks.map((task) => this.functions[task].alias.functionArn);
    const stateMachineOf = (id: string, name: string, definitionPath: string) => {
      const fingerprint = definitionHash(definitionPath);
      const machine = new StateMachine(this, id, {
        stateMachineName: name,
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromFile(definitionPath),
        definitionSubstitutions: {
          Partition: stack.partition,
          DefinitionHash: fingerprint,
          ...Object.fromEntries(
            lifecycleTasks.map((task) => [
              `${task}FunctionArn`,
              this.functions[task].alias.functionArn,
            ]),
          ),
        },
        // Execution data holds task tokens and record details: errors only, without data.
        logs: { destination: this.logGroup, level: LogLevel.ERROR, includeExecutionData: false },
        tracingEnabled: true,
      });
      // Exactly the four aliases, without the `:*` wildcard of grantInvoke: Lambda
      // authorizes an invocation of an alias against the alias's ARN, not the function's.
      machine.addToRolePolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: aliasArns }),
      );
      for (const task of lifecycleTasks) this.functions[task].invokedBy(machine);
      return machine;
    };
    this.stateMachine = stateMachineOf(
      'StateMachine',
      this.stateMachineName,
      definitionPaths.hazard,
    );
    this.tipStateMachine = stateMachineOf(
      'TipStateMachine',
      this.tipStateMachineName,
      definitionPaths.tip,
    );

    const period = Duration.minutes(5);
    this.alarm = new Alarm(this, 'FailedExecutions', {
      alarmDescription:
        'A hazard or tip lifecycle execution failed or timed out: its record is not being ' +
        'escalated. See the dead-letter queue and restart it from the record.',
      metric: new MathExpression({
        expression: 'failed + timedOut + tipFailed + tipTimedOut',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period, statistic: 'Sum' }),
          timedOut: this.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
          tipFailed: this.tipStateMachine.metricFailed({ period, statistic: 'Sum' }),
          tipTimedOut: this.tipStateMachine.metricTimedOut({ period, statistic: 'Sum' }),
        },
        period,
        label: 'Failed or timed-out executions',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(this.alarmTopic));

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.failedExecutions = new Rule(this, 'FailedExecutionsRule', {
      description: 'Failed, timed-out or aborted hazard lifecycles, to restart from the record',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [
            this.stateMachine.stateMachineArn,
            this.tipStateMachine.stateMachineArn,
          ],
        },
      },
    });
    // Only what a restart needs: the execution's name and input ({hazardId, generation}).
    this.failedExecutions.addTarget(
      new SqsQueue(this.deadLetters, {
        message: RuleTargetInput.fromObject({
          executionArn: EventField.fromPath('$.detail.executionArn'),
          name: EventField.fromPath('$.detail.name'),
          status: EventField.fromPath('$.detail.status'),
          input: EventField.fromPath('$.detail.input'),
          stopDate: EventField.fromPath('$.detail.stopDate'),
        }),
      }),
    );

    this.redrive = this.redriveFunction(props, handlersDir);
    this.deadLetterAlarm = new Alarm(this, 'DeadLettersWaiting', {
      alarmDescription:
        'A failed lifecycle has waited in the dead-letter queue for 15 minutes: find the ' +
        "cause, then enable the redrive function's event source mapping to start each " +
        'record again from its log (infra/aws/README.md, "When a lifecycle fails").',
      metric: this.deadLetters.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 15 * 60,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(new SnsAction(this.alarmTopic));

    this.reconciler = this.reconcilerFunction(props, handlersDir);
    // An EventBridge schedule rule: in every partition (China regions included), and the
    // same mechanism as the daily chain heads.
    this.reconcilerSchedule = new Rule(this, 'ReconcileEveryFiveMinutes', {
      description: 'Wake every hazard or tip lifecycle that should be awake and is not',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.reconciler.alias, { retryAttempts: 0 })],
    });
    this.reconciler.invokedBy(this.reconcilerSchedule);
    // A deploy that changes a definition wakes the lifecycles waiting on an older one (a
    // custom resource whose properties are the fingerprints), once the state machines and
    // Plan have the new one.
    this.renewal = new CustomResource(this, 'RenewOntoNewDefinitions', {
      serviceToken: this.reconciler.alias.functionArn,
      resourceType: 'Custom::QinglingLifecycleRenewal',
      properties: this.definitions,
    });
    this.renewal.node.addDependency(this.stateMachine, this.tipStateMachine, this.functions.Plan);
    this.reconciler.invokedBy(this.renewal);

    this.acknowledgeFindings();
  }

  /**
   * The reconciler: reads the index of next-due times (WAIT items) and of recent changes
   * (people's events), and wakes each lifecycle that missed its timer or a change; a
   * record whose first event was stored without its state is repaired as its lifecycle
   * starts. It may query the index, read and repair hazard and tip records, and wake their
   * lifecycles; it changes nothing people wrote. Before its sweep it runs the one-time data
   * backfills an upgrade left missing, stopping two minutes before its timeout. Runs every
   * five minutes; a failed run is not retried (the next one reads the same hours again).
   */
  private reconcilerFunction(props: HazardLifecycleProps, handlersDir: string): NodeFunction {
    const reconciler = new NodeFunction(this, 'Reconcile', {
      entry: join(handlersDir, 'reconcile.ts'),
      description: 'Qingling lifecycle: wake lifecycles that missed a timer or a change',
      logRetention: props.logRetention,
      timeout: Duration.minutes(4),
      environment: {
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
        TABLE_NAME: props.table.table.tableName,
        STATE_MACHINE_ARN: this.stateMachineArn,
        TIP_STATE_MACHINE_ARN: this.tipStateMachineArn,
        LIFECYCLE_DEFINITIONS: JSON.stringify(this.definitions),
      },
    });
    // Reading a record repairs its state when an append stopped between its two writes.
    // The data backfills an upgrade left missing (functions/src/workflow/reconcile.ts
    // runBackfills) write hazard and tip items too (state attributes, counters and their
    // markers, HAZARD#STATS#), and besides: the jurisdictions they go through, read; and
    // their two marker items outside those partitions, exactly.
    // The index (gsi1): the waits and the hours' changes it sweeps, and the ledger's and the
    // inbox's partitions the backfills and the counters' rebuild go through.
    props.table.grantPartitions(reconciler.role, {
      read: ['JURISDICTION'],
      write: ['HAZARD#*', 'TIP#*', ledgerIndexesMarker.pk, recordedByMarker.pk],
      indexes: { gsi1: ['LIFECYCLE_WAITS', 'CHANGES#*', 'HAZARDS#*', 'TIPS#*'] },
    });
    this.grantWake(reconciler.role);
    return reconciler;
  }

  /**
   * The function that drains the dead-letter queue, starting each failed record's
   * lifecycle again from its log. Its event source mapping starts disabled: an operator
   * enables it once the cause is fixed (a lifecycle that fails for a bug would fail again).
   */
  private redriveFunction(props: HazardLifecycleProps, handlersDir: string): NodeFunction {
    const redrive = new NodeFunction(this, 'Redrive', {
      entry: join(handlersDir, 'redrive.ts'),
      description: 'Qingling lifecycle: start failed lifecycles again from the record',
      logRetention: props.logRetention,
      // Below the queue's visibility timeout (30 s), so a message is never handled twice at once.
      timeout: Duration.seconds(25),
      environment: {
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
        TABLE_NAME: props.table.table.tableName,
        RECORD_REPAIRS: '',
        STATE_MACHINE_ARN: this.stateMachineArn,
        TIP_STATE_MACHINE_ARN: this.tipStateMachineArn,
      },
    });
    props.table.grantPartitions(redrive.role, { read: ['HAZARD#*', 'TIP#*'] });
    this.grantWake(redrive.role);
    // The one invoker left on the unqualified function ($LATEST, the code of the last
    // deploy): the template harness enables a disabled mapping by the function's name, so
    // a mapping on the alias would never drain there. infra/aws/README.md says why.
    redrive.function.addEventSource(
      new SqsEventSource(this.deadLetters, {
        enabled: false,
        batchSize: 10,
        reportBatchItemFailures: true,
      }),
    );
    return redrive;
  }

  private acknowledgeFindings(): void {
    for (const machine of [this.stateMachine, this.tipStateMachine]) {
      Validations.of(machine).acknowledge(
        {
          id: 'AwsSolutions-SF1',
          reason:
            'Logs at ERROR level without execution data: ALL would log every transition with ' +
            'its data, which holds task tokens and hazard details. Failed executions are ' +
            'kept by the EventBridge rule in the dead-letter queue and raise the alarm.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'CloudWatch Logs delivery (logs:CreateLogDelivery and the rest) and X-Ray ' +
            '(xray:PutTraceSegments and the rest) have no resource-level permissions: CDK ' +
            'grants them on "*" for logging and tracing.',
        },
      );
    }
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter path of the lifecycle (the target of the ' +
        'failed-executions rule); a dead-letter queue of its own would add nothing.',
    });
  }

  /**
   * What a handler needs to wake a record's lifecycle after a decision: send task success
   * to its waiting execution, see whether that execution still runs, and start the next
   * generation. Only on the two state machines and their executions.
   */
  grantWake(role: IRole): void {
    const stack = Stack.of(this);
    Grant.addToPrincipal({
      grantee: role,
      actions: ['states:StartExecution', 'states:SendTaskSuccess'],
      resourceArns: [this.stateMachineArn, this.tipStateMachineArn],
    });
    const executions = [this.stateMachineName, this.tipStateMachineName].map((name) => `${name}:*`);
    Grant.addToPrincipal({
      grantee: role,
      actions: ['states:DescribeExecution'],
      resourceArns: executions.map((resourceName) =>
        stack.formatArn({
          service: 'states',
          resource: 'execution',
          resourceName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
    });
    Validations.of(role).acknowledge(
      ...executions.map((resourceName) => ({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${resourceName}]`,
        reason:
          'Waking a record asks whether its execution ({id}-{generation}) still runs: ' +
          'execution names are made at run time, so the grant covers the executions of ' +
          'this one state machine.',
      })),
    );
  }
}
