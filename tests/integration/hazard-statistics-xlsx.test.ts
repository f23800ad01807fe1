import {
  checkTransition,
  type HazardEvent,
  hazardProjection,
  hazardStream,
} from '@qingling/shared/hazards/hazard.ts';
import type { HazardStatistics } from '@qingling/shared/hazards/statistics-figures.ts';
import { statisticsSheets } from '@qingling/shared/hazards/statistics-workbook.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import { tipProjection } from '@qingling/shared/tips/tip-projection.ts';
import { type TipEvent, tipStream } from '@qingling/shared/tips/tip-state.ts';
import { tipChannels } from '@qingling/shared/tips/tip-statistics.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencies, useDependencies } from '#functions/dependencies.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import {
  expectedNumbers,
  readStatisticsWorkbook,
  workbookNumbers,
} from '../support/statistics-xlsx.ts';

// Issues 15 and 16: the statistics' .xlsx (format=xlsx on getHazardStatistics), fetched
// through the embedded cloud's API as a browser would, read back with exceljs: every number
// equals the JSON answer's for the same query. The hazards and tips are seeded through the
// event store (counters and reward index as in use), as hazard-statistics.test.ts does, at a
// small size: 240 hazards and 120 tips over 葛城街道, its two communities and three years.
const now = '2026-12-08T02:00:00.000Z'; // Tue 10:00 CST
const clock = new ManualClock(now);
let cloud: Awaited<ReturnType<typeof startTestCloud>>;

const gecheng = seedData.jurisdictions.find(
  (entry) => entry.code === 'cq-gecheng',
) as (typeof seedData.jurisdictions)[number];
const children = ['dongmen', 'ximen'].map((name, index) => ({
  ...gecheng,
  code: `cq-gecheng-${name}`,
  zh: ['东门社区', '西门社区'][index] as string,
  en: `${name} community`,
  level: 'subdistrict' as const,
  parent: '葛城街道',
  units: [],
}));
const tree = [...seedData.jurisdictions, ...children];
const places = ['cq-gecheng', ...children.map((child) => child.code)];
const industries = seedData.industries.map((industry) => industry.code).slice(0, 6);

/** A seeded pseudo-random source: the same records every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(20261204);
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
const dayMs = 86_400_000;
const end = Date.parse(now) - dayMs;
const start = Date.parse('2023-12-01T02:00:00Z');
const endOfCstDay = (ms: number) =>
  `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)}T16:00:00.000Z`;
const idOf = (prefix: string, index: number) =>
  `${prefix}${String(index).padStart(22, '0')}`.replace(
    /\d/g,
    (d) => 'abcdefghij'[Number(d)] as string,
  );
const officer = { kind: 'person' as const, id: 'demo:cq-gecheng.officer', name: '李明' };
const plan = {
  goalAndTasks: '清理安全出口',
  methodsAndMeasures: '搬离货物',
  fundsAndMaterials: '企业自筹',
  responsibleBodyAndPeople: '王某',
  deadlineAndRequirements: '限期完成',
  safetyAndEmergencyMeasures: '专人值守',
};

/** A hazard's life, valid and before now: reported, perhaps rectified, verified, closed. */
function hazardLife(index: number) {
  let at = start + Math.floor(next() * (end - start));
  const grade = next() < 0.25 ? 'major' : 'general';
  const events: { at: number; event: HazardEvent }[] = [
    {
      at,
      event: {
        type: 'hazard_reported',
        data: {
          hazardId: idOf('xlsx', index),
          source: 'inspection',
          jurisdiction: pick(places),
          industry: pick(industries),
          enterprise: '91350100M000100Y43',
          place: `${index} 号`,
          grade,
          ...(grade === 'major' ? { standard: { ref: 'GB 35181-2025', clause: '5.1.1' } } : {}),
          description: '安全出口堵塞',
          foundOn: new Date(at + 8 * 3600_000).toISOString().slice(0, 10),
        },
      },
    },
  ];
  const step = (days: number) => {
    at += Math.max(1, Math.floor(next() * days)) * dayMs;
    return at < end;
  };
  const fate = next();
  if (fate < 0.15 || !step(10)) return events;
  events.push({
    at,
    event: {
      type: 'rectification_started',
      data: {
        responsible: '王某',
        measures: '清理',
        deadline: endOfCstDay(at + (5 + Math.floor(next() * 60)) * dayMs),
        ...(grade === 'major' ? { plan } : {}),
      },
    },
  });
  if (fate < 0.35 || !step(80)) return events;
  events.push({
    at,
    event: { type: 'evidence_submitted', data: { note: '已整改', photoKeys: [] } },
  });
  if (fate < 0.45 || !step(10)) return events;
  events.push({ at, event: { type: 'verification_passed', data: { note: '通过', onSite: true } } });
  if (!step(5)) return events;
  events.push({ at, event: { type: 'hazard_closed', data: { note: '销号' } } });
  return events;
}

/** A tip's life: received by a channel, perhaps substantiated, its reward approved. */
function tipLife(index: number) {
  let at = start + Math.floor(next() * (end - start));
  const tipId = idOf('tipx', index);
  const events: { at: number; event: TipEvent }[] = [
    {
      at,
      event: {
        type: 'tip_received',
        data: {
          tipId,
          channel: tipChannels[index % tipChannels.length] as (typeof tipChannels)[number],
          jurisdiction: pick(places),
          industry: pick(industries),
          address: `${index} 号`,
          description: '安全出口堵塞',
          seenOn: new Date(at + 8 * 3600_000).toISOString().slice(0, 10),
          isEmployee: next() < 0.2,
          wantsReward: true,
          photoIds: [],
          contentDigest: `xlsx-digest-${index}`,
          acceptDeadline: new Date(at + 5 * dayMs).toISOString(),
        },
      },
    },
  ];
  const step = (days: number) => {
    at += Math.max(1, Math.floor(next() * days)) * dayMs;
    return at < end;
  };
  const fate = next();
  if (fate < 0.15 || !step(5)) return events;
  events.push({ at, event: { type: 'tip_accepted', data: {} } });
  if (!step(10)) return events;
  events.push({ at, event: { type: 'investigation_started', data: {} } });
  if (!step(30)) return events;
  const finding = fate < 0.5 ? 'unsubstantiated' : 'substantiated';
  events.push({ at, event: { type: 'investigation_recorded', data: { finding, note: '核查' } } });
  if (finding === 'substantiated' && step(20)) {
    const amountFen = 100_000 + Math.floor(next() * 10) * 10_050;
    events.push({
      at,
      event: {
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
      },
    });
    if (step(5)) {
      events.push({
        at,
        event: { type: 'reward_approved', data: { amountFen, approvedBy: 'officer-b' } },
      });
    }
  }
  return events;
}

/** Appends a record's events through the event store: state, indexes and counters. */
async function append<State>(
  stream: string,
  events: { at: number; event: HazardEvent | TipEvent }[],
  projection: Parameters<ReturnType<typeof dependencies.eventStore>['load']>[1],
  check: (state: State | null, event: HazardEvent) => void = () => {},
) {
  const store = dependencies.eventStore();
  let snapshot = await store.load(stream, projection);
  for (const { at, event } of events) {
    check((snapshot?.state ?? null) as State | null, event as HazardEvent);
    const result = await store.append(
      stream,
      snapshot,
      { ...event, at: new Date(at).toISOString(), actor: officer } as never,
      projection,
    );
    if (result.kind !== 'appended') throw new Error(`${stream}: ${result.kind}`);
    snapshot = result.snapshot;
  }
}

let token = '';
const query = { jurisdiction: 'cq-gecheng', from: '2023-12', to: '2026-12', cutoff: '2024-01-01' };
const url = (extra: Record<string, string>) =>
  `${cloud.url}/api/office/statistics?${new URLSearchParams({ ...query, ...extra })}`;

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  useDependencies({ jurisdictions: async () => tree.map((entry) => ({ ...entry, version: 1 })) });
  const hazards = Array.from({ length: 240 }, (_, index) => hazardLife(index));
  const tips = Array.from({ length: 120 }, (_, index) => tipLife(index));
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (cursor < hazards.length) {
        const index = cursor++;
        await append(
          hazardStream(idOf('xlsx', index)),
          hazards[index] ?? [],
          hazardProjection as never,
          checkTransition as never,
        );
      }
    }),
  );
  for (const [index, events] of tips.entries()) {
    await append(tipStream(idOf('tipx', index)), events, tipProjection as never);
  }
  token = await signIn(cloud.url, 'cq-gecheng.leader_in_charge');
}, 240_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

describe('the statistics as an .xlsx', () => {
  it('holds every number of the JSON answer for the same query', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const json = await fetch(url({}), { headers: auth });
    expect(json.status).toBe(200);
    const statistics = (await json.json()) as HazardStatistics;
    // Enough of everything that a wrong cell could not pass unseen.
    expect(statistics.regions).toHaveLength(3);
    expect(statistics.totals.closed).toBeGreaterThan(20);
    expect(statistics.totals.openMajor).toBeGreaterThan(0);
    expect(statistics.tips.totals.substantiated).toBeGreaterThan(5);
    expect(statistics.rewards.totals.offered.count).toBeGreaterThan(3);

    const file = await fetch(url({ format: 'xlsx' }), { headers: auth });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(file.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('统计分析_cq-gecheng_2023-12_2026-12.xlsx')}`,
    );
    const bytes = new Uint8Array(await file.arrayBuffer());
    // A zip, not base64 text: the API answered the bytes themselves.
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]);
    const read = await readStatisticsWorkbook(bytes);
    expect(read.sheetNames).toEqual(Object.values(statisticsSheets));
    expect(workbookNumbers(read)).toEqual(expectedNumbers(statistics));
    const banner = read.headings.get(statisticsSheets.targets)?.banner ?? '';
    expect(banner).toContain('葛城街道');
    expect(banner).toContain('2023-12 至 2026-12');
    expect(banner).toContain('制表时间 Made：2026-12-08 10:00（北京时间 CST）');
  });

  it('refuses a format it does not know, in zh and en, and anyone outside the jurisdiction', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const refused = await fetch(url({ format: 'pdf' }), { headers: auth });
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.issues).toEqual([
      {
        path: 'format',
        message: { zh: '格式应为 json 或 xlsx。', en: 'The format must be json or xlsx.' },
      },
    ]);
    const elsewhere = await signIn(cloud.url, 'fj-xiamen-xiangan.officer');
    const outside = await fetch(url({ format: 'xlsx' }), {
      headers: { authorization: `Bearer ${elsewhere}` },
    });
    expect(outside.status).toBe(403);
  });
});
