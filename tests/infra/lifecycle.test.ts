import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { lifecycleTasks } from '../../infra/aws/lib/constructs/hazard-lifecycle.ts';
import {
  hazardLifecyclePath,
  loadDefinition,
  tipLifecyclePath,
} from '../../infra/workflows/definitions.ts';
import { resourceOfType, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

// The hazard lifecycle on AWS: the state machine from the ASL file, its four functions,
// their grants, and what watches it (alarm, dead-letter rule).
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  synthesized.stack.getLogicalId(construct.node.defaultChild as never);
const functionId = (task: (typeof lifecycleTasks)[number]) =>
  logicalIdOf(synthesized.stack.lifecycle.functions[task].function);
const actionsOf = (statement: Statement) => [statement.Action].flat();
/** The ARN of a task function's alias `live`, as the template writes it. */
const aliasArn = (task: (typeof lifecycleTasks)[number]) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId(task), 'Arn'] }, ':live']],
});

/** The statements of a role's policies in the template. */
function statementsOf(role: { node: { defaultChild?: unknown } }): Statement[] {
  const roleId = logicalIdOf(role);
  return resourcesOfType(synthesized, 'AWS::IAM::Policy')
    .filter(({ properties }) =>
      (properties.Roles as unknown[]).some((entry) => JSON.stringify(entry).includes(roleId)),
    )
    .flatMap(
      ({ properties }) => (properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

describe.each([
  ['hazard', 'stateMachine', hazardLifecyclePath, 'Qingling-hazard-lifecycle'],
  ['tip', 'tipStateMachine', tipLifecyclePath, 'Qingling-tip-lifecycle'],
] as const)('the %s lifecycle state machine', (_kind, property, definitionPath, name) => {
  const machine = () => synthesized.stack.lifecycle[property];
  const stateMachine = () =>
    resourceOfType(synthesized, 'AWS::StepFunctions::StateMachine', logicalIdOf(machine()));

  it('is Standard, logs errors without execution data, and is traced', () => {
    expect(stateMachine().properties).toMatchObject({
      StateMachineName: name,
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('is the ASL file itself, with each task pointing at its own function', () => {
    const { properties } = stateMachine();
    const location = properties.DefinitionS3Location as { Key: string };
    const asset = join(synthesized.outdir, `asset.${location.Key}`);
    expect(existsSync(asset), asset).toBe(true);
    expect(readFileSync(asset, 'utf8')).toBe(readFileSync(definitionPath, 'utf8'));

    // The substitutions: Partition from the stack, one ARN per `${<Task>FunctionArn}` token.
    const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;
    const tokens = [...readFileSync(definitionPath, 'utf8').matchAll(/\$\{(\w+)\}/g)].map(
      (match) => match[1],
    );
    expect(Object.keys(substitutions).sort()).toEqual([...new Set(tokens)].sort());
    expect(substitutions.Partition).toEqual({ Ref: 'AWS::Partition' });
    // Each task invokes its function's alias `live`: a deploy switches it, a rollback too.
    for (const task of lifecycleTasks) {
      expect(substitutions[`${task}FunctionArn`]).toEqual(aliasArn(task));
    }

    // Resolved as CloudFormation would: the same definition as the file, each task's
    // FunctionName the ARN of the function named for it.
    const resolved = loadDefinition(definitionPath, {
      partition: 'aws-cn',
      functionArn: (name) => `arn:${name}`,
    }) as { States: Record<string, { Parameters?: { FunctionName?: string } }> };
    const expected: Record<string, string> = {
      Plan: 'arn:Plan',
      RecordDueSteps: 'arn:Escalate',
      WaitForDecisionOrTimer: 'arn:RegisterWait',
      ContinueAsNewGeneration: 'arn:Renew',
    };
    for (const [state, arn] of Object.entries(expected)) {
      expect(resolved.States[state]?.Parameters?.FunctionName, state).toBe(arn);
    }
  });

  it('may invoke exactly the aliases of its four functions, by ARN, without wildcards', () => {
    const invoke = statementsOf(machine().role).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('lambda:')),
    );
    expect(invoke).toHaveLength(1);
    expect(actionsOf(invoke[0] as Statement)).toEqual(['lambda:InvokeFunction']);
    const resources = (invoke[0] as Statement).Resource as unknown[];
    expect(resources).toHaveLength(lifecycleTasks.length);
    // Lambda authorizes an invocation of an alias against the alias ARN: the function's
    // own ARN would not let the state machine call `live`.
    expect(resources).toEqual(expect.arrayContaining(lifecycleTasks.map(aliasArn)));
  });

  it('is created after the aliases it invokes', () => {
    const resource = synthesized.template.toJSON().Resources[logicalIdOf(machine())];
    expect(resource.DependsOn).toEqual(
      expect.arrayContaining(
        lifecycleTasks.map((task) =>
          logicalIdOf(synthesized.stack.lifecycle.functions[task].alias),
        ),
      ),
    );
  });
});

describe('the lifecycle functions', () => {
  const fn = (task: (typeof lifecycleTasks)[number]) =>
    resourceOfType(synthesized, 'AWS::Lambda::Function', functionId(task)).properties;
  const tableId = () => logicalIdOf(synthesized.stack.table.table);

  it('run Node.js 24 on arm64 with their own environment', () => {
    for (const task of lifecycleTasks) {
      expect(fn(task), task).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    }
    const env = (task: (typeof lifecycleTasks)[number]) =>
      Object.keys((fn(task).Environment as { Variables: object }).Variables).sort();
    expect(env('Plan')).toContain('TABLE_NAME');
    expect(env('Escalate')).toEqual(
      expect.arrayContaining(['NOTIFICATIONS_TOPIC_ARN', 'TABLE_NAME']),
    );
    expect(env('RegisterWait')).toContain('TABLE_NAME');
    // Renew learns its state machine from the task input ($$.StateMachine.Id).
    expect(env('Renew')).not.toContain('STATE_MACHINE_ARN');
    expect(env('Renew')).not.toContain('TABLE_NAME');
  });

  it('hold least privilege: read, write, put, publish, start', () => {
    const { functions, notifications } = synthesized.stack.lifecycle;
    const actions = (task: (typeof lifecycleTasks)[number]) =>
      statementsOf(functions[task].role)
        .flatMap(actionsOf)
        .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))
        .sort();
    // Plan claims the record for its generation: it appends (the harness runs it).
    expect(actions('Plan')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
    expect(actions('Escalate')).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'sns:Publish']),
    );
    // A step's message names the enterprise: Escalate reads the register, Plan does not.
    expect(JSON.stringify(statementsOf(functions.Escalate.role))).toContain('ENTERPRISE#*');
    expect(JSON.stringify(statementsOf(functions.Plan.role))).not.toContain('ENTERPRISE#*');
    expect(actions('Escalate').filter((action) => action.startsWith('kms:'))).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ]);
    // RegisterWait puts its WAIT item, reads the record's version again, and ends its own
    // wait (a decision landed while Plan ran): on hazards' and tips' partitions only.
    expect(actions('RegisterWait')).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'states:SendTaskSuccess',
      ]),
    );
    expect(actions('RegisterWait')).not.toContain('dynamodb:Scan');
    expect(actions('Renew')).toEqual(['states:StartExecution']);

    const put = statementsOf(functions.RegisterWait.role).find((s) =>
      actionsOf(s).includes('dynamodb:PutItem'),
    );
    expect(put?.Resource).toEqual({ 'Fn::GetAtt': [tableId(), 'Arn'] });
    expect(JSON.stringify((put as { Condition?: unknown } | undefined)?.Condition)).toContain(
      '"dynamodb:LeadingKeys":["HAZARD#*","TIP#*"]',
    );
    const endWait = statementsOf(functions.RegisterWait.role).find((s) =>
      actionsOf(s).includes('states:SendTaskSuccess'),
    );
    expect(JSON.stringify(endWait?.Resource)).toContain(':stateMachine:Qingling-hazard-lifecycle');
    expect(JSON.stringify(endWait?.Resource)).toContain(':stateMachine:Qingling-tip-lifecycle');
    const start = statementsOf(functions.Renew.role).find((s) =>
      actionsOf(s).includes('states:StartExecution'),
    );
    // Both state machines, by their computed ARNs (no reference cycle).
    expect(JSON.stringify(start?.Resource)).toContain(':stateMachine:Qingling-hazard-lifecycle');
    expect(JSON.stringify(start?.Resource)).toContain(':stateMachine:Qingling-tip-lifecycle');
    expect(JSON.stringify(start?.Resource)).toContain('AWS::Partition');
    const publish = statementsOf(functions.Escalate.role).find((s) =>
      actionsOf(s).includes('sns:Publish'),
    );
    expect(publish?.Resource).toEqual({ Ref: logicalIdOf(notifications) });
    for (const task of ['Plan', 'RegisterWait', 'Renew'] as const) {
      expect(
        actions(task).filter((action) => action.startsWith('sns:')),
        task,
      ).toEqual([]);
    }
  });
});

describe('watching the lifecycle', () => {
  it('alarms on failed or timed-out executions over 5 minutes, to an encrypted topic', () => {
    const { lifecycle } = synthesized.stack;
    const alarm = resourceOfType(
      synthesized,
      'AWS::CloudWatch::Alarm',
      logicalIdOf(lifecycle.alarm),
    ).properties;
    expect(alarm).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: logicalIdOf(lifecycle.alarmTopic) }],
    });
    const metrics = alarm.Metrics as {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string }; Period: number; Stat: string };
    }[];
    expect(metrics.find((metric) => metric.Expression)?.Expression).toBe(
      'failed + timedOut + tipFailed + tipTimedOut',
    );
    const stats = metrics.flatMap((metric) => (metric.MetricStat ? [metric.MetricStat] : []));
    expect(stats.map((stat) => stat.Metric.MetricName).sort()).toEqual([
      'ExecutionsFailed',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsTimedOut',
    ]);
    expect(stats.every((stat) => stat.Period === 300 && stat.Stat === 'Sum')).toBe(true);
    synthesized.template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Qingling hazard lifecycle alarms',
      KmsMasterKeyId: Match.anyValue(),
    });
    synthesized.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      }),
    });
  });

  it('keeps failed, timed-out and aborted executions in an encrypted, TLS-only queue', () => {
    const { lifecycle } = synthesized.stack;
    const rule = resourceOfType(
      synthesized,
      'AWS::Events::Rule',
      logicalIdOf(lifecycle.failedExecutions),
    ).properties;
    expect(rule.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        stateMachineArn: [
          { Ref: logicalIdOf(lifecycle.stateMachine) },
          { Ref: logicalIdOf(lifecycle.tipStateMachine) },
        ],
      },
    });
    const queueId = logicalIdOf(lifecycle.deadLetters);
    const [target] = rule.Targets as { Arn: unknown; InputTransformer?: object }[];
    expect(target?.Arn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(JSON.stringify(target?.InputTransformer)).toContain('$.detail.input');
    expect(
      resourceOfType(synthesized, 'AWS::SQS::Queue', queueId).properties.SqsManagedSseEnabled,
    ).toBe(true);
    const queuePolicy = resourcesOfType(synthesized, 'AWS::SQS::QueuePolicy').find(
      ({ properties }) => JSON.stringify(properties.Queues).includes(queueId),
    );
    const statements = JSON.stringify(queuePolicy?.properties.PolicyDocument);
    expect(statements).toContain('"aws:SecureTransport":"false"');
    expect(statements).toContain('events.amazonaws.com');
  });

  it('passes cdk-nag AwsSolutions with every acknowledgment given a reason', () => {
    expect(synthesized.nagViolations).toEqual([]);
  });
});
