import { join } from 'node:path';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { FileOutbox } from '@qingling/shared/adapters/local/file-outbox.ts';
import { endOfCstDay, seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import type { NewEvent } from '@qingling/shared/event-log/event-log.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import {
  checkTransition,
  type HazardEvent,
  hazardProjection,
  hazardStream,
} from '@qingling/shared/hazards/hazard.ts';
import {
  type LifecycleDependencies,
  planTurn,
  recordDueSteps,
} from '@qingling/shared/hazards/lifecycle.ts';
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
// test moves: escalation steps are recorded once, at their time, and nothing after closure.
const asl = loadDefinition(hazardLifecyclePath, localSubstitutions);

const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let dynamo: LocalDynamo;
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let deps: LifecycleDependencies;
let outbox: FileOutbox;
let conductor: LocalWorkflowConductor;

beforeAll(async () => {
  data = await temporaryDataDirectory();
  dynamo = await startLocalDynamo({ path: join(data.path, 'db'), tableName: 'lifecycle' });
  outbox = new FileOutbox(join(data.path, 'outbox.jsonl'), clock);
  deps = {
    events: new DynamoEventStore(createDocumentClient(dynamo.client), 'lifecycle'),
    notifier: outbox,
    clock,
    policy: defaultEscalationPolicy,
    calendar: seedCalendar,
  };
  conductor = new LocalWorkflowConductor({
    definition: asl,
    clock,
    tasks: { plan: (id) => planTurn(deps, id), escalate: (id) => recordDueSteps(deps, id) },
  });
});
afterAll(async () => {
  await conductor.stop();
  await dynamo.stop();
  await data.remove();
});

const officer = { kind: 'person' as const, id: 'demo:cq-gecheng.officer' };

/** An officer's decision: written to the record first, then the workflow is told. */
async function decide(hazardId: string, event: HazardEvent) {
  const snapshot = await deps.events.load(hazardStream(hazardId), hazardProjection);
  checkTransition(snapshot?.state ?? null, event);
  const result = await deps.events.append(
    hazardStream(hazardId),
    snapshot,
    { ...(event as NewEvent), at: clock.now().toISOString(), actor: officer },
    hazardProjection,
  );
  expect(result.kind).toBe('appended');
  conductor.signal(hazardId);
  await conductor.settled();
}

async function advanceTo(instant: string) {
  clock.set(instant);
  conductor.tick();
  await conductor.settled();
}

const stepsOf = async (hazardId: string) =>
  (await deps.events.read(hazardStream(hazardId)))
    .filter((event) => event.type === 'escalation_step_recorded')
    .map((event) => [
      (event.data as { step: string }).step,
      (event.data as { late: boolean }).late,
    ]);

describe('the hazard lifecycle on the embedded cloud', () => {
  it('escalates on time, once per step, and falls silent when the hazard is closed', async () => {
    const hazardId = 'h-ladder';
    await decide(hazardId, {
      type: 'hazard_reported',
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
    });
    conductor.start(hazardId);
    await conductor.settled();
    // A deadline two days ahead: the reminder is due at once.
    await decide(hazardId, {
      type: 'rectification_started',
      data: {
        responsible: '王某',
        deadline: endOfCstDay('2026-12-10').toISOString(),
        measures: '清理出口',
      },
    });
    expect(await stepsOf(hazardId)).toEqual([['reminder', false]]);

    // Friday 11 Dec 09:00 CST: the notice letter (the deadline ended at 24:00 Thursday).
    await advanceTo('2026-12-11T00:59:00.000Z');
    expect(await stepsOf(hazardId)).toHaveLength(1);
    await advanceTo('2026-12-11T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toEqual([
      ['reminder', false],
      ['notice_letter', false],
    ]);
    // Ticking again at the same moment records nothing twice.
    await advanceTo('2026-12-11T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toHaveLength(2);

    // Every message carries its step key; each recipient is told.
    const keys = (await outbox.list()).map((entry) => entry.key);
    expect(keys).toEqual([
      'h-ladder#1#reminder#enterprise_principal',
      'h-ladder#1#reminder#assigned_officer',
      'h-ladder#1#notice_letter#enterprise_principal',
      'h-ladder#1#notice_letter#enterprise_controller',
    ]);

    // Evidence, verification, closure: then nothing more, even 40 days on.
    await decide(hazardId, { type: 'evidence_submitted', data: { note: '已清理', photoKeys: [] } });
    await decide(hazardId, { type: 'verification_passed', data: { note: '现场核查通过' } });
    await decide(hazardId, { type: 'hazard_closed', data: { note: '销号' } });
    expect(conductor.isRunning(hazardId)).toBe(false);
    await advanceTo('2027-01-30T01:00:00.000Z');
    expect(await stepsOf(hazardId)).toHaveLength(2);
  });

  it('fires steps missed while stopped late, once, in order, when started again from the record', async () => {
    const hazardId = 'h-shutdown';
    clock.set('2026-12-08T02:00:00.000Z');
    await decide(hazardId, {
      type: 'hazard_reported',
      data: {
        hazardId,
        source: 'self_report',
        jurisdiction: 'cq-gecheng',
        industry: 'fire',
        enterprise: '另一家企业',
        place: '西门仓库',
        grade: 'general',
        description: '灭火器过期',
      },
    });
    await decide(hazardId, {
      type: 'rectification_started',
      data: {
        responsible: '李某',
        deadline: endOfCstDay('2026-12-20').toISOString(),
        measures: '更换',
      },
    });
    // The system is down from now until 30 Dec; no execution runs.
    clock.set('2026-12-30T02:00:00.000Z');
    conductor.start(hazardId);
    await conductor.settled();
    expect(await stepsOf(hazardId)).toEqual([
      ['reminder', true],
      ['notice_letter', true],
      ['circular', true],
    ]);
  });
});
