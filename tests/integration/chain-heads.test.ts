import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import {
  checkExportedLog,
  type InclusionProof,
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
// published once after 24:00 CST by the heartbeat as one Merkle root over every hazard's
// head, naming no hazard; the root is what anyone recomputes from the exported logs, each
// exported log carries a proof that verifies against it, and a log or proof altered, or a
// log rewritten in the table, no longer does.
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
  inclusion: InclusionProof | null;
  events: RecordedEvent[];
}

const days = async (): Promise<Day[]> =>
  (await api.must('GET', '/api/public/chain-heads', {})).body.days;
const dayOf = async (date: string) =>
  (await api.call('GET', `/api/public/chain-heads/${date}`)) as { status: number; body: Day };

/** The hazards recorded here, by jurisdiction, and their exported logs. */
const hazards: { hazardId: string; jurisdiction: string }[] = [];
const exportLog = async (hazardId: string): Promise<HazardLog> => {
  const jurisdiction = hazards.find((hazard) => hazard.hazardId === hazardId)?.jurisdiction ?? '';
  const reply = await api.must('GET', `/api/office/hazards/${hazardId}/log`, {
    as: { role: 'officer', jurisdiction },
  });
  return reply.body;
};

// The root as anyone recomputes it from exported logs, by the documented format (RFC 6962
// with node:crypto here, not the system's own code).
const sha256 = (...parts: (Buffer | string)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
function treeHash(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256('');
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Buffer.of(1), treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}
function rootFrom(logs: readonly HazardLog[]): string {
  const leaves = logs
    .map((log) =>
      sha256(Buffer.of(0), `${log.hazardId} ${log.events.length} ${log.events.at(-1)?.hash}`),
    )
    .sort(Buffer.compare);
  return treeHash(leaves).toString('hex');
}
const digestOf = (day: Day) =>
  createHash('sha256')
    .update(`${day.date} ${day.count} ${day.root} ${day.previousDigest}\n`)
    .digest('hex');

/** Whether a public answer names a hazard or one of its event hashes. */
function namesAny(answer: unknown, logs: readonly HazardLog[]): string[] {
  const text = JSON.stringify(answer);
  return logs.flatMap((log) =>
    [log.hazardId, ...log.events.map((event) => event.hash)].filter((secret) =>
      text.includes(secret),
    ),
  );
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
    expect(firstDay).toEqual({
      date: '2026-11-21',
      root: createHash('sha256').update('').digest('hex'),
      count: 0,
      previousDigest: zeros,
      digest: expect.any(String),
      publishedAt: '2026-11-22T15:50:00.000Z',
    });
    expect(firstDay.digest).toBe(digestOf(firstDay));
    const latest = await dayOf('latest');
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual(firstDay);
  });

  it('publishes one root over every hazard’s head once the CST day has ended, naming none', async () => {
    for (const jurisdiction of ['cq-gecheng', 'cq-gecheng', 'fj-xiamen-xiangan']) {
      const uscc = await createEnterprise(api, jurisdiction, 'CHAIN');
      const hazardId = await createMarkedHazard(api, jurisdiction, 'CHAIN', { enterprise: uscc });
      hazards.push({ hazardId, jurisdiction });
    }
    // One hazard moves on (another ledger status): the heads cover every status.
    const moving = hazards[0] as (typeof hazards)[number];
    const current = await exportLog(moving.hazardId);
    // Not in any published day yet: no proof.
    expect(current.inclusion).toBeNull();
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
    expect(published).toEqual({
      date: '2026-11-22',
      root: expect.any(String),
      count: hazards.length,
      previousDigest: firstDay.digest,
      digest: expect.any(String),
      publishedAt: '2026-11-22T16:00:01.000Z',
    });
    // The logs did not move meanwhile: the root is over exactly these heads.
    const logsAfter = await Promise.all(hazards.map((hazard) => exportLog(hazard.hazardId)));
    expect(logsAfter.map((log) => log.chain.head)).toEqual(logsBefore.map((log) => log.chain.head));
    expect(published.root).toBe(rootFrom(logsBefore));
    expect(published.digest).toBe(digestOf(published));

    // What is public names no hazard and no single head.
    const day = await dayOf('2026-11-22');
    expect(day.status).toBe(200);
    expect(day.body).toEqual(published);
    expect(namesAny(await days(), logsAfter)).toEqual([]);
    expect(namesAny(day.body, logsAfter)).toEqual([]);
    expect(namesAny((await dayOf('latest')).body, logsAfter)).toEqual([]);

    // Each exported log carries its proof, which leads to the published root.
    for (const log of logsAfter) {
      expect(log.inclusion).toMatchObject({
        date: '2026-11-22',
        sequence: log.events.length,
        treeSize: hazards.length,
      });
      expect(await checkExportedLog(log, published)).toEqual({
        kind: 'included',
        date: '2026-11-22',
        sequence: log.events.length,
      });
    }
    expect(new Set(logsAfter.map((log) => log.inclusion?.leafIndex))).toEqual(new Set([0, 1, 2]));
    expect((await dayOf('2026-11-20')).status).toBe(404);
    expect((await api.call('GET', '/api/public/chain-heads/yesterday')).status).toBe(404);
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
    // The late hazard is in no published day: its log carries no proof.
    const lateLog = await exportLog(late);
    expect(lateLog.inclusion).toBeNull();
    expect(await checkExportedLog(lateLog, published)).toEqual({ kind: 'no_proof' });
  });

  it('fails a log or a proof that was altered after export', async () => {
    const log = await exportLog((logsBefore[0] as HazardLog).hazardId);
    const proof = log.inclusion as InclusionProof;
    expect(await checkExportedLog(log, published)).toMatchObject({ kind: 'included' });

    // An event altered in the file: the chain no longer recomputes.
    const altered = {
      ...log,
      events: log.events.map((event) =>
        event.sequence === 1 ? { ...event, data: { forged: true } } : event,
      ),
    };
    expect(await checkExportedLog(altered, published)).toMatchObject({
      kind: 'chain_broken',
      brokenAt: 1,
    });
    // The whole log sealed again with other data: a valid chain, but not the published head.
    const resealed: RecordedEvent[] = [];
    for (const event of log.events) {
      const { stream: _s, sequence: _q, previousHash: _p, hash: _h, ...rest } = event;
      resealed.push(
        await sealEvent(event.stream, resealed.at(-1) ?? null, {
          ...rest,
          data: event.sequence === 1 ? { forged: true } : event.data,
        }),
      );
    }
    expect(await checkExportedLog({ ...log, events: resealed }, published)).toEqual({
      kind: 'not_included',
    });
    // The proof altered: a sibling hash, the leaf's place, or the sequence it names.
    const flipped = proof.path.map((hash, index) =>
      index === 0 ? `${hash[0] === '0' ? '1' : '0'}${hash.slice(1)}` : hash,
    );
    for (const inclusion of [
      { ...proof, path: flipped },
      { ...proof, path: proof.path.slice(1) },
      { ...proof, leafIndex: (proof.leafIndex + 1) % proof.treeSize },
      { ...proof, sequence: proof.sequence - 1 },
    ]) {
      expect(await checkExportedLog({ ...log, inclusion }, published)).toEqual({
        kind: 'not_included',
      });
    }
    // Another hazard's log with this proof, and this proof held against another day.
    const other = await exportLog((logsBefore[1] as HazardLog).hazardId);
    expect(
      await checkExportedLog({ ...other, hazardId: log.hazardId, inclusion: proof }, published),
    ).toEqual({ kind: 'other_hazard' });
    expect(await checkExportedLog(log, firstDay)).toEqual({
      kind: 'other_day',
      date: '2026-11-22',
    });
  });

  it('shows a log rewritten in the table: its chain breaks, or it is no longer in the root', async () => {
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

    // A clumsy rewrite: the first event's data changed in place.
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...eventKey(1), ...first, data: forgedData },
      }),
    );
    const clumsy = await exportLog(victim.hazardId);
    expect(clumsy.chain).toMatchObject({ valid: false, brokenAt: 1 });
    expect(await checkExportedLog(clumsy, published)).toMatchObject({
      kind: 'chain_broken',
      brokenAt: 1,
    });

    // A careful one: every event sealed again, and the state's head with them. The chain
    // recomputes, but no head of it is in the published root: the export has no proof,
    // and the proof of the log as it was does not fit it.
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
    expect(careful.inclusion).toBeNull();
    expect(await checkExportedLog(careful, published)).toEqual({ kind: 'no_proof' });
    expect(await checkExportedLog({ ...careful, inclusion: victim.inclusion }, published)).toEqual({
      kind: 'not_included',
    });
  });

  it('links each day to the one before: rewriting a past day breaks every later one', async () => {
    const next = await passMidnightInto('2026-11-23T16:00:01.000Z', '2026-11-23');
    expect(next.previousDigest).toBe(published.digest);
    expect(next.count).toBe(hazards.length);
    // Every log's proof now names the newest day, and verifies against it.
    for (const hazard of hazards) {
      const log = await exportLog(hazard.hazardId);
      expect(await checkExportedLog(log, next)).toMatchObject({
        kind: 'included',
        date: '2026-11-23',
      });
    }

    const list = (await days()).toReversed();
    expect(list.map((day) => day.date)).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    expect(await verifyDays(list)).toEqual({ valid: true });

    // Someone rewrites 22 November to hold another root, digest and all…
    const [day21, day22, day23] = list as [Day, Day, Day];
    const forged = { ...day22, root: day23.root };
    expect(await verifyDays([day21, forged, day23])).toEqual({
      valid: false,
      reason: 'digest_differs',
      date: '2026-11-22',
    });
    // …and the next day no longer names it.
    expect(await verifyDays([day21, { ...forged, digest: digestOf(forged) }, day23])).toEqual({
      valid: false,
      reason: 'not_linked',
      date: '2026-11-23',
    });
  });
});
