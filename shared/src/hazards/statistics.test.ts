import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HazardState, HazardStatus } from './hazard.ts';
import {
  aggregate,
  type Bucket,
  bucketOf,
  cellDeltas,
  codeOf,
  decodeCode,
  encodeCode,
  hazardTally,
  recount,
  subtreeOf,
} from './statistics.ts';

// Deadlines are instants: 24:00 CST of the deadline date (16:00 UTC that day).
const endOf = (date: string) => `${date}T16:00:00.000Z`;
const day = (index: number) =>
  new Date(Date.UTC(2022, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);

function hazard(input: {
  id: number;
  jurisdiction: string;
  industry: string;
  major: boolean;
  foundDay: number;
  status: HazardStatus;
  deadlineAfter: number;
  closedAfter: number;
  unit?: string | undefined;
}): HazardState {
  const foundOn = day(input.foundDay);
  const deadline = endOf(day(input.foundDay + input.deadlineAfter));
  const closedAt = `${day(input.foundDay + input.closedAfter)}T03:00:00.000Z`;
  return {
    hazardId: `h${input.id}`,
    source: 'inspection',
    jurisdiction: input.jurisdiction,
    industry: input.industry,
    enterprise: '91350100M000100Y43',
    place: 'p',
    grade: input.major ? 'major' : 'general',
    description: 'd',
    foundOn,
    status: input.status,
    reportedAt: `${foundOn}T02:00:00.000Z`,
    round:
      input.status === 'reported'
        ? null
        : { number: 1, deadline, startedAt: `${foundOn}T02:00:00.000Z` },
    enterpriseUpdates: [],
    revision: 1,
    generation: 0,
    escalations: [],
    ...(input.status === 'closed' ? { closedAt } : {}),
    ...(input.unit !== undefined ? { unit: input.unit } : {}),
  };
}

const hazardArbitrary = fc.record({
  id: fc.nat(),
  jurisdiction: fc.constantFrom('a', 'b', 'c'),
  industry: fc.constantFrom('fire', 'chemical', 'mine'),
  major: fc.boolean(),
  // From 2017-11 (before the epoch: those share the epoch's bucket) to 2025-11.
  foundDay: fc.integer({ min: -1500, max: 1400 }),
  status: fc.constantFrom<HazardStatus>('reported', 'rectifying', 'verifying', 'closed'),
  deadlineAfter: fc.integer({ min: 0, max: 90 }),
  closedAfter: fc.integer({ min: 0, max: 400 }),
  // A unit the jurisdiction lists, one it no longer lists, none; a name with the separator.
  unit: fc.constantFrom(undefined, '东门社区', '西门社区', '旧村', 'a|b'),
});

/** The buckets, built as the adapter does: each write moves one member's cells. */
function bucketsFrom(history: readonly HazardState[]): Bucket[] {
  const buckets = new Map<string, Bucket>();
  const codes = new Map<string, string>();
  history.forEach((state, version) => {
    const tally = hazardTally.of(state, version + 1);
    const { jurisdiction, month } = bucketOf(state);
    const key = `${jurisdiction}#${month}`;
    const bucket = buckets.get(key) ?? { jurisdiction, month, cells: {} };
    buckets.set(key, bucket);
    for (const [cell, delta] of Object.entries(
      hazardTally.deltas(codes.get(state.hazardId) ?? null, tally.code),
    )) {
      bucket.cells[cell] = (bucket.cells[cell] ?? 0) + delta;
    }
    codes.set(state.hazardId, tally.code);
  });
  return [...buckets.values()];
}

const query = (now: string, cutoff = '2024-01-01') => ({
  jurisdictions: ['a', 'b', 'c'],
  from: '2023-01',
  to: '2024-12',
  cutoff,
  now: new Date(now),
  units: { a: ['东门社区', '西门社区', '南门社区'], b: ['东门社区'] },
});

describe('statistics codes', () => {
  it('round-trip, and versions sort as the strings do', () => {
    const state = hazard({
      id: 1,
      jurisdiction: 'a',
      industry: 'fire',
      major: true,
      foundDay: 10,
      status: 'closed',
      deadlineAfter: 5,
      closedAfter: 3,
    });
    const code = codeOf(state, 7);
    expect(decodeCode(encodeCode(code))).toEqual(code);
    expect(encodeCode(codeOf(state, 9)) > encodeCode(codeOf(state, 10))).toBe(false);
    expect(code).toMatchObject({ closedOn: day(13), onTime: true });
  });

  it('moves a member between cells and back to nothing', () => {
    const open = codeOf(
      hazard({
        id: 1,
        jurisdiction: 'a',
        industry: 'fire',
        major: false,
        foundDay: 1,
        status: 'rectifying',
        deadlineAfter: 3,
        closedAfter: 0,
      }),
      2,
    );
    const closed = codeOf(
      hazard({
        id: 1,
        jurisdiction: 'a',
        industry: 'fire',
        major: false,
        foundDay: 1,
        status: 'closed',
        deadlineAfter: 3,
        closedAfter: 5,
      }),
      3,
    );
    const there = cellDeltas(open, closed);
    const back = cellDeltas(closed, open);
    for (const cell of new Set([...Object.keys(there), ...Object.keys(back)])) {
      expect((there[cell] ?? 0) + (back[cell] ?? 0)).toBe(0);
    }
    expect(there[`due|${day(4)}|general|fire`]).toBe(-1);
    expect(there[`d|2022-01|fire|general`]).toBe(5);
  });
});

describe('counters agree with a recount of the hazards', () => {
  it('for any hazards, any history of their states, any day and cut-off', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(hazardArbitrary, { minLength: 1, maxLength: 4 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 1800 }),
        fc.constantFrom('2023-06-15', '2024-01-01', '2025-03-01'),
        (lives, nowDay, cutoff) => {
          // Each life is one hazard's successive states (same id, jurisdiction, found day).
          const finals: HazardState[] = [];
          const history: HazardState[] = [];
          lives.forEach((life, index) => {
            const first = life[0] as (typeof life)[number];
            for (const step of life) {
              history.push(
                hazard({
                  ...step,
                  id: index,
                  jurisdiction: first.jurisdiction,
                  foundDay: first.foundDay,
                  unit: first.unit,
                }),
              );
            }
            finals.push(history.at(-1) as HazardState);
          });
          const asked = query(`${day(nowDay)}T05:00:00.000Z`, cutoff);
          expect(aggregate(bucketsFrom(history), asked)).toEqual(recount(finals, asked));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts overdue from 24:00 CST of the deadline day, as the desk does', () => {
    const state = hazard({
      id: 1,
      jurisdiction: 'a',
      industry: 'fire',
      major: true,
      foundDay: 0,
      status: 'rectifying',
      deadlineAfter: 2,
      closedAfter: 0,
    });
    const before = aggregate(bucketsFrom([state]), query('2022-01-03T15:59:00.000Z'));
    const after = aggregate(bucketsFrom([state]), query('2022-01-03T16:00:00.000Z'));
    expect([before.totals.overdue, after.totals.overdue]).toEqual([0, 1]);
    // By region and by industry alike (the industry rows said 0 whatever was overdue).
    expect(after.regions.find((row) => row.jurisdiction === 'a')?.overdue).toBe(1);
    expect(after.industries.map((row) => [row.industry, row.overdue])).toEqual([['fire', 1]]);
  });
});

describe('by village or community (村/社区)', () => {
  it('rows for each unit the region lists, others named, and no unit, adding up to it', () => {
    const base = { industry: 'fire', deadlineAfter: 2, closedAfter: 5, foundDay: 730 } as const;
    const states = [
      hazard({
        ...base,
        id: 1,
        jurisdiction: 'a',
        major: true,
        status: 'rectifying',
        unit: '东门社区',
      }),
      hazard({
        ...base,
        id: 2,
        jurisdiction: 'a',
        major: false,
        status: 'closed',
        unit: '东门社区',
      }),
      hazard({ ...base, id: 3, jurisdiction: 'a', major: false, status: 'reported', unit: '旧村' }),
      hazard({ ...base, id: 4, jurisdiction: 'a', major: false, status: 'reported' }),
      hazard({ ...base, id: 5, jurisdiction: 'b', major: false, status: 'reported' }),
    ];
    const asked = query('2024-06-01T00:00:00Z');
    const counted = aggregate(bucketsFrom(states), asked);
    expect(counted).toEqual(recount(states, asked));
    const ofA = counted.units.filter((row) => row.jurisdiction === 'a');
    expect(ofA.map((row) => [row.unit, row.found, row.open, row.overdue, row.openMajor])).toEqual([
      ['东门社区', 2, 1, 1, 1],
      ['西门社区', 0, 0, 0, 0],
      ['南门社区', 0, 0, 0, 0],
      ['旧村', 1, 1, 0, 0],
      ['', 1, 1, 0, 0],
    ]);
    const region = counted.regions.find((row) => row.jurisdiction === 'a');
    for (const field of ['found', 'closed', 'open', 'daysToClose', 'overdue'] as const) {
      expect(ofA.reduce((sum, row) => sum + row[field], 0)).toBe(region?.[field]);
    }
    expect(counted.units.filter((row) => row.jurisdiction === 'b').map((row) => row.unit)).toEqual([
      '东门社区',
      '',
    ]);
  });
});

describe('the campaign targets', () => {
  const base = { jurisdiction: 'a', industry: 'fire', deadlineAfter: 30, closedAfter: 0 } as const;
  it('dates the backlog cleared by its last closing, late if after 2024', () => {
    // Found 2023-12-01 (day 699), closed 2024-03-01 and 2025-01-10.
    const states = [
      hazard({ ...base, id: 1, major: false, foundDay: 699, status: 'closed', closedAfter: 91 }),
      hazard({ ...base, id: 2, major: false, foundDay: 699, status: 'closed', closedAfter: 406 }),
    ];
    const [backlog] = recount(states, query('2026-06-01T00:00:00Z')).targets;
    expect(backlog).toMatchObject({ standing: 'met_late', metOn: '2025-01-10', value: 0 });
    const open = recount(
      [
        states[0] as HazardState,
        hazard({ ...base, id: 3, major: false, foundDay: 10, status: 'rectifying' }),
      ],
      query('2024-06-01T00:00:00Z'),
    );
    expect(open.targets[0]).toMatchObject({
      standing: 'pending',
      metOn: null,
      value: 1,
      daysLeft: 213,
    });
  });

  it('meets the inflow target when 2025 found fewer than 2024, once 2025 is over', () => {
    const found = (id: number, foundDay: number) =>
      hazard({ ...base, id, major: false, foundDay, status: 'reported' });
    // Days 800.. are in 2024, 1100.. in 2025.
    const states = [found(1, 800), found(2, 801), found(3, 1100)];
    expect(recount(states, query('2025-12-31T10:00:00Z')).targets[1]).toMatchObject({
      standing: 'pending',
      value: 1,
      baseline: 2,
    });
    expect(recount(states, query('2026-01-01T10:00:00Z')).targets[1]).toMatchObject({
      standing: 'met',
      metOn: '2025-12-31',
    });
  });

  it('calls a target with nothing to count not applicable, not missed (0 of 0)', () => {
    // Only a hazard found in 2026: no backlog ever, nothing found in 2024 nor 2025.
    const states = [hazard({ ...base, id: 1, major: false, foundDay: 1500, status: 'reported' })];
    const [backlog, inflow] = recount(states, query('2026-12-10T01:00:00Z')).targets;
    expect(backlog).toMatchObject({ standing: 'not_applicable', value: 0, metOn: null });
    expect(inflow).toMatchObject({ standing: 'not_applicable', value: 0, baseline: 0 });
    // The counters say the same.
    expect(aggregate([], query('2026-12-10T01:00:00Z')).targets.map((t) => t.standing)).toEqual([
      'not_applicable',
      'not_applicable',
      'met',
    ]);
    // Before 2025 is over, nothing found yet is still in progress.
    expect(recount(states, query('2025-06-01T00:00:00Z')).targets[1]?.standing).toBe('pending');
  });

  it('dates open majors at zero by the last major closed', () => {
    const states = [
      hazard({ ...base, id: 1, major: true, foundDay: 1500, status: 'closed', closedAfter: 20 }),
    ];
    expect(recount(states, query('2026-12-01T00:00:00Z')).targets[2]).toMatchObject({
      standing: 'met',
      metOn: day(1520),
      value: 0,
    });
    const open = [hazard({ ...base, id: 2, major: true, foundDay: 1500, status: 'verifying' })];
    expect(recount(open, query('2027-01-02T00:00:00Z')).targets[2]).toMatchObject({
      standing: 'missed',
      value: 1,
    });
  });
});

describe('the jurisdiction tree', () => {
  it('takes the children named by code or by name, down every level', () => {
    const tree = [
      { code: 'county', zh: '某县', parent: '某市' },
      { code: 'town', zh: '某镇', parent: '某县' },
      { code: 'community', zh: '某社区', parent: 'town' },
      { code: 'other', zh: '他县', parent: '某市' },
    ];
    expect(subtreeOf('county', tree)).toEqual(['county', 'town', 'community']);
  });
});
