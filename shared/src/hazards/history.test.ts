import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../calendar/calendar.ts';
import { type NewEvent, type RecordedEvent, sealEvent } from '../event-log/event-log.ts';
import { checkTransition, type HazardEvent, type HazardState, hazardProjection } from './hazard.ts';
import { cellsOf, codeOf, decodeCode, encodeCode } from './statistics.ts';
import { weeklyNumbers, weeklyRecount } from './weekly-report.ts';

// Deadlines are instants: 24:00 CST of the deadline's date (16:00 UTC that day).
const endOf = (date: string) => `${date}T16:00:00.000Z`;
// Events at 10:00 CST of a date.
const tenOf = (date: string) => `${date}T02:00:00.000Z`;
const officer = { kind: 'person' as const, id: 'demo:officer' };
const plan = {
  goalAndTasks: '清理安全出口',
  methodsAndMeasures: '搬离货物',
  fundsAndMaterials: '企业自筹',
  responsibleBodyAndPeople: '王某',
  deadlineAndRequirements: '限期完成',
  safetyAndEmergencyMeasures: '专人值守',
};

async function play(events: [string, HazardEvent][]): Promise<HazardState> {
  let state: HazardState | null = null;
  let previous: RecordedEvent | null = null;
  for (const [at, event] of events) {
    checkTransition(state, event);
    const sealed: RecordedEvent = await sealEvent('HAZARD#h1', previous, {
      ...(event as NewEvent),
      at,
      actor: officer,
    });
    state = hazardProjection.apply(state, sealed);
    previous = sealed;
  }
  if (!state) throw new Error('no events');
  return state;
}

/** A major hazard's whole life: late twice, closed, reopened, late again. */
const life: [string, HazardEvent][] = [
  [
    tenOf('2026-11-02'),
    {
      type: 'hazard_reported',
      data: {
        hazardId: 'h1',
        source: 'inspection',
        jurisdiction: 'cq-gecheng',
        industry: 'fire',
        place: '东门路 18 号仓库',
        grade: 'major',
        standard: { ref: 'GB 35181-2025', clause: '5.1' },
        description: '安全出口被堵',
        foundOn: '2026-11-01',
      },
    },
  ],
  [
    tenOf('2026-11-03'),
    {
      type: 'rectification_started',
      data: { responsible: '王某', measures: '清理', deadline: endOf('2026-11-10'), plan },
    },
  ],
  [
    tenOf('2026-11-12'),
    {
      type: 'deadline_extension_requested',
      data: { deadline: endOf('2026-11-20'), reason: '材料未到' },
    },
  ],
  // Extended after the first deadline had passed: overdue at the ends of 11-11 and 11-12.
  [
    tenOf('2026-11-13'),
    {
      type: 'deadline_extended',
      data: { deadline: endOf('2026-11-20'), reason: '同意', approvedBy: 'head' },
    },
  ],
  // Evidence two days after the new deadline: overdue at the end of 11-21 only.
  [tenOf('2026-11-22'), { type: 'evidence_submitted', data: { note: '已整改', photoKeys: [] } }],
  [
    tenOf('2026-11-23'),
    {
      type: 'verification_failed',
      data: { reasons: '未整改到位', newDeadline: endOf('2026-11-25') },
    },
  ],
  // On time this round.
  [tenOf('2026-11-24'), { type: 'evidence_submitted', data: { note: '再整改', photoKeys: [] } }],
  [tenOf('2026-11-25'), { type: 'verification_passed', data: { note: '通过', onSite: true } }],
  // Closed from 11-26 to the reopening on 11-29.
  [tenOf('2026-11-26'), { type: 'hazard_closed', data: { note: '销号' } }],
  [
    tenOf('2026-11-29'),
    { type: 'hazard_reopened', data: { reason: '回头看反弹', newDeadline: endOf('2026-11-30') } },
  ],
];

const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) out.push(day);
  return out;
};

describe("a hazard's past, counted at days' ends", () => {
  it('keeps the spans it was overdue and closed, and the counters count them as the state does', async () => {
    const state = await play(life);
    expect(state.history).toEqual({
      overdue: [
        [endOf('2026-11-10'), tenOf('2026-11-13')],
        [endOf('2026-11-20'), tenOf('2026-11-22')],
      ],
      closed: [[tenOf('2026-11-26'), tenOf('2026-11-29')]],
    });
    const overdueAtEndOf = new Set([
      '2026-11-11',
      '2026-11-12',
      '2026-11-21',
      // Due at 24:00 of 11-30 once reopened: overdue from the end of 12-01 on.
      ...days('2026-12-01', '2026-12-10'),
    ]);
    const openAtEndOf = new Set([
      ...days('2026-11-01', '2026-11-25'),
      ...days('2026-11-29', '2026-12-10'),
    ]);
    const code = codeOf(state, 12);
    expect(decodeCode(encodeCode(code))).toEqual(code);
    const bucket = { jurisdiction: 'cq-gecheng', month: '2026-11', cells: cellsOf(code) };
    for (const day of days('2026-10-30', '2026-12-10')) {
      // A week ending that day, asked for long after.
      const query = {
        jurisdictions: ['cq-gecheng'],
        week: { from: addCalendarDays(day, -6), to: day, dueAt: new Date(0) },
        now: new Date('2027-03-01T00:00:00Z'),
      };
      const truth = {
        overdue: overdueAtEndOf.has(day) ? 1 : 0,
        openMajor: openAtEndOf.has(day) ? 1 : 0,
      };
      expect(weeklyRecount([state], [], query), day).toMatchObject(truth);
      expect(weeklyNumbers([bucket], [], query), day).toMatchObject(truth);
    }
  });

  it('counts a week under way at the end of yesterday, not of its Sunday to come', async () => {
    const state = await play(life.slice(0, 2)); // rectifying, due at 24:00 of 11-10
    const week = { from: '2026-11-09', to: '2026-11-15', dueAt: new Date(0) };
    const query = (now: string) => ({ jurisdictions: ['cq-gecheng'], week, now: new Date(now) });
    const bucket = {
      jurisdiction: 'cq-gecheng',
      month: '2026-11',
      cells: cellsOf(codeOf(state, 2)),
    };
    // Wednesday 11-11: counted at the end of Tuesday 11-10, its deadline: not yet overdue.
    expect(weeklyNumbers([bucket], [], query(tenOf('2026-11-11'))).overdue).toBe(0);
    // Thursday: at the end of Wednesday, it is.
    expect(weeklyNumbers([bucket], [], query(tenOf('2026-11-12'))).overdue).toBe(1);
    expect(weeklyRecount([state], [], query(tenOf('2026-11-12'))).overdue).toBe(1);
  });
});
