import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { readPartition } from '@qingling/shared/adapters/dynamodb/index-page.ts';
import { addCalendarDays, cstDate } from '@qingling/shared/calendar/calendar.ts';
import { type RecordedEvent, sealEvent } from '@qingling/shared/event-log/event-log.ts';
import type { Projection } from '@qingling/shared/event-log/event-store.ts';
import { deskLedgerStatuses } from '@qingling/shared/hazards/desk.ts';
import {
  checkTransition,
  type HazardEvent,
  type HazardState,
  hazardLedgerPartition,
  hazardProjection,
  hazardStream,
  type LedgerStatus,
} from '@qingling/shared/hazards/hazard.ts';
import {
  bucketMonths,
  recount,
  statisticsPartition,
  subtreeOf,
} from '@qingling/shared/hazards/statistics.ts';
import {
  weekHolding,
  weeklyNumbers,
  weeklyRecount,
} from '@qingling/shared/hazards/weekly-report.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import { tipStatuses } from '@qingling/shared/tips/schemas.ts';
import { tipProjection } from '@qingling/shared/tips/tip-projection.ts';
import {
  type TipEvent,
  type TipState,
  tipInboxPartition,
  tipStream,
} from '@qingling/shared/tips/tip-state.ts';
import {
  recountTips,
  tipChannels,
  tipStatisticsPartition,
} from '@qingling/shared/tips/tip-statistics.ts';
import { reconcile } from '@qingling/shared/workflow/reconcile.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencies, useDependencies } from '#functions/dependencies.ts';
import { checkRecordCounters } from '#functions/workflow/reconcile.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';

// Issue 15: the statistics come from counter items kept beside the hazards' states, and
// must agree exactly with a count of the hazards themselves: over 5,000 hazards in five
// jurisdictions (two of them communities below 葛城街道), twenty industries and three
// years, after random lifecycles, a lost counter update the reconciler repairs, and a
// rebuild over a corrupted bucket. The tips beside them (1,500, by channel) likewise.
const now = '2026-12-08T02:00:00.000Z'; // Tue 10:00 CST
const clock = new ManualClock(now);
const hazardCount = 5_000;
const tipCount = 1_500;
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
/** Every hazard's whole life, as generated (the truth a past week is replayed from). */
let lives: Life[] = [];

// 东门社区 and 西门社区 below 葛城街道: the tree the statistics go down.
const children = ['dongmen', 'ximen'].map((name, index) => ({
  ...(seedData.jurisdictions.find(
    (entry) => entry.code === 'cq-gecheng',
  ) as (typeof seedData.jurisdictions)[number]),
  code: `cq-gecheng-${name}`,
  zh: ['东门社区', '西门社区'][index] as string,
  en: `${name} community`,
  level: 'subdistrict' as const,
  parent: '葛城街道',
  units: [`${name}一组`, `${name}二组`],
}));
const tree = [...seedData.jurisdictions, ...children];
const places = [
  'cq-gecheng',
  ...children.map((child) => child.code),
  'fj-xiamen-xiangan',
  'cq-wushan-futian',
];
const industries = seedData.industries.map((industry) => industry.code);
/** The units each jurisdiction lists (村/社区), as the statistics route is given them. */
const unitsOf = Object.fromEntries(tree.map((entry) => [entry.code, entry.units]));
/**
 * A hazard's unit: one its jurisdiction lists, none, or now and then one it no longer
 * lists (renamed since; written in bulk, past the handlers' check).
 */
const unitFor = (jurisdiction: string): { unit?: string } => {
  const roll = next();
  if (roll < 0.25) return {};
  if (roll < 0.3) return { unit: '旧村' };
  return { unit: pick(unitsOf[jurisdiction] ?? []) };
};

/** A seeded pseudo-random source: the same hazards every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(20261208);
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
const dayMs = 86_400_000;
const endOfCstDay = (ms: number) => {
  const date = new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
  return `${date}T16:00:00.000Z`;
};

const plan = {
  goalAndTasks: '清理安全出口',
  methodsAndMeasures: '搬离货物',
  fundsAndMaterials: '企业自筹',
  responsibleBodyAndPeople: '王某',
  deadlineAndRequirements: '限期完成',
  safetyAndEmergencyMeasures: '专人值守',
};
const officer = { kind: 'person' as const, id: 'demo:cq-gecheng.officer', name: '李明' };

/** One hazard's life as events, in time order, all before now: random but valid. */
function lifeOf(index: number): { id: string; events: { at: number; event: HazardEvent }[] } {
  const id = `stat${String(index).padStart(22, '0')}`.replace(
    /\d/g,
    (d) => 'abcdefghij'[Number(d)] as string,
  );
  const end = Date.parse(now) - dayMs;
  const reported =
    Date.parse('2023-12-01T02:00:00Z') +
    Math.floor(next() * (end - Date.parse('2023-12-01T02:00:00Z')));
  const grade = next() < 0.2 ? 'major' : 'general';
  const found = reported - Math.floor(next() * 3) * dayMs;
  const jurisdiction = pick(places);
  const events: { at: number; event: HazardEvent }[] = [
    {
      at: reported,
      event: {
        type: 'hazard_reported',
        data: {
          hazardId: id,
          source: 'inspection',
          jurisdiction,
          ...unitFor(jurisdiction),
          industry: pick(industries),
          enterprise: '91350100M000100Y43',
          place: `${index} 号`,
          grade,
          ...(grade === 'major' ? { standard: { ref: 'GB 35181-2025', clause: '5.1.1' } } : {}),
          description: '安全出口堵塞',
          foundOn: new Date(found + 8 * 3600_000).toISOString().slice(0, 10),
        },
      },
    },
  ];
  let at = reported;
  const step = (days: number) => {
    at += Math.max(1, Math.floor(next() * days)) * dayMs;
    return at < end;
  };
  const push = (event: HazardEvent) => events.push({ at, event });
  const fate = next();
  if (fate < 0.15 || !step(10)) return { id, events };
  push({
    type: 'rectification_started',
    data: {
      responsible: '王某',
      measures: '清理',
      deadline: endOfCstDay(at + (5 + Math.floor(next() * 60)) * dayMs),
      ...(grade === 'major' ? { plan } : {}),
    },
  });
  if (fate < 0.25 && step(20)) {
    push({
      type: 'deadline_extension_requested',
      data: { deadline: endOfCstDay(at + 90 * dayMs), reason: '延期' },
    });
    if (step(5))
      push({
        type: 'deadline_extended',
        data: { deadline: endOfCstDay(at + 90 * dayMs), reason: '同意', approvedBy: 'head' },
      });
  }
  if (fate < 0.35 || !step(80)) return { id, events };
  push({ type: 'evidence_submitted', data: { note: '已整改', photoKeys: [] } });
  if (fate < 0.45 || !step(10)) return { id, events };
  if (fate < 0.55) {
    push({
      type: 'verification_failed',
      data: { reasons: '未整改到位', newDeadline: endOfCstDay(at + 30 * dayMs) },
    });
    return { id, events };
  }
  push({ type: 'verification_passed', data: { note: '通过', onSite: true } });
  if (!step(5)) return { id, events };
  push({ type: 'hazard_closed', data: { note: '销号' } });
  if (fate > 0.95 && step(60)) {
    push({
      type: 'hazard_reopened',
      data: { reason: '回头看发现反弹', newDeadline: endOfCstDay(at + 20 * dayMs) },
    });
  }
  return { id, events };
}

type Life = ReturnType<typeof lifeOf>;

/** One tip's life: received by a channel, then perhaps verified, substantiated, rewarded. */
function tipLifeOf(index: number): TipLife {
  const id = `tips${String(index).padStart(22, '0')}`.replace(
    /\d/g,
    (d) => 'abcdefghij'[Number(d)] as string,
  );
  const end = Date.parse(now) - dayMs;
  const start = Date.parse('2023-11-01T02:00:00Z');
  let at = start + Math.floor(next() * (end - start));
  const events: { at: number; event: TipEvent }[] = [
    {
      at,
      event: {
        type: 'tip_received',
        data: {
          tipId: id,
          channel: pick(tipChannels),
          jurisdiction: pick(places),
          industry: pick(industries),
          address: `${index} 号`,
          description: '安全出口堵塞',
          seenOn: new Date(at + 8 * 3600_000).toISOString().slice(0, 10),
          isEmployee: next() < 0.2,
          wantsReward: true,
          photoIds: [],
          contentDigest: `digest-${index}`,
          acceptDeadline: new Date(at + 5 * dayMs).toISOString(),
        },
      },
    },
  ];
  const step = (days: number) => {
    at += Math.max(1, Math.floor(next() * days)) * dayMs;
    return at < end;
  };
  const push = (event: TipEvent) => events.push({ at, event });
  const fate = next();
  if (fate < 0.15 || !step(5)) return { id, events };
  if (fate < 0.25) {
    push({ type: 'tip_refused', data: { reason: 'no_target_or_facts' } });
    return { id, events };
  }
  push({ type: 'tip_accepted', data: {} });
  if (fate < 0.35 || !step(10)) return { id, events };
  push({ type: 'investigation_started', data: {} });
  if (fate < 0.45 || !step(30)) return { id, events };
  const finding = next() < 0.65 ? 'substantiated' : 'unsubstantiated';
  push({ type: 'investigation_recorded', data: { finding, note: '核查' } });
  if (finding === 'substantiated' && fate > 0.6 && step(20)) {
    const amountFen = 100_000 + Math.floor(next() * 10) * 10_000;
    push({
      type: 'reward_computed',
      data: {
        computation: {
          amountFen,
          policyVersion: '1',
          rule: { zh: '规则', en: 'rule' },
          figures: { zh: '数额', en: 'figures' },
        },
        amountFen,
        computedBy: 'officer-a',
      },
    });
    if (fate > 0.7 && step(5)) {
      push({ type: 'reward_approved', data: { amountFen, approvedBy: 'officer-b' } });
    }
  }
  if (step(10)) push({ type: 'feedback_given', data: { text: '已反馈' } });
  return { id, events };
}

interface TipLife {
  id: string;
  events: { at: number; event: TipEvent }[];
}

/** Appends a life's events through the event store: state, indexes and counters as in use. */
async function appendLife(life: Life, projection: Projection<HazardState> = hazardProjection) {
  const store = dependencies.eventStore();
  let snapshot = await store.load(hazardStream(life.id), projection);
  for (const { at, event } of life.events) {
    checkTransition(snapshot?.state ?? null, event);
    const result = await store.append(
      hazardStream(life.id),
      snapshot,
      { ...event, at: new Date(at).toISOString(), actor: officer },
      projection,
    );
    if (result.kind !== 'appended') throw new Error(`${life.id}: ${result.kind}`);
    snapshot = result.snapshot;
  }
}

/** Appends a tip's events through the event store (its counters as in use). */
async function appendTipLife(life: TipLife, projection: Projection<TipState> = tipProjection) {
  const store = dependencies.eventStore();
  let snapshot = await store.load(tipStream(life.id), projection);
  for (const { at, event } of life.events) {
    const result = await store.append(
      tipStream(life.id),
      snapshot,
      { ...event, at: new Date(at).toISOString(), actor: officer },
      projection,
    );
    if (result.kind !== 'appended') throw new Error(`${life.id}: ${result.kind}`);
    snapshot = result.snapshot;
  }
}

/**
 * The first part of each life written in bulk (BatchWriteItem): its sealed events and its
 * state item as the event store writes them, but no counters: those come from a rebuild.
 */
async function bulkItems(life: Life): Promise<Record<string, unknown>[]> {
  return bulkItemsOf(hazardStream(life.id), life.events, hazardProjection, (state, event) =>
    checkTransition(state, event as HazardEvent),
  );
}

async function bulkItemsOf<State>(
  stream: string,
  events: { at: number; event: HazardEvent | TipEvent }[],
  projection: Projection<State>,
  check: (state: State | null, event: HazardEvent | TipEvent) => void = () => {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let previous: { sequence: number; hash: string } | null = null;
  let state: State | null = null;
  for (const { at, event } of events) {
    check(state, event);
    const sealed: RecordedEvent = await sealEvent<string, unknown>(stream, previous, {
      ...event,
      at: new Date(at).toISOString(),
      actor: officer,
    });
    items.push({ pk: stream, sk: `E#${String(sealed.sequence).padStart(10, '0')}`, ...sealed });
    state = projection.apply(state, sealed);
    previous = { sequence: sealed.sequence, hash: sealed.hash };
  }
  if (state && previous) {
    items.push({
      pk: stream,
      sk: 'STATE',
      state,
      version: previous.sequence,
      head: previous.hash,
      idempotencyKeys: [],
      ...projection.indexes?.(state),
    });
  }
  return items;
}

async function batchWrite(items: Record<string, unknown>[]) {
  const documents = (
    await import('@qingling/shared/adapters/dynamodb/client.ts')
  ).createDocumentClient();
  const tableName = process.env.TABLE_NAME as string;
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (cursor < items.length) {
        let writes = items.slice(cursor, cursor + 25).map((Item) => ({ PutRequest: { Item } }));
        cursor += 25;
        while (writes.length) {
          const reply = await documents.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: writes } }),
          );
          writes = (reply.UnprocessedItems?.[tableName] ?? []) as typeof writes;
        }
      }
    }),
  );
}

/** The hazards as the ledger's index holds them: what the recount counts. */
async function storedStates(jurisdictions: readonly string[]): Promise<HazardState[]> {
  const documents = (
    await import('@qingling/shared/adapters/dynamodb/client.ts')
  ).createDocumentClient();
  const pages = await Promise.all(
    jurisdictions.flatMap((jurisdiction) =>
      deskLedgerStatuses.map((status) =>
        readPartition(documents, {
          tableName: process.env.TABLE_NAME as string,
          partition: hazardLedgerPartition(jurisdiction, status),
          projection: '#state',
          names: { '#state': 'state' },
        }),
      ),
    ),
  );
  return pages.flat().map((item) => item.state as HazardState);
}

/** The tips as the inbox's index holds them: what the tip recount counts. */
async function storedTipStates(jurisdictions: readonly string[]): Promise<TipState[]> {
  const documents = (
    await import('@qingling/shared/adapters/dynamodb/client.ts')
  ).createDocumentClient();
  const pages = await Promise.all(
    jurisdictions.flatMap((jurisdiction) =>
      tipStatuses.map((status) =>
        readPartition(documents, {
          tableName: process.env.TABLE_NAME as string,
          partition: tipInboxPartition(jurisdiction, status),
          projection: '#state',
          names: { '#state': 'state' },
        }),
      ),
    ),
  );
  return pages.flat().map((item) => item.state as TipState);
}

async function statistics(root: string, query: Record<string, string> = {}) {
  const token = await signIn(cloud.url, `${root}.officer`);
  const search = new URLSearchParams({ jurisdiction: root, ...query });
  const response = await fetch(`${cloud.url}/api/office/statistics?${search}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
}

/** The API's answer and the recount of the same hazards, in the fields both have. */
async function compare(root: string, query: { from: string; to: string; cutoff: string }) {
  const jurisdictions = subtreeOf(root, tree);
  const { status, body } = await statistics(root, query);
  expect(status, JSON.stringify(body)).toBe(200);
  const expected = recount(await storedStates(jurisdictions), {
    ...query,
    jurisdictions,
    now: clock.now(),
    units: unitsOf,
  });
  const strip = <T extends object>(rows: T[]) =>
    rows.map(
      ({
        zh: _zh,
        en: _en,
        depth: _depth,
        ...row
      }: T & { zh?: string; en?: string; depth?: number }) => row,
    );
  // The rewards' money is another count (tests/integration/reward-lapse.test.ts).
  const { rewards: _rewards, ...hazards } = body;
  const tips = recountTips(await storedTipStates(jurisdictions), { ...query, jurisdictions });
  return {
    actual: {
      ...hazards,
      regions: strip(body.regions),
      industries: strip(body.industries),
      tips: { ...body.tips, regions: strip(body.tips.regions) },
    },
    expected: {
      ...expected,
      jurisdiction: root,
      ...query,
      asOf: now,
      tips,
      // Every bucket since the epoch, 100 keys a call, the hazards' and the tips': as many
      // calls whatever the hazards and tips.
      reads: 2 * Math.ceil((jurisdictions.length * bucketMonths(clock.now()).length) / 100),
    },
  };
}

const periods = [
  { from: '2023-12', to: '2026-12', cutoff: '2024-01-01' },
  { from: '2025-03', to: '2025-08', cutoff: '2025-06-15' },
];

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  useDependencies({ jurisdictions: async () => tree.map((entry) => ({ ...entry, version: 1 })) });
  lives = Array.from({ length: hazardCount }, (_, index) => lifeOf(index));
  // Most of each life in bulk; for about a third, the last one or two events later,
  // through the event store, on counters rebuilt from the bulk: random lifecycle actions.
  const later: Life[] = [];
  const bulk: Life[] = lives.map((life) => {
    const keep =
      next() < 0.25 && life.events.length > 1
        ? Math.max(1, life.events.length - 1 - Math.floor(next() * 2))
        : life.events.length;
    if (keep < life.events.length) later.push({ id: life.id, events: life.events.slice(keep) });
    return { id: life.id, events: life.events.slice(0, keep) };
  });
  const tipLives = Array.from({ length: tipCount }, (_, index) => tipLifeOf(index));
  const laterTips: TipLife[] = [];
  const bulkTips = tipLives.map((life) => {
    const keep =
      next() < 0.3 && life.events.length > 1
        ? Math.max(1, life.events.length - 1 - Math.floor(next() * 2))
        : life.events.length;
    if (keep < life.events.length) laterTips.push({ id: life.id, events: life.events.slice(keep) });
    return { id: life.id, events: life.events.slice(0, keep) };
  });
  let started = performance.now();
  await batchWrite(
    [
      ...(await Promise.all(bulk.map(bulkItems))),
      ...(await Promise.all(
        bulkTips.map((life) => bulkItemsOf(tipStream(life.id), life.events, tipProjection)),
      )),
    ].flat(),
  );
  const rebuilt = await dependencies.hazardStatistics().rebuild(places);
  expect(rebuilt.hazards).toBe(hazardCount);
  expect(rebuilt.tips).toBe(tipCount);
  console.info(
    `bulk ${hazardCount} hazards and rebuild: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  started = performance.now();
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (cursor < later.length) await appendLife(later[cursor++] as Life);
    }),
  );
  let tipCursor = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (tipCursor < laterTips.length) await appendTipLife(laterTips[tipCursor++] as TipLife);
    }),
  );
  const events = later.reduce((sum, life) => sum + life.events.length, 0);
  console.info(
    `${events} events on ${later.length} hazards appended: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}, 240_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

describe('statistics against a recount of the hazards', () => {
  it('agree exactly, for the tree below 葛城街道 and two other jurisdictions, over two periods', async () => {
    const states = await storedStates(places);
    expect(states.length).toBe(hazardCount);
    expect(new Set(states.map((state) => state.status)).size).toBe(4);
    for (const root of ['cq-gecheng', 'fj-xiamen-xiangan', 'cq-wushan-futian']) {
      for (const period of periods) {
        const { actual, expected } = await compare(root, period);
        expect(actual).toEqual(expected);
      }
    }
    const gecheng = (await statistics('cq-gecheng', periods[0])).body;
    expect(
      gecheng.regions.map((row: { jurisdiction: string; depth: number }) => [
        row.jurisdiction,
        row.depth,
      ]),
    ).toEqual([
      ['cq-gecheng', 0],
      ['cq-gecheng-dongmen', 1],
      ['cq-gecheng-ximen', 1],
    ]);
    // Down to the units (村/社区): those listed, one renamed since, none; adding up to each region.
    type UnitRow = { jurisdiction: string; unit: string; [field: string]: number | string };
    const ofGecheng = gecheng.units.filter((row: UnitRow) => row.jurisdiction === 'cq-gecheng');
    expect(ofGecheng.map((row: UnitRow) => row.unit)).toEqual([
      '东门社区',
      '西门社区',
      '南门社区',
      '旧村',
      '',
    ]);
    for (const region of gecheng.regions) {
      const below = gecheng.units.filter(
        (row: UnitRow) => row.jurisdiction === region.jurisdiction,
      );
      for (const field of ['found', 'closed', 'open', 'overdue', 'openMajor', 'daysToClose']) {
        const sum = below.reduce((total: number, row: UnitRow) => total + Number(row[field]), 0);
        expect(sum, `${region.jurisdiction} ${field}`).toBe(region[field]);
      }
      for (const row of below) expect(row.found, `${row.unit}`).toBeGreaterThan(0);
    }
    expect(gecheng.totals.found).toBeGreaterThan(2_500);
    expect(gecheng.totals.overdue).toBeGreaterThan(0);
    expect(gecheng.backlog.found).toBeGreaterThan(0);
    // Every channel and every count has tips in it: a wrong cell could not pass unseen.
    for (const row of gecheng.tips.channels) {
      for (const field of ['received', 'employee', 'substantiated', 'rewarded']) {
        expect(row[field], `${row.channel} ${field}`).toBeGreaterThan(0);
      }
    }
    expect((await storedTipStates(places)).length).toBe(tipCount);
  });

  it("counts every past week's open majors and overdue as the hazards then stood", async () => {
    // The truth: each life replayed up to 24:00 CST of each Sunday since 2024, and read as
    // it stood then (no history involved): a major found by then and not closed then; a
    // hazard rectifying past the deadline then in force.
    const timelines = lives.map((life) => {
      let state: HazardState | null = null;
      const states = life.events.map(({ at, event }) => {
        state = hazardProjection.apply(state, {
          ...event,
          at: new Date(at).toISOString(),
          actor: officer,
        } as unknown as RecordedEvent);
        return { at, state: state as HazardState };
      });
      const reported = (life.events[0] as { event: { data: { foundOn: string; grade: string } } })
        .event.data;
      return { states, foundOn: reported.foundOn, major: reported.grade === 'major' };
    });
    const jurisdictions = subtreeOf('cq-gecheng', tree);
    const inTree = timelines.filter((timeline) =>
      jurisdictions.includes((timeline.states[0] as { state: HazardState }).state.jurisdiction),
    );
    const buckets = await dependencies
      .hazardStatistics()
      .buckets(jurisdictions, bucketMonths(clock.now()));
    const states = await storedStates(jurisdictions);
    let sundays = 0;
    let overdueSeen = 0;
    for (
      let sunday = '2024-01-07';
      sunday < cstDate(clock.now());
      sunday = addCalendarDays(sunday, 7)
    ) {
      const instant = Date.parse(`${sunday}T16:00:00.000Z`);
      const truth = { openMajor: 0, overdue: 0 };
      for (const timeline of inTree) {
        const then = timeline.states.filter((entry) => entry.at < instant).at(-1)?.state;
        if (timeline.major && timeline.foundOn <= sunday && then?.status !== 'closed')
          truth.openMajor += 1;
        if (
          then?.status === 'rectifying' &&
          then.round &&
          Date.parse(then.round.deadline) < instant
        )
          truth.overdue += 1;
      }
      const query = { jurisdictions, week: weekHolding(sunday), now: clock.now() };
      expect(weeklyNumbers(buckets, [], query), sunday).toMatchObject(truth);
      expect(weeklyRecount(states, [], query), sunday).toMatchObject(truth);
      sundays += 1;
      overdueSeen += truth.overdue;
    }
    expect(sundays).toBeGreaterThan(150);
    expect(overdueSeen).toBeGreaterThan(1_000);
  });

  it('follows hazards changed through the API, as of the clock', async () => {
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const hazard = { id: '', revision: 0 };
    const reply = await recordHazard(cloud.url, token, '五号仓库', 'general');
    Object.assign(hazard, { id: reply.body.hazard.hazardId, revision: reply.body.revision });
    const before = (await statistics('cq-gecheng')).body;
    const rectify = await giveHazardCommand(cloud.url, token, hazard, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理',
      deadline: { date: '2026-12-09' },
    });
    expect(rectify.status).toBe(200);
    clock.set('2026-12-10T01:00:00.000Z'); // the deadline day has ended
    const after = (await statistics('cq-gecheng')).body;
    expect(after.totals.found).toBe(before.totals.found);
    expect(after.totals.overdue).toBeGreaterThan(before.totals.overdue);
    for (const period of periods) {
      const { actual, expected } = await compare('cq-gecheng', period);
      expect(actual).toEqual({ ...expected, asOf: clock.now().toISOString() });
    }
  });

  it('counts as overdue exactly the hazards the ledger lists as overdue', async () => {
    for (const jurisdiction of places.slice(0, 3)) {
      const token = await signIn(cloud.url, 'cq-gecheng.officer');
      const root = jurisdiction.startsWith('cq-gecheng') ? 'cq-gecheng' : jurisdiction;
      const region = (await statistics(root)).body.regions.find(
        (row: { jurisdiction: string }) => row.jurisdiction === jurisdiction,
      );
      // The ledger's overdue filter, paged to the end (children are not the officer's own:
      // their lists are read through the adapter, as the handler does).
      let listed = 0;
      let cursor: string | undefined;
      do {
        const page = await dependencies.hazardLedger().list({
          jurisdiction,
          status: 'rectifying',
          limit: 50,
          filter: { deadlineBy: clock.now().toISOString() },
          ...(cursor ? { cursor } : {}),
        });
        listed += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      expect(region.overdue).toBe(listed);
      expect(listed).toBeGreaterThan(0);
      // A unit's open and overdue counts are the hazards the ledger lists for that unit.
      const unit = unitsOf[jurisdiction]?.[0] as string;
      const unitRow = (await statistics(root, { from: '2019-01' })).body.units.find(
        (row: { jurisdiction: string; unit: string }) =>
          row.jurisdiction === jurisdiction && row.unit === unit,
      );
      const listUnit = async (status: LedgerStatus, deadlineBy?: string) => {
        let count = 0;
        let next: string | undefined;
        do {
          const page = await dependencies.hazardLedger().list({
            jurisdiction,
            status,
            limit: 50,
            filter: { community: unit, ...(deadlineBy ? { deadlineBy } : {}) },
            ...(next ? { cursor: next } : {}),
          });
          for (const state of page.items) expect(state.unit).toBe(unit);
          count += page.items.length;
          next = page.nextCursor;
        } while (next);
        return count;
      };
      const open = await Promise.all(
        (['reported', 'rectifying', 'verifying'] as const).map((status) => listUnit(status)),
      );
      expect(unitRow.open).toBe(open.reduce((sum, count) => sum + count, 0));
      expect(unitRow.open).toBeGreaterThan(0);
      expect(unitRow.overdue).toBe(await listUnit('rectifying', clock.now().toISOString()));
      if (jurisdiction === 'cq-gecheng') {
        const reply = await fetch(
          `${cloud.url}/api/office/hazards?jurisdiction=cq-gecheng&status=rectifying&overdue=true`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        const body = await reply.json();
        expect(reply.status).toBe(200);
        expect(body.hazards.length).toBeGreaterThan(0);
        for (const hazard of body.hazards) {
          expect(Date.parse(hazard.deadline)).toBeLessThanOrEqual(clock.now().getTime());
        }
      }
    }
  });

  it('a counter update lost after its state write is repaired by the reconciler', async () => {
    // The state moves on, the counter does not: what a crash between the two writes leaves.
    // A deadline already past, so that the overdue counts show it.
    const { tally: _tally, ...withoutCounters } = hazardProjection;
    const states = (await storedStates(['cq-wushan-futian'])).filter(
      (state) => state.status === 'reported',
    );
    // At the clock's now: the cloud's own sweeps give a change 15 minutes' grace, this one none.
    clock.set('2026-12-10T03:00:00.000Z');
    for (const state of states.slice(0, 20)) {
      await appendLife(
        {
          id: state.hazardId,
          events: [
            {
              at: Date.parse('2026-12-10T03:00:00.000Z'),
              event: {
                type: 'rectification_started',
                data: {
                  responsible: '王某',
                  measures: '清理',
                  deadline: '2026-12-09T16:00:00.000Z',
                  ...(state.grade === 'major' ? { plan } : {}),
                },
              },
            },
          ],
        },
        withoutCounters,
      );
    }
    // And tips: a finding recorded whose counter move was lost.
    const { tally: _tipTally, ...tipsWithoutCounters } = tipProjection;
    const investigating = (await storedTipStates(['cq-wushan-futian'])).filter(
      (state) => state.status === 'investigating',
    );
    expect(investigating.length).toBeGreaterThan(2);
    for (const state of investigating.slice(0, 3)) {
      await appendTipLife(
        {
          id: state.tipId,
          events: [
            {
              at: Date.parse('2026-12-10T03:00:00.000Z'),
              event: {
                type: 'investigation_recorded',
                data: { finding: 'substantiated', note: '属实' },
              },
            },
          ],
        },
        tipsWithoutCounters,
      );
    }
    const stale = await compare('cq-wushan-futian', periods[0] as (typeof periods)[number]);
    expect(stale.actual).not.toEqual({ ...stale.expected, asOf: clock.now().toISOString() });

    const sweep = await reconcile(
      {
        clock,
        waitingUntil: async function* () {},
        lifecycleOf: async () => null,
        changes: (from, to) => dependencies.recentChanges(from, to),
        hasLifecycle: () => false,
        wake: async () => {},
        checkCounters: checkRecordCounters,
      },
      { graceMs: 0, lookBackMs: 3 * 3600_000 },
    );
    expect(sweep.countersRepaired).toBe(20 + 3);
    const repaired = await compare('cq-wushan-futian', periods[0] as (typeof periods)[number]);
    expect(repaired.actual).toEqual({ ...repaired.expected, asOf: clock.now().toISOString() });
  });

  it('a rebuild from the states puts corrupted buckets right', async () => {
    const documents = (
      await import('@qingling/shared/adapters/dynamodb/client.ts')
    ).createDocumentClient();
    await documents.send(
      new PutCommand({
        TableName: process.env.TABLE_NAME as string,
        Item: {
          pk: statisticsPartition('fj-xiamen-xiangan'),
          sk: '2025-04',
          members: {},
          counts: { 'f|2025-04-02|fire|major|o': 7 },
        },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: process.env.TABLE_NAME as string,
        Item: {
          pk: tipStatisticsPartition('fj-xiamen-xiangan'),
          sk: '2025-04',
          counts: { 'n|2025-04|hotline': 40, 's|2025-04|web': 3 },
          pending: {},
        },
      }),
    );
    const corrupt = await compare('fj-xiamen-xiangan', periods[0] as (typeof periods)[number]);
    expect(corrupt.actual).not.toEqual({ ...corrupt.expected, asOf: clock.now().toISOString() });
    const started = performance.now();
    // Built once at the cloud's start (an empty store then): not again on its own.
    expect(await dependencies.hazardStatistics().ensureBuilt(places)).toBe(false);
    const rebuilt = await dependencies.hazardStatistics().rebuild(places);
    console.info(
      `rebuilt ${rebuilt.buckets} buckets of ${rebuilt.hazards} hazards in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(rebuilt.hazards).toBe(hazardCount + 1);
    expect(rebuilt.tips).toBe(tipCount);
    for (const root of ['cq-gecheng', 'fj-xiamen-xiangan', 'cq-wushan-futian']) {
      for (const period of periods) {
        const { actual, expected } = await compare(root, period);
        expect(actual).toEqual({ ...expected, asOf: clock.now().toISOString() });
      }
    }
  });

  it('refuses a bad period and another jurisdiction, bilingually, and reads nothing', async () => {
    const backwards = await statistics('cq-gecheng', { from: '2026-05', to: '2026-01' });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toMatch(/起始月份.*first month/s);
    const afterNow = await statistics('cq-gecheng', { from: '2027-03' });
    expect(afterNow.status).toBe(400);
    expect(JSON.stringify(afterNow.body)).toMatch(/起始月份.*first month/s);
    const badMonth = await statistics('cq-gecheng', { from: '2026-13' });
    expect(badMonth.status).toBe(400);
    expect(JSON.stringify(badMonth.body)).toMatch(/YYYY-MM/);
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const other = await fetch(`${cloud.url}/api/office/statistics?jurisdiction=fj-xiamen-xiangan`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(403);
  });
});
