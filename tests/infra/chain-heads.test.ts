import { beforeAll, describe, expect, it } from 'vitest';
import { resourceOfType, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

// Each day's chain heads on AWS: a daily rule at 00:05 CST runs the publishing function,
// which may read the ledger index and write nothing but the chain heads' own items.
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  synthesized.stack.getLogicalId(construct.node.defaultChild as never);

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function statementsOfPublisher(): Statement[] {
  const roleId = logicalIdOf(synthesized.stack.chainHeads.function.role);
  return resourcesOfType(synthesized, 'AWS::IAM::Policy')
    .filter(({ properties }) => JSON.stringify(properties.Roles).includes(roleId))
    .flatMap(
      ({ properties }) => (properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe('chain heads publication', () => {
  it('runs the function every day at 16:05 UTC (00:05 CST)', () => {
    const { chainHeads } = synthesized.stack;
    const rule = resourceOfType(synthesized, 'AWS::Events::Rule', logicalIdOf(chainHeads.rule));
    // The schedule invokes the function's alias `live`, not the function.
    const aliasArn = {
      'Fn::Join': [
        '',
        [{ 'Fn::GetAtt': [logicalIdOf(chainHeads.function.function), 'Arn'] }, ':live'],
      ],
    };
    expect(rule.properties).toMatchObject({
      ScheduleExpression: 'cron(5 16 * * ? *)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: aliasArn,
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
        },
      ],
    });
    synthesized.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: aliasArn,
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(chainHeads.rule), 'Arn'] },
    });
    // The rule and the permission wait for the alias they name.
    const aliasId = logicalIdOf(chainHeads.function.alias);
    expect(synthesized.template.toJSON().Resources[logicalIdOf(chainHeads.rule)].DependsOn).toEqual(
      [aliasId],
    );
    synthesized.template.hasResource('AWS::Lambda::Permission', {
      Properties: { Principal: 'events.amazonaws.com' },
      DependsOn: [aliasId],
    });
  });

  it('is a Node.js 24 arm64 function with a timeout and its table', () => {
    const { chainHeads, table } = synthesized.stack;
    const fn = resourceOfType(
      synthesized,
      'AWS::Lambda::Function',
      logicalIdOf(chainHeads.function.function),
    );
    expect(fn.properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 300,
      Environment: { Variables: { TABLE_NAME: { Ref: logicalIdOf(table.table) } } },
    });
  });

  it('may Query the jurisdictions, the days and the ledger index, and get or put only chain heads items', () => {
    const table = logicalIdOf(synthesized.stack.table.table);
    const statements = statementsOfPublisher();
    const dynamo = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );
    expect(dynamo.flatMap(actionsOf).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Query',
    ]);
    const held = (keys: string[]) => ({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
    // Every statement names its partitions: the ledger index only by the ledger's.
    const queries = dynamo.filter((statement) => actionsOf(statement).includes('dynamodb:Query'));
    const onIndex = queries.find((statement) =>
      JSON.stringify(statement.Resource).includes('/index/'),
    );
    expect(JSON.stringify(onIndex?.Resource)).toContain('/index/gsi1');
    expect(onIndex?.Condition).toEqual(held(['HAZARDS#*']));
    const onTable = queries.find((statement) => statement !== onIndex);
    expect(onTable?.Condition).toEqual(held(['JURISDICTION', 'CHAINHEADS', 'CHAINHEADS#*']));
    const write = dynamo.find((statement) => actionsOf(statement).includes('dynamodb:PutItem'));
    expect(write?.Resource).toEqual({ 'Fn::GetAtt': [table, 'Arn'] });
    expect(write?.Condition).toEqual(held(['CHAINHEADS', 'CHAINHEADS#*']));
    // Nothing else but its own log group, and its traces (X-Ray takes no resource).
    const traces = statements.filter((statement) =>
      actionsOf(statement).every((action) => action.startsWith('xray:')),
    );
    expect(traces.map((statement) => statement.Resource)).toEqual(['*']);
    const others = statements.filter(
      (statement) => !dynamo.includes(statement) && !traces.includes(statement),
    );
    for (const statement of others) {
      expect(actionsOf(statement).every((action) => action.startsWith('logs:'))).toBe(true);
    }
    expect(JSON.stringify(others)).not.toMatch(/Scan|DeleteItem|UpdateItem|"\*"/);
    expect(JSON.stringify(dynamo)).not.toMatch(/Scan|DeleteItem|UpdateItem|"\*"/);
  });

  it('raises the lifecycle alarm when a day is not published', () => {
    const { chainHeads, lifecycle } = synthesized.stack;
    const alarm = resourceOfType(
      synthesized,
      'AWS::CloudWatch::Alarm',
      logicalIdOf(chainHeads.alarm),
    ).properties;
    expect(alarm).toMatchObject({
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 0,
      AlarmActions: [{ Ref: logicalIdOf(lifecycle.alarmTopic) }],
    });
  });

  it('leaves no cdk-nag finding of its own', () => {
    expect(
      synthesized.nagViolations.filter((violation) =>
        violation.paths.some((path) => path.includes('/ChainHeads/')),
      ),
    ).toEqual([]);
  });
});
