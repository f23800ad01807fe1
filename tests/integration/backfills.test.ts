import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Backfill,
  backfills,
  DynamoBackfills,
} from '@qingling/shared/adapters/dynamodb/backfills.ts';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import {
  countersFormat,
  DynamoHazardStatistics,
} from '@qingling/shared/adapters/dynamodb/hazard-statistics.ts';
import { applyTally } from '@qingling/shared/adapters/dynamodb/tally.ts';
import { deskLedgerStatuses as ledgerStatuses } from '@qingling/shared/hazards/desk.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { hazardTally, statisticsPartition } from '@qingling/shared/hazards/statistics.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import { tipStatisticsPartition } from '@qingling/shared/tips/tip-statistics.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRecordCounters, handler, sweepReserveMs } from '#functions/workflow/reconcile.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard, recordHazardWithDeadline } from '../support/hazards.ts';
import { postJson, validTip } from '../support/tips.ts';

// Issue 10: the one-time backfills the reconciler runs on AWS after an upgrade stop within
// their budget and go on at the next run; the counters' rebuild is safe while hazards change.
const clock = new ManualClock('2026-12-08T02:00:00.000Z');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let documents: DynamoDBDocumentClient;
let tableName: string;
const jurisdictions = seedData.jurisdictions.map((jurisdiction) => jurisdiction.code);
const hazards: { id: string; revision: number }[] = [];
let token = '';

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  documents = createDocumentClient();
  tableName = process.env.TABLE_NAME as string;
  token = await signIn(cloud.url, 'cq-gecheng.officer');
  for (const place of ['一号仓库', '二号仓库', '三号仓库', '四号仓库']) {
    const reply = await recordHazard(cloud.url, token, place, 'general');
    expect(reply.status).toBe(201);
    hazards.push({ id: reply.body.hazard.hazardId, revision: reply.body.revision });
  }
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

/** The counter items of a jurisdiction, cells only, zeros left out (as a rebuild leaves them). */
async function counters(
  partition = statisticsPartition('cq-gecheng'),
): Promise<Record<string, Record<string, number>>> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ConsistentRead: true,
    }),
  );
  return Object.fromEntries(
    Items.map((item) => [
      item.sk as string,
      Object.fromEntries(
        Object.entries(item.counts as Record<string, number>).filter(([, value]) => value !== 0),
      ),
    ]).filter(([, counts]) => Object.keys(counts as object).length),
  );
}

/** A hazard's state item as an older version wrote it: no recordedBy, no filter indexes. */
async function asWrittenBefore(hazardId: string): Promise<void> {
  const indexes = [3, 4, 5, 6, 7].flatMap((n) => [`gsi${n}pk`, `gsi${n}sk`]);
  await documents.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk: hazardStream(hazardId), sk: 'STATE' },
      UpdateExpression: `REMOVE #state.#recordedBy, ${indexes.join(', ')}`,
      ExpressionAttributeNames: { '#state': 'state', '#recordedBy': 'recordedBy' },
    }),
  );
}

const stateOf = async (hazardId: string) =>
  (
    await documents.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: hazardStream(hazardId), sk: 'STATE' },
        ConsistentRead: true,
      }),
    )
  ).Item as Record<string, unknown> & { state: { recordedBy?: string } };

describe('the backfills the reconciler runs after an upgrade', () => {
  it('stop when the budget runs out, markers unwritten, and the next runs go on from there', async () => {
    const expected = await counters();
    // As an upgrade finds the table: none of the three done.
    for (const hazard of hazards) await asWrittenBefore(hazard.id);
    const markerKeys = [
      ...Object.values(backfills),
      ...jurisdictions.map((code) => ({
        pk: 'HAZARD#STATS#',
        sk: `BUILT#${countersFormat}#${code}`,
      })),
    ];
    for (const Key of markerKeys)
      await documents.send(new DeleteCommand({ TableName: tableName, Key }));
    const store = new DynamoBackfills(documents, tableName);
    expect(await store.missing()).toEqual([
      'hazardHistory',
      'statistics',
      'ledgerIndexes',
      'recordedBy',
      'sealedDataIndex',
      'tipPlaceIndex',
    ]);

    /** A budget that lasts `checks` checks (a stand-in for the function's remaining time). */
    const budgetOf = (checks: number) => {
      let left = checks;
      return {
        expired: () => {
          left -= 1;
          return left < 0;
        },
      };
    };
    const run = (checks: number) =>
      store.run(['statistics', 'ledgerIndexes', 'recordedBy'], jurisdictions, {
        now: clock.now(),
        budget: budgetOf(checks),
      });

    // Out of time at once: nothing done, nothing marked.
    expect(await run(0)).toEqual({
      finished: [],
      unfinished: ['statistics', 'ledgerIndexes', 'recordedBy'],
    });
    expect(await store.missing()).toEqual([
      'hazardHistory',
      'statistics',
      'ledgerIndexes',
      'recordedBy',
      'sealedDataIndex',
      'tipPlaceIndex',
    ]);

    // Time for the first jurisdiction's counters only: that one is kept as done.
    expect((await run(1)).unfinished).toEqual(['statistics', 'ledgerIndexes', 'recordedBy']);
    expect(await store.missing()).toEqual([
      'hazardHistory',
      'statistics',
      'ledgerIndexes',
      'recordedBy',
      'sealedDataIndex',
      'tipPlaceIndex',
    ]);
    const progress = await documents.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: 'HAZARD#STATS#', sk: `BUILT#${countersFormat}#${jurisdictions[0]}` },
      }),
    );
    expect(progress.Item).toBeDefined();
    const second = await documents.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: 'HAZARD#STATS#', sk: `BUILT#${countersFormat}#${jurisdictions[1]}` },
      }),
    );
    expect(second.Item).toBeUndefined();

    // The counters finish (a check for each jurisdiction left), and two hazards get their
    // filter indexes: the ledger's backfill checks before each status of each jurisdiction
    // and before each hazard; the four are cq-gecheng's, reported.
    const before = jurisdictions.indexOf('cq-gecheng') * ledgerStatuses.length;
    const checks = jurisdictions.length - 1 + before + ledgerStatuses.indexOf('reported') + 1 + 2;
    const run3 = await run(checks);
    expect(run3).toEqual({ finished: ['statistics'], unfinished: ['ledgerIndexes', 'recordedBy'] });
    expect(await store.missing()).toEqual([
      'hazardHistory',
      'ledgerIndexes',
      'recordedBy',
      'sealedDataIndex',
      'tipPlaceIndex',
    ]);
    const indexed = await Promise.all(
      hazards.map(async (hazard) => Boolean((await stateOf(hazard.id)).gsi3pk)),
    );
    expect(indexed.filter(Boolean).length).toBe(2);

    // The next run has the time: it skips what is done and finishes both.
    expect(
      await store.run(await store.missing(), jurisdictions, {
        now: clock.now(),
        budget: { expired: () => false },
      }),
    ).toEqual({
      finished: [
        'hazardHistory',
        'ledgerIndexes',
        'recordedBy',
        'sealedDataIndex',
        'tipPlaceIndex',
      ],
      unfinished: [],
    });
    expect(await store.missing()).toEqual([]);
    for (const hazard of hazards) {
      const item = await stateOf(hazard.id);
      expect(item.gsi3pk).toBeDefined();
      expect(item.state.recordedBy).toBeDefined();
    }
    expect(await counters()).toEqual(expected);
  });

  it('rebuilds the counters while a move is under way, counting the hazard once', async () => {
    const [moving] = hazards as [{ id: string; revision: number }];
    const stream = hazardStream(moving.id);
    const store = new DynamoHazardStatistics(documents, tableName);
    const before = await stateOf(moving.id);
    const bucket = hazardTally.of(before.state as never, before.version as number);
    const bucketKey = { pk: bucket.partition, sk: bucket.sort };
    const setPending = (value: string | null) =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: bucketKey,
          UpdateExpression: value ? 'SET #pending.#m = :v' : 'REMOVE #pending.#m',
          ExpressionAttributeNames: { '#pending': 'pending', '#m': moving.id },
          ...(value ? { ExpressionAttributeValues: { ':v': value } } : {}),
        }),
      );
    // A move claimed on the hazard's marker and not yet counted: its writer's count stopped
    // (here by a member pending in the bucket, taken away after), as a writer paused
    // between its claim and its count leaves it.
    await setPending('another move');
    const reply = await giveHazardCommand(cloud.url, token, moving, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理安全出口',
      deadline: { date: '2026-12-20' },
    });
    expect(reply.status).toBe(200);
    moving.revision = reply.body.revision;
    await setPending(null);
    const after = await stateOf(moving.id);
    const claimed = (
      await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: stream, sk: 'TALLY' },
          ConsistentRead: true,
        }),
      )
    ).Item;
    expect(claimed?.next).toBe(hazardTally.of(after.state as never, after.version as number).code);

    // The writer goes on, and its count waits until the rebuild is over.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let paused = () => {};
    const reachedCount = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const pausing = {
      async send(command: { input: { Key?: { pk?: string } } }) {
        if (command instanceof UpdateCommand && command.input.Key?.pk === bucket.partition) {
          paused();
          await released;
        }
        return documents.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const writer = applyTally(
      pausing,
      tableName,
      hazardTally,
      stream,
      after.state as never,
      after.version as number,
      { code: claimed?.code as string },
    ).catch((error: Error) => error);
    await reachedCount;
    await store.rebuild(['cq-gecheng'], clock.now());
    release();
    await writer;
    // The reconciler's check of the change, and the hazard's next move, as they come.
    await checkRecordCounters(stream);
    const submitted = await giveHazardCommand(cloud.url, token, moving, {
      type: 'submit_evidence',
      note: '已清理',
      photoKeys: [],
    });
    expect(submitted.status).toBe(200);
    await checkRecordCounters(stream);
    const counted = await counters();
    // What a rebuild with nothing under way counts: the same.
    await store.rebuild(['cq-gecheng'], clock.now());
    expect(counted).toEqual(await counters());
  });

  it('leaves a jurisdiction without records as it is, and its first hazard counts itself', async () => {
    const empty = 'fj-sanming-jiangle-edz';
    const store = new DynamoHazardStatistics(documents, tableName);
    const itemsUnder = async (partition: string) =>
      (
        await documents.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': partition },
            ConsistentRead: true,
          }),
        )
      ).Items ?? [];
    // Nothing to count: no fence and no bucket (it fenced and wrote 194, a month since the epoch).
    expect(await store.rebuild([empty], clock.now())).toEqual({ hazards: 0, tips: 0, buckets: 0 });
    expect(await itemsUnder(statisticsPartition(empty))).toEqual([]);
    expect(await itemsUnder(tipStatisticsPartition(empty))).toEqual([]);
    // Its first hazard makes its bucket as it moves, and a rebuild now counts the same.
    await recordHazardWithDeadline(cloud, empty, { date: '2026-12-20' });
    const counted = await counters(statisticsPartition(empty));
    expect(Object.keys(counted)).toHaveLength(1);
    expect(Math.max(...Object.values(Object.values(counted)[0] ?? {}))).toBe(1);
    expect(await store.rebuild([empty], clock.now())).toMatchObject({ hazards: 1, tips: 0 });
    expect(await counters(statisticsPartition(empty))).toEqual(counted);
  });

  it('leave the sweep its time: a scheduled run with less than two minutes left only sweeps', async () => {
    await documents.send(new DeleteCommand({ TableName: tableName, Key: backfills.recordedBy }));
    const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
    const left = (milliseconds: number) => ({ getRemainingTimeInMillis: () => milliseconds });
    expect(await handler(scheduled, left(sweepReserveMs - 1))).toMatchObject({
      backfills: { finished: [], unfinished: ['recordedBy'] },
      woken: expect.any(Number),
    });
    expect(await handler(scheduled, left(240_000))).toMatchObject({
      backfills: { finished: ['recordedBy'], unfinished: [] },
    });
    expect(await handler(scheduled, left(240_000))).not.toHaveProperty('backfills');
  });

  /** A tip sent as a tipster sends it, found in the inbox by a word of its text. */
  const reportedTip = async (body: Record<string, unknown>, word: string): Promise<string> => {
    const created = await postJson(`${cloud.url}/api/tips`, validTip(body));
    expect(created.status).toBe(201);
    const inbox = await (
      await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    return inbox.tips.find((tip: { excerpt: string }) => tip.excerpt.includes(word)).tipId;
  };
  /** The tip's state item, read consistently. */
  const tipStateItem = async (tipId: string) =>
    (
      await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: `TIP#${tipId}`, sk: 'STATE' },
          ConsistentRead: true,
        }),
      )
    ).Item;
  /**
   * As an older version left the tip: without these index attributes, and the backfill's
   * marker gone; then the backfill runs alone, once, to its end.
   */
  const backfilledAfterUpgrade = async (tipId: string, name: Backfill, removed: string) => {
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `TIP#${tipId}`, sk: 'STATE' },
        UpdateExpression: `REMOVE ${removed}`,
      }),
    );
    await documents.send(new DeleteCommand({ TableName: tableName, Key: backfills[name] }));
    const store = new DynamoBackfills(documents, tableName);
    expect(await store.missing()).toEqual([name]);
    expect(
      await store.run([name], jurisdictions, {
        now: clock.now(),
        budget: { expired: () => false },
      }),
    ).toEqual({ finished: [name], unfinished: [] });
    expect(await store.missing()).toEqual([]);
  };

  it('puts a tip written before the retention sweep on its index, so that it is erased when due', async () => {
    const description = '仓库安全出口被货物堵死，疏散通道不畅 B1';
    const body = { wantsReward: true, contactPhone: '13712345678', description };
    const tipId = await reportedTip(body, 'B1');
    const headers = { authorization: `Bearer ${token}` };
    const tip = await (await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers })).json();
    const refused = await postJson(
      `${cloud.url}/api/office/tips/${tipId}/commands`,
      {
        idempotencyKey: crypto.randomUUID(),
        expectedRevision: tip.revision,
        command: { type: 'refuse', reason: 'opinion_or_request' },
      },
      headers,
    );
    expect(refused.status).toBe(200);
    expect((await tipStateItem(tipId))?.gsi3pk).toBe('SEALED#cq-gecheng');
    await backfilledAfterUpgrade(tipId, 'sealedDataIndex', 'gsi3pk, gsi3sk');
    expect((await tipStateItem(tipId))?.gsi3pk).toBe('SEALED#cq-gecheng');
  });

  it('puts a tip written before the possible duplicates’ indexes on them', async () => {
    const body = { enterprise: '老街茶馆', address: '老街 3 号', description: '茶馆燃气管老化 C1' };
    const tipId = await reportedTip(body, 'C1');
    const indexOf = async () => {
      const item = await tipStateItem(tipId);
      return [item?.gsi4pk, item?.gsi5pk];
    };
    const indexed = ['TIPPLACE#cq-gecheng#E#老街茶馆', 'TIPPLACE#cq-gecheng#A#老街3号'];
    expect(await indexOf()).toEqual(indexed);
    await backfilledAfterUpgrade(tipId, 'tipPlaceIndex', 'gsi4pk, gsi4sk, gsi5pk, gsi5sk');
    expect(await indexOf()).toEqual(indexed);
  });

  it('gives a hazard written before its state kept history the spans its log says ended', async () => {
    const officer = await signIn(cloud.url, 'cq-gecheng.officer');
    const reply = await recordHazard(cloud.url, officer, '九号仓库', 'general');
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const hazard = { id: reply.body.hazard.hazardId, revision: reply.body.revision };
    const steps: ({ at?: string; as?: string } & Record<string, unknown>)[] = [
      {
        type: 'start_rectification',
        responsible: '王某',
        measures: '清理',
        deadline: { date: '2026-12-09' },
      },
      // Extended two days after the deadline: overdue from 24:00 of 12-09 until then.
      {
        at: '2026-12-11T02:00:00.000Z',
        type: 'request_extension',
        deadline: { date: '2026-12-15' },
        reason: '材料未到',
      },
      { as: 'department_head', type: 'approve_extension' },
      // Evidence a day after the new deadline: overdue again, from 24:00 of 12-15.
      { at: '2026-12-17T02:00:00.000Z', type: 'submit_evidence', note: '已清理', photoKeys: [] },
    ];
    for (const { at, as, ...command } of steps) {
      if (at) clock.set(at);
      // Signed in again: the clock moved past the last sign-in's lifetime.
      const signedIn = await signIn(cloud.url, `cq-gecheng.${as ?? 'officer'}`);
      let given = await giveHazardCommand(cloud.url, signedIn, hazard, command);
      if (given.status === 409) {
        // The lifecycle recorded a step that fell due as the clock moved: as an officer
        // would, give the command again on the record as it is now.
        hazard.revision = given.body.error.current.revision;
        given = await giveHazardCommand(cloud.url, signedIn, hazard, command);
      }
      expect(given.status, JSON.stringify(given.body)).toBe(200);
      hazard.revision = given.body.revision;
    }
    const kept = (await stateOf(hazard.id)).state as { history?: { overdue: unknown[] } };
    expect(kept.history).toEqual({
      overdue: [
        ['2026-12-09T16:00:00.000Z', '2026-12-11T02:00:00.000Z'],
        ['2026-12-15T16:00:00.000Z', '2026-12-17T02:00:00.000Z'],
      ],
    });
    // As the upgrade left it: the first span ended before it, the second after (so the
    // state has some history, not all), and the backfill's marker gone.
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: hazardStream(hazard.id), sk: 'STATE' },
        UpdateExpression: 'SET #state.#history = :second',
        ExpressionAttributeNames: { '#state': 'state', '#history': 'history' },
        ExpressionAttributeValues: { ':second': { overdue: kept.history?.overdue.slice(1) } },
      }),
    );
    for (const Key of [backfills.hazardHistory, backfills.ledgerIndexes])
      await documents.send(new DeleteCommand({ TableName: tableName, Key }));
    const store = new DynamoBackfills(documents, tableName);
    expect(await store.missing()).toEqual(['hazardHistory', 'ledgerIndexes']);
    // As the reconciler runs them: those still missing.
    const run = async () =>
      store.run(await store.missing(), jurisdictions, {
        now: clock.now(),
        budget: { expired: () => false },
      });
    // States changed: what comes after it (the counters' rebuild, on AWS) waits for the
    // next run, when the index the rebuild reads has caught up.
    expect(await run()).toEqual({ finished: ['hazardHistory'], unfinished: ['ledgerIndexes'] });
    expect(((await stateOf(hazard.id)).state as { history?: unknown }).history).toEqual(
      kept.history,
    );
    expect(await run()).toEqual({ finished: ['ledgerIndexes'], unfinished: [] });
  });
});
