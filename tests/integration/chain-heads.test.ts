import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import {
  type ChainHead,
  checkLogAgainstHead,
  dayDigest,
  type PublishedDay,
  verifyDays,
} from '@qingling/shared/chain-heads/chain-heads.ts';
import { type RecordedEvent, sealEvent } from '@qingling/shared/event-log/event-log.ts';
import { hazardRoutes } from '@qingling/shared/hazards/routes.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as publishHandler } from '#functions/events/publish-chain-heads.ts';
import { type EmbeddedCloud, startEmbeddedCloud, tableName } from '#local/embedded-cloud.ts';
import { Api, createEnterprise, createMarkedHazard } from '../support/authorization-fixtures.ts';
import { ManualClock } from '../support/clock.ts';
import { fixtureSite, temporaryDataDirectory } from '../support/embedded-cloud.ts';

// Each day's chain heads on the embedded cloud, with a clock the test moves: the day is
// published once after 24:00 CST by the heartbeat, its digest is what anyone recomputes
// from the exported logs, and a log rewritten in the table no longer matches it.
const clock = new ManualClock('2026-11-22T15:50:00.000Z'); // 23:50 CST, Sunday 22 November
const zeros = '0'.repeat(64);
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let cloud: EmbeddedCloud;
let api: Api;

// startTestCloud's `clock` option is not passed on (passing it changes tips.test.ts, which
// gives one but relies on time running): the embedded cloud is started here the same way.
beforeAll(async () => {
  data = await temporaryDataDirectory();
  cloud = await startEmbeddedCloud({
    dataDirectory: data.path,
    port: 0,
    webRoot: fixtureSite,
    clock,
  });
  api = new Api(cloud.url);
});
afterAll(async () => {
  await cloud?.stop();
  await data?.remove();
});

type Day = PublishedDay;
interface HazardLog {
  hazardId: string;
  chain: { valid: boolean; head?: string; brokenAt?: number };
  events: RecordedEvent[];
}

const days = async (): Promise<Day[]> =>
  (await api.must('GET', '/api/public/chain-heads', {})).body.days;
const dayPage = async (date: string, page = 1) =>
  (await api.call('GET', `/api/public/chain-heads/${date}?page=${page}`)) as {
    status: number;
    body: Day & { page: number; heads: ChainHead[] };
  };

/** The hazards recorded here, by jurisdiction, and their exported logs. */
const hazards: { hazardId: string; jurisdiction: string }[] = [];
const exportLog = async (hazardId: string): Promise<HazardLog> => {
  const jurisdiction = hazards.find((hazard) => hazard.hazardId === hazardId)?.jurisdiction ?? '';
  const reply = await api.must('GET', `/api/office/hazards/${hazardId}/log`, {
    as: { role: 'officer', jurisdiction },
  });
  return reply.body;
};

/** The digest as anyone recomputes it from exported logs (DESIGN: the documented format). */
function digestFrom(date: string, previousDigest: string, logs: readonly HazardLog[]): string {
  const lines = logs
    .map((log) => `${log.hazardId} ${log.events.length} ${log.events.at(-1)?.hash}\n`)
    .sort();
  return createHash('sha256')
    .update(`${date} ${previousDigest}\n${lines.join('')}`)
    .digest('hex');
}

/** Moves the clock; sign-ins are made again (a token lasts 8 hours of the clock). */
function moveClock(instant: string) {
  clock.set(instant);
  api = new Api(cloud.url);
}

/** Moves the clock and waits for the heartbeat (every second) to publish the day. */
async function passMidnightInto(instant: string, date: string): Promise<Day> {
  moveClock(instant);
  return vi.waitFor(
    async () => {
      const [latest] = await days();
      if (latest?.date !== date) throw new Error(`${date} not published yet`);
      return latest;
    },
    { timeout: 10_000, interval: 100 },
  );
}

let firstDay: Day;
let published: Day;
let logsBefore: HazardLog[];

describe('each day’s chain heads', () => {
  it('publishes the day that ended before the cloud started, at start', async () => {
    const list = await days();
    expect(list).toHaveLength(1);
    firstDay = list[0] as Day;
    expect(firstDay).toMatchObject({
      date: '2026-11-21',
      count: 0,
      pages: 0,
      previousDigest: zeros,
    });
    expect(firstDay.digest).toBe(
      createHash('sha256').update(`2026-11-21 ${zeros}\n`).digest('hex'),
    );
    const latest = await dayPage('latest');
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ date: '2026-11-21', page: 1, heads: [] });
  });

  it('publishes every hazard’s head once the CST day has ended, with the recomputable digest', async () => {
    for (const jurisdiction of ['cq-gecheng', 'cq-gecheng', 'fj-xiamen-xiangan']) {
      const uscc = await createEnterprise(api, jurisdiction, 'CHAIN');
      const hazardId = await createMarkedHazard(api, jurisdiction, 'CHAIN', { enterprise: uscc });
      hazards.push({ hazardId, jurisdiction });
    }
    // One hazard moves on (another ledger status): the heads cover every status.
    const moving = hazards[0] as (typeof hazards)[number];
    const current = await exportLog(moving.hazardId);
    const detail = await api.must('GET', `/api/office/hazards/${moving.hazardId}`, {
      as: { role: 'officer', jurisdiction: moving.jurisdiction },
    });
    expect(current.events.length).toBeGreaterThan(0);
    const example = hazardRoutes.find((route) => route.operationId === 'giveHazardCommand')
      ?.request as { example: { command: unknown } };
    await api.must('POST', `/api/office/hazards/${moving.hazardId}/commands`, {
      as: { role: 'officer', jurisdiction: moving.jurisdiction },
      body: {
        idempotencyKey: randomUUID(),
        expectedRevision: detail.body.revision,
        command: example.example.command,
      },
    });
    await cloud.conductor.settled();
    logsBefore = await Promise.all(hazards.map((hazard) => exportLog(hazard.hazardId)));
    for (const log of logsBefore) expect(log.chain.valid).toBe(true);

    // Not before 24:00 CST…
    clock.set('2026-11-22T15:59:59.000Z');
    expect(await publishHandler()).toEqual({ kind: 'already', date: '2026-11-21' });
    expect((await days()).map((day) => day.date)).toEqual(['2026-11-21']);

    // …and once after it.
    published = await passMidnightInto('2026-11-22T16:00:01.000Z', '2026-11-22');
    expect(published).toMatchObject({
      date: '2026-11-22',
      count: hazards.length,
      pages: 1,
      previousDigest: firstDay.digest,
      publishedAt: '2026-11-22T16:00:01.000Z',
    });
    // The logs did not move meanwhile: the day holds exactly these heads.
    const logsAfter = await Promise.all(hazards.map((hazard) => exportLog(hazard.hazardId)));
    expect(logsAfter.map((log) => log.chain.head)).toEqual(logsBefore.map((log) => log.chain.head));
    expect(published.digest).toBe(digestFrom('2026-11-22', firstDay.digest, logsBefore));

    const page = await dayPage('2026-11-22');
    expect(page.status).toBe(200);
    expect(page.body.heads).toEqual(
      logsBefore
        .map((log) => ({
          hazardId: log.hazardId,
          sequence: log.events.length,
          head: log.chain.head,
        }))
        .sort((a, b) => (a.hazardId < b.hazardId ? -1 : 1)),
    );
    for (const log of logsBefore) {
      const head = page.body.heads.find((each) => each.hazardId === log.hazardId) as ChainHead;
      expect(await checkLogAgainstHead(log.events, head)).toEqual({ kind: 'matches' });
    }
    expect((await dayPage('2026-11-22', 2)).status).toBe(404);
    expect((await dayPage('2026-11-20')).status).toBe(404);
    expect((await api.call('GET', '/api/public/chain-heads/yesterday')).status).toBe(404);
    expect((await api.call('GET', '/api/public/chain-heads/latest?page=0')).status).toBe(400);
  });

  it('changes nothing when the same day is published again', async () => {
    const documents = createDocumentClient();
    const key = { pk: 'CHAINHEADS', sk: 'DAY#2026-11-22' };
    const stored = await documents.send(new GetCommand({ TableName: tableName, Key: key }));
    // A hazard recorded after midnight, then the scheduled function runs again.
    const uscc = await createEnterprise(api, 'cq-gecheng', 'CHAIN');
    const late = await createMarkedHazard(api, 'cq-gecheng', 'CHAIN', { enterprise: uscc });
    hazards.push({ hazardId: late, jurisdiction: 'cq-gecheng' });
    await cloud.conductor.settled();
    moveClock('2026-11-23T03:00:00.000Z');
    expect(await publishHandler()).toEqual({ kind: 'already', date: '2026-11-22' });
    expect(await publishHandler()).toEqual({ kind: 'already', date: '2026-11-22' });
    const again = await documents.send(new GetCommand({ TableName: tableName, Key: key }));
    expect(again.Item).toEqual(stored.Item);
    expect((await days())[0]).toEqual(published);
    expect((await dayPage('2026-11-22')).body.heads.map((head) => head.hazardId)).not.toContain(
      late,
    );
  });

  it('shows a log rewritten in the table: its chain breaks, or its head is not the published one', async () => {
    const documents = createDocumentClient();
    await cloud.conductor.settled();
    const victim = await exportLog((logsBefore[1] as HazardLog).hazardId);
    const stream = `HAZARD#${victim.hazardId}`;
    const eventKey = (sequence: number) => ({
      pk: stream,
      sk: `E#${String(sequence).padStart(10, '0')}`,
    });
    const [first] = victim.events as [RecordedEvent];
    const forgedData = {
      ...(first.data as Record<string, unknown>),
      description: 'CHAIN 改写后的描述：隐患轻微。',
      grade: 'general',
    };
    const published22 = (await dayPage('2026-11-22')).body.heads.find(
      (head) => head.hazardId === victim.hazardId,
    ) as ChainHead;

    // A clumsy rewrite: the first event's data changed in place.
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...eventKey(1), ...first, data: forgedData },
      }),
    );
    const clumsy = await exportLog(victim.hazardId);
    expect(clumsy.chain).toMatchObject({ valid: false, brokenAt: 1 });
    expect(await checkLogAgainstHead(clumsy.events, published22)).toMatchObject({
      kind: 'chain_broken',
      brokenAt: 1,
    });

    // A careful one: every event sealed again, and the state's head with them. The chain
    // recomputes, but its head at the published sequence is not the published one.
    const resealed: RecordedEvent[] = [];
    for (const event of victim.events) {
      const { stream: _s, sequence: _q, previousHash: _p, hash: _h, ...rest } = event;
      const sealed = await sealEvent(stream, resealed.at(-1) ?? null, {
        ...rest,
        data: event.sequence === 1 ? forgedData : event.data,
      });
      resealed.push(sealed);
      await documents.send(
        new PutCommand({ TableName: tableName, Item: { ...eventKey(sealed.sequence), ...sealed } }),
      );
    }
    const state = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: stream, sk: 'STATE' } }),
    );
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...state.Item, head: resealed.at(-1)?.hash },
      }),
    );
    const careful = await exportLog(victim.hazardId);
    expect(careful.chain.valid).toBe(true);
    expect(careful.chain.head).not.toBe(published22.head);
    expect(await checkLogAgainstHead(careful.events, published22)).toMatchObject({
      kind: 'different',
    });
  });

  it('links each day to the one before: rewriting a past day breaks every later one', async () => {
    const next = await passMidnightInto('2026-11-23T16:00:01.000Z', '2026-11-23');
    expect(next.previousDigest).toBe(published.digest);
    expect(next.count).toBe(hazards.length);

    const list = (await days()).toReversed();
    expect(list.map((day) => day.date)).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    const withHeads = await Promise.all(
      list.map(async (day) => ({ ...day, heads: (await dayPage(day.date)).body.heads })),
    );
    expect(await verifyDays(withHeads)).toEqual({ valid: true });

    // Someone rewrites 22 November to hold the forged head, digest and all…
    const [day21, day22, day23] = withHeads as [
      (typeof withHeads)[number],
      (typeof withHeads)[number],
      (typeof withHeads)[number],
    ];
    const forgedHeads = day22.heads.map((head) => {
      const today = day23.heads.find((each) => each.hazardId === head.hazardId) as ChainHead;
      return today.head === head.head ? head : { ...head, head: today.head };
    });
    expect(forgedHeads).not.toEqual(day22.heads);
    const forged = {
      ...day22,
      heads: forgedHeads,
      digest: await dayDigest(day22.date, day22.previousDigest, forgedHeads),
    };
    // …and the next day no longer names it.
    expect(await verifyDays([day21, forged, day23])).toEqual({
      valid: false,
      reason: 'not_linked',
      date: '2026-11-23',
    });
    expect(await verifyDays([day21, { ...day22, heads: forgedHeads }, day23])).toMatchObject({
      valid: false,
      reason: 'digest_differs',
    });
  });
});
