import { beforeAll, describe, expect, it } from 'vitest';
import { liveAliasName, NodeFunction } from '../../infra/aws/lib/constructs/node-function.ts';
import { type Synthesized, synthesize } from './synth.ts';

/**
 * Published versions and the alias `live`: every function of the stack is invoked through
 * its alias only (a deploy switches it at once, a rollback points it back), every Lambda
 * permission is on an alias, and whatever names an alias waits for it. And every function
 * traces its invocations (X-Ray active tracing), with no grant on "*" beyond that.
 */
let synthesized: Synthesized;
let resources: Record<string, TemplateResource>;
let functions: { construct: NodeFunction; functionId: string; aliasId: string; roleId: string }[];

interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

beforeAll(() => {
  synthesized = synthesize();
  resources = (synthesized.template.toJSON() as { Resources: Record<string, TemplateResource> })
    .Resources;
  const idOf = (construct: { node: { defaultChild?: unknown } }) =>
    synthesized.stack.getLogicalId(construct.node.defaultChild as never);
  functions = synthesized.stack.node
    .findAll()
    .filter((construct): construct is NodeFunction => construct instanceof NodeFunction)
    .map((construct) => ({
      construct,
      functionId: idOf(construct.function),
      aliasId: idOf(construct.alias),
      roleId: idOf(construct.role),
    }));
});

/** `<function ARN>:live` as the template writes it. */
const aliasArn = (functionId: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, `:${liveAliasName}`]],
});

/** The resources whose properties name this function's alias. */
const namingAlias = (functionId: string) =>
  Object.entries(resources).filter(([, resource]) =>
    JSON.stringify(resource.Properties ?? {}).includes(JSON.stringify(aliasArn(functionId))),
  );

/** Everything a resource waits for, directly or through what it waits for. */
function dependenciesOf(logicalId: string, seen = new Set<string>()): Set<string> {
  for (const next of [resources[logicalId]?.DependsOn ?? []].flat()) {
    if (seen.has(next)) continue;
    seen.add(next);
    dependenciesOf(next, seen);
  }
  return seen;
}

describe('versions and the alias live', () => {
  it('covers every function of the stack but the deploy-time ones CDK brings', () => {
    // API handlers, lifecycle tasks and redrive, photo processor, notification delivery,
    // chain heads, Cognito trigger, data seed: NodeFunctions all.
    const ours = new Set(functions.map(({ functionId }) => functionId));
    const others = Object.entries(resources)
      .filter(([id, resource]) => resource.Type === 'AWS::Lambda::Function' && !ours.has(id))
      .map(([id]) => id);
    expect(functions.length).toBeGreaterThan(30);
    expect(others).toHaveLength(2);
    for (const id of others) {
      expect(id).toMatch(/^(BucketNotificationsHandler|CustomCDKBucketDeployment)/);
    }
  });

  it('publishes each function and keeps old versions, so that live can be pointed back', () => {
    for (const { functionId, aliasId } of functions) {
      const alias = resources[aliasId];
      expect(alias?.Type, functionId).toBe('AWS::Lambda::Alias');
      const versionRef = (
        alias?.Properties?.FunctionVersion as { 'Fn::GetAtt': [string, string] } | undefined
      )?.['Fn::GetAtt'] ?? ['', ''];
      expect(alias?.Properties).toEqual({
        Name: 'live',
        FunctionName: { Ref: functionId },
        FunctionVersion: { 'Fn::GetAtt': [versionRef[0], 'Version'] },
        Description: expect.any(String),
      });
      const version = resources[versionRef[0]];
      expect(version).toMatchObject({
        Type: 'AWS::Lambda::Version',
        Properties: { FunctionName: { Ref: functionId } },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('is what everything invokes: nothing else names a function but its version and alias', () => {
    for (const { functionId, construct } of functions) {
      const aliasText = JSON.stringify(aliasArn(functionId));
      for (const [logicalId, resource] of Object.entries(resources)) {
        if (logicalId === functionId) continue;
        const text = JSON.stringify(resource.Properties ?? {})
          .split(aliasText)
          .join('"<alias>"');
        if (!text.includes(`"${functionId}"`)) continue;
        const allowed =
          // Its version and alias.
          ((resource.Type === 'AWS::Lambda::Version' || resource.Type === 'AWS::Lambda::Alias') &&
            JSON.stringify(resource.Properties?.FunctionName) ===
              JSON.stringify({ Ref: functionId })) ||
          // Alarms on the function's metrics, which count every version together.
          resource.Type === 'AWS::CloudWatch::Alarm' ||
          // The alias's own settings for asynchronous invocations (function + qualifier).
          resource.Type === 'AWS::Lambda::EventInvokeConfig' ||
          // The redrive mapping: on the function until the harness enables mappings by
          // function rather than by name (infra/aws/README.md, "When a lifecycle fails").
          (construct === synthesized.stack.lifecycle.redrive &&
            resource.Type === 'AWS::Lambda::EventSourceMapping');
        expect(allowed, `${logicalId} (${resource.Type}) names ${functionId}`).toBe(true);
      }
    }
  });

  it('is named by every API integration, task, queue, bucket, schedule, trigger and custom resource', () => {
    const named = (type: string) =>
      functions.filter(({ functionId }) =>
        namingAlias(functionId).some(([, resource]) => resource.Type === type),
      ).length;
    const { stack } = synthesized;
    expect(named('AWS::ApiGatewayV2::Integration')).toBe(stack.api.functions.size);
    expect(named('AWS::StepFunctions::StateMachine')).toBe(4);
    expect(named('AWS::Lambda::EventSourceMapping')).toBe(1);
    expect(named('Custom::S3BucketNotifications')).toBe(1);
    // The daily chain heads, the reconciler's five-minute schedule, the weekly report, the
    // daily retention sweep and the daily orphan upload sweep.
    expect(named('AWS::Events::Rule')).toBe(5);
    expect(named('AWS::Cognito::UserPool')).toBe(1);
    expect(named('Custom::QinglingSeedData')).toBe(1);
  });

  it('carries every Lambda permission', () => {
    const permissions = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Permission',
    );
    // One per API handler, and S3, the five schedules and Cognito.
    expect(permissions).toHaveLength(synthesized.stack.api.functions.size + 7);
    const aliases = functions.map(({ functionId }) => JSON.stringify(aliasArn(functionId)));
    for (const permission of permissions) {
      expect(aliases).toContain(JSON.stringify(permission.Properties?.FunctionName));
    }
  });

  it('exists before anything that names it', () => {
    for (const { functionId, aliasId } of functions) {
      for (const [logicalId] of namingAlias(functionId)) {
        expect([...dependenciesOf(logicalId)], `${logicalId} waits for ${aliasId}`).toContain(
          aliasId,
        );
      }
    }
  });
});

describe('active tracing', () => {
  const statementsOf = (roleId: string) =>
    Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(resource.Properties?.Roles).includes(`"${roleId}"`),
      )
      .flatMap(
        (resource) =>
          (
            resource.Properties?.PolicyDocument as
              | { Statement: { Action: string | string[]; Resource: unknown }[] }
              | undefined
          )?.Statement ?? [],
      );

  it('traces every function, which may send traces and nothing else on "*"', () => {
    for (const { functionId, roleId, construct } of functions) {
      expect(resources[functionId]?.Properties?.TracingConfig, functionId).toEqual({
        Mode: 'Active',
      });
      const onAnything = statementsOf(roleId)
        .filter((statement) => JSON.stringify(statement.Resource) === '"*"')
        .flatMap((statement) => [statement.Action].flat())
        .sort();
      // SMS by SNS goes to phone numbers, which have no ARN (notifications.test.ts).
      const sms =
        construct === synthesized.stack.notificationDelivery.function ? ['sns:Publish'] : [];
      expect(onAnything, functionId).toEqual(
        [...sms, 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'].sort(),
      );
    }
  });

  it('says why the grant names "*"', () => {
    for (const { construct } of functions) {
      const reasons = construct.role.node.metadata
        .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
        .filter(([id]) => id.endsWith('AwsSolutions-IAM5[Resource::*]'))
        .map(([, reason]) => reason);
      expect(reasons.join(' '), construct.node.path).toMatch(/no resource-level permissions/);
    }
  });

  it('leaves cdk-nag nothing to report', () => {
    expect(synthesized.nagViolations).toEqual([]);
  });
});
