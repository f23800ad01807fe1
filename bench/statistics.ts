import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoHazardStatistics } from '@qingling/shared/adapters/dynamodb/hazard-statistics.ts';
import { claimsForPrincipal, type Principal } from '@qingling/shared/auth/principal.ts';
import {
  type HazardState,
  hazardTally,
  statisticsPartition,
} from '@qingling/shared/hazards/statistics.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import { startLocalDynamo } from '#local/dynamodb.ts';

/**
 * The statistics dashboard at two sizes in one run (issue 15): a jurisdiction with 1,000
 * hazards and one with 100,000, found over 35 months. Their counter items are written
 * directly, as the event store's tally leaves them (the sums of the members' cells, from the
 * domain's hazardTally; the members' markers are on their own records and never read
 * here), not by running 100,000 lifecycles; the read path
 * is the real one: the get-hazard-statistics handler (an API Gateway v2 event with a
 * signed-in leader's claims) over DynamoHazardStatistics on dynalite. Requests alternate
 * between the two; the small jurisdiction is the large one's baseline. The handler's client
 * counts what it sends: as many BatchGetItem calls for either, and nothing else.
 *
 * `node bench/statistics.ts` runs it alone; `--hazards 20000` shrinks the large side.
 */

const tableName = 'qingling-bench-statistics';
const small = { jurisdiction: 'bench-small', hazards: 1_000 };
const large = { jurisdiction: 'bench-large', hazards: 100_000 };
const hazardsArgument = process.argv.indexOf('--hazards');
if (hazardsArgument > 0) large.hazards = Number(process.argv[hazardsArgument + 1]);
const warmUp = 10;
const requests = 200;
const now = new Date('2026-12-08T02:00:00.000Z');
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

const leader: Principal = {
  userId: 'bench-leader',
  name: '基准测试',
  roles: ['leader_in_charge'],
  jurisdictions: [small.jurisdiction, large.jurisdiction],
};

/** A hazard's statistics-relevant state, spread over industries, grades, statuses, days. */
function hazardAt(jurisdiction: string, index: number): HazardState {
  const dayMs = 86_400_000;
  const industries = seedData.industries;
  const found = Date.parse('2024-01-01T02:00:00.000Z') + ((index * 7919) % 1060) * dayMs;
  const deadline = found + (10 + (index % 50)) * dayMs;
  const fate = index % 10;
  const status =
    fate < 2 ? 'reported' : fate < 4 ? 'rectifying' : fate < 5 ? 'verifying' : 'closed';
  const foundOn = new Date(found + 8 * 3_600_000).toISOString().slice(0, 10);
  return {
    hazardId: `${jurisdiction === large.jurisdiction ? 'l' : 's'}${index.toString(32)}`.padEnd(
      26,
      'q',
    ),
    jurisdiction,
    industry: industries[index % industries.length]?.code ?? 'other',
    grade: index % 9 === 0 ? 'major' : 'general',
    status,
    reportedAt: new Date(found).toISOString(),
    foundOn,
    round: status === 'reported' ? null : { deadline: new Date(deadline).toISOString() },
    ...(status === 'closed'
      ? { closedAt: new Date(found + (5 + (index % 70)) * dayMs).toISOString() }
      : {}),
  };
}

/** The counter items of a jurisdiction's hazards, as the tally leaves them: counts only. */
function bucketItems(jurisdiction: string, hazards: number) {
  const buckets = new Map<string, Record<string, number>>();
  for (let index = 0; index < hazards; index += 1) {
    const tally = hazardTally.of(hazardAt(jurisdiction, index), 3);
    const counts = buckets.get(tally.sort) ?? {};
    buckets.set(tally.sort, counts);
    for (const [cell, delta] of Object.entries(hazardTally.deltas(null, tally.code))) {
      counts[cell] = (counts[cell] ?? 0) + delta;
    }
  }
  return [...buckets].map(([month, counts]) => ({
    pk: statisticsPartition(jurisdiction),
    sk: month,
    counts,
    pending: {},
  }));
}

function getEvent(query: Record<string, string>) {
  const path = '/api/office/statistics';
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
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
      authorizer: { jwt: { claims: claimsForPrincipal(leader), scopes: [] } },
    },
    isBase64Encoded: false,
  } as never;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const summary = (values: number[]) => ({
  p50Ms: round(percentile(values, 50)),
  p99Ms: round(percentile(values, 99)),
});

export async function statisticsLatency() {
  const { useDependencies, dependencies } = await import('#functions/dependencies.ts');
  const { handler } = await import('#functions/handlers/get-hazard-statistics.ts');
  const started = performance.now();
  const loadAverage = loadavg()[0] ?? Number.NaN;
  const directory = await mkdtemp(join(tmpdir(), 'qingling-bench-statistics-'));
  const dynamo = await startLocalDynamo({ path: directory, tableName });
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const commands: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const index = (args.input as { IndexName?: string }).IndexName;
      const name = `${context.commandName ?? 'unknown'}${index ? ` on ${index}` : ''}`;
      commands[name] = (commands[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCommandCounter' },
  );
  const documents = createDocumentClient(client);
  const previous = {
    clock: dependencies.clock,
    jurisdictions: dependencies.jurisdictions,
    hazardStatistics: dependencies.hazardStatistics,
  };
  try {
    const seedStarted = performance.now();
    const sizes: Record<string, { buckets: number; largestItemKiB: number }> = {};
    for (const side of [small, large]) {
      const items = bucketItems(side.jurisdiction, side.hazards);
      sizes[side.jurisdiction] = {
        buckets: items.length,
        largestItemKiB: round(
          Math.max(...items.map((item) => JSON.stringify(item).length)) / 1024,
          1,
        ),
      };
      for (let from = 0; from < items.length; from += 25) {
        let writes = items.slice(from, from + 25).map((Item) => ({ PutRequest: { Item } }));
        while (writes.length) {
          const reply = await documents.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: writes } }),
          );
          writes = (reply.UnprocessedItems?.[tableName] ?? []) as typeof writes;
        }
      }
    }
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
    for (const key of Object.keys(commands)) delete commands[key];

    const store = new DynamoHazardStatistics(documents, tableName);
    const place = (code: string) => ({
      code,
      zh: code,
      en: code,
      level: 'town' as const,
      parent: '基准',
      units: [],
      version: 1,
    });
    useDependencies({
      clock: () => ({ now: () => now }),
      jurisdictions: async () => [place(small.jurisdiction), place(large.jurisdiction)],
      hazardStatistics: () => store,
    });
    const call = async (jurisdiction: string) => {
      const start = performance.now();
      const reply = (await (
        handler as (event: never) => Promise<{ statusCode?: number; body?: string }>
      )(getEvent({ jurisdiction }))) as { statusCode?: number; body?: string };
      const elapsed = performance.now() - start;
      if (reply.statusCode !== 200) throw new Error(`answered ${reply.statusCode}: ${reply.body}`);
      const body = JSON.parse(reply.body ?? '{}') as {
        reads: number;
        backlog: { found: number };
        inflow: { found: number };
      };
      return { elapsed, reads: body.reads, hazards: body.backlog.found + body.inflow.found };
    };
    for (let index = 0; index < warmUp; index += 1) {
      await call(small.jurisdiction);
      await call(large.jurisdiction);
    }
    for (const key of Object.keys(commands)) delete commands[key];
    const times = { small: [] as number[], large: [] as number[] };
    const reads = { small: new Set<number>(), large: new Set<number>() };
    const counted = { small: 0, large: 0 };
    for (let index = 0; index < requests; index += 1) {
      const order = index % 2 === 0 ? [small, large] : [large, small];
      for (const side of order) {
        const key = side === small ? 'small' : 'large';
        const result = await call(side.jurisdiction);
        times[key].push(result.elapsed);
        reads[key].add(result.reads);
        counted[key] = result.hazards;
      }
    }
    const smallTimes = summary(times.small);
    const largeTimes = summary(times.large);
    const p50Ratio = round(largeTimes.p50Ms / smallTimes.p50Ms);
    const p99Ratio = round(largeTimes.p99Ms / smallTimes.p99Ms);
    const sameReads =
      reads.small.size === 1 &&
      reads.large.size === 1 &&
      [...reads.small][0] === [...reads.large][0];
    // The counters by key (BatchGetItem), and the approved rewards (the statistics' money)
    // from their own index, gsi2 REWARDS#<jurisdiction>: bounded by the rewards approved,
    // never by the hazards (none here), the same Queries for either side.
    const onlyBatchGets = Object.keys(commands).every(
      (name) => name === 'BatchGetItemCommand' || name === 'QueryCommand on gsi2',
    );
    const rewardQueries = commands['QueryCommand on gsi2'] ?? 0;
    const sameRewardQueries = rewardQueries % (2 * requests) === 0; // each side, each request
    return {
      what: `GET /api/office/statistics (get-hazard-statistics handler over DynamoHazardStatistics on dynalite): a jurisdiction with ${small.hazards} hazards vs one with ${large.hazards}, interleaved in one run`,
      hazardsCounted: counted,
      buckets: sizes,
      seeding: {
        how: 'counter items written directly (BatchWriteItem), as the tally leaves them',
        seconds: seedSeconds,
      },
      requests,
      readsPerRequest: { small: [...reads.small], large: [...reads.large] },
      commandsSent: { ...commands },
      small: smallTimes,
      large: largeTimes,
      p50RatioLargeToSmall: p50Ratio,
      p99RatioLargeToSmall: p99Ratio,
      loadAverage1mAtStart: round(loadAverage, 1),
      durationSeconds: round((performance.now() - started) / 1000, 1),
      goal: 'large p50 and p99 each <= 2x the small; the same number of BatchGetItem calls per request, and the same Queries of the rewards index (gsi2), nothing else',
      meetsGoal:
        p50Ratio <= 2 &&
        p99Ratio <= 2 &&
        sameReads &&
        onlyBatchGets &&
        sameRewardQueries &&
        counted.small === small.hazards &&
        counted.large === large.hazards,
    };
  } finally {
    useDependencies(previous);
    client.destroy();
    await dynamo.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await statisticsLatency(), null, 2));
  process.exit(0);
}
