import { describe, expect, it } from 'vitest';
import type { Role } from '../auth/principal.ts';
import { deadlineStanding, deskCardHazards, deskCounts, myCases, openingStatus } from './desk.ts';
import type { EscalationStep } from './escalation.ts';

// Deadlines are instants: 24:00 CST of the deadline date (16:00 UTC that day).
const endOf = (date: string) => `${date}T16:00:00.000Z`;

describe('the desk: deadlines as of the clock', () => {
  it('is overdue from 24:00 CST of the deadline date, not a minute before', () => {
    expect(deadlineStanding(endOf('2026-12-09'), new Date('2026-12-09T15:59:00.000Z'))).toBe(
      'due_soon',
    );
    expect(deadlineStanding(endOf('2026-12-09'), new Date('2026-12-09T16:00:00.000Z'))).toBe(
      'overdue',
    );
  });

  it('is due soon today and the next two CST days, later after', () => {
    const now = new Date('2026-12-08T17:00:00.000Z'); // 01:00 CST on the 9th
    expect(deadlineStanding(endOf('2026-12-09'), now)).toBe('due_soon');
    expect(deadlineStanding(endOf('2026-12-11'), now)).toBe('due_soon');
    expect(deadlineStanding(endOf('2026-12-12'), now)).toBe('later');
  });

  it('counts only rectifying deadlines, and majors of open statuses', () => {
    const counts = deskCounts(
      {
        reported: [{ hazardId: 'r', grade: 'major' }],
        rectifying: [
          {
            hazardId: 'a',
            grade: 'general',
            deadline: endOf('2026-12-01'),
            round: 1,
            // Two steps today (CST), one yesterday: the hazard is counted once.
            steps: [
              { step: 'reminder', round: 1, at: '2026-12-06T16:00:00.000Z' },
              { step: 'notice_letter', round: 1, at: '2026-12-07T16:00:00.000Z' },
              { step: 'circular', round: 1, at: '2026-12-08T01:00:00.000Z' },
            ],
          },
          { hazardId: 'b', grade: 'major', deadline: endOf('2026-12-09'), pendingExtension: true },
          { hazardId: 'c', grade: 'general', deadline: endOf('2026-12-30') },
        ],
        verifying: [{ hazardId: 'v', grade: 'general', deadline: endOf('2026-12-01') }],
        closed_look_back: [{ hazardId: 'l', grade: 'major' }],
        closed: [
          {
            hazardId: 'x',
            grade: 'major',
            steps: [{ step: 'reminder', round: 1, at: '2026-12-08T01:00:00.000Z' }],
          },
        ],
      },
      { received: 2, accepted: 1, investigating: 0, substantiated: 0 },
      { now: new Date('2026-12-08T02:00:00.000Z'), majorSignOff: 'department_head' },
    );
    expect(counts).toEqual({
      hazards: { reported: 1, rectifying: 3, verifying: 1, closed_look_back: 1, closed: 1 },
      overdue: 1,
      dueSoon: 1,
      openMajor: 2,
      pendingExtensions: 1,
      awaitingSignOff: 0,
      escalationsToday: 1,
      summonsToHold: 0,
      listedSupervisions: 0,
      exposureToApprove: 0,
      exposed: 0,
      tips: { received: 2, accepted: 1, investigating: 0, substantiated: 0 },
    });
  });
});

describe('the desk: every count is the hazards its card lists', () => {
  const now = new Date('2026-12-08T02:00:00.000Z');
  const today = '2026-12-08T00:30:00.000Z';
  const yesterday = '2026-12-06T20:00:00.000Z';
  const fired = (step: EscalationStep, at: string, round = 1) => ({ step, round, at });
  const ledger = {
    reported: [{ hazardId: 'r1', grade: 'major' as const }],
    rectifying: [
      // A summons fell due yesterday and was held since: nothing to hold.
      {
        hazardId: 's-held',
        grade: 'general' as const,
        round: 1,
        deadline: endOf('2026-11-20'),
        steps: [fired('summons', yesterday)],
        summonsHeldAt: ['2026-12-07T06:00:00.000Z'],
      },
      // Held before the step fired: the summons the ladder calls for is still to hold.
      {
        hazardId: 's-due',
        grade: 'major' as const,
        round: 1,
        deadline: endOf('2026-11-20'),
        steps: [fired('summons', today)],
        summonsHeldAt: ['2026-12-01T06:00:00.000Z'],
        listed: true,
      },
      // A summons of an earlier round: the hazard was reopened, its new ladder has none yet.
      {
        hazardId: 's-old',
        grade: 'general' as const,
        round: 2,
        deadline: endOf('2026-12-30'),
        steps: [fired('summons', yesterday, 1)],
      },
      // The exposure step fired, not approved yet.
      {
        hazardId: 'e-due',
        grade: 'general' as const,
        round: 1,
        deadline: endOf('2026-11-01'),
        steps: [fired('summons', yesterday), fired('public_exposure', today)],
        summonsHeldAt: [today],
        pendingExtension: true,
      },
      {
        hazardId: 'e-done',
        grade: 'general' as const,
        round: 1,
        deadline: endOf('2026-11-01'),
        steps: [fired('public_exposure', yesterday)],
        exposed: true,
      },
    ],
    verifying: [
      { hazardId: 'v-major', grade: 'major' as const, verified: true, listed: true },
      { hazardId: 'v-major-unchecked', grade: 'major' as const },
      { hazardId: 'v-general', grade: 'general' as const, verified: true },
    ],
    closed_look_back: [],
    // A closed hazard keeps its listing and exposure until lifted or withdrawn.
    closed: [{ hazardId: 'c1', grade: 'major' as const, listed: true, exposed: true }],
  };
  const context = { now, majorSignOff: 'department_head' as const };

  it.each([
    ['overdue', ['e-due', 'e-done', 's-held', 's-due']],
    ['dueSoon', []],
    ['openMajor', ['s-due', 'r1', 'v-major', 'v-major-unchecked']],
    ['pendingExtensions', ['e-due']],
    ['awaitingSignOff', ['v-major']],
    ['escalationsToday', ['e-due', 's-due']],
    ['summonsToHold', ['s-due']],
    ['listedSupervisions', ['s-due', 'v-major', 'c1']],
    ['exposureToApprove', ['e-due']],
    ['exposed', ['e-done', 'c1']],
  ] as const)('%s lists %j, and counts as many', (card, ids) => {
    const listed = deskCardHazards(ledger, card, context).map((entry) => entry.hazardId);
    expect(new Set(listed)).toEqual(new Set(ids));
    expect(listed).toHaveLength(ids.length);
    expect(
      deskCounts(ledger, { received: 0, accepted: 0, investigating: 0, substantiated: 0 }, context)[
        card
      ],
    ).toBe(ids.length);
  });

  it('leaves sign-off to the officer when the policy says so', () => {
    const officerSigns = { now, majorSignOff: 'officer' as const };
    expect(deskCardHazards(ledger, 'awaitingSignOff', officerSigns)).toEqual([]);
  });

  it("gives each role its cases, with why: the department head's decisions, the leaders' acts", () => {
    const of = (...roles: Role[]) =>
      myCases(ledger, { userId: 'me', roles }, context).map((entry) => [entry.hazardId, entry.why]);
    expect(of('department_head')).toEqual([
      ['e-due', ['pendingExtensions']],
      ['v-major', ['awaitingSignOff']],
    ]);
    expect(of('leader_in_charge')).toEqual([['s-due', ['summonsToHold']]]);
    expect(of('principal_leader')).toEqual([
      ['e-due', ['exposureToApprove']],
      ['s-due', ['summonsToHold', 'listedSupervisions']],
      ['v-major', ['listedSupervisions']],
      ['c1', ['listedSupervisions']],
    ]);
    expect(of('reward_officer', 'administrator')).toEqual([]);
  });
});

describe('the ledger opens where the work is', () => {
  const none = { reported: 0, rectifying: 0, verifying: 0, closed_look_back: 0, closed: 0 };
  it('on the first open status with hazards, else on reported', () => {
    expect(openingStatus({ ...none, reported: 0, rectifying: 2, verifying: 1 })).toBe('rectifying');
    expect(openingStatus({ ...none, verifying: 1, closed: 5 })).toBe('verifying');
    expect(openingStatus({ ...none, closed: 5 })).toBe('reported');
  });
});

describe('the desk: my cases', () => {
  const now = new Date('2026-12-08T02:00:00.000Z');
  const entry = (hazardId: string, recordedBy: string, deadline?: string) => ({
    hazardId,
    place: `${hazardId} 号仓库`,
    recordedBy,
    grade: 'general' as const,
    ...(deadline ? { deadline } : {}),
  });

  it("lists the person's own open hazards, soonest deadline first, undated last", () => {
    const cases = myCases(
      {
        reported: [entry('a', 'me'), entry('b', 'colleague')],
        rectifying: [
          entry('c', 'me', endOf('2026-12-20')),
          entry('d', 'me', endOf('2026-12-01')),
          entry('e', 'colleague', endOf('2026-12-02')),
        ],
        verifying: [entry('f', 'me', endOf('2026-12-09'))],
        closed_look_back: [],
        // A closed hazard is no longer a case.
        closed: [entry('g', 'me', endOf('2026-11-01'))],
      },
      { userId: 'me', roles: ['officer'] },
      { now, majorSignOff: 'department_head' },
    );
    expect(cases.map((item) => [item.hazardId, item.status, item.standing])).toEqual([
      ['d', 'rectifying', 'overdue'],
      // A verifying hazard has its fix in: its deadline shows, it does not stand against it.
      ['f', 'verifying', undefined],
      ['c', 'rectifying', 'later'],
      ['a', 'reported', undefined],
    ]);
  });

  it('lists nothing for a person who recorded none, nor for a hazard with no recorder', () => {
    const ledger = {
      reported: [{ grade: 'major' as const, hazardId: 'x' }],
      rectifying: [],
      verifying: [],
    };
    const none = { closed_look_back: [], closed: [] };
    const me = { userId: 'me', roles: ['officer'] as Role[] };
    expect(myCases({ ...ledger, ...none }, me, { now, majorSignOff: 'officer' })).toEqual([]);
  });
});
