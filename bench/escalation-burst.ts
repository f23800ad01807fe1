import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { isWorkingDay, seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { spreadWindowSeconds } from '@qingling/shared/workflow/turns.ts';
import { reconcileRecords } from '#functions/workflow/reconcile.ts';
import { startEmbeddedCloud, tableName } from '#local/embedded-cloud.ts';
import { byTarget, watchDynamoCalls } from '../tests/support/dynamo-calls.ts';

/**
 * An escalation burst (issue 11): N hazards whose notice letter falls due at the same
 * simulated instant (09:00 CST of a working day, the day after their common deadline), on
 * the embedded cloud at ×8000 in this process, as after New Year or the Spring Festival.
 *
 * Set-up at real speed: the hazards are imported (their reminder is recorded then), the
 * cloud stops and starts again on the same data at ×8000 (as bench/time.ts restarts it), its
 * lifecycles parked on their timers. From the moment the clock passes 09:00 until every
 * lifecycle is parked again: real seconds to drain, steps a real second, DynamoDB calls a
 * step (counted at dynalite, everything the stack sent meanwhile: the reconciler's sweeps
 * too), this process's CPU ms a step, and how late the last step was in simulated minutes.
 * Beside it, in the same run: raw PutItem to the same dynalite at the runner's concurrency.
 *
 * `node bench/escalation-burst.ts --hazards 300 --runs 3`; `--profile out.cpuprofile` writes
 * V8's CPU profile of the drain alone (one run). The `escalationBurst` entry of npm run bench.
 */
export interface EscalationBurstOptions {
  hazards?: number;
  speed?: number;
  /** Bursts, each on a fresh cloud (medians reported). */
  runs?: number;
  /** Write the drain's CPU profile here (the last run's). */
  profile?: string;
  log?: (line: string) => void;
}

const hourMs = 3600 * 1000;
const dayMs = 24 * hourMs;
const cstMs = 8 * hourMs;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cstDate = (at: number) => new Date(at + cstMs).toISOString().slice(0, 10);
const cstInstant = (date: string, hour: number) =>
  Date.parse(`${date}T00:00:00.000Z`) - cstMs + hour * hourMs;

/** The first working day D, at least two days ahead, whose next day works too. */
function burstDeadline(): string {
  for (let at = Date.now() + 2 * dayMs; ; at += dayMs) {
    const date = cstDate(at);
    if (isWorkingDay(seedCalendar, date) && isWorkingDay(seedCalendar, cstDate(at + dayMs))) {
      return date;
    }
  }
}

async function tokenOf(url: string, username: string): Promise<string> {
  const reply = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  return ((await reply.json()) as { id_token: string }).id_token;
}

/** Imports `count` hazards of one enterprise, all with `deadline`, 200 rows a request. */
async function importHazards(url: string, count: number, deadline: string): Promise<string[]> {
  const token = await tokenOf(url, 'cq-gecheng.officer');
  const ids: string[] = [];
  for (let from = 0; from < count; from += 200) {
    const rows = Array.from({ length: Math.min(200, count - from) }, (_, offset) => ({
      rowId: `BURST-${from + offset}`,
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place: `模拟仓库 ${from + offset} 号`,
      grade: 'general',
      description: `模拟隐患 ${from + offset}：安全出口被堵。`,
      responsible: '王某',
      measures: '清理出口',
      deadline,
    }));
    const reply = await fetch(`${url}/api/office/hazard-imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jurisdiction: 'cq-gecheng', source: 'inspection', rows }),
    });
    const body = (await reply.json()) as { results?: { hazardId?: string }[] };
    for (const result of body.results ?? []) {
      if (!result.hazardId) throw new Error(`import refused a row: ${JSON.stringify(result)}`);
      ids.push(result.hazardId);
    }
  }
  return ids;
}

/** Raw PutItem at `concurrency` for `seconds`: the floor a step's calls stand on. */
async function rawPutItems(concurrency: number, seconds: number) {
  const documents = createDocumentClient();
  let written = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        written += 1;
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `BENCH#${written}`, sk: 'STATE', state: { n: written }, version: 1 },
          }),
        );
      }
    }),
  );
  return written / ((performance.now() - started) / 1000);
}

async function oneBurst(hazards: number, speed: number, profile: string | undefined) {
  const data = await mkdtemp(join(tmpdir(), 'qingling-burst-'));
  const deadline = burstDeadline();
  const dueAt = cstInstant(cstDate(Date.parse(`${deadline}T00:00:00.000Z`) + dayMs), 9);
  // The set-up begins at 18:00 CST of the deadline day: the letter is due 15 simulated hours
  // on (6.75 real s at ×8000 from the restart: time for the cloud to start and settle).
  await writeFile(
    join(data, 'clock.json'),
    JSON.stringify({ reached: new Date(cstInstant(deadline, 18)).toISOString() }),
  );
  const watch = watchDynamoCalls();
  try {
    let cloud = await startEmbeddedCloud({ dataDirectory: data, port: 0, demoRecords: false });
    const ids = await importHazards(cloud.url, hazards, deadline);
    await cloud.conductor.settled();
    // The floor, on the same store, before the clock runs fast.
    const rawAtRunner = await rawPutItems(16, 2);
    await cloud.stop();
    cloud = await startEmbeddedCloud({
      dataDirectory: data,
      port: 0,
      clockSpeed: speed,
      demoRecords: false,
    });
    await cloud.conductor.settled();
    const parked = cloud.conductor.size.parked;
    const lettersBefore = (await cloud.outbox.list()).filter((entry) =>
      entry.key.includes('#notice_letter#'),
    ).length;
    if (cloud.clock.now().getTime() >= dueAt || lettersBefore > 0) {
      throw new Error('the burst began before it was measured: the machine is too slow for it');
    }
    while (cloud.clock.now().getTime() < dueAt) await sleep(1);
    const session = profile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    const from = watch.calls.length;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const simulatedAtStart = cloud.clock.now().getTime();
    // Each record wakes up to spreadWindowSeconds after the step's time (turns.ts): the
    // heartbeat takes them as they come due; once all are due, the runner is left to drain.
    const lettersOnFile = async () =>
      (await cloud.outbox.list()).filter((entry) => entry.key.includes('#notice_letter#')).length;
    let taken = cloud.conductor.size;
    for (let sent = 0; sent < lettersBefore + 2 * ids.length; sent = await lettersOnFile()) {
      if (performance.now() - started > 180_000) throw new Error(`only ${sent} letters in 3 min`);
      while (cloud.clock.now().getTime() < dueAt + spreadWindowSeconds * 1000) await sleep(1);
      cloud.conductor.tick();
      taken = cloud.conductor.size;
      await cloud.conductor.settled();
    }
    const realSeconds = (performance.now() - started) / 1000;
    const simulatedMinutes = (cloud.clock.now().getTime() - simulatedAtStart) / 60_000;
    // The clock stands while due steps wait (ScaledClock.holdFor): the simulated minutes above
    // are bounded by it; the drain's real time at the clock's speed is what the runner alone did.
    const unheldSimulatedMinutes = (realSeconds * speed) / 60;
    const clockHeldRealSeconds =
      ((cloud.clock as { holding?: { heldRealMs: number } }).holding?.heldRealMs ?? 0) / 1000;
    const used = process.cpuUsage(cpu);
    if (session) {
      const { profile: written } = await session.post('Profiler.stop');
      await writeFile(profile as string, JSON.stringify(written));
      session.disconnect();
    }
    const calls = watch.since(from);
    // The reconciler's sweep moves the steps' days into the weekly report's counters (their
    // counting is deferred to it: tally.ts's claim, count, settle, clear): at ×8000 the
    // cloud's own sweep does it half a real minute later, in the year amid the next steps.
    // Measured apart, at once (no grace).
    const sweepFrom = watch.calls.length;
    const sweepCpu = process.cpuUsage();
    const sweepStarted = performance.now();
    const swept = await reconcileRecords({ graceMs: 0, lookBackMs: dayMs });
    const sweepSeconds = (performance.now() - sweepStarted) / 1000;
    const sweepUsed = process.cpuUsage(sweepCpu);
    const sweepCalls = watch.since(sweepFrom);
    const letters = (await cloud.outbox.list()).filter((entry) =>
      entry.key.includes('#notice_letter#'),
    );
    const lettersSent = letters.length - lettersBefore;
    const hazardsLettered = new Set(letters.map((entry) => entry.key.split('#')[0])).size;
    await cloud.stop();
    return {
      deadline,
      dueAt: new Date(dueAt).toISOString(),
      hazards: ids.length,
      parkedBeforeBurst: parked,
      /** The runner once every record was due: running, queued, parked. */
      atTheInstant: taken,
      // Principal and controller: two messages a letter.
      lettersSent,
      hazardsLettered,
      realSeconds,
      stepsPerSecond: ids.length / realSeconds,
      lastStepLateSimulatedMinutes: simulatedMinutes,
      lastStepLateUnheldSimulatedMinutes: unheldSimulatedMinutes,
      clockHeldRealSeconds,
      cpuMsPerStep: (used.user + used.system) / 1000 / ids.length,
      dynamoCallsPerStep: calls.length / ids.length,
      dynamoCallsByTarget: byTarget(calls),
      rawPutItemPerSecondAt16: rawAtRunner,
      sweep: {
        realSeconds: sweepSeconds,
        cpuMsPerStep: (sweepUsed.user + sweepUsed.system) / 1000 / ids.length,
        dynamoCallsPerStep: sweepCalls.length / ids.length,
        woken: swept.woken,
      },
    };
  } finally {
    watch.stop();
    await rm(data, { recursive: true, force: true });
  }
}

export async function measureEscalationBurst(options: EscalationBurstOptions = {}) {
  const hazards = options.hazards ?? 300;
  const speed = options.speed ?? 8000;
  const runs = options.runs ?? 3;
  const log = options.log ?? (() => {});
  const loadAtStart = loadavg().map((value) => round(value));
  const bursts: Awaited<ReturnType<typeof oneBurst>>[] = [];
  for (let run = 0; run < runs; run += 1) {
    const burst = await oneBurst(hazards, speed, run === runs - 1 ? options.profile : undefined);
    log(
      `burst ${run + 1}/${runs}: ${burst.hazards} steps in ${burst.realSeconds.toFixed(2)} s ` +
        `(${burst.stepsPerSecond.toFixed(1)}/s, ${burst.cpuMsPerStep.toFixed(1)} CPU ms, ` +
        `${burst.dynamoCallsPerStep.toFixed(1)} calls a step; raw PutItem ${burst.rawPutItemPerSecondAt16.toFixed(0)}/s; ` +
        `then the sweep: ${burst.sweep.cpuMsPerStep.toFixed(1)} CPU ms, ${burst.sweep.dynamoCallsPerStep.toFixed(1)} calls a step)`,
    );
    bursts.push(burst);
  }
  const stepsPerSecond = median(bursts.map((burst) => burst.stepsPerSecond));
  const rawPerSecond = median(bursts.map((burst) => burst.rawPutItemPerSecondAt16));
  const complete = bursts.every(
    (burst) => burst.hazardsLettered === burst.hazards && burst.lettersSent === 2 * burst.hazards,
  );
  return {
    what: `${hazards} hazards whose notice letter falls due at one instant, on the embedded cloud at ×${speed} in one process: from the clock passing it until every lifecycle is parked again; beside raw PutItem at 16 (the runner's executions at once) to the same dynalite`,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value)) },
    runs,
    stepsPerSecondMedian: round(stepsPerSecond, 1),
    drainRealSecondsMedian: round(median(bursts.map((burst) => burst.realSeconds))),
    lastStepLateSimulatedMinutesMedian: round(
      median(bursts.map((burst) => burst.lastStepLateSimulatedMinutes)),
      0,
    ),
    cpuMsPerStepMedian: round(median(bursts.map((burst) => burst.cpuMsPerStep))),
    dynamoCallsPerStepMedian: round(median(bursts.map((burst) => burst.dynamoCallsPerStep))),
    /** The sweep that counts the steps' days afterwards (not in the drain's figures). */
    sweepCpuMsPerStepMedian: round(median(bursts.map((burst) => burst.sweep.cpuMsPerStep))),
    sweepDynamoCallsPerStepMedian: round(
      median(bursts.map((burst) => burst.sweep.dynamoCallsPerStep)),
    ),
    rawPutItemPerSecondAt16Median: round(rawPerSecond, 0),
    /** Steps a second against raw writes a second: how many raw writes' time a step takes. */
    stepsPerRawPutItem: round(stepsPerSecond / rawPerSecond, 4),
    everyLetterSentOnce: complete,
    bursts: bursts.map((burst) => ({
      ...burst,
      realSeconds: round(burst.realSeconds),
      stepsPerSecond: round(burst.stepsPerSecond, 1),
      lastStepLateSimulatedMinutes: round(burst.lastStepLateSimulatedMinutes, 0),
      lastStepLateUnheldSimulatedMinutes: round(burst.lastStepLateUnheldSimulatedMinutes, 0),
      clockHeldRealSeconds: round(burst.clockHeldRealSeconds),
      cpuMsPerStep: round(burst.cpuMsPerStep),
      dynamoCallsPerStep: round(burst.dynamoCallsPerStep),
      rawPutItemPerSecondAt16: round(burst.rawPutItemPerSecondAt16, 0),
      sweep: {
        ...burst.sweep,
        realSeconds: round(burst.sweep.realSeconds),
        cpuMsPerStep: round(burst.sweep.cpuMsPerStep),
        dynamoCallsPerStep: round(burst.sweep.dynamoCallsPerStep),
      },
    })),
    goal: 'a burst of hundreds of steps drained within the lateness goal (60 simulated minutes at ×8000: 0.45 real s) by the runner alone, not by the clock standing while it works (lastStepLateUnheldSimulatedMinutes): every letter sent once',
    meetsGoal:
      complete && median(bursts.map((burst) => burst.lastStepLateUnheldSimulatedMinutes)) <= 60,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      hazards: { type: 'string' },
      speed: { type: 'string' },
      runs: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const result = await measureEscalationBurst({
    ...(values.hazards ? { hazards: Number(values.hazards) } : {}),
    ...(values.speed ? { speed: Number(values.speed) } : {}),
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
