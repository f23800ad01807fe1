import { join } from 'node:path';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { DynamoLifecycleWaits } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import { FileOutbox } from '@qingling/shared/adapters/local/file-outbox.ts';
import { seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { type Actor, verifyChain } from '@qingling/shared/event-log/event-log.ts';
import {
  giveCommand,
  type HazardCommand,
  type HazardCommandDependencies,
  recordHazard,
} from '@qingling/shared/hazards/commands.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import {
  type HazardFacts,
  hazardProjection,
  hazardStream,
} from '@qingling/shared/hazards/hazard.ts';
import {
  type LifecycleDependencies,
  nextGeneration,
  planTurn,
  recordDueSteps,
} from '@qingling/shared/hazards/lifecycle.ts';
import { defaultLookBackPolicy } from '@qingling/shared/hazards/look-back.ts';
import {
  tipForTipster,
  tipProjection,
  tipStream,
  tipsterActor,
} from '@qingling/shared/tips/tip.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '#local/dynamodb.ts';
import { LocalWorkflowConductor } from '#local/workflow/conductor.ts';
import {
  hazardLifecyclePath,
  loadDefinition,
  localSubstitutions,
} from '../../infra/workflows/definitions.ts';
import { ManualClock } from '../support/clock.ts';
import { temporaryDataDirectory } from '../support/embedded-cloud.ts';

// The lifecycle ASL itself, run by aws-local-stepfunctions on dynalite, with a clock the
// test moves. People's decisions go through the same commands the API gives; every path
// of RULES.md's ladder is walked here against the workflow, not against the planner alone.
const asl = loadDefinition(hazardLifecyclePath, localSubstitutions);

const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let dynamo: LocalDynamo;
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let deps: LifecycleDependencies;
let outbox: FileOutbox;
let conductor: LocalWorkflowConductor;
let commands: HazardCommandDependencies;
/** Messages the notifier refuses before it sends again (a provider outage). */
let failuresToCome = 0;

function newConductor() {
  return new LocalWorkflowConductor({
    definition: asl,
    clock,
    waits: new DynamoLifecycleWaits(createDocumentClient(dynamo.client), 'lifecycle', () =>
      clock.now(),
    ),
    stream: hazardStream,
    tasks: {
      plan: ({ id, ...input }) => planTurn(deps, { ...input, hazardId: id }),
      escalate: ({ id, generation }) => recordDueSteps(deps, { hazardId: id, generation }),
      nextGeneration: (hazardId) => nextGeneration(deps.events, hazardId),
    },
  });
}

beforeAll(async () => {
  data = await temporaryDataDirectory();
  dynamo = await startLocalDynamo({ path: join(data.path, 'db'), tableName: 'lifecycle' });
  outbox = new FileOutbox(join(data.path, 'outbox.jsonl'), clock);
  deps = {
    events: new DynamoEventStore(createDocumentClient(dynamo.client), 'lifecycle'),
    notifier: {
      send: async (notification) => {
        if (failuresToCome > 0) {
          failuresToCome -= 1;
          throw new Error('SMS provider unavailable');
        }
        await outbox.send(notification);
      },
    },
    clock,
    // Steps at 09:00 sharp: this walks the workflow to the minute, not the spread of due
    // times over the start of office hours (escalation.test.ts, time-simulation.test.ts).
    policy: { ...defaultEscalationPolicy, spreadMinutes: 0 },
    // General hazards are not sampled here (each test says what it looks back at).
    lookBack: { ...defaultLookBackPolicy, generalSampleRate: 0 },
    calendar: seedCalendar,

    // Steps to the minute: no spread after a step's time here (turns.test.ts checks it).
    spread: () => 0,
  };
  conductor = newConductor();
  commands = { ...deps, workflow: conductor };
});
afterAll(async () => {
  await conductor.stop();
  await dynamo.stop();
  await data.remove();
});

const officer: Actor = { kind: 'person', id: 'demo:cq-gecheng.officer' };
const head: Actor = { kind: 'person', id: 'demo:cq-gecheng.head' };
const rolesOf = (actor: Actor) =>
  actor === head ? ['department_head' as const] : ['officer' as const];
let keys = 0;

async function record(hazardId: string, facts: Partial<HazardFacts> = {}) {
  await recordHazard(commands, {
    facts: {
      hazardId,
      source: 'inspection',
      jurisdiction: 'cq-gecheng',
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place: '东门路 18 号仓库',
      grade: 'general',
      description: '安全出口被堵',
      ...facts,
    },
    actor: officer,
  });
  await conductor.settled();
}

/** An officer's decision: written to the record first, then the workflow is woken. */
async function decide(hazardId: string, command: HazardCommand, actor = officer) {
  keys += 1;
  const outcome = await giveCommand(commands, {
    hazardId,
    command,
    actor,
    roles: rolesOf(actor),
    idempotencyKey: `k${keys}`,
  });
  expect(outcome.kind).toBe('done');
  await conductor.settled();
}

async function advanceTo(instant: string) {
  clock.set(instant);
  conductor.tick();
  await conductor.settled();
}

const eventsOf = (hazardId: string) => deps.events.read(hazardStream(hazardId));
const stepsOf = async (hazardId: string) =>
  (await eventsOf(hazardId))
    .filter((event) => event.type === 'escalation_step_recorded')
    .map((event) => {
      const step = event.data as { step: string; round: number; late: boolean };
      return `${step.round}:${step.step}${step.late ? ' (late)' : ''}`;
    });
const stateOf = async (hazardId: string) =>
  (await deps.events.load(hazardStream(hazardId), hazardProjection))?.state;
const outboxKeys = async (prefix: string) =>
  (await outbox.list()).map((entry) => entry.key).filter((key) => key.startsWith(prefix));

const startRectification = (date: string): HazardCommand => ({
  type: 'start_rectification',
  responsible: '王某',
  measures: '清理出口',
  deadline: { date },
});
const passAndClose = async (hazardId: string) => {
  await decide(hazardId, { type: 'submit_evidence', note: '已清理', photoKeys: [] });
  await decide(hazardId, { type: 'pass_verification', note: '现场核查通过', onSite: true });
  // A major hazard is signed off by a second person, the department head (closure.ts).
  const major = (await stateOf(hazardId))?.grade === 'major';
  await decide(hazardId, { type: 'close', note: '销号' }, major ? head : officer);
};

describe('the hazard lifecycle ASL on the embedded cloud', () => {
  it('closes on time with no escalation, and the workflow ends', async () => {
    clock.set('2026-12-08T02:00:00.000Z');
    await record('h-on-time');
    await decide('h-on-time', startRectification('2026-12-31'));
    await advanceTo('2026-12-20T02:00:00.000Z');
    await passAndClose('h-on-time');
    expect(await stepsOf('h-on-time')).toEqual([]);
    expect(conductor.isRunning('h-on-time')).toBe(false);
    await advanceTo('2027-02-20T02:00:00.000Z');
    expect(await stepsOf('h-on-time')).toEqual([]);
  });

  it('escalates on time, once per step, and falls silent when the hazard is closed', async () => {
    const hazardId = 'h-ladder';
    clock.set('2026-12-08T02:00:00.000Z');
    await record(hazardId);
    // A deadline two days ahead: the reminder is due at once.
    await decide(hazardId, startRectification('2026-12-10'));
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);

    // Friday 11 Dec 09:00 CST: the notice letter (the deadline ended at 24:00 Thursday).
    await advanceTo('2026-12-11T00:59:00.000Z');
    expect(await stepsOf(hazardId)).toHaveLength(1);
    await advanceTo('2026-12-11T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['1:reminder', '1:notice_letter']);
    // Ticking again at the same moment records nothing twice.
    await advanceTo('2026-12-11T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toHaveLength(2);

    // Every message carries its step key; each recipient is told.
    expect(await outboxKeys(hazardId)).toEqual([
      'h-ladder#1#reminder#enterprise_principal',
      'h-ladder#1#reminder#assigned_officer',
      'h-ladder#1#notice_letter#enterprise_principal',
      'h-ladder#1#notice_letter#enterprise_controller',
    ]);

    // Circular a week on, summons at the exact moment (urgent: no office hours).
    await advanceTo('2026-12-18T01:00:00.000Z');
    await advanceTo('2026-12-24T16:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual([
      '1:reminder',
      '1:notice_letter',
      '1:circular',
      '1:summons',
    ]);
    await passAndClose(hazardId);
    expect(conductor.isRunning(hazardId)).toBe(false);
    await advanceTo('2027-01-30T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toHaveLength(4);
  });

  it('moves the later steps when the department head approves an extension', async () => {
    const hazardId = 'h-extended';
    clock.set('2026-11-23T02:00:00.000Z'); // Mon
    await record(hazardId);
    await decide(hazardId, startRectification('2026-12-04'));
    await advanceTo('2026-12-02T01:00:00.000Z'); // the reminder: 3 days before 24:00 Fri 4th
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    await decide(hazardId, {
      type: 'request_extension',
      deadline: { date: '2026-12-18' },
      reason: '设备到货延迟',
    });
    // Asked, not yet approved: the old deadline still holds.
    expect((await stateOf(hazardId))?.round?.deadline).toBe('2026-12-04T16:00:00.000Z');
    await decide(hazardId, { type: 'approve_extension' }, head);
    await advanceTo('2026-12-07T01:00:00.000Z'); // the old notice letter's time: nothing
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    // The reminder already fired in this round: it does not fire again on the 15th.
    await advanceTo('2026-12-15T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    await advanceTo('2026-12-21T01:00:00.000Z'); // Mon 09:00 after the new deadline (Fri)
    expect(await stepsOf(hazardId)).toEqual(['1:reminder', '1:notice_letter']);
    const notice = (await eventsOf(hazardId)).find(
      (event) => (event.data as { step?: string }).step === 'notice_letter',
    );
    expect(notice?.data).toMatchObject({ dueAt: '2026-12-21T01:00:00.000Z' });
    await passAndClose(hazardId);
  });

  it('starts a fresh ladder after a failed verification (a new round)', async () => {
    const hazardId = 'h-failed';
    clock.set('2026-11-23T02:00:00.000Z');
    await record(hazardId);
    await decide(hazardId, startRectification('2026-11-25'));
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    await decide(hazardId, { type: 'submit_evidence', note: '已清理', photoKeys: [] });
    await decide(hazardId, {
      type: 'fail_verification',
      reasons: '出口仍有杂物',
      newDeadline: { date: '2026-12-11' },
    });
    expect((await stateOf(hazardId))?.round?.number).toBe(2);
    // Round 1's notice letter (26 Nov 09:00) no longer falls due.
    await advanceTo('2026-11-26T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    await advanceTo('2026-12-09T01:00:00.000Z');
    await advanceTo('2026-12-14T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['1:reminder', '2:reminder', '2:notice_letter']);
    expect(await outboxKeys(`${hazardId}#2#`)).toContain(
      'h-failed#2#notice_letter#enterprise_controller',
    );
    await passAndClose(hazardId);
  });

  it('reopens a closed hazard: a new generation runs a new round', async () => {
    const hazardId = 'h-reopened';
    clock.set('2026-11-23T02:00:00.000Z');
    await record(hazardId);
    await decide(hazardId, startRectification('2026-12-31'));
    await passAndClose(hazardId);
    expect(conductor.isRunning(hazardId)).toBe(false);
    const closedGeneration = (await stateOf(hazardId))?.generation ?? 0;
    await advanceTo('2026-12-01T02:00:00.000Z');
    await decide(hazardId, {
      type: 'reopen',
      reason: '群众再次反映出口被堵',
      newDeadline: { date: '2026-12-03' },
    });
    expect(conductor.isRunning(hazardId)).toBe(true);
    const state = await stateOf(hazardId);
    expect(state?.generation).toBe(closedGeneration + 1);
    expect(state?.round?.number).toBe(2);
    expect(await stepsOf(hazardId)).toEqual(['2:reminder']);
    await advanceTo('2026-12-04T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['2:reminder', '2:notice_letter']);
    await passAndClose(hazardId);
  });

  it('counts a deadline in working days across the Spring Festival holiday', async () => {
    const hazardId = 'h-spring-festival';
    clock.set('2026-02-12T02:00:00.000Z'); // Thu 12 Feb 2026, 10:00 CST
    await record(hazardId);
    await decide(hazardId, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '更换灭火器',
      deadline: { workingDays: 5 },
    });
    // Fri 13, Sat 14 (a make-up working day), then 15–23 off, then Tue 24, Wed 25, Thu 26.
    expect((await stateOf(hazardId))?.round?.deadline).toBe('2026-02-26T16:00:00.000Z');
    // The reminder falls on Mon 23 Feb, a holiday: it goes out on Tue 24 at 09:00.
    await advanceTo('2026-02-23T08:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual([]);
    await advanceTo('2026-02-24T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    await advanceTo('2026-02-27T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['1:reminder', '1:notice_letter']);
    await passAndClose(hazardId);
  });

  it('tells the enterprise of a major hazard at once, and looks back at it after closure', async () => {
    const hazardId = 'h-major';
    clock.set('2026-11-23T02:00:00.000Z');
    await record(hazardId, {
      grade: 'major',
      standard: { ref: '重大火灾隐患判定规则 GB 35181-2025', clause: '5.1.1' },
    });
    expect(await outboxKeys(hazardId)).toEqual([
      'h-major#major_hazard_recorded#enterprise_principal',
      'h-major#major_hazard_recorded#enterprise_controller',
    ]);
    await decide(hazardId, {
      ...(startRectification('2026-12-31') as Extract<
        HazardCommand,
        { type: 'start_rectification' }
      >),
      plan: {
        goalAndTasks: '清理安全出口',
        methodsAndMeasures: '搬离货物',
        fundsAndMaterials: '2 万元',
        responsibleBodyAndPeople: '安全科 王某',
        deadlineAndRequirements: '12 月 31 日前',
        safetyAndEmergencyMeasures: '专人值守',
      },
    });
    await passAndClose(hazardId); // closed Mon 23 Nov
    const state = await stateOf(hazardId);
    // 30 days on is Wed 23 Dec: 09:00 CST.
    expect(state?.lookBack).toEqual({ dueAt: '2026-12-23T01:00:00.000Z', status: 'scheduled' });
    expect(conductor.isRunning(hazardId)).toBe(true);
    await advanceTo('2026-12-23T00:59:00.000Z');
    expect((await stateOf(hazardId))?.lookBack?.status).toBe('scheduled');
    await advanceTo('2026-12-23T01:00:00.000Z');
    expect((await stateOf(hazardId))?.lookBack?.status).toBe('due');
    expect(await outboxKeys(`${hazardId}#1#look_back`)).toEqual([
      'h-major#1#look_back#assigned_officer',
    ]);
    expect(conductor.isRunning(hazardId)).toBe(false);
    await decide(hazardId, { type: 'record_look_back', note: '整改保持', holding: true });
    expect((await stateOf(hazardId))?.lookBack?.status).toBe('done');
    // Told once only, however many turns went by.
    expect(await outboxKeys(`${hazardId}#major`)).toHaveLength(2);
  });

  it('fires steps missed while stopped late, once, in order, when started again from the record', async () => {
    const hazardId = 'h-shutdown';
    clock.set('2026-12-08T02:00:00.000Z');
    await record(hazardId);
    await decide(hazardId, startRectification('2026-12-20'));
    // The system stops; from now until 30 Dec no execution runs.
    await conductor.stop();
    clock.set('2026-12-30T02:00:00.000Z');
    conductor = newConductor();
    commands = { ...commands, workflow: conductor };
    conductor.start(hazardId);
    await conductor.settled();
    expect(await stepsOf(hazardId)).toEqual([
      '1:reminder (late)',
      '1:notice_letter (late)',
      '1:circular (late)',
    ]);
    await passAndClose(hazardId);
  });

  it('lets two executions of one hazard never both act: the older generation ends', async () => {
    const hazardId = 'h-two-executions';
    clock.set('2026-12-08T02:00:00.000Z');
    await record(hazardId);
    await decide(hazardId, startRectification('2026-12-31'));
    // A leftover execution (another conductor: as if a restart had raced) takes over.
    const newer = newConductor();
    newer.start(hazardId);
    await newer.settled();
    expect((await stateOf(hazardId))?.generation).toBe(2);
    // Both wake at the reminder's time: the step is recorded once, the older one ends.
    clock.set('2026-12-29T01:00:00.000Z');
    conductor.tick();
    newer.tick();
    await Promise.all([conductor.settled(), newer.settled()]);
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    expect(await outboxKeys(hazardId)).toEqual([
      'h-two-executions#1#reminder#enterprise_principal',
      'h-two-executions#1#reminder#assigned_officer',
    ]);
    expect(conductor.isRunning(hazardId)).toBe(false);
    expect(newer.isRunning(hazardId)).toBe(true);
    await newer.stop();
  });

  it("puts each stage of a tip's hazard on the tipster's timeline, once", async () => {
    clock.set('2026-12-08T02:00:00.000Z');
    const tipId = 'tip-becomes-hazard';
    await deps.events.append(
      tipStream(tipId),
      null,
      {
        type: 'tip_received',
        at: clock.now().toISOString(),
        actor: tipsterActor,
        idempotencyKey: 'tip_received',
        data: {
          tipId,
          channel: 'web',
          jurisdiction: 'cq-gecheng',
          industry: 'fire',
          address: '东门路 18 号仓库',
          description: '安全出口被货物堵住',
          seenOn: '2026-12-07',
          isEmployee: true,
          wantsReward: false,
          photoIds: [],
          contentDigest: tipId,
          acceptDeadline: '2026-12-11T16:00:00.000Z',
        },
      },
      tipProjection,
    );
    const hazardId = 'h-from-tip';
    await record(hazardId, { source: 'tip', tipId });
    await decide(hazardId, startRectification('2026-12-31'));
    await passAndClose(hazardId);
    const tip = await deps.events.load(tipStream(tipId), tipProjection);
    const seen = tip && tipForTipster(tip.state, { code: 'cq-gecheng', zh: '葛城', en: 'Gecheng' });
    expect(seen?.timeline.map((entry) => entry.hazardStage).filter(Boolean)).toEqual([
      'recorded',
      'rectifying',
      'verifying',
      'closed',
    ]);
    expect(JSON.stringify(seen)).not.toContain(hazardId);
  });

  it('does not lose a decision written as the wait times out', async () => {
    const hazardId = 'h-race';
    clock.set('2026-12-08T02:00:00.000Z');
    await record(hazardId);
    await decide(hazardId, startRectification('2026-12-31'));
    // The timer ends the wait at the same moment as the officer's decision is written.
    clock.set('2026-12-29T01:00:00.000Z');
    conductor.tick();
    await giveCommand(commands, {
      hazardId,
      command: { type: 'submit_evidence', note: '已清理', photoKeys: [] },
      actor: officer,
      idempotencyKey: 'race-evidence',
    });
    await conductor.settled();
    expect((await stateOf(hazardId))?.status).toBe('verifying');
    // The reminder still fires once (the hazard is open), and the workflow waits on.
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    expect(conductor.isRunning(hazardId)).toBe(true);
    await decide(hazardId, { type: 'pass_verification', note: '通过', onSite: false });
    await decide(hazardId, { type: 'close', note: '销号' });
    expect(conductor.isRunning(hazardId)).toBe(false);
  });

  it('withdraws a step recorded before a close instead of delivering it after', async () => {
    const hazardId = 'h-withdrawn';
    clock.set('2026-12-08T02:00:00.000Z');
    await record(hazardId);
    await decide(hazardId, startRectification('2026-12-31'));
    await decide(hazardId, { type: 'submit_evidence', note: '已清理', photoKeys: [] });
    await decide(hazardId, { type: 'pass_verification', note: '现场核查通过', onSite: true });
    // The reminder falls due (Tue 29 Dec 09:00): recorded, but its delivery fails and the
    // execution fails with it.
    failuresToCome = 1;
    await advanceTo('2026-12-29T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['1:reminder']);
    expect(conductor.isRunning(hazardId)).toBe(false);
    expect(failuresToCome).toBe(0);
    // The officer closes the hazard: the close wakes the lifecycle (a new execution).
    await decide(hazardId, { type: 'close', note: '销号' });
    expect(await outboxKeys(hazardId)).toEqual([]);
    const withdrawals = (await eventsOf(hazardId)).filter(
      (event) => event.type === 'escalation_withdrawn',
    );
    expect(withdrawals.map((event) => event.data)).toEqual([
      { key: 'h-withdrawn#1#reminder', step: 'reminder', round: 1, reason: 'hazard_closed' },
    ]);
    expect(conductor.isRunning(hazardId)).toBe(false);
    // A delivery retried after the withdrawal sends nothing and writes nothing.
    const before = (await eventsOf(hazardId)).length;
    const generation = (await stateOf(hazardId))?.generation ?? 0;
    expect(await recordDueSteps(deps, { hazardId, generation })).toMatchObject({
      recorded: 0,
      delivered: 0,
    });
    await advanceTo('2027-01-30T01:00:00.000Z');
    expect(await outboxKeys(hazardId)).toEqual([]);
    expect(await eventsOf(hazardId)).toHaveLength(before);
    expect((await verifyChain(await eventsOf(hazardId))).valid).toBe(true);
  });

  it('sends the summons at its time when the Spring Festival pushes the circular past it', async () => {
    const hazardId = 'h-summons-first';
    clock.set('2026-01-20T02:00:00.000Z');
    await record(hazardId);
    await decide(hazardId, startRectification('2026-02-07'));
    await advanceTo('2026-02-05T01:00:00.000Z'); // the reminder (Thu 09:00)
    await advanceTo('2026-02-09T01:00:00.000Z'); // the notice letter (Mon 09:00)
    expect(await stepsOf(hazardId)).toEqual(['1:reminder', '1:notice_letter']);
    // Summons 14 days after 24:00 Sat 7 Feb (urgent, in the holiday); the circular (7 days)
    // waits for the first office hours after the holiday, Tue 24 Feb 09:00.
    await advanceTo('2026-02-21T16:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual(['1:reminder', '1:notice_letter', '1:summons']);
    await advanceTo('2026-02-24T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual([
      '1:reminder',
      '1:notice_letter',
      '1:summons',
      '1:circular',
    ]);
    await passAndClose(hazardId);
  });
});
