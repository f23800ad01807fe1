import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, type Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { NodeFunction } from './node-function.ts';

/**
 * A scheduled function's rule (its target and invoke permission name the alias) and the
 * alarm on its errors (any in an hour), sent to the operators' topic: the chain heads, the
 * weekly reports and the retention sweep each have one.
 */
export function scheduleWithAlarm(
  scope: Construct,
  fn: NodeFunction,
  options: {
    rule: { id: string; description: string; schedule: Schedule };
    retry: { attempts: number; maxEventAge: Duration };
    alarm: { id: string; description: string; topic: Topic };
  },
): { rule: Rule; alarm: Alarm } {
  const rule = new Rule(scope, options.rule.id, {
    description: options.rule.description,
    schedule: options.rule.schedule,
    targets: [
      new LambdaFunction(fn.alias, {
        retryAttempts: options.retry.attempts,
        maxEventAge: options.retry.maxEventAge,
      }),
    ],
  });
  fn.invokedBy(rule);
  const alarm = new Alarm(scope, options.alarm.id, {
    alarmDescription: options.alarm.description,
    metric: fn.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(options.alarm.topic));
  return { rule, alarm };
}
