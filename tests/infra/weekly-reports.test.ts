import { beforeAll, describe, expect, it } from 'vitest';
import { resourceOfType, resourcesOfType, type Synthesized, synthesize } from './synth.ts';

// The weekly report on AWS (issue 15): a rule every Monday 01:00 UTC (09:00 CST) runs one
// function, which may read the counters and the jurisdictions and publish to the
// notifications topic, and nothing else.
let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  synthesized.stack.getLogicalId(construct.node.defaultChild as never);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

describe('the weekly reports', () => {
  it('run every Monday at 01:00 UTC (09:00 CST), through the alias', () => {
    const { weeklyReports } = synthesized.stack;
    const rule = resourceOfType(synthesized, 'AWS::Events::Rule', logicalIdOf(weeklyReports.rule));
    expect(rule.properties).toMatchObject({
      ScheduleExpression: 'cron(0 1 ? * MON *)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: {
            'Fn::Join': [
              '',
              [{ 'Fn::GetAtt': [logicalIdOf(weeklyReports.function.function), 'Arn'] }, ':live'],
            ],
          },
          RetryPolicy: { MaximumRetryAttempts: 4 },
        },
      ],
    });
  });

  it('read the counters and the jurisdictions, publish to the topic, and write nothing', () => {
    const roleId = logicalIdOf(synthesized.stack.weeklyReports.function.role);
    const statements = resourcesOfType(synthesized, 'AWS::IAM::Policy')
      .filter(({ properties }) => JSON.stringify(properties.Roles).includes(roleId))
      .flatMap(
        ({ properties }) => (properties.PolicyDocument as { Statement: Statement[] }).Statement,
      );
    const actions = statements.flatMap((statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    );
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    expect(actions).toContain('sns:Publish');
    const table = statements.find((statement) =>
      JSON.stringify(statement.Action).includes('dynamodb:BatchGetItem'),
    );
    expect(JSON.stringify(table?.Condition)).toContain('HAZARD#STATS#*');
    expect(JSON.stringify(table?.Condition)).toContain('TIP#STATS#*');
  });
});
