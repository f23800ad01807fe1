import { describe, expect, it } from 'vitest';
import { endOfCstDay, seedCalendar } from '../calendar/calendar.ts';
import {
  nextOfficeMoment,
  planEscalation,
  defaultEscalationPolicy as policy,
  type Round,
  scheduleRound,
} from './escalation.ts';

const calendar = seedCalendar;
const iso = (date: Date | null | undefined) => date?.toISOString();

describe('office hours', () => {
  it('moves a night-time step to 09:00 CST of the next working day', () => {
    // Deadline 2026-11-20 (Friday) ends at 24:00 CST = 16:00Z; the next office moment is
    // Monday 23 Nov 09:00 CST.
    expect(iso(nextOfficeMoment(endOfCstDay('2026-11-20'), calendar, policy.officeHours))).toBe(
      '2026-11-23T01:00:00.000Z',
    );
    // Inside office hours it stays.
    expect(
      iso(nextOfficeMoment(new Date('2026-11-23T03:00:00Z'), calendar, policy.officeHours)),
    ).toBe('2026-11-23T03:00:00.000Z');
    // Early morning of a working day: 09:00 the same day.
    expect(
      iso(nextOfficeMoment(new Date('2026-11-23T20:00:00Z'), calendar, policy.officeHours)),
    ).toBe('2026-11-24T01:00:00.000Z');
  });
});

describe('the ladder of a round', () => {
  const round: Round = {
    number: 1,
    deadline: endOfCstDay('2026-12-10'), // a Thursday
    startedAt: new Date('2026-11-01T02:00:00Z'),
  };

  it('schedules each step from the deadline, non-urgent ones in office hours', () => {
    const schedule = scheduleRound('h1', round, policy, calendar);
    expect(schedule.map((step) => [step.key, iso(step.dueAt)])).toEqual([
      ['h1#1#reminder', '2026-12-08T01:00:00.000Z'], // 7 Dec 24:00 → Tue 8 Dec 09:00
      ['h1#1#notice_letter', '2026-12-11T01:00:00.000Z'], // 10 Dec 24:00 → Fri 09:00
      ['h1#1#circular', '2026-12-18T01:00:00.000Z'],
      ['h1#1#summons', '2026-12-24T16:00:00.000Z'], // urgent: at its time
      ['h1#1#public_exposure', '2027-01-09T16:00:00.000Z'],
    ]);
  });

  it('has nothing due before the reminder, and wakes at the reminder', () => {
    const plan = planEscalation({
      hazardId: 'h1',
      round,
      recorded: new Set(),
      closed: false,
      now: new Date('2026-12-01T00:00:00Z'),
      policy,
      calendar,
    });
    expect(plan.due).toEqual([]);
    expect(iso(plan.nextAt)).toBe('2026-12-08T01:00:00.000Z');
  });

  it('fires the reminder at once when a deadline is set two days ahead, not marked late', () => {
    const now = new Date('2026-12-08T03:00:00Z');
    const plan = planEscalation({
      hazardId: 'h2',
      round: { number: 1, deadline: endOfCstDay('2026-12-10'), startedAt: now },
      recorded: new Set(),
      closed: false,
      now,
      policy,
      calendar,
    });
    expect(plan.due.map((step) => [step.step, step.late])).toEqual([['reminder', false]]);
  });

  it('fires steps missed during a shutdown late, once, in order', () => {
    const now = new Date('2026-12-19T02:00:00Z');
    const plan = planEscalation({
      hazardId: 'h1',
      round,
      recorded: new Set(['h1#1#reminder']),
      closed: false,
      now,
      policy,
      calendar,
    });
    expect(plan.due.map((step) => [step.step, step.late])).toEqual([
      ['notice_letter', true],
      ['circular', true],
    ]);
    expect(iso(plan.nextAt)).toBe('2026-12-24T16:00:00.000Z');
  });

  it('never fires a recorded step again, and nothing after closure', () => {
    const all = new Set(scheduleRound('h1', round, policy, calendar).map((step) => step.key));
    const late = new Date('2027-02-01T00:00:00Z');
    expect(
      planEscalation({
        hazardId: 'h1',
        round,
        recorded: all,
        closed: false,
        now: late,
        policy,
        calendar,
      }),
    ).toEqual({ due: [], nextAt: null });
    expect(
      planEscalation({
        hazardId: 'h1',
        round,
        recorded: new Set(),
        closed: true,
        now: late,
        policy,
        calendar,
      }),
    ).toEqual({ due: [], nextAt: null });
  });

  it('moves the steps not yet fired when the deadline is extended', () => {
    const extended = { ...round, deadline: endOfCstDay('2026-12-31') };
    const plan = planEscalation({
      hazardId: 'h1',
      round: extended,
      recorded: new Set(['h1#1#reminder']),
      closed: false,
      now: new Date('2026-12-12T00:00:00Z'),
      policy,
      calendar,
    });
    expect(plan.due).toEqual([]); // the notice letter moved with the deadline
    expect(iso(plan.nextAt)).toBe('2027-01-01T01:00:00.000Z'); // 31 Dec 24:00 → 1 Jan 09:00 (no 2027 calendar yet: Mon–Fri)
  });

  it('starts a fresh ladder in a new round (failed verification or reopening)', () => {
    const second: Round = {
      number: 2,
      deadline: endOfCstDay('2027-01-15'),
      startedAt: new Date('2026-12-20T00:00:00Z'),
    };
    const schedule = scheduleRound('h1', second, policy, calendar);
    expect(schedule[0]?.key).toBe('h1#2#reminder');
  });
});

describe('the next wake-up across the Spring Festival holiday (real 2026 calendar)', () => {
  /**
   * Drives the planner as the workflow does: at each wake-up, records what is due (at that
   * moment), then sleeps until the planner's next wake-up.
   */
  function walk(deadlineDate: string) {
    const round: Round = {
      number: 1,
      deadline: endOfCstDay(deadlineDate),
      startedAt: new Date('2026-01-20T02:00:00Z'),
    };
    const recorded = new Set<string>();
    const log: { step: string; at: string; late: boolean }[] = [];
    let now: Date | null = round.startedAt;
    for (let turn = 0; now && turn < 20; turn += 1) {
      const plan = planEscalation({
        hazardId: 'h',
        round,
        recorded,
        closed: false,
        now,
        policy,
        calendar,
      });
      for (const step of plan.due) {
        recorded.add(step.key);
        log.push({ step: step.step, at: now.toISOString(), late: step.late });
      }
      now = plan.nextAt;
    }
    return { log, schedule: scheduleRound('h', round, policy, calendar) };
  }

  for (const deadline of ['2026-02-07', '2026-02-08', '2026-02-09']) {
    it(`records every step at its own due time, deadline ${deadline}`, () => {
      const { log, schedule } = walk(deadline);
      const byDue = [...schedule].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      // Once each, in due-time order, each at its own time (none waits behind another).
      expect(log).toEqual(
        byDue.map((step) => ({ step: step.step, at: iso(step.dueAt), late: false })),
      );
    });
  }

  it('wakes for the summons before the circular the holiday pushed past it', () => {
    const round: Round = {
      number: 1,
      deadline: endOfCstDay('2026-02-07'),
      startedAt: new Date('2026-01-20T02:00:00Z'),
    };
    const plan = planEscalation({
      hazardId: 'h',
      round,
      recorded: new Set(['h#1#reminder', 'h#1#notice_letter']),
      closed: false,
      now: new Date('2026-02-10T02:00:00Z'),
      policy,
      calendar,
    });
    // Summons at 24:00 CST 21 Feb (urgent); the circular waits for Tue 24 Feb 09:00.
    expect(iso(plan.nextAt)).toBe('2026-02-21T16:00:00.000Z');
  });

  it('lists steps due at once in due-time order, whatever the ladder order', () => {
    const round: Round = {
      number: 1,
      deadline: endOfCstDay('2026-02-07'),
      startedAt: new Date('2026-01-20T02:00:00Z'),
    };
    const plan = planEscalation({
      hazardId: 'h',
      round,
      recorded: new Set(['h#1#reminder', 'h#1#notice_letter']),
      closed: false,
      now: new Date('2026-02-24T03:00:00Z'), // both missed during a shutdown
      policy,
      calendar,
    });
    expect(plan.due.map((step) => [step.step, iso(step.dueAt)])).toEqual([
      ['summons', '2026-02-21T16:00:00.000Z'],
      ['circular', '2026-02-24T01:00:00.000Z'],
    ]);
  });
});
