import { describe, expect, it } from 'vitest';
import { endOfCstDay, seedCalendar } from '../calendar/calendar.ts';
import {
  byDueTime,
  nextOfficeMoment,
  planEscalation,
  defaultEscalationPolicy as policy,
  type Round,
  scheduleRound,
  spreadOffsetMs,
} from './escalation.ts';
import { hazardIdFor } from './ids.ts';

const calendar = seedCalendar;
const iso = (date: Date | null | undefined) => date?.toISOString();
/** A hazard's place in the spread window after an office moment (09:00 CST = 01:00Z). */
const spreadFrom = (hazardId: string, at: string) =>
  new Date(Date.parse(at) + spreadOffsetMs(hazardId, policy)).toISOString();

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
      // 7 Dec 24:00 → Tue 8 Dec 09:00, then h1's place in the spread window
      ['h1#1#reminder', spreadFrom('h1', '2026-12-08T01:00:00.000Z')],
      ['h1#1#notice_letter', spreadFrom('h1', '2026-12-11T01:00:00.000Z')], // → Fri 09:00
      ['h1#1#circular', spreadFrom('h1', '2026-12-18T01:00:00.000Z')],
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
    expect(iso(plan.nextAt)).toBe(spreadFrom('h1', '2026-12-08T01:00:00.000Z'));
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
    // 31 Dec 24:00 → 1 Jan 09:00 (no 2027 calendar yet: Mon–Fri), spread
    expect(iso(plan.nextAt)).toBe(spreadFrom('h1', '2027-01-01T01:00:00.000Z'));
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
      ['circular', spreadFrom('h', '2026-02-24T01:00:00.000Z')],
    ]);
  });
});

describe('steps held to the start of office hours spread over a short window', () => {
  // Deadline Sat 3 Oct 2026, in the National Day holiday: the reminder (24:00 30 Sep) and
  // the notice letter (24:00 3 Oct) are both held to the first office moment after it.
  const round: Round = {
    number: 1,
    deadline: endOfCstDay('2026-10-03'),
    startedAt: new Date('2026-09-01T02:00:00Z'),
  };
  const heldTo = nextOfficeMoment(round.deadline, calendar, policy.officeHours);
  const windowMs = 30 * 60_000;

  it('gives each hazard its own instant within the window, the same on every computation', async () => {
    const hazardIds = await Promise.all(
      Array.from({ length: 500 }, (_, row) => hazardIdFor('cq-gecheng', `ledger-row-${row}`)),
    );
    const noticeLetterAt = (hazardId: string) =>
      scheduleRound(hazardId, round, policy, calendar)[1]?.dueAt.getTime() ?? Number.NaN;
    const times = hazardIds.map(noticeLetterAt);
    expect(policy.spreadMinutes).toBe(30);
    expect(new Set(times).size).toBe(hazardIds.length); // no two in the same instant
    for (const at of times) {
      expect(at).toBeGreaterThanOrEqual(heldTo.getTime()); // never before the rule
      expect(at).toBeLessThan(heldTo.getTime() + windowMs);
    }
    // Spread over the window, not bunched at its start: every 5 minutes holds some.
    const sixths = new Set(times.map((at) => Math.floor((at - heldTo.getTime()) / 300_000)));
    expect(sixths.size).toBe(6);
    // A restart, a re-plan or another process computes the same instants; the planner
    // wakes at them.
    expect(hazardIds.map(noticeLetterAt)).toEqual(times);
    for (const [index, hazardId] of hazardIds.slice(0, 20).entries()) {
      const plan = planEscalation({
        hazardId,
        round,
        recorded: new Set(),
        closed: false,
        now: round.startedAt,
        policy,
        calendar,
      });
      expect(plan.nextAt?.getTime()).toBe(times[index]);
    }
  });

  it("keeps one hazard's steps held to the same morning together, in ladder order", () => {
    const [reminder, noticeLetter] = byDueTime(scheduleRound('h1', round, policy, calendar));
    expect([reminder?.step, noticeLetter?.step]).toEqual(['reminder', 'notice_letter']);
    expect(iso(reminder?.dueAt)).toBe(spreadFrom('h1', heldTo.toISOString()));
    expect(iso(noticeLetter?.dueAt)).toBe(iso(reminder?.dueAt));
  });

  it('never moves a step earlier, nor past office hours, nor urgent steps at all', () => {
    // A deadline inside office hours (Thu 10 Dec 2026, 09:01 CST): the notice letter's time is
    // inside the window, so it waits for the hazard's place; one after it keeps its time.
    const at0901 = new Date('2026-12-10T01:01:00Z');
    const inOffice: Round = { ...round, deadline: at0901 };
    const early = ['h1', 'h2', 'h3', 'h4', 'h5'].find(
      (id) => spreadOffsetMs(id, policy) > 60_000,
    ) as string;
    const [, noticeLetter] = scheduleRound(early, inOffice, policy, calendar);
    expect(iso(noticeLetter?.dueAt)).toBe(spreadFrom(early, '2026-12-10T01:00:00.000Z'));
    const late: Round = { ...round, deadline: new Date('2026-12-10T06:00:00Z') }; // 14:00
    expect(iso(scheduleRound(early, late, policy, calendar)[1]?.dueAt)).toBe(
      '2026-12-10T06:00:00.000Z',
    );
    // Urgent steps go at their time.
    expect(iso(scheduleRound(early, round, policy, calendar)[3]?.dueAt)).toBe(
      iso(new Date(round.deadline.getTime() + 14 * 24 * 3600_000)),
    );
    // A window longer than the office day stays inside it (09:00–10:00 here).
    const short = { ...policy, officeHours: { startHour: 9, endHour: 10 }, spreadMinutes: 120 };
    for (const id of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']) {
      const dueAt = scheduleRound(id, round, short, calendar)[1]?.dueAt.getTime() ?? 0;
      expect(dueAt).toBeGreaterThanOrEqual(heldTo.getTime());
      expect(dueAt).toBeLessThan(heldTo.getTime() + 3600_000);
    }
  });

  it('keeps every step at the start of office hours with a window of 0', () => {
    const unspread = { ...policy, spreadMinutes: 0 };
    const [reminder, noticeLetter] = scheduleRound('h1', round, unspread, calendar);
    expect([iso(reminder?.dueAt), iso(noticeLetter?.dueAt)]).toEqual([iso(heldTo), iso(heldTo)]);
  });
});
