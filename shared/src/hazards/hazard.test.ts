import { describe, expect, it } from 'vitest';
import { type NewEvent, type RecordedEvent, sealEvent } from '../event-log/event-log.ts';
import {
  checkTransition,
  type HazardEvent,
  type HazardState,
  hazardProjection,
  LifecycleViolation,
} from './hazard.ts';

const officer = { kind: 'person' as const, id: 'demo:officer' };
const plan = {
  goalAndTasks: '清理安全出口',
  methodsAndMeasures: '搬离货物，设置警示',
  fundsAndMaterials: '企业自筹 2 万元',
  responsibleBodyAndPeople: '企业安全科 王某',
  deadlineAndRequirements: '12 月 10 日前完成',
  safetyAndEmergencyMeasures: '整改期间专人值守',
};
const reported: HazardEvent = {
  type: 'hazard_reported',
  data: {
    hazardId: 'h1',
    source: 'tip',
    tipId: 't1',
    jurisdiction: 'cq-gecheng',
    industry: 'fire',
    enterprise: '91500000MA5U123456',
    place: '东门路 18 号仓库',
    grade: 'major',
    standard: { ref: 'GB 35181-2025', clause: '5.1' },
    description: '安全出口被堵',
  },
};

/** Applies events through the domain's rules, as the workflow and console do. */
async function play(events: HazardEvent[]): Promise<HazardState | null> {
  let state: HazardState | null = null;
  let previous: RecordedEvent | null = null;
  for (const [index, event] of events.entries()) {
    checkTransition(state, event);
    const sealed: RecordedEvent = await sealEvent('HAZARD#h1', previous, {
      ...(event as NewEvent),
      at: `2026-11-${String(index + 1).padStart(2, '0')}T02:00:00.000Z`,
      actor: officer,
    });
    state = hazardProjection.apply(state, sealed);
    previous = sealed;
  }
  return state;
}

describe('the hazard lifecycle', () => {
  it('goes report → rectify → verify → close', async () => {
    const state = await play([
      reported,
      {
        type: 'rectification_started',
        data: { responsible: '王某', deadline: '2026-12-10T16:00:00.000Z', measures: '清理', plan },
      },
      { type: 'evidence_submitted', data: { note: '已清理', photoKeys: [] } },
      { type: 'verification_passed', data: { note: '现场核查通过', onSite: true } },
      { type: 'hazard_closed', data: { note: '销号' } },
    ]);
    expect(state?.status).toBe('closed');
    expect(state?.round?.number).toBe(1);
  });

  it('refuses a major hazard without its standard, and rectification without the six-part plan', async () => {
    const { standard: _standard, ...withoutStandard } = reported.data;
    await expect(play([{ type: 'hazard_reported', data: withoutStandard }])).rejects.toBeInstanceOf(
      LifecycleViolation,
    );
    await expect(
      play([
        reported,
        {
          type: 'rectification_started',
          data: { responsible: '王某', deadline: '2026-12-10T16:00:00.000Z', measures: '清理' },
        },
      ]),
    ).rejects.toThrow(/six-part/);
  });

  it('starts a new round on failed verification and on reopening', async () => {
    const state = await play([
      reported,
      {
        type: 'rectification_started',
        data: { responsible: '王某', deadline: '2026-12-10T16:00:00.000Z', measures: '清理', plan },
      },
      { type: 'evidence_submitted', data: { note: '已清理', photoKeys: [] } },
      {
        type: 'verification_failed',
        data: { reasons: '仍有堆放', newDeadline: '2026-12-20T16:00:00.000Z' },
      },
      { type: 'evidence_submitted', data: { note: '再次清理', photoKeys: [] } },
      { type: 'verification_passed', data: { note: '通过', onSite: false } },
      { type: 'hazard_closed', data: { note: '销号', lookBackAt: '2027-01-09T01:00:00.000Z' } },
      {
        type: 'hazard_reopened',
        data: { reason: '回头看发现反弹', newDeadline: '2027-01-10T16:00:00.000Z' },
      },
    ]);
    expect(state).toMatchObject({ status: 'rectifying', round: { number: 3 } });
    expect(state?.closedAt).toBeUndefined();
    expect(state?.verifiedAt).toBeUndefined();
    expect(state?.lookBack).toBeUndefined();
  });

  const rectifying: HazardEvent[] = [
    reported,
    {
      type: 'rectification_started',
      data: { responsible: '王某', deadline: '2026-12-10T16:00:00.000Z', measures: '清理', plan },
    },
  ];

  it('closes only after verification passed, and never verifies a round twice', async () => {
    await expect(
      play([
        ...rectifying,
        { type: 'evidence_submitted', data: { note: '已清理', photoKeys: [] } },
        { type: 'hazard_closed', data: { note: '销号' } },
      ]),
    ).rejects.toThrow(/pass verification/);
    await expect(
      play([
        ...rectifying,
        { type: 'evidence_submitted', data: { note: '已清理', photoKeys: [] } },
        { type: 'verification_passed', data: { note: '通过', onSite: true } },
        { type: 'verification_failed', data: { reasons: '?', newDeadline: '2027-01-01' } },
      ]),
    ).rejects.toThrow(/already passed/);
  });

  it('extends a deadline only later, and only on a request the department head decides', async () => {
    await expect(
      play([
        ...rectifying,
        { type: 'deadline_extended', data: { deadline: 'x', reason: 'y', approvedBy: 'h' } },
      ]),
    ).rejects.toThrow(/no extension request/);
    await expect(
      play([
        ...rectifying,
        {
          type: 'deadline_extension_requested',
          data: { deadline: '2026-12-01T16:00:00.000Z', reason: '材料未到' },
        },
      ]),
    ).rejects.toThrow(/later/);
    const state = await play([
      ...rectifying,
      {
        type: 'deadline_extension_requested',
        data: { deadline: '2026-12-20T16:00:00.000Z', reason: '材料未到' },
      },
      {
        type: 'deadline_extended',
        data: { deadline: '2026-12-20T16:00:00.000Z', reason: '材料未到', approvedBy: 'head' },
      },
    ]);
    expect(state?.round).toMatchObject({ number: 1, deadline: '2026-12-20T16:00:00.000Z' });
    expect(state?.pendingExtension).toBeUndefined();
  });

  it('lists a closed hazard awaiting its look-back apart, until the look-back is done', async () => {
    const closed: HazardEvent[] = [
      ...rectifying,
      { type: 'evidence_submitted', data: { note: '已清理', photoKeys: [] } },
      { type: 'verification_passed', data: { note: '通过', onSite: true } },
      { type: 'hazard_closed', data: { note: '销号', lookBackAt: '2027-01-09T01:00:00.000Z' } },
    ];
    const waiting = await play(closed);
    expect(waiting && hazardProjection.indexes?.(waiting).gsi1pk).toBe(
      'HAZARDS#cq-gecheng#closed_look_back',
    );
    await expect(
      play([...closed, { type: 'look_back_done', data: { note: '保持', holding: true } }]),
    ).rejects.toThrow(/not due/);
    const done = await play([
      ...closed,
      { type: 'look_back_due', data: { dueAt: '2027-01-09T01:00:00.000Z' } },
      { type: 'look_back_done', data: { note: '保持', holding: true } },
    ]);
    expect(done && hazardProjection.indexes?.(done).gsi1pk).toBe('HAZARDS#cq-gecheng#closed');
  });

  it('lets a generation take over only from an older one', async () => {
    const state = await play([
      reported,
      { type: 'lifecycle_generation_started', data: { generation: 2 } },
    ]);
    expect(state?.generation).toBe(2);
    await expect(
      play([
        reported,
        { type: 'lifecycle_generation_started', data: { generation: 2 } },
        { type: 'lifecycle_generation_started', data: { generation: 2 } },
      ]),
    ).rejects.toThrow(/out of date/);
  });

  it('refuses to close a hazard that is still being rectified', async () => {
    await expect(
      play([
        reported,
        {
          type: 'rectification_started',
          data: {
            responsible: '王某',
            deadline: '2026-12-10T16:00:00.000Z',
            measures: '清理',
            plan,
          },
        },
        { type: 'hazard_closed', data: { note: '销号' } },
      ]),
    ).rejects.toThrow(/Not allowed/);
  });
});
