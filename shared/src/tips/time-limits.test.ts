import { describe, expect, it } from 'vitest';
import { deadlineAfter, seedCalendar } from '../calendar/calendar.ts';
import type { RecordedEvent } from '../event-log/event-log.ts';
import { defaultEscalationPolicy } from '../hazards/escalation.ts';
import {
  defaultTipTimeLimits as limits,
  planTipLimits,
  scheduleTipLimit,
  tipTimeLimitProblems,
} from './time-limits.ts';
import { type TipEvent, type TipState, tipProjection } from './tip.ts';

const calendar = seedCalendar;
const officeHours = defaultEscalationPolicy.officeHours;
const iso = (date: Date | null | undefined) => date?.toISOString();

/** A tip's state from its events, each at its instant. */
function fold(events: [string, TipEvent, string?][]): TipState {
  let state: TipState | null = null;
  for (const [index, [at, event, key]] of events.entries()) {
    const recorded: RecordedEvent = {
      ...event,
      at,
      actor: { kind: 'person', id: 'officer-1' },
      stream: 'TIP#t',
      sequence: index + 1,
      previousHash: '',
      hash: '',
      ...(key ? { idempotencyKey: key } : {}),
    };
    state = tipProjection.apply(state, recorded);
  }
  if (!state) throw new Error('no events');
  return state;
}

const received = (at: string): [string, TipEvent] => [
  at,
  {
    type: 'tip_received',
    data: {
      tipId: 'tipabcdefghijklmnopqrstuvw',
      channel: 'web',
      jurisdiction: 'cq-gecheng',
      industry: 'fire',
      address: '东门路 18 号',
      description: '仓库安全出口被货物堵死',
      seenOn: at.slice(0, 10),
      isEmployee: false,
      wantsReward: false,
      photoIds: [],
      contentDigest: 'd',
      acceptDeadline: deadlineAfter(calendar, new Date(at), limits.accept).toISOString(),
    },
  },
];

const acceptSchedule = (state: TipState) =>
  scheduleTipLimit({
    tipId: state.tipId,
    limit: 'accept',
    deadline: new Date(state.acceptDeadline),
    limits,
    calendar,
    officeHours,
  }).map((step) => [step.key, iso(step.dueAt)]);

const plan = (state: TipState, now: string) =>
  planTipLimits({ state, now: new Date(now), limits, calendar, officeHours });

describe('the default limits', () => {
  it('are valid policy data, each with its source', () => {
    expect(tipTimeLimitProblems(limits)).toEqual([]);
    expect(limits.accept).toMatchObject({ days: 3, unit: 'working' });
    expect(limits.verify).toMatchObject({ days: 60, unit: 'calendar', extension: { maxDays: 30 } });
    expect(limits.feedback).toMatchObject({ days: 10, unit: 'calendar' });
    for (const rule of [limits.accept, limits.verify, limits.feedback]) {
      expect(rule.source).toMatch(/RULES\.md/);
    }
    expect(
      tipTimeLimitProblems({
        ...limits,
        verify: { ...limits.verify, extension: { maxDays: 0, source: '' } },
      }),
    ).toHaveLength(1);
  });
});

describe('the acceptance limit: 3 working days', () => {
  it('counts across a weekend: reminder on the morning of the last day, overdue the next', () => {
    // Thu 19 Nov 2026 10:00 CST: Fri 20, Mon 23, Tue 24 → 24:00 Tue 24 Nov.
    const state = fold([received('2026-11-19T02:00:00.000Z')]);
    expect(state.acceptDeadline).toBe('2026-11-24T16:00:00.000Z');
    expect(acceptSchedule(state)).toEqual([
      ['tipabcdefghijklmnopqrstuvw#accept#reminder', '2026-11-24T01:00:00.000Z'],
      ['tipabcdefghijklmnopqrstuvw#accept#overdue', '2026-11-25T01:00:00.000Z'],
    ]);
  });

  it('skips the 2026 Spring Festival and counts its make-up working days', () => {
    // Thu 12 Feb: Fri 13, Sat 14 (make-up day), 15–23 off, Tue 24.
    const before = fold([received('2026-02-12T02:00:00.000Z')]);
    expect(before.acceptDeadline).toBe('2026-02-24T16:00:00.000Z');
    expect(acceptSchedule(before).map(([, at]) => at)).toEqual([
      '2026-02-24T01:00:00.000Z', // the working day before is Sat 14; its 24:00 → Tue 24 09:00
      '2026-02-25T01:00:00.000Z',
    ]);
    // Wed 25 Feb: Thu 26, Fri 27, Sat 28 (make-up day) → 24:00 Sat 28 Feb.
    const after = fold([received('2026-02-25T02:00:00.000Z')]);
    expect(after.acceptDeadline).toBe('2026-02-28T16:00:00.000Z');
    expect(acceptSchedule(after).map(([, at]) => at)).toEqual([
      '2026-02-28T01:00:00.000Z', // Saturday 28 is a working day: 09:00 there
      '2026-03-02T01:00:00.000Z', // Sunday 1 March is not: Monday 09:00
    ]);
  });

  it('has nothing due before the reminder, and wakes at it', () => {
    const state = fold([received('2026-11-19T02:00:00.000Z')]);
    expect(plan(state, '2026-11-20T02:00:00.000Z')).toEqual({
      due: [],
      nextAt: new Date('2026-11-24T01:00:00.000Z'),
    });
    const due = plan(state, '2026-11-24T01:00:00.000Z');
    expect(due.due.map((step) => [step.key, step.late])).toEqual([
      ['tipabcdefghijklmnopqrstuvw#accept#reminder', false],
    ]);
    expect(iso(due.nextAt)).toBe('2026-11-25T01:00:00.000Z');
  });

  it('fires steps missed while down late, once, in order', () => {
    const state = fold([received('2026-11-19T02:00:00.000Z')]);
    const missed = plan(state, '2026-11-26T02:00:00.000Z');
    expect(missed.due.map((step) => [step.step, step.late])).toEqual([
      ['reminder', true],
      ['overdue', true],
    ]);
    expect(missed.nextAt).toBeNull();
    const recorded = fold([
      received('2026-11-19T02:00:00.000Z'),
      [
        '2026-11-26T02:00:00.000Z',
        {
          type: 'time_limit_step_recorded',
          data: { limit: 'accept', step: 'reminder', dueAt: '', late: true },
        },
        'tipabcdefghijklmnopqrstuvw#accept#reminder',
      ],
    ]);
    expect(plan(recorded, '2026-11-26T02:00:01.000Z').due.map((step) => step.step)).toEqual([
      'overdue',
    ]);
  });
});

describe('the verification limit: 60 calendar days, one extension', () => {
  const accepted = (): [string, TipEvent][] => [
    received('2026-02-26T02:00:00.000Z'),
    ['2026-03-02T02:00:00.000Z', { type: 'tip_accepted', data: {} }],
  ];

  it('runs from acceptance to 24:00 CST of the 60th day', () => {
    const state = fold(accepted());
    expect(state.verifyDeadline).toBe('2026-05-01T16:00:00.000Z');
    const upcoming = plan(state, '2026-03-02T02:00:00.000Z');
    expect(upcoming.due).toEqual([]);
    // 7 days before: 24:00 Fri 24 Apr → Mon 27 Apr 09:00.
    expect(iso(upcoming.nextAt)).toBe('2026-04-27T01:00:00.000Z');
    // Overdue: 24:00 1 May (Labour Day, off until 5 May) → Wed 6 May 09:00.
    expect(
      plan(state, '2026-05-06T01:00:00.000Z').due.map((step) => [step.step, step.late]),
    ).toEqual([
      ['reminder', true],
      ['overdue', false],
    ]);
  });

  it('moves the steps not yet fired when extended, and never fires one again', () => {
    const reminded: [string, TipEvent, string?][] = [
      ...accepted(),
      [
        '2026-04-27T01:00:00.000Z',
        {
          type: 'time_limit_step_recorded',
          data: {
            limit: 'verify',
            step: 'reminder',
            dueAt: '2026-04-27T01:00:00.000Z',
            late: false,
          },
        },
        'tipabcdefghijklmnopqrstuvw#verify#reminder',
      ],
      [
        '2026-04-28T02:00:00.000Z',
        {
          type: 'verification_extension_approved',
          data: { days: 30, reason: '需委托检测机构鉴定', approvedBy: 'head-1' },
        },
      ],
    ];
    const state = fold(reminded);
    expect(state.verifyDeadline).toBe('2026-05-31T16:00:00.000Z');
    // The old overdue time passes quietly; the new one is Mon 1 June 09:00 (31 May is a Sunday).
    expect(plan(state, '2026-05-06T01:00:00.000Z')).toEqual({
      due: [],
      nextAt: new Date('2026-06-01T01:00:00.000Z'),
    });
    expect(plan(state, '2026-06-01T01:00:00.000Z').due.map((step) => step.key)).toEqual([
      'tipabcdefghijklmnopqrstuvw#verify#overdue',
    ]);
  });
});

describe('the feedback limit: 10 calendar days from the result', () => {
  it('runs while substantiated or unsubstantiated', () => {
    const state = fold([
      received('2026-05-20T02:00:00.000Z'),
      ['2026-05-21T02:00:00.000Z', { type: 'tip_accepted', data: {} }],
      ['2026-05-22T02:00:00.000Z', { type: 'investigation_started', data: {} }],
      [
        '2026-06-10T02:00:00.000Z',
        { type: 'investigation_recorded', data: { finding: 'substantiated', note: '属实' } },
      ],
    ]);
    expect(state.feedbackDeadline).toBe('2026-06-20T16:00:00.000Z');
    const upcoming = plan(state, '2026-06-10T02:00:00.000Z');
    expect(upcoming.due).toEqual([]);
    expect(iso(upcoming.nextAt)).toBe('2026-06-18T01:00:00.000Z'); // 3 days before, 09:00
    // 24:00 Sat 20 June (Dragon Boat Festival, off until Sun 21) → Mon 22 June 09:00.
    const overdue = plan(state, '2026-06-22T01:00:00.000Z');
    expect(overdue.due.map((step) => [step.key, iso(step.dueAt)])).toEqual([
      ['tipabcdefghijklmnopqrstuvw#feedback#reminder', '2026-06-18T01:00:00.000Z'],
      ['tipabcdefghijklmnopqrstuvw#feedback#overdue', '2026-06-22T01:00:00.000Z'],
    ]);
  });
});

describe('final statuses', () => {
  it('silence every limit', () => {
    const later = '2027-01-01T00:00:00.000Z';
    for (const event of [
      { type: 'tip_refused', data: { reason: 'duplicate' } },
      { type: 'tip_referred', data: { department: '区交通运输局' } },
      { type: 'tip_merged', data: { intoTipId: 'another' } },
    ] satisfies TipEvent[]) {
      const state = fold([
        received('2026-11-19T02:00:00.000Z'),
        ['2026-11-19T03:00:00.000Z', event],
      ]);
      expect(plan(state, later)).toEqual({ due: [], nextAt: null });
    }
    const closed = fold([
      received('2026-05-20T02:00:00.000Z'),
      ['2026-05-21T02:00:00.000Z', { type: 'tip_accepted', data: {} }],
      ['2026-05-22T02:00:00.000Z', { type: 'investigation_started', data: {} }],
      [
        '2026-06-10T02:00:00.000Z',
        { type: 'investigation_recorded', data: { finding: 'unsubstantiated', note: '未发现' } },
      ],
      ['2026-06-11T02:00:00.000Z', { type: 'feedback_given', data: { text: '经核查不属实。' } }],
    ]);
    expect(closed.status).toBe('closed');
    expect(plan(closed, later)).toEqual({ due: [], nextAt: null });
  });
});

describe('the next wake-up when a holiday reorders the ladder', () => {
  // A jurisdiction's ladder (valid policy data): a reminder the day before, in office
  // hours, and an urgent overdue at the deadline itself.
  const urgentOverdue = {
    ...limits,
    verify: {
      ...limits.verify,
      ladder: [
        { ...limits.verify.ladder[0], offsetDays: -1 },
        { ...limits.verify.ladder[1], urgent: true },
      ],
    },
  } as typeof limits;
  const planWith = (state: TipState, now: Date) =>
    planTipLimits({ state, now, limits: urgentOverdue, calendar, officeHours });

  it('wakes for the earliest due step and records each at its own time', () => {
    expect(tipTimeLimitProblems(urgentOverdue)).toEqual([]);
    // Accepted 17 Dec 2025: 60 days end at 24:00 Sun 15 Feb 2026, in the Spring Festival.
    const state = fold([
      received('2025-12-15T02:00:00.000Z'),
      ['2025-12-17T02:00:00.000Z', { type: 'tip_accepted', data: {} }],
    ]);
    expect(state.verifyDeadline).toBe('2026-02-15T16:00:00.000Z');
    const recorded: [string, string][] = [];
    let current = state;
    let now: Date | null = new Date('2025-12-17T02:00:00.000Z');
    for (let turn = 0; now && turn < 10; turn += 1) {
      const next = planWith(current, now);
      for (const step of next.due) {
        recorded.push([`${step.step}${step.late ? ' (late)' : ''}`, now.toISOString()]);
        current = {
          ...current,
          timeLimitSteps: [
            ...current.timeLimitSteps,
            {
              key: step.key,
              limit: step.limit,
              step: step.step,
              at: now.toISOString(),
              late: step.late,
              delivered: true,
            },
          ],
        };
      }
      now = next.nextAt;
    }
    // The reminder's 24:00 Sat 14 Feb falls in the holiday: Tue 24 Feb 09:00. The urgent
    // overdue does not wait for it.
    expect(recorded).toEqual([
      ['overdue', '2026-02-15T16:00:00.000Z'],
      ['reminder', '2026-02-24T01:00:00.000Z'],
    ]);
  });
});
