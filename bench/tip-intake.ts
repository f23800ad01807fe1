import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { dependencies } from '#functions/dependencies.ts';
import { type DynaliteCall, dynaliteCallChannel } from '#local/dynalite-transport.ts';
import { startEmbeddedCloud, tableName } from '#local/embedded-cloud.ts';
import {
  byOperation,
  type DynamoCall,
  isWrite,
  sequentialDepth,
  watchDynamoCalls,
} from '../tests/support/dynamo-calls.ts';

/**
 * Tip intake over HTTP on the embedded cloud, beside its floor: raw PutItem to the same
 * dynalite, in the same process and the same run (DESIGN.md, quality bars; issue 13).
 *
 * - Closed loops of 1 and of 20 connections (a keep-alive agent of that many sockets for
 *   the tips; the SDK's own keep-alive sockets, as many as requests in flight, for the raw
 *   writes), each for a few seconds, raw and tips taking turns, four times.
 * - A tip's rate counts until its lifecycles have settled (each tip starts one; the local
 *   runner does their work after the answer): tips per second of the whole work, not only
 *   of the answers.
 * - Every DynamoDB call dynalite answers is counted by operation (tests/support/
 *   dynamo-calls.ts, from the server's side: the handlers' client and the lifecycle
 *   runner's alike): per tip, in all and on the request alone, and the request's writes
 *   that waited for one another (sequential writes), over tips sent one at a time.
 * - The process's CPU per tip and per raw write (process.cpuUsage over each loop): what
 *   each costs, less moved by other work on a shared machine than the rates are.
 * - The embedded cloud's own client (the handlers', the lifecycles') reaches dynalite
 *   in-process (infra/local/src/dynalite-transport.ts); the raw writes go over dynalite's
 *   HTTP server, as another process's client would.
 * - The store's floor for a tip: the very PutItems a tip made (its items, conditions and
 *   index attributes, captured from one tip), written again one after another through the
 *   same in-process client (without the document client's marshalling) under fresh keys,
 *   at 20 connections, after the goal's rounds, in turns with raw writes of its own. What a tip costs before
 *   HTTP and before any of the product's code: the part of the ratio that is dynalite's.
 *
 * Goals: tips/s at 20 connections ≥ ¼ of raw writes/s at 20; p99 at 20 ≤ 3× the raw p99
 * at 20; ≤ 3 writes per tip in all, ≤ 2 sequential on the request.
 */
export interface TipIntakeOptions {
  /** Seconds of each measurement (default 2). */
  seconds?: number;
  /** Rounds of the four measurements (default 4): short turns, so that a stall of the
   * machine (it is shared) falls on raw writes and tips alike. */
  rounds?: number;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

interface Loop {
  operations: number;
  seconds: number;
  latencies: number[];
  /** The process's CPU (user + system, all threads) over the loop, settling included. */
  cpuMs: number;
}

/** `connections` loops, each sending the next operation once the last was answered. */
async function closedLoop(
  connections: number,
  seconds: number,
  operation: () => Promise<void>,
  settle: () => Promise<void> = async () => {},
): Promise<Loop> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const sent = performance.now();
        await operation();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  await settle();
  const used = process.cpuUsage(cpu);
  return {
    operations: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies,
    cpuMs: (used.user + used.system) / 1000,
  };
}

function summary(loops: readonly Loop[]) {
  const latencies = loops.flatMap((loop) => loop.latencies);
  const operations = loops.reduce((sum, loop) => sum + loop.operations, 0);
  const seconds = loops.reduce((sum, loop) => sum + loop.seconds, 0);
  const cpuMs = loops.reduce((sum, loop) => sum + loop.cpuMs, 0);
  return {
    perSecond: round(operations / seconds, 1),
    // Less moved by the machine's other work than the rate: what one costs this process.
    cpuMsEach: round(cpuMs / operations, 3),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    operations,
  };
}

export async function measureTipIntake(options: TipIntakeOptions = {}) {
  const seconds = options.seconds ?? 2;
  const rounds = options.rounds ?? 4;
  const loadAtStart = loadavg().map((value) => round(value, 2));
  const data = await mkdtemp(join(tmpdir(), 'qingling-bench-tips-'));
  // Operations only: the bench counts them, and the instrument's own parsing stays out.
  const watch = watchDynamoCalls({ describe: false });
  const cloud = await startEmbeddedCloud({
    dataDirectory: data,
    port: 0,
    publicRequestsPerMinute: 1e9,
  });
  const url = new URL('/api/tips', cloud.url);
  const documents = createDocumentClient();
  const seenOn = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const tip = () => ({
    idempotencyKey: crypto.randomUUID(),
    jurisdiction: 'cq-gecheng',
    industry: 'fire',
    address: '东门路 18 号仓库',
    description: '仓库安全出口被货物堵住，消防通道上停满电动车，晚上尤其严重。',
    seenOn,
    isEmployee: false,
    wantsReward: false,
    photoCount: 2,
  });
  const agents = new Map<number, Agent>();
  const agentFor = (connections: number) => {
    let agent = agents.get(connections);
    if (!agent) {
      agent = new Agent({ keepAlive: true, maxSockets: connections });
      agents.set(connections, agent);
    }
    return agent;
  };
  const post = (agent: Agent) => () =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify(tip());
      const sent = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            response.statusCode === 201
              ? resolve()
              : reject(new Error(`a tip was answered ${response.statusCode}`)),
          );
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
  let rawItems = 0;
  const rawWrite = async () => {
    rawItems += 1;
    // The size of a tip's state item, without its index attributes: the floor.
    const item = { pk: `BENCH#${rawItems}`, sk: 'STATE', state: tip(), version: 1 };
    await documents.send(new PutCommand({ TableName: tableName, Item: item }));
  };
  // The same writes through the client the stack itself uses (in-process, no HTTP): the
  // stricter floor, reported beside the goal's (a tip's own DynamoDB calls go this way).
  const inProcessLowLevel = dependencies.dynamoClient();
  if (!inProcessLowLevel) throw new Error('the embedded cloud set no in-process DynamoDB client');
  const inProcess = createDocumentClient(inProcessLowLevel);
  const rawWriteInProcess = async () => {
    rawItems += 1;
    const item = { pk: `BENCH#${rawItems}`, sk: 'STATE', state: tip(), version: 1 };
    await inProcess.send(new PutCommand({ TableName: tableName, Item: item }));
  };
  const settled = () => cloud.tipConductor.settled();

  const loops = {
    raw1: [] as Loop[],
    tips1: [] as Loop[],
    raw20: [] as Loop[],
    rawInProcess20: [] as Loop[],
    tipWrites20: [] as Loop[],
    rawBesideFloor20: [] as Loop[],
    tips20: [] as Loop[],
  };
  let perTip: ReturnType<typeof costPerTip> | undefined;
  let tipsCounted: DynamoCall[] = [];
  let tipsCountedTips = 0;
  try {
    // Warm both paths: module loads, caches, sockets.
    await closedLoop(20, 0.5, rawWrite);
    await closedLoop(20, 0.5, rawWriteInProcess);
    await closedLoop(20, 0.5, post(agentFor(20)), settled);
    // What one tip costs, tips sent one at a time, each after the last one's lifecycle.
    const oneByOne: { request: DynamoCall[]; all: DynamoCall[] }[] = [];
    for (let index = 0; index < 20; index += 1) {
      const from = watch.calls.length;
      await post(agentFor(1))();
      const answered = watch.calls.length;
      await settled();
      oneByOne.push({ request: watch.calls.slice(from, answered), all: watch.since(from) });
    }
    perTip = costPerTip(oneByOne);
    const tipWrites = await writesOfOneTip(post(agentFor(1)), settled);
    let floorItems = 0;
    const tipWritesAgain = async () => {
      floorItems += 1;
      const pk = { S: `FLOOR#${floorItems}` };
      for (const write of tipWrites) {
        await inProcessLowLevel.send(
          new PutItemCommand({
            ...write,
            Item: { ...write.Item, pk },
          }),
        );
      }
    };
    for (let turn = 0; turn < rounds; turn += 1) {
      loops.raw1.push(await closedLoop(1, seconds, rawWrite));
      loops.tips1.push(await closedLoop(1, seconds, post(agentFor(1)), settled));
      loops.raw20.push(await closedLoop(20, seconds, rawWrite));
      loops.rawInProcess20.push(await closedLoop(20, seconds, rawWriteInProcess));
      const from = watch.calls.length;
      const loop = await closedLoop(20, seconds, post(agentFor(20)), settled);
      tipsCounted = tipsCounted.concat(watch.since(from));
      tipsCountedTips += loop.operations;
      loops.tips20.push(loop);
    }
    // The floor after the goal's rounds (its writes leave them as they were), each turn
    // beside raw writes of its own.
    for (let turn = 0; turn < rounds; turn += 1) {
      loops.rawBesideFloor20.push(await closedLoop(20, seconds, rawWrite));
      loops.tipWrites20.push(await closedLoop(20, seconds, tipWritesAgain));
    }
  } finally {
    for (const agent of agents.values()) agent.destroy();
    watch.stop();
    await cloud.stop();
    await rm(data, { recursive: true, force: true });
  }
  const raw1 = summary(loops.raw1);
  const raw20 = summary(loops.raw20);
  const rawInProcess20 = summary(loops.rawInProcess20);
  const tips1 = summary(loops.tips1);
  const tips20 = summary(loops.tips20);
  const tipWrites20 = summary(loops.tipWrites20);
  const rawBesideFloor20 = summary(loops.rawBesideFloor20);
  const callsAt20 = Object.fromEntries(
    Object.entries(byOperation(tipsCounted)).map(([operation, count]) => [
      operation,
      round(count / tipsCountedTips),
    ]),
  );
  const goals = {
    throughputAt20: round(tips20.perSecond / raw20.perSecond) >= 0.25,
    p99At20: tips20.p99Ms <= 3 * raw20.p99Ms,
    writesPerTip: (perTip?.writesPerTipMost ?? Number.POSITIVE_INFINITY) <= 3,
    sequentialWritesOnRequest:
      (perTip?.sequentialWritesOnRequestMost ?? Number.POSITIVE_INFINITY) <= 2,
  };
  return {
    what: 'POST /api/tips over HTTP on the embedded cloud (handler, then its lifecycle start), at 1 and 20 connections, beside raw PutItem to the same dynalite at 1 and 20, same process, same run',
    loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value, 2)) },
    secondsPerMeasurement: seconds,
    rounds,
    rawPutItem: { at1: raw1, at20: raw20 },
    /** Raw PutItem through the stack's own in-process client: not the goal's floor (raw
     * dynalite writes go over its HTTP server), the stricter one, said beside it. */
    rawPutItemInProcess: { at20: rawInProcess20 },
    throughputRatioAt20InProcess: round(tips20.perSecond / rawInProcess20.perSecond, 3),
    tipsOverHttp: { at1: tips1, at20: tips20 },
    throughputRatioAt20: round(tips20.perSecond / raw20.perSecond, 3),
    p99RatioAt20: round(tips20.p99Ms / raw20.p99Ms, 2),
    /** CPU of a tip (its lifecycle start included) over CPU of a raw write, at 20. */
    cpuRatioAt20: round(tips20.cpuMsEach / raw20.cpuMsEach, 2),
    /**
     * The store's floor: a tip's own PutItems written again in-process, one after another
     * (no HTTP, none of the product's code), at 20, and its ratios to the raw writes taken
     * in turns with it.
     */
    tipWritesAlone: {
      at20: tipWrites20,
      rawBesideAt20: rawBesideFloor20,
      p99RatioAt20: round(tipWrites20.p99Ms / rawBesideFloor20.p99Ms, 2),
      cpuRatioAt20: round(tipWrites20.cpuMsEach / rawBesideFloor20.cpuMsEach, 2),
      /** What the rest of a tip costs: HTTP, validation, receipts, the lifecycle's run. */
      restCpuMsEach: round(tips20.cpuMsEach - tipWrites20.cpuMsEach, 3),
    },
    /** Each round's ratio of tips/s to raw writes/s at 20: how much the machine moved. */
    throughputRatioAt20ByRound: loops.tips20.map((loop, index) => {
      const raw = loops.raw20[index];
      return raw ? round(loop.operations / loop.seconds / (raw.operations / raw.seconds), 3) : null;
    }),
    dynamoCallsPerTip: perTip,
    dynamoCallsPerTipAt20: callsAt20,
    goal: 'at 20 connections: tips/s >= 1/4 raw writes/s, p99 <= 3x raw p99; per tip <= 3 writes in all, <= 2 sequential writes on the request',
    goals,
    meetsGoal: Object.values(goals).every(Boolean),
  };
}

/**
 * The PutItems one tip makes (its request's and its lifecycle start's), as their inputs:
 * read from the in-process transport's channel while one tip is sent and settles.
 */
async function writesOfOneTip(
  send: () => Promise<void>,
  settled: () => Promise<void>,
): Promise<PutItemCommandInput[]> {
  const bodies: string[] = [];
  const listen = (message: unknown) => {
    const call = message as DynaliteCall;
    if (call.headers['x-amz-target']?.endsWith('.PutItem')) bodies.push(call.body);
  };
  subscribe(dynaliteCallChannel, listen);
  try {
    await send();
    await settled();
  } finally {
    unsubscribe(dynaliteCallChannel, listen);
  }
  // As sent: low-level items, so the floor leaves out the document client's marshalling.
  return bodies.map((body) => JSON.parse(body) as PutItemCommandInput);
}

/** Calls per tip by operation (mean), and the most writes any one tip took. */
function costPerTip(tips: readonly { request: DynamoCall[]; all: DynamoCall[] }[]) {
  const mean = (calls: readonly DynamoCall[][]) =>
    Object.fromEntries(
      Object.entries(byOperation(calls.flat())).map(([operation, count]) => [
        operation,
        round(count / tips.length),
      ]),
    );
  return {
    tips: tips.length,
    inAll: mean(tips.map((tip) => tip.all)),
    onRequest: mean(tips.map((tip) => tip.request)),
    writesPerTipMost: Math.max(...tips.map((tip) => tip.all.filter(isWrite).length)),
    sequentialWritesOnRequestMost: Math.max(
      ...tips.map((tip) => sequentialDepth(tip.request.filter(isWrite))),
    ),
    order: tips[0]?.all.map((call) => call.operation) ?? [],
  };
}

if (import.meta.main) {
  console.log(JSON.stringify(await measureTipIntake(), null, 2));
  process.exit(0);
}
