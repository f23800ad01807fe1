import {
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { endOfCstDay } from '@qingling/shared/calendar/calendar.ts';
import { MemoryEventStore } from '@qingling/shared/event-log/memory-event-store.ts';
import { defaultEscalationPolicy, spreadOffsetMs } from '@qingling/shared/hazards/escalation.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { spreadSeconds } from '@qingling/shared/workflow/turns.ts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDependencies, useDependencies } from '../dependencies.ts';
import { logger } from '../observability/logger.ts';
import { handler as escalate } from './escalate.ts';
import { handler as plan } from './plan.ts';
import { handler as registerWait } from './register-wait.ts';
import { handler as renew } from './renew.ts';

const sns = mockClient(SNSClient);
const sfn = mockClient(SFNClient);
const documents = mockClient(DynamoDBDocumentClient);
const topicArn = 'arn:aws-cn:sns:cn-north-1:111122223333:notifications';
const stateMachineArn =
  'arn:aws-cn:states:cn-north-1:111122223333:stateMachine:Qingling-hazard-lifecycle';
let store: MemoryEventStore;
const now = new Date('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST

async function reportHazard(hazardId: string) {
  const at = now.toISOString();
  const actor = { kind: 'person' as const, id: 'officer' };
  const stream = hazardStream(hazardId);
  const { hazardProjection } = await import('@qingling/shared/hazards/hazard.ts');
  const first = await store.append(
    stream,
    null,
    {
      type: 'hazard_reported',
      at,
      actor,
      data: {
        hazardId,
        source: 'inspection',
        jurisdiction: 'cq-gecheng',
        industry: 'fire',
        enterprise: '某某商贸有限公司',
        place: '东门路 18 号仓库',
        grade: 'general',
        description: '安全出口被堵',
      },
    },
    hazardProjection,
  );
  if (first.kind !== 'appended') throw new Error('not appended');
  // A deadline two days ahead: the reminder (3 days before) is due at once.
  await store.append(
    stream,
    first.snapshot,
    {
      type: 'rectification_started',
      at,
      actor,
      data: {
        responsible: '王某',
        deadline: endOfCstDay('2026-12-10').toISOString(),
        measures: '清理出口',
      },
    },
    hazardProjection,
  );
}

beforeEach(() => {
  sns.reset();
  sfn.reset();
  documents.reset();
  store = new MemoryEventStore();
  process.env.AWS_REGION = 'cn-north-1';
  process.env.TABLE_NAME = 'records';
  process.env.NOTIFICATIONS_TOPIC_ARN = topicArn;
  useDependencies({ eventStore: () => store as never, clock: () => ({ now: () => now }) });
});
afterEach(() => {
  resetDependencies();
  vi.restoreAllMocks();
});

describe('the Plan and RecordDueSteps tasks', () => {
  it('plan escalate, record the due step once and publish each message, then plan a wait', async () => {
    await reportHazard('H1');
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    expect(await plan({ hazardId: 'H1', generation: 1 })).toEqual({
      action: 'escalate',
      timeoutSeconds: 1,
      turn: 1,
      // Reported, rectification started, then claimed by generation 1.
      version: 3,
    });
    const recorded = await escalate({ hazardId: 'H1', generation: 1, turn: 1 });
    expect(recorded).toMatchObject({ recorded: 1, delivered: 1 });
    const published = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(published.map((input) => input.MessageAttributes?.key?.StringValue)).toEqual([
      'H1#1#reminder#enterprise_principal',
      'H1#1#reminder#assigned_officer',
    ]);
    expect(published.every((input) => input.TopicArn === topicArn)).toBe(true);

    const next = await plan({ hazardId: 'H1', generation: 1, turn: 1 });
    expect(next.action).toBe('wait');
    // The notice letter: Friday 11 Dec 09:00 CST, 71 hours on, and H1's place in the spread
    // window after it, then H1's wake-up offset after that.
    const noticeSpread = Math.ceil(spreadOffsetMs('H1', defaultEscalationPolicy) / 1000);
    expect(next.timeoutSeconds).toBe(71 * 3600 + noticeSpread + spreadSeconds('H1'));
    // Recording planned that same wait from the same version: the workflow skips this Plan.
    expect(recorded.next).toEqual(next);
    expect(await escalate({ hazardId: 'H1', generation: 1 })).toMatchObject({
      recorded: 0,
      delivered: 0,
    });
  });

  it('fails the task when publishing fails, and delivers on the retry without recording twice', async () => {
    await reportHazard('H2');
    sns.on(PublishCommand).rejectsOnce(new Error('Throttled')).resolves({ MessageId: 'm' });
    await plan({ hazardId: 'H2', generation: 1 }); // the execution claims the hazard
    await expect(escalate({ hazardId: 'H2', generation: 1 })).rejects.toThrow('Throttled');
    expect(await escalate({ hazardId: 'H2', generation: 1 })).toMatchObject({
      recorded: 0,
      delivered: 1,
    });
  });

  it('plans done for a hazard with no record, and refuses malformed input', async () => {
    expect(await plan({ hazardId: 'nobody', generation: 1 })).toEqual({
      action: 'done',
      timeoutSeconds: 1,
      turn: 1,
      version: 0,
    });
    await expect(plan({ hazardId: 'H1' })).rejects.toThrow(/generation/);
    await expect(plan({ hazardId: 'a/b', generation: 1 })).rejects.toThrow(/hazardId/);
    await expect(escalate({ hazardId: 'H1', generation: 0 })).rejects.toThrow(/generation/);
  });
});

describe('a new definition takes over running lifecycles', () => {
  const older = '0123456789abcdef';
  const deployed = 'fedcba9876543210';
  beforeEach(() => {
    process.env.LIFECYCLE_DEFINITIONS = JSON.stringify({ hazard: deployed, tip: deployed });
  });
  afterEach(() => {
    delete process.env.LIFECYCLE_DEFINITIONS;
  });

  it('renews an execution of an older definition once the state machine has the new one', async () => {
    await reportHazard('H1');
    sfn.on(DescribeStateMachineCommand).resolves({ definition: `{"definition": "${deployed}"}` });
    const input = { hazardId: 'H1', generation: 1, definition: older, stateMachineArn };
    expect((await plan(input)).action).toBe('renew');
    expect(sfn.commandCalls(DescribeStateMachineCommand)[0]?.args[0].input).toEqual({
      stateMachineArn,
    });
    // The record is left to the next generation: this one claimed nothing.
    expect((await store.read(hazardStream('H1'))).map((event) => event.type)).not.toContain(
      'lifecycle_generation_started',
    );
  });

  it('plans as before while the state machine still has the older one (mid-deploy), or when current', async () => {
    await reportHazard('H1');
    sfn.on(DescribeStateMachineCommand).resolves({ definition: `{"definition": "${older}"}` });
    const input = { hazardId: 'H1', generation: 1, stateMachineArn };
    expect((await plan({ ...input, definition: older })).action).toBe('escalate');
    sfn.reset();
    expect((await plan({ ...input, turn: 1, definition: deployed })).action).toBe('escalate');
    // The current definition costs no call.
    expect(sfn.commandCalls(DescribeStateMachineCommand)).toHaveLength(0);
  });
});

describe('the WaitForDecisionOrTimer task', () => {
  const wait = { hazardId: 'H1', generation: 3, taskToken: 'secret-token', timeoutSeconds: 60 };

  it("stores the task token on the hazard's partition and never logs it", async () => {
    documents.on(PutCommand).resolves({});
    const info = vi.spyOn(logger, 'info');
    const result = await registerWait(wait);
    const item = documents.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(item).toMatchObject({
      pk: 'HAZARD#H1',
      sk: 'WAIT',
      taskToken: 'secret-token',
      generation: 3,
      until: result.until,
    });
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input.TableName).toBe('records');
    expect(info).toHaveBeenCalled();
    expect(JSON.stringify(info.mock.calls)).not.toContain('secret-token');
  });

  it('refuses a wait without a token or with a timeout out of range', async () => {
    await expect(registerWait({ ...wait, taskToken: '' })).rejects.toThrow(/token/);
    await expect(registerWait({ ...wait, timeoutSeconds: 0 })).rejects.toThrow(/timeoutSeconds/);
    await expect(registerWait({ ...wait, timeoutSeconds: 2_000_001 })).rejects.toThrow(
      /timeoutSeconds/,
    );
    expect(documents.calls()).toHaveLength(0);
  });
});

describe('the ContinueAsNewGeneration task', () => {
  it('starts {hazardId}-{generation + 1} on the state machine with the next generation', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: now });
    expect(await renew({ hazardId: 'H1', generation: 4, stateMachineArn })).toEqual({
      executionName: 'H1-5',
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn,
      name: 'H1-5',
      input: JSON.stringify({ hazardId: 'H1', generation: 5 }),
    });
  });

  it('serves the tip lifecycle too: {tipId}-{generation + 1} on its own state machine', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: now });
    const tipMachine = stateMachineArn.replace('hazard', 'tip');
    await renew({ tipId: 'T1', generation: 2, stateMachineArn: tipMachine });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: tipMachine,
      name: 'T1-3',
      input: JSON.stringify({ tipId: 'T1', generation: 3 }),
    });
  });

  it('takes an execution already started (a retried call) as success, and other errors as failure', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }))
      .rejects(new Error('AccessDenied'));
    expect(await renew({ hazardId: 'H1', generation: 1, stateMachineArn })).toEqual({
      executionName: 'H1-2',
    });
    await expect(renew({ hazardId: 'H1', generation: 1, stateMachineArn })).rejects.toThrow(
      'AccessDenied',
    );
  });

  it('needs the state machine ARN in its input', async () => {
    await expect(renew({ hazardId: 'H1', generation: 1 })).rejects.toThrow(/stateMachineArn/);
    expect(sfn.calls()).toHaveLength(0);
  });
});
