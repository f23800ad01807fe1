import { join } from 'node:path';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { DynamoLifecycleWaits } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import { FileOutbox } from '@qingling/shared/adapters/local/file-outbox.ts';
import { seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import {
  nextTipGeneration,
  planTipTurn,
  recordDueTipSteps,
  type TipLifecycleDependencies,
} from '@qingling/shared/tips/lifecycle.ts';
import { defaultTipTimeLimits, tipDeadline } from '@qingling/shared/tips/time-limits.ts';
import { tipProjection, tipStream, tipsterActor } from '@qingling/shared/tips/tip.ts';
import { giveTipCommand, type TipCommand } from '@qingling/shared/tips/triage.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '#local/dynamodb.ts';
import { LocalWorkflowConductor } from '#local/workflow/conductor.ts';
import {
  loadDefinition,
  localSubstitutions,
  tipLifecyclePath,
} from '../../infra/workflows/definitions.ts';
import { ManualClock } from '../support/clock.ts';
import { temporaryDataDirectory } from '../support/embedded-cloud.ts';

// The tip's time limits (acceptance in 3 working days, verification in 60 days with one
// extension of up to 30, feedback within 10 days of the result), run by the tip lifecycle
// ASL on dynalite with a clock the test moves.
const clock = new ManualClock('2026-06-01T02:00:00.000Z'); // Mon 1 June 2026, 10:00 CST
let dynamo: LocalDynamo;
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let deps: TipLifecycleDependencies;
let outbox: FileOutbox;
let conductor: LocalWorkflowConductor;

beforeAll(async () => {
  data = await temporaryDataDirectory();
  dynamo = await startLocalDynamo({ path: join(data.path, 'db'), tableName: 'tips' });
  outbox = new FileOutbox(join(data.path, 'outbox.jsonl'), clock);
  deps = {
    events: new DynamoEventStore(createDocumentClient(dynamo.client), 'tips'),
    notifier: outbox,
    clock,
    limits: defaultTipTimeLimits,
    calendar: seedCalendar,
    officeHours: defaultEscalationPolicy.officeHours,

    // Steps to the minute: no spread after a step's time here (turns.test.ts checks it).
    spread: () => 0,
  };
  conductor = new LocalWorkflowConductor({
    definition: loadDefinition(tipLifecyclePath, localSubstitutions),
    clock,
    waits: new DynamoLifecycleWaits(createDocumentClient(dynamo.client), 'tips', () => clock.now()),
    stream: tipStream,
    field: 'tipId',
    tasks: {
      plan: ({ id, ...input }) => planTipTurn(deps, { ...input, tipId: id }),
      escalate: ({ id, generation }) => recordDueTipSteps(deps, { tipId: id, generation }),
      nextGeneration: (tipId) => nextTipGeneration(deps.events, tipId),
    },
  });
});
afterAll(async () => {
  await conductor.stop();
  await dynamo.stop();
  await data.remove();
});

const officer = { kind: 'person' as const, id: 'demo:cq-gecheng.officer' };
const head = { kind: 'person' as const, id: 'demo:cq-gecheng.head' };
let keys = 0;

async function receive(tipId: string) {
  const now = clock.now();
  await deps.events.append(
    tipStream(tipId),
    null,
    {
      type: 'tip_received',
      at: now.toISOString(),
      actor: tipsterActor,
      idempotencyKey: 'tip_received',
      data: {
        tipId,
        channel: 'web',
        jurisdiction: 'cq-gecheng',
        industry: 'fire',
        address: '东门路 18 号仓库',
        description: '仓库安全出口被货物堵住。',
        seenOn: '2026-05-31',
        isEmployee: false,
        wantsReward: false,
        photoIds: [],
        contentDigest: tipId,
        acceptDeadline: tipDeadline(defaultTipTimeLimits.accept, now, seedCalendar).toISOString(),
      },
    },
    tipProjection,
  );
  await conductor.wake(tipId);
  await conductor.settled();
}

async function decide(tipId: string, command: TipCommand, actor = officer) {
  keys += 1;
  const outcome = await giveTipCommand(
    { ...deps, workflow: conductor },
    { tipId, command, actor, idempotencyKey: `k${keys}` },
  );
  expect(outcome.kind).toBe('done');
  await conductor.settled();
}

async function advanceTo(instant: string) {
  clock.set(instant);
  conductor.tick();
  await conductor.settled();
}

const stepsOf = async (tipId: string) =>
  (await deps.events.read(tipStream(tipId)))
    .filter((event) => event.type === 'time_limit_step_recorded')
    .map((event) => {
      const step = event.data as { limit: string; step: string; dueAt: string };
      return `${step.limit}:${step.step}@${step.dueAt}`;
    });
const stateOf = async (tipId: string) =>
  (await deps.events.load(tipStream(tipId), tipProjection))?.state;

describe('the tip lifecycle ASL on the embedded cloud', () => {
  it('keeps the acceptance, verification (with its one extension) and feedback limits', async () => {
    const tipId = 'tip-limits';
    await receive('tip-limits');
    // Received Mon 1 June: 3 working days → the limit ends at 24:00 Thu 4 June.
    expect((await stateOf(tipId))?.acceptDeadline).toBe('2026-06-04T16:00:00.000Z');
    await advanceTo('2026-06-04T00:59:00.000Z');
    expect(await stepsOf(tipId)).toEqual([]);
    // The reminder one working day before the end: 09:00 Thursday, the last day.
    await advanceTo('2026-06-04T01:00:00.000Z');
    expect(await stepsOf(tipId)).toEqual(['accept:reminder@2026-06-04T01:00:00.000Z']);
    // Not accepted in time: overdue to the department head at 09:00 Friday.
    await advanceTo('2026-06-05T01:00:00.000Z');
    expect(await stepsOf(tipId)).toHaveLength(2);
    expect((await outbox.list()).map((entry) => entry.key)).toContain(
      'tip-limits#accept#overdue#department_head',
    );

    // Accepted Fri 5 June: 60 days → 24:00 Tue 4 August.
    await decide(tipId, { type: 'accept' });
    expect((await stateOf(tipId))?.verifyDeadline).toBe('2026-08-04T16:00:00.000Z');
    await decide(tipId, { type: 'start_investigation' });
    // One extension of 30 days, approved by the department head, before any verify step.
    await advanceTo('2026-07-20T02:00:00.000Z');
    await decide(tipId, { type: 'approve_extension', days: 30, reason: '需调取监控' }, head);
    expect((await stateOf(tipId))?.verifyDeadline).toBe('2026-09-03T16:00:00.000Z');
    // The old verify reminder (7 days before 4 Aug) no longer falls due.
    await advanceTo('2026-07-29T01:00:00.000Z');
    expect(await stepsOf(tipId)).toHaveLength(2);
    // The new one: 7 days before 24:00 Thu 3 September → 09:00 Fri 28 August.
    await advanceTo('2026-08-28T01:00:00.000Z');
    expect((await stepsOf(tipId)).at(-1)).toBe('verify:reminder@2026-08-28T01:00:00.000Z');

    // The finding on Mon 31 August: feedback within 10 days (24:00 Thu 10 September).
    await advanceTo('2026-08-31T02:00:00.000Z');
    await decide(tipId, { type: 'record_finding', finding: 'substantiated', note: '属实' });
    expect((await stateOf(tipId))?.feedbackDeadline).toBe('2026-09-10T16:00:00.000Z');
    await decide(tipId, { type: 'give_feedback', text: '经核查，举报属实，已责令整改。' });
    expect((await stateOf(tipId))?.status).toBe('closed');
    expect(conductor.isRunning(tipId)).toBe(false);
    // Closed: nothing more, ever.
    await advanceTo('2026-10-30T01:00:00.000Z');
    expect(await stepsOf(tipId)).toHaveLength(3);
  });

  it('allows the verification limit to be extended once only', async () => {
    const tipId = 'tip-one-extension';
    clock.set('2026-06-01T02:00:00.000Z');
    await receive(tipId);
    await decide(tipId, { type: 'accept' });
    await decide(tipId, { type: 'approve_extension', days: 10, reason: '材料补充' }, head);
    const again = giveTipCommand(
      { ...deps, workflow: conductor },
      {
        tipId,
        command: { type: 'approve_extension', days: 10, reason: '再延' },
        actor: head,
        idempotencyKey: 'second-extension',
      },
    );
    await expect(again).rejects.toThrow(/once|一次/);
    // 60 days from Mon 1 June is 31 July, and the one extension of 10 days: 10 August.
    expect((await stateOf(tipId))?.verifyDeadline).toBe('2026-08-10T16:00:00.000Z');
  });
});
