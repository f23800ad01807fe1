import { describe, expect, it } from 'vitest';
import { deadlineStanding, deskCounts, myCases, openingStatus } from './desk.ts';

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
        reported: [{ grade: 'major' }],
        rectifying: [
          {
            grade: 'general',
            deadline: endOf('2026-12-01'),
            // Two steps today (CST), one yesterday.
            escalatedAt: [
              '2026-12-06T16:00:00.000Z',
              '2026-12-07T16:00:00.000Z',
              '2026-12-08T01:00:00.000Z',
            ],
          },
          { grade: 'major', deadline: endOf('2026-12-09'), pendingExtension: true },
          { grade: 'general', deadline: endOf('2026-12-30') },
        ],
        verifying: [{ grade: 'general', deadline: endOf('2026-12-01') }],
        closed_look_back: [{ grade: 'major' }],
        closed: [{ grade: 'major', escalatedAt: ['2026-12-08T01:00:00.000Z'] }],
      },
      { received: 2, accepted: 1, investigating: 0, substantiated: 0 },
      new Date('2026-12-08T02:00:00.000Z'),
    );
    expect(counts).toEqual({
      hazards: { reported: 1, rectifying: 3, verifying: 1, closed_look_back: 1, closed: 1 },
      overdue: 1,
      dueSoon: 1,
      openMajor: 2,
      pendingExtensions: 1,
      escalationsToday: 2,
      tips: { received: 2, accepted: 1, investigating: 0, substantiated: 0 },
    });
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
      },
      'me',
      now,
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
    expect(myCases(ledger, 'me', now)).toEqual([]);
  });
});
