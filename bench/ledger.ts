import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoHazardLedger } from '@qingling/shared/adapters/dynamodb/hazard-ledger.ts';
import { DynamoTipInbox } from '@qingling/shared/adapters/dynamodb/tip-inbox.ts';
import { claimsForPrincipal, type Principal } from '@qingling/shared/auth/principal.ts';
import type { RecordedEvent } from '@qingling/shared/event-log/event-log.ts';
import type { Projection } from '@qingling/shared/event-log/event-store.ts';
import {
  type HazardState,
  hazardProjection,
  hazardStream,
} from '@qingling/shared/hazards/hazard.ts';
import { type TipState, tipProjection, tipStream } from '@qingling/shared/tips/tip.ts';
import { startLocalDynamo } from '#local/dynamodb.ts';

/**
 * The officer's lists at two sizes in one run (DESIGN.md, "Quality bars": the queue answers
 * from an index, at 100,000 hazards as fast as at 100). For the hazard ledger and for the
 * tip inbox, a dynalite with the table of infra/table-design.ts holding two jurisdictions:
 * one with 1,000 records in the listed status, one with 100,000. The real list handlers
 * (API Gateway v2 events with a signed-in officer's claims) over the real adapters answer
 * the first page of each, interleaved; the small jurisdiction is the large one's baseline.
 * The handlers' client counts what it sends: one Query on gsi1 per request, never a Scan.
 *
 * The current-state items are written as the event store writes them (pk, sk 'STATE',
 * state, version, head, idempotencyKeys and the projection's index attributes), states
 * derived by the real projections, straight with BatchWriteItem: listing reads nothing
 * else, and this keeps the seeding bounded (about 100 s on a busy 2-core machine).
 *
 * `node bench/ledger.ts` runs it alone; `--records 5000` shrinks the large side.
 */

const tableName = 'qingling-bench-ledger';
const small = { jurisdiction: 'bench-small', records: 1_000 };
const large = { jurisdiction: 'bench-large', records: 100_000 };
/** `node bench/ledger.ts --records 5000`: a smaller large side, to estimate the seeding. */
const recordsArgument = process.argv.indexOf('--records');
if (recordsArgument > 0) large.records = Number(process.argv[recordsArgument + 1]);
const batchSize = 25;
const seedConcurrency = 6;
const warmUp = 20;
/**
 * Per side. The p99 of 200 samples is the second slowest, which one stall of a shared
 * 2-core machine decides; of 500 it is the sixth slowest. Costs about 10 s more.
 */
const requests = 500;
const pageSize = 50;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const summary = (values: number[]) => ({
  p50Ms: round(percentile(values, 50)),
  p99Ms: round(percentile(values, 99)),
});

const officer: Principal = {
  userId: 'bench-officer',
  name: '基准测试',
  roles: ['officer'],
  jurisdictions: [small.jurisdiction, large.jurisdiction],
};

/** A recorded event as the event store would hand it to a projection (hash not needed). */
function recorded(stream: string, sequence: number, event: Record<string, unknown>) {
  return {
    stream,
    sequence,
    previousHash: '0'.repeat(64),
    hash: sequence.toString(16).padStart(64, '0'),
    actor: { kind: 'person', id: 'bench-officer' },
    ...event,
  } as unknown as RecordedEvent;
}

/** A 26-character id like the real ones (base32 digests), unique per jurisdiction and index. */
const idFor = (jurisdiction: string, index: number) =>
  `${jurisdiction === large.jurisdiction ? 'l' : 's'}${index.toString(32)}`.padEnd(26, 'q');

const startedAt = Date.parse('2026-01-05T01:00:00.000Z');
/** Newest last: one record a minute, so the sort keys are distinct and in time order. */
const timeOf = (index: number) => new Date(startedAt + index * 60_000).toISOString();

/** Five industries, three channels, found over 300 days: what the filters select among. */
const benchIndustries = [
  'fire',
  'construction',
  'city_gas',
  'hazardous_chemicals',
  'road_transport',
];
const benchSources = ['inspection', 'self_report', 'tip'] as const;
const foundOnOf = (index: number) =>
  new Date(startedAt + 8 * 3_600_000 - (index % 300) * 86_400_000).toISOString().slice(0, 10);

/**
 * The filtered ledger's requests: open hazards of one industry and grade found in a
 * period. General ones fill a page at both sizes (about 1 in 12 of the ledger: some 86 of
 * the small side's, 8,600 of the large's), so that the two pages are the same work; major
 * ones (1 in 70: 14 of the small side's, 1,400 of the large's) are the example.
 */
const period = { foundFrom: foundOnOf(149), foundTo: foundOnOf(0) };
const filteredQueries = {
  hazardsFiltered: { grade: 'general', industry: 'fire', ...period },
  hazardsFilteredMajor: { grade: 'major', industry: 'fire', ...period },
};

/** A hazard in rectification, its state derived by the real projection from its events. */
function hazardState(jurisdiction: string, index: number): HazardState {
  const hazardId = idFor(jurisdiction, index);
  const stream = hazardStream(hazardId);
  const major = index % 7 === 0;
  const at = timeOf(index);
  const source = benchSources[index % 3] as (typeof benchSources)[number];
  const reported = hazardProjection.apply(
    null,
    recorded(stream, 1, {
      type: 'hazard_reported',
      at,
      data: {
        hazardId,
        source,
        ...(source === 'tip' ? { tipId: hazardId } : {}),
        jurisdiction,
        industry: benchIndustries[index % benchIndustries.length],
        enterprise: `91500000MA${String(index % 400).padStart(8, '0')}`,
        place: `东门路 ${index % 300} 号仓库`,
        grade: major ? 'major' : 'general',
        ...(major ? { standard: { ref: 'GB 50016-2014', clause: '6.4.2' } } : {}),
        description: '仓库安全出口被货物堵住，消防通道上停满电动车，晚上尤其严重。',
        foundOn: foundOnOf(index),
      },
    }),
  );
  return hazardProjection.apply(
    reported,
    recorded(stream, 2, {
      type: 'rectification_started',
      at,
      data: {
        responsible: '张三',
        deadline: new Date(startedAt + (index + 30 * 1440) * 60_000).toISOString(),
        measures: '清理安全出口，移走电动车，设置禁停标志。',
      },
    }),
  );
}

/** A tip just received (the inbox's first status), derived by the real projection. */
function tipState(jurisdiction: string, index: number): TipState {
  const tipId = idFor(jurisdiction, index);
  const at = timeOf(index);
  return tipProjection.apply(
    null,
    recorded(tipStream(tipId), 1, {
      type: 'tip_received',
      at,
      actor: { kind: 'tipster', id: 'tipster' },
      data: {
        tipId,
        channel: 'web',
        jurisdiction,
        industry: 'fire',
        address: `东门路 ${index % 300} 号仓库`,
        description: '仓库安全出口被货物堵住，消防通道上停满电动车，晚上尤其严重。',
        seenOn: '2026-01-04',
        isEmployee: false,
        wantsReward: false,
        photoIds: [],
        contentDigest: tipId,
        acceptDeadline: new Date(startedAt + (index + 7 * 1440) * 60_000).toISOString(),
      },
    }),
  );
}

/** The current-state item exactly as DynamoEventStore.writeState puts it. */
function stateItem<State>(
  stream: string,
  state: State,
  version: number,
  projection: Projection<State>,
) {
  return {
    pk: stream,
    sk: 'STATE',
    state,
    version,
    head: version.toString(16).padStart(64, '0'),
    idempotencyKeys: [] as string[],
    ...projection.indexes?.(state),
  };
}

type Item = Record<string, unknown>;

/** BatchWriteItem, 25 items a call, a few calls in flight; retries what comes back unprocessed. */
async function seed(
  documents: DynamoDBDocumentClient,
  count: number,
  itemAt: (index: number) => Item,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + batchSize);
      let writes: { PutRequest: { Item: Item } }[] = [];
      for (let index = from; index < next; index += 1) {
        writes.push({ PutRequest: { Item: itemAt(index) } });
      }
      while (writes.length) {
        const reply = await documents.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: writes } }),
        );
        writes = (reply.UnprocessedItems?.[tableName] ?? []) as typeof writes;
      }
    }
  };
  await Promise.all(Array.from({ length: seedConcurrency }, worker));
}

/** An API Gateway v2 event for a GET with a signed-in officer, as the gateway builds it. */
function getEvent(path: string, query: Record<string, string>) {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString,
    headers: {},
    queryStringParameters: query,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '0.0.0.0', userAgent: '' },
      requestId: crypto.randomUUID(),
      routeKey: `GET ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer: { jwt: { claims: claimsForPrincipal(officer), scopes: [] } },
    },
    isBase64Encoded: false,
  } as never;
}

type Handler = (event: never) => Promise<{ statusCode?: number; body?: string }>;

interface ListCase {
  name: 'hazards' | 'tips';
  path: string;
  status: string;
  /** Filters measured on the same records after the plain list (the filtered ledger). */
  filtered?: Record<string, Record<string, string>>;
  handler: Handler;
  /** The field of the reply that holds the rows. */
  rows: string;
  partition: (jurisdiction: string) => string;
  /** The current-state item of the jurisdiction's record number `index`. */
  item: (jurisdiction: string) => (index: number) => Item;
}

/** Interleaved requests to the small and the large jurisdiction, after a warm-up. */
async function measureList(
  list: ListCase,
  documents: DynamoDBDocumentClient,
  filters: Record<string, string> = {},
) {
  const call = async (jurisdiction: string) => {
    const start = performance.now();
    const reply = await list.handler(
      getEvent(list.path, { jurisdiction, status: list.status, ...filters }),
    );
    const elapsed = performance.now() - start;
    if (reply.statusCode !== 200) {
      throw new Error(`${list.path} answered ${reply.statusCode}: ${reply.body}`);
    }
    const body = JSON.parse(reply.body ?? '{}') as Record<string, unknown>;
    const rows = body[list.rows] as { jurisdiction: string }[];
    if (!rows.every((row) => row.jurisdiction === jurisdiction)) {
      throw new Error(`${list.path} listed another jurisdiction's records`);
    }
    return { elapsed, rows: rows.length, more: 'nextCursor' in body };
  };
  // The floor: the same page as one raw Query, no handler, to the large partition.
  const rawQuery = async () => {
    const start = performance.now();
    await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': list.partition(large.jurisdiction) },
        ScanIndexForward: false,
        Limit: pageSize,
      }),
    );
    return performance.now() - start;
  };
  for (let index = 0; index < warmUp; index += 1) {
    await call(small.jurisdiction);
    await call(large.jurisdiction);
    await rawQuery();
  }
  const times = { small: [] as number[], large: [] as number[], raw: [] as number[] };
  let smallRows = 0;
  let largeRows = 0;
  let largeHasMore = true;
  for (let index = 0; index < requests; index += 1) {
    // Alternate which goes first, so that neither always follows the other.
    const order = index % 2 === 0 ? [small, large] : [large, small];
    for (const side of order) {
      const result = await call(side.jurisdiction);
      if (side === small) {
        times.small.push(result.elapsed);
        smallRows = result.rows;
      } else {
        times.large.push(result.elapsed);
        largeRows = result.rows;
        largeHasMore &&= result.more;
      }
    }
    times.raw.push(await rawQuery());
  }
  const smallTimes = summary(times.small);
  const largeTimes = summary(times.large);
  const p50Ratio = round(largeTimes.p50Ms / smallTimes.p50Ms, 2);
  const p99Ratio = round(largeTimes.p99Ms / smallTimes.p99Ms, 2);
  return {
    request: `GET ${list.path}?${new URLSearchParams({ jurisdiction: '…', status: list.status, ...filters })} (first page of ${pageSize})`,
    requests,
    rowsPerPage: { small: smallRows, large: largeRows },
    largeHasNextCursor: largeHasMore,
    small: smallTimes,
    large: largeTimes,
    rawQueryLargeFloor: summary(times.raw),
    p50RatioLargeToSmall: p50Ratio,
    p99RatioLargeToSmall: p99Ratio,
  };
}

/**
 * Seeding is CPU-bound on the SDK's side and on dynalite's: with dynalite in a worker thread
 * the two use both cores. The measurement then opens the same files in this thread, as the
 * embedded cloud runs dynalite.
 */
async function startDynamoInWorker(path: string) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { dynalitePath: path } });
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    endpoint,
    stop: async () => {
      const stopped = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}

/** Counts every command the handlers' client sends, and the index each Query reads. */
function countCommands(client: DynamoDBClient) {
  const counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { IndexName?: string };
      const name =
        context.commandName === 'QueryCommand'
          ? `QueryCommand on ${input.IndexName ?? 'table'}`
          : (context.commandName ?? 'unknown');
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCommandCounter' },
  );
  return counts;
}

const localClient = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

export async function listLatency() {
  const { dependencies, useDependencies } = await import('#functions/dependencies.ts');
  const { handler: listHazards } = await import('#functions/handlers/list-hazards.ts');
  const { handler: listTips } = await import('#functions/handlers/list-tips.ts');
  const lists: ListCase[] = [
    {
      name: 'hazards',
      path: '/api/office/hazards',
      status: 'rectifying',
      filtered: filteredQueries,
      handler: listHazards as Handler,
      rows: 'hazards',
      partition: (jurisdiction) => `HAZARDS#${jurisdiction}#rectifying`,
      item: (jurisdiction) => (index) => {
        const state = hazardState(jurisdiction, index);
        return stateItem(hazardStream(state.hazardId), state, 2, hazardProjection);
      },
    },
    {
      name: 'tips',
      path: '/api/office/tips',
      status: 'received',
      handler: listTips as Handler,
      rows: 'tips',
      partition: (jurisdiction) => `TIPS#${jurisdiction}#received`,
      item: (jurisdiction) => (index) => {
        const state = tipState(jurisdiction, index);
        return stateItem(tipStream(state.tipId), state, 1, tipProjection);
      },
    },
  ];

  const started = performance.now();
  const loadAverage = loadavg()[0] ?? Number.NaN;
  const directories = await Promise.all(
    lists.map(() => mkdtemp(join(tmpdir(), 'qingling-bench-ledger-'))),
  );
  const seeding: Record<string, { records: number; seconds: number; itemsPerSecond: number }> = {};
  let seedingWall = { seconds: 0, cpuSeconds: 0 };
  const results: Record<string, unknown> = {};
  const previous = { hazardLedger: dependencies.hazardLedger, tipInbox: dependencies.tipInbox };
  try {
    // Each list into a dynalite of its own, both at once: one dynalite is one busy thread.
    const seedingStarted = performance.now();
    const seedingCpu = process.cpuUsage();
    await Promise.all(
      lists.map(async (list, index) => {
        const seeder = await startDynamoInWorker(directories[index] ?? '');
        const seedClient = localClient(seeder.endpoint);
        try {
          for (const side of [small, large]) {
            const start = performance.now();
            await seed(
              createDocumentClient(seedClient),
              side.records,
              list.item(side.jurisdiction),
            );
            const seconds = (performance.now() - start) / 1000;
            const label = `${list.name}${side === small ? 'Small' : 'Large'}`;
            seeding[label] = {
              records: side.records,
              seconds: round(seconds, 1),
              itemsPerSecond: Math.round(side.records / seconds),
            };
            console.error(`seeded ${label}: ${side.records} in ${seconds.toFixed(1)} s`);
          }
        } finally {
          seedClient.destroy();
          await seeder.stop();
        }
      }),
    );
    const cpu = process.cpuUsage(seedingCpu);
    seedingWall = {
      seconds: round((performance.now() - seedingStarted) / 1000, 1),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
    };

    for (const [index, list] of lists.entries()) {
      const dynamo = await startLocalDynamo({ path: directories[index] ?? '', tableName });
      // The handlers' own client, counted; the raw floor uses another.
      const handlerClient = localClient(dynamo.endpoint);
      const commands = countCommands(handlerClient);
      const handlerDocuments = createDocumentClient(handlerClient);
      useDependencies({
        hazardLedger: () => new DynamoHazardLedger(handlerDocuments, tableName),
        tipInbox: () => new DynamoTipInbox(handlerDocuments, tableName),
      });
      try {
        const measured = await measureList(list, createDocumentClient(dynamo.client));
        const handlerCalls = (warmUp + requests) * 2;
        const scans = commands.ScanCommand ?? 0;
        const queriesOnGsi1 = commands['QueryCommand on gsi1'] ?? 0;
        results[list.name] = {
          ...measured,
          commandsSent: { ...commands },
          scans,
          queriesOnGsi1,
          handlerCalls,
          goal: 'large p50 and p99 each <= 2x the small; one Query on gsi1 per request, no Scan',
          meetsGoal:
            measured.p50RatioLargeToSmall <= 2 &&
            measured.p99RatioLargeToSmall <= 2 &&
            scans === 0 &&
            queriesOnGsi1 === handlerCalls &&
            Object.keys(commands).length === 1,
        };
        for (const [name, filters] of Object.entries(list.filtered ?? {})) {
          // The same records, filtered: Queries on the filtered ledger's indexes only.
          for (const command of Object.keys(commands)) delete commands[command];
          const filtered = await measureList(list, createDocumentClient(dynamo.client), filters);
          const filteredScans = commands.ScanCommand ?? 0;
          const queries = Object.entries(commands)
            .filter(([name]) => name.startsWith('QueryCommand'))
            .reduce((sum, [, count]) => sum + count, 0);
          // When the small side has fewer matches than a page (the major filter: 14 of its
          // 1,000), its page is less work than the large side's full one: the time per row
          // shown is what can be compared across the sizes, and the goal is judged on it.
          const { small: smallRows, large: largeRows } = filtered.rowsPerPage;
          const perRow = smallRows > 0 && smallRows < largeRows;
          const perRowRatio = (large: number, small: number) =>
            round(large / largeRows / (small / smallRows), 2);
          const perRowRatios = perRow
            ? {
                p50PerRowRatioLargeToSmall: perRowRatio(filtered.large.p50Ms, filtered.small.p50Ms),
                p99PerRowRatioLargeToSmall: perRowRatio(filtered.large.p99Ms, filtered.small.p99Ms),
              }
            : undefined;
          results[name] = {
            ...filtered,
            ...perRowRatios,
            commandsSent: { ...commands },
            scans: filteredScans,
            queriesPerRequest: round(queries / handlerCalls, 2),
            goal: 'large p50 and p99 each <= 2x the small (per row shown when the small page is not full); Queries only (one per partition the filters span, a few per page), no Scan',
            meetsGoal:
              (perRowRatios?.p50PerRowRatioLargeToSmall ?? filtered.p50RatioLargeToSmall) <= 2 &&
              (perRowRatios?.p99PerRowRatioLargeToSmall ?? filtered.p99RatioLargeToSmall) <= 2 &&
              filteredScans === 0 &&
              Object.keys(commands).every((name) => name.startsWith('QueryCommand on gsi')),
          };
        }
      } finally {
        handlerClient.destroy();
        await dynamo.stop();
      }
    }
  } finally {
    useDependencies(previous);
    await Promise.all(
      directories.map((directory) => rm(directory, { recursive: true, force: true })),
    );
  }
  return {
    what: `the officer's lists (list-hazards, list-tips handlers over the DynamoDB adapters on dynalite): a jurisdiction with ${small.records} records in the listed status vs one with ${large.records}, interleaved in one run`,
    records: { small: small.records, large: large.records },
    loadAverage1mAtStart: round(loadAverage, 1),
    seeding: {
      how: `current-state items as the event store writes them, BatchWriteItem of ${batchSize}, ${seedConcurrency} in flight; hazards and tips each into a dynalite of its own in a worker thread, both at once`,
      wallSeconds: seedingWall.seconds,
      cpuSecondsAllThreads: seedingWall.cpuSeconds,
      ...seeding,
    },
    ...results,
    durationSeconds: round((performance.now() - started) / 1000, 1),
    meetsGoal: Object.values(results).every(
      (result) => (result as { meetsGoal: boolean }).meetsGoal,
    ),
  };
}

if (!isMainThread && workerData?.dynalitePath) {
  const dynamo = await startLocalDynamo({ path: workerData.dynalitePath, tableName });
  parentPort?.once('message', async () => {
    await dynamo.stop();
    parentPort?.postMessage('stopped');
  });
  parentPort?.postMessage(dynamo.endpoint);
} else if (import.meta.main) {
  console.log(JSON.stringify(await listLatency(), null, 2));
  process.exit(0);
}
