import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { fixedSignatureForDynalite, startLocalDynamo } from '#local/dynamodb.ts';

/**
 * What one DynamoDB call costs the embedded cloud's process, by transport: the SDK client
 * over dynalite's HTTP server (keep-alive, the fixed signature) beside the same client type
 * handing requests to dynalite in-process (infra/local/src/dynalite-transport.ts), same
 * dynalite, same run. PutItem then GetItem of a tip-sized item, at 1 and at 20 in flight,
 * in short blocks that alternate the transports (the machine is shared: a stall falls on
 * both). CPU is the process's (user + system, all threads, LevelDB's included) per call.
 */
export interface DynamoTransportOptions {
  /** Calls per transport and concurrency (default 5,000: half PutItem, half GetItem). */
  calls?: number;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function measureDynamoTransport(options: DynamoTransportOptions = {}) {
  const calls = options.calls ?? 5000;
  const blockCalls = 500;
  const loadAtStart = loadavg().map((value) => round(value, 2));
  const data = await mkdtemp(join(tmpdir(), 'qingling-bench-transport-'));
  const tableName = 'records';
  const dynamo = await startLocalDynamo({ path: join(data, 'dynamodb'), tableName });
  const overHttp = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    signer: fixedSignatureForDynalite,
  });
  const transports = { http: overHttp, inProcess: dynamo.client };
  type Name = keyof typeof transports;
  const state = {
    M: {
      jurisdiction: { S: 'cq-gecheng' },
      address: { S: '东门路 18 号仓库' },
      description: { S: '仓库安全出口被货物堵住，消防通道上停满电动车，晚上尤其严重。' },
      seenOn: { S: '2026-12-02' },
      photoCount: { N: '2' },
    },
  };
  let next = 0;
  /** A block: `count` calls, `inFlight` at a time, each a PutItem then a GetItem of its item. */
  const block = async (client: DynamoDBClient, inFlight: number, count: number) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    let left = count / 2;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (left > 0) {
          left -= 1;
          next += 1;
          const Key = { pk: { S: `BENCH#${next}` }, sk: { S: 'STATE' } };
          await client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: { ...Key, state, version: { N: '1' } },
            }),
          );
          await client.send(new GetItemCommand({ TableName: tableName, Key }));
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    return {
      cpuMsPerCall: (used.user + used.system) / 1000 / count,
      wallMsPerCall: (performance.now() - started) / count,
    };
  };
  const measured: Record<string, { cpu: number[]; wall: number[] }> = {};
  try {
    for (const name of Object.keys(transports) as Name[]) {
      await block(transports[name], 20, blockCalls); // warm: modules, sockets, JIT
    }
    for (const inFlight of [1, 20]) {
      for (let done = 0; done < calls; done += blockCalls) {
        for (const name of Object.keys(transports) as Name[]) {
          const result = await block(transports[name], inFlight, blockCalls);
          const key = `${name}At${inFlight}`;
          measured[key] ??= { cpu: [], wall: [] };
          measured[key].cpu.push(result.cpuMsPerCall);
          measured[key].wall.push(result.wallMsPerCall);
        }
      }
    }
  } finally {
    overHttp.destroy();
    await dynamo.stop();
    await rm(data, { recursive: true, force: true });
  }
  const summary = Object.fromEntries(
    Object.entries(measured).map(([key, { cpu, wall }]) => [
      key,
      { cpuMsPerCall: round(median(cpu)), wallMsPerCall: round(median(wall)) },
    ]),
  );
  const ratio = (inFlight: number) =>
    round(
      (summary[`inProcessAt${inFlight}`]?.cpuMsPerCall ?? Number.NaN) /
        (summary[`httpAt${inFlight}`]?.cpuMsPerCall ?? Number.NaN),
      2,
    );
  return {
    what: 'CPU and wall ms per DynamoDB call (PutItem, GetItem of a tip-sized item) through the SDK client, over HTTP vs in-process to the same dynalite, alternating blocks of 500, medians',
    loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value, 2)) },
    callsPerTransportAndConcurrency: calls,
    ...summary,
    inProcessCpuOfHttpAt1: ratio(1),
    inProcessCpuOfHttpAt20: ratio(20),
  };
}

if (import.meta.main) {
  const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || undefined;
  console.log(JSON.stringify(await measureDynamoTransport({ calls }), null, 2));
  process.exit(0);
}
