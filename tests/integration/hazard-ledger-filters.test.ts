import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoHazardLedger } from '@qingling/shared/adapters/dynamodb/hazard-ledger.ts';
import type { AppendResult, Snapshot } from '@qingling/shared/event-log/event-store.ts';
import type { HazardEvent, HazardState } from '@qingling/shared/hazards/hazard.ts';
import { hazardProjection, hazardStream } from '@qingling/shared/hazards/hazard.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#functions/dependencies.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';

// Issue 15: the ledger's filters (grade, channel, industry, unit, enterprise, found-on
// period, overdue) and sorts, answered from the indexes, must list exactly what a brute
// force over the same hazards lists, in the same order, page after page; and the export
// must hold the same rows as the list for the same filters.
const now = '2026-12-08T02:00:00.000Z';
const clock = new ManualClock(now);
const jurisdiction = 'cq-gecheng';
const communities = ['东门社区', '西门社区', '南门社区'];
const count = 360;
const industries = ['fire', 'construction', 'city_gas', 'hazardous_chemicals', 'road_transport'];
const enterprises = ['91350100M000100Y43', '91110000600037341L'];
const officer = { kind: 'person' as const, id: 'demo:cq-gecheng.officer', name: '李明' };
const dayMs = 86_400_000;
const cstDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let token: string;
const states: HazardState[] = [];

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(15);
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;

const plan = {
  goalAndTasks: '清理安全出口',
  methodsAndMeasures: '搬离货物',
  fundsAndMaterials: '企业自筹',
  responsibleBodyAndPeople: '王某',
  deadlineAndRequirements: '限期完成',
  safetyAndEmergencyMeasures: '专人值守',
};

/** A hazard's events: varied grade, channel, industry, party, found-on day, status, deadline. */
function lifeOf(index: number): { id: string; events: { at: number; event: HazardEvent }[] } {
  const id = `filt${String(index).padStart(22, '0')}`.replace(
    /\d/g,
    (d) => 'abcdefghij'[Number(d)] as string,
  );
  const reported = Date.parse(now) - Math.floor(next() * 400) * dayMs - 3_600_000;
  const grade = next() < 0.3 ? 'major' : 'general';
  const source = pick(['inspection', 'self_report', 'tip'] as const);
  const party =
    next() < 0.7
      ? { enterprise: pick(enterprises) }
      : {
          site: {
            name: '张记小吃',
            address: '葛城路 1 号',
            kind: 'shop' as const,
            personInCharge: '张某',
            phone: '13800000000',
          },
        };
  const events: { at: number; event: HazardEvent }[] = [
    {
      at: reported,
      event: {
        type: 'hazard_reported',
        data: {
          hazardId: id,
          source,
          ...(source === 'tip' ? { tipId: 'abcdefghijklmnopqrstuvwxyz' } : {}),
          jurisdiction,
          industry: pick(industries),
          ...party,
          place: `${index} 号`,
          grade,
          ...(grade === 'major' ? { standard: { ref: 'GB 35181-2025', clause: '5.1.1' } } : {}),
          description: '安全出口堵塞',
          // Some found days before they were entered; others the day they were.
          ...(next() < 0.5 ? { foundOn: cstDay(reported - Math.floor(next() * 5) * dayMs) } : {}),
          // Its village or community (村/社区), or none.
          ...(next() < 0.75 ? { unit: pick(communities) } : {}),
        },
      },
    },
  ];
  const fate = next();
  if (fate < 0.35) return { id, events };
  // Deadlines from 60 days before now to 60 after: about half overdue.
  const deadline = `${cstDay(Date.parse(now) + Math.floor(next() * 120 - 60) * dayMs)}T15:59:59.999Z`;
  events.push({
    at: reported + 3_600_000,
    event: {
      type: 'rectification_started',
      data: {
        responsible: '王某',
        measures: '清理',
        deadline,
        ...(grade === 'major' ? { plan } : {}),
      },
    },
  });
  if (fate < 0.75) return { id, events };
  events.push({
    at: reported + 7_200_000,
    event: { type: 'evidence_submitted', data: { note: '已整改', photoKeys: [] } },
  });
  return { id, events };
}

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  token = await signIn(cloud.url, 'cq-gecheng.officer');
  const store = dependencies.eventStore();
  const lives = Array.from({ length: count }, (_, index) => lifeOf(index));
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (cursor < lives.length) {
        const life = lives[cursor++];
        if (!life) break;
        let snapshot: Snapshot<HazardState> | null = null;
        for (const { at, event } of life.events) {
          const result: AppendResult<HazardState> = await store.append(
            hazardStream(life.id),
            snapshot,
            { ...event, at: new Date(at).toISOString(), actor: officer },
            hazardProjection,
          );
          if (result.kind !== 'appended') throw new Error(`${life.id}: ${result.kind}`);
          snapshot = result.snapshot;
        }
        if (snapshot) states.push(snapshot.state);
      }
    }),
  );
}, 240_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

interface Query {
  status: 'reported' | 'rectifying' | 'verifying';
  grade?: 'major' | 'general';
  source?: 'inspection' | 'self_report' | 'tip';
  industry?: string;
  unit?: string;
  enterprise?: string;
  community?: string;
  foundFrom?: string;
  foundTo?: string;
  overdue?: 'true';
  sort?: 'foundOn' | 'deadline';
  order?: 'asc' | 'desc';
}

/** The brute force: every hazard checked against the query, sorted as the query asks. */
function expected(query: Query): string[] {
  const unitIndustries: Record<string, string[]> = {
    housing_construction: ['construction', 'city_gas', 'self_built_housing'],
    fire_rescue: ['fire'],
    transport: ['road_transport', 'highway_operation', 'waterway_passenger'],
  };
  const foundOn = (state: HazardState) => state.foundOn ?? cstDay(Date.parse(state.reportedAt));
  const selected = states.filter(
    (state) =>
      state.status === query.status &&
      (!query.grade || state.grade === query.grade) &&
      (!query.source || state.source === query.source) &&
      (!query.industry || state.industry === query.industry) &&
      (!query.unit || (unitIndustries[query.unit] ?? []).includes(state.industry)) &&
      (!query.enterprise || state.enterprise === query.enterprise) &&
      (!query.community || state.unit === query.community) &&
      (!query.foundFrom || foundOn(state) >= query.foundFrom) &&
      (!query.foundTo || foundOn(state) <= query.foundTo) &&
      (!query.overdue ||
        (state.round !== null && Date.parse(state.round.deadline) <= Date.parse(now))),
  );
  const { status: _status, ...filters } = query;
  if (!Object.keys(filters).length) {
    // The plain ledger: major first, then the newest entered.
    const plain = (state: HazardState) => `${state.grade}#${state.reportedAt}#${state.hazardId}`;
    return selected
      .sort((a, b) => (plain(a) < plain(b) ? 1 : plain(a) > plain(b) ? -1 : 0))
      .map((state) => state.hazardId);
  }
  const by = query.sort ?? (query.overdue ? 'deadline' : 'foundOn');
  const order = query.order ?? (by === 'deadline' ? 'asc' : 'desc');
  // No deadline sorts after every date; ties in order of id.
  const key = (state: HazardState) =>
    `${by === 'deadline' ? (state.round?.deadline ?? '~') : foundOn(state)}#${state.hazardId}`;
  const sorted = selected.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return (order === 'asc' ? sorted : sorted.reverse()).map((state) => state.hazardId);
}

const search = (query: Query) =>
  new URLSearchParams({
    jurisdiction,
    ...(Object.fromEntries(Object.entries(query).filter(([, value]) => value)) as Record<
      string,
      string
    >),
  });

/** Every page of the list for a query, following the cursors. */
async function listAll(query: Query): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const params = search(query);
    if (cursor) params.set('cursor', cursor);
    const response = await fetch(`${cloud.url}/api/office/hazards?${params}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.hazards.length).toBeLessThanOrEqual(50);
    ids.push(...body.hazards.map((hazard: { hazardId: string }) => hazard.hazardId));
    cursor = body.nextCursor;
    pages += 1;
  } while (cursor && pages < 20);
  return { ids, pages };
}

const day = fc.integer({ min: 0, max: 400 }).map((back) => cstDay(Date.parse(now) - back * dayMs));
const queries: fc.Arbitrary<Query> = fc.record(
  {
    status: fc.constantFrom('reported', 'rectifying', 'verifying'),
    grade: fc.constantFrom('major', 'general'),
    source: fc.constantFrom('inspection', 'self_report', 'tip'),
    industry: fc.constantFrom(...industries),
    unit: fc.constantFrom('housing_construction', 'fire_rescue', 'transport'),
    enterprise: fc.constantFrom(...enterprises),
    community: fc.constantFrom(...communities),
    foundFrom: day,
    foundTo: day,
    overdue: fc.constant('true' as const),
    sort: fc.constantFrom('foundOn', 'deadline'),
    order: fc.constantFrom('asc', 'desc'),
  },
  { requiredKeys: ['status'] },
);

describe('the filtered hazard ledger', () => {
  it('lists every filter alone what the brute force lists, in order, across pages', async () => {
    const singles: Query[] = [
      { status: 'reported' },
      { status: 'reported', grade: 'major' },
      { status: 'rectifying', source: 'tip' },
      { status: 'rectifying', industry: 'fire' },
      { status: 'rectifying', unit: 'housing_construction' },
      { status: 'reported', enterprise: '91350100M000100Y43' },
      { status: 'reported', foundFrom: cstDay(Date.parse(now) - 200 * dayMs) },
      { status: 'reported', foundTo: cstDay(Date.parse(now) - 100 * dayMs) },
      { status: 'rectifying', overdue: 'true' },
      { status: 'rectifying', sort: 'deadline' },
      { status: 'rectifying', sort: 'deadline', order: 'desc' },
      { status: 'reported', sort: 'foundOn', order: 'asc' },
      { status: 'rectifying', enterprise: '91110000600037341L', sort: 'deadline' },
      { status: 'reported', community: '东门社区' },
      { status: 'rectifying', community: '西门社区', overdue: 'true' },
      { status: 'rectifying', community: '南门社区', sort: 'deadline', order: 'desc' },
    ];
    let paged = false;
    for (const query of singles) {
      const { ids, pages } = await listAll(query);
      expect(ids, JSON.stringify(query)).toEqual(expected(query));
      if (pages > 1) paged = true;
    }
    expect(paged).toBe(true);
    // The open major hazards of one industry found in a period: the bench's query.
    const common: Query = {
      status: 'rectifying',
      grade: 'major',
      industry: 'fire',
      foundFrom: cstDay(Date.parse(now) - 300 * dayMs),
      foundTo: cstDay(Date.parse(now) - 10 * dayMs),
    };
    expect((await listAll(common)).ids).toEqual(expected(common));
    expect(expected(common).length).toBeGreaterThan(0);
  });

  it('lists any combination of filters what the brute force lists', async () => {
    await fc.assert(
      fc.asyncProperty(queries, async (query) => {
        expect((await listAll(query)).ids, JSON.stringify(query)).toEqual(expected(query));
      }),
      { numRuns: 60, seed: 20261208 },
    );
  }, 120_000);

  it('exports exactly the rows the filtered list shows', async () => {
    const query: Query = { status: 'rectifying', grade: 'general', unit: 'housing_construction' };
    const response = await fetch(
      `${cloud.url}/api/office/hazard-ledger?${search(query)}&format=json`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const body = (await response.json()) as { columns: string[]; rows: (string | number)[][] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    const idColumn = body.columns.indexOf('隐患编号');
    const listed = (await listAll(query)).ids;
    expect(listed.length).toBeGreaterThan(0);
    expect(body.rows.map((row) => row[idColumn])).toEqual(listed);
  });

  it('refuses a cursor of another order, and an unknown unit, in both languages', async () => {
    const first = await fetch(
      `${cloud.url}/api/office/hazards?${search({ status: 'reported', sort: 'foundOn' })}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const { nextCursor } = await first.json();
    expect(nextCursor).toEqual(expect.any(String));
    const params = search({ status: 'reported', sort: 'deadline' });
    params.set('cursor', nextCursor);
    const other = await fetch(`${cloud.url}/api/office/hazards?${params}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(400);
    const unit = await fetch(
      `${cloud.url}/api/office/hazards?jurisdiction=${jurisdiction}&unit=nobody`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(unit.status).toBe(400);
    const { error } = await unit.json();
    expect(error.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(error.message.en).toMatch(/[a-z]/);
  });

  it('gives a hazard written before the filtered indexes its attributes, once, at start', async () => {
    const documents = createDocumentClient();
    const tableName = process.env.TABLE_NAME as string;
    const elsewhere = 'fj-xiamen-xiangan';
    const life = lifeOf(count + 1);
    const reported = life.events[0] as { at: number; event: HazardEvent };
    if (reported.event.type !== 'hazard_reported') throw new Error('not a report');
    const event = {
      ...reported.event,
      data: {
        ...reported.event.data,
        jurisdiction: elsewhere,
        hazardId: 'oldhazardaaaaaaaaaaaaaaaaa',
      },
    };
    const store = dependencies.eventStore();
    const stream = hazardStream(event.data.hazardId);
    const appended = await store.append(
      stream,
      null,
      { ...event, at: new Date(reported.at).toISOString(), actor: officer },
      hazardProjection,
    );
    expect(appended.kind).toBe('appended');
    // As an older version wrote it: gsi1 and gsi2 only.
    const filtered = ['gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7'].flatMap((index) => [
      `${index}pk`,
      `${index}sk`,
    ]);
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: stream, sk: 'STATE' },
        UpdateExpression: `REMOVE ${filtered.join(', ')}`,
      }),
    );
    const elsewhereToken = await signIn(cloud.url, `${elsewhere}.officer`);
    const listed = async () => {
      const query = new URLSearchParams({
        jurisdiction: elsewhere,
        status: 'reported',
        grade: event.data.grade,
      });
      const response = await fetch(`${cloud.url}/api/office/hazards?${query}`, {
        headers: { authorization: `Bearer ${elsewhereToken}` },
      });
      const body = await response.json();
      return body.hazards.map((hazard: { hazardId: string }) => hazard.hazardId);
    };
    expect(await listed()).toEqual([]);
    const ledger = new DynamoHazardLedger(documents, tableName);
    // The cloud's start did it already (nothing then): as after an upgrade, once more.
    expect(await ledger.ensureIndexed([elsewhere])).toBe(0);
    await documents.send(
      new DeleteCommand({ TableName: tableName, Key: { pk: 'LEDGER#INDEXES', sk: 'BUILT' } }),
    );
    expect(await ledger.ensureIndexed([elsewhere])).toBe(1);
    expect(await listed()).toEqual([event.data.hazardId]);
    expect(await ledger.ensureIndexed([elsewhere])).toBe(0);
  });
});
