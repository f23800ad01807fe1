import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RecordedEvent } from '@qingling/shared/event-log/event-log.ts';

/**
 * Time at scale (issue 11): `npm start`'s program, as a separate process on a fast clock,
 * holds thousands of hazards for a simulated year while a driver makes officers' decisions
 * at their simulated times (early closes, closes right as a step falls due, extensions
 * approved by the department head, reopenings) and kills it with kill -9 at random
 * moments. Then every hazard's log and the outbox are read, and each (hazard, round, step)
 * is judged against what the ladder says should have happened:
 *
 * - recorded once / missing / moved: a step due before its round ended (closed, extended,
 *   failed) must be on the log once, with the due time the ladder gives; a step recorded
 *   that was not due, or with another due time, is "moved";
 * - delivered once / doubled / after closure: each recorded step's messages reach the
 *   outbox once per recipient, never after the hazard was closed (a step recorded before
 *   a close is withdrawn instead);
 * - lateness: when it was recorded after its due time, in simulated minutes (p50, p99);
 * - throughput, peak RSS of the stack, and each restart's time and how far the clock moved.
 *
 * Runs alone: `node bench/time.ts --hazards 10000 --days 365 --speed 8000 --kills 3`, and
 * as the `timeAtScale` entry of `npm run bench`; tests/integration/time-simulation.test.ts
 * runs a few hundred hazards of it in `npm test`.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

export interface TimeSimulationOptions {
  hazards: number;
  /** Simulated days the run lasts, after the set-up. */
  days: number;
  /** Simulated seconds per real second. */
  speed: number;
  kills: number;
  seed: number;
  /**
   * When the simulated time begins (an instant not before now). Default: from the seed, an
   * hour of the next CST day, so that a seed replays the time of day its run began at
   * (office hours and a step already due at import depend on it) whenever it is replayed.
   */
  startAt?: Date;
  /** Requests at once from the driver. */
  concurrency?: number;
  /**
   * How late a step may be recorded (simulated minutes; default 60): a step due less than
   * this before its round ended (a close) and not recorded was overtaken, not lost.
   */
  latenessGoalMinutes?: number;
  /** Leave the stack's data directory in place (its path is logged), to inspect the store. */
  keepData?: boolean;
  log?: (line: string) => void;
}

export interface TimeSimulationReport {
  options: Omit<TimeSimulationOptions, 'log'>;
  hazards: number;
  /** Hazards whose hash chain does not verify. */
  chainsBroken: number;
  steps: {
    expected: number;
    recordedOnce: number;
    deliveredOnce: number;
    withdrawn: number;
    /** Due, but a close ended its round, or an extension moved it, within the lateness goal. */
    overtaken: number;
    missing: number;
    doubled: number;
    moved: number;
    afterClosure: number;
  };
  /** Examples of what went wrong, for a failing run to show (at most 10 of each). */
  problems: Record<string, string[]>;
  latenessMinutes: { p50: number; p99: number; max: number };
  /**
   * The most non-urgent steps recorded due at one instant: without the spread window, every
   * step held over a night, a weekend or a holiday is due at 09:00:00 of a working day.
   */
  mostDueAtOneInstant: number;
  decisions: { made: number; refused: number };
  realSeconds: { setup: number; run: number; analysis: number };
  stepsPerRealSecond: number;
  /**
   * How long the stack's fast clock stood held, waiting for steps that fell due (a burst
   * the host could not work through at the clock's speed): the run was that much slower
   * than its speed, and no step was late by it.
   */
  clockHeld: { realSeconds: number; holds: number; shareOfRun: number };
  peakRssMegabytes: number;
  restarts: { realSeconds: number; clockMovedMinutes: number }[];
  goals: Record<string, boolean>;
}

/** An instant of the next CST day (from midnight), at a fraction of it. */
function seededStart(fractionOfDay: number): Date {
  const dayMs = 24 * 3600 * 1000;
  const cst = 8 * 3600 * 1000;
  const nextCstMidnight = (Math.floor((Date.now() + cst) / dayMs) + 1) * dayMs - cst;
  return new Date(nextCstMidnight + Math.floor(fractionOfDay * dayMs));
}

/** mulberry32: every random choice of a run follows from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayMs = 24 * 3600 * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted: number[], q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) : 0;
const round2 = (value: number) => Math.round(value * 100) / 100;

async function residentKilobytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

interface Stack {
  url: string;
  /** Simulated seconds per real second. */
  speed: number;
  child: ChildProcess;
  exited: Promise<void>;
}

async function startStack(
  data: string,
  port: number,
  speed: number,
  log: (line: string) => void = () => {},
): Promise<Stack> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'infra/local/src/main.ts'),
      '--port',
      String(port),
      '--data-dir',
      data,
      '--clock-speed',
      String(speed),
      // The bench writes its own year of records: the demo office would be counted in it.
      '--no-demo-records',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output = (output + chunk).slice(-20_000);
  });
  child.stderr?.on('data', (chunk) => {
    output = (output + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // A stack that dies on its own (not killed by the driver) says why.
  child.on('exit', (code, signal) => {
    if (signal !== 'SIGKILL' && signal !== 'SIGINT' && code !== 0) {
      log(`the stack exited by itself (${code ?? signal}):\n${output.slice(-4000)}`);
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no READY in 120 s:\n${output}`)), 120_000);
    const check = () => {
      const match = /^READY (\S+)$/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before READY:\n${output}`));
    });
  });
  return { url, speed, child, exited };
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await work(item);
      }
    }),
  );
}

type Decision =
  | { kind: 'close' }
  | { kind: 'extend'; days: number }
  | { kind: 'reopen'; deadlineDays: number };

interface PlannedDecision {
  at: number;
  hazardId: string;
  decision: Decision;
}

/** A synthetic 2027 calendar shaped like the State Council's (the real one was not published when this was written). */
const assumed2027 = {
  holidays: [
    '2027-01-01',
    ...['05', '06', '07', '08', '09', '10', '11', '12', '13'].map((day) => `2027-02-${day}`),
    '2027-04-05',
    ...['01', '02', '03', '04', '05'].map((day) => `2027-05-${day}`),
    '2027-06-09',
    '2027-09-15',
    ...['01', '02', '03', '04', '05', '06', '07'].map((day) => `2027-10-${day}`),
  ],
  workdays: ['2027-02-14', '2027-02-20', '2027-04-25', '2027-05-08', '2027-09-26', '2027-10-09'],
};

export async function simulateTime(options: TimeSimulationOptions): Promise<TimeSimulationReport> {
  const log = options.log ?? (() => {});
  const concurrency = options.concurrency ?? 8;
  const next = random(options.seed);
  const data = await mkdtemp(join(tmpdir(), 'qingling-time-'));
  const port = 20_000 + Math.floor(next() * 20_000);
  const startAt = options.startAt ?? seededStart(next());
  if (startAt.getTime() < Date.now()) throw new Error(`the start ${startAt.toISOString()} is past`);
  // The stack's clock goes on from the later of its kept time and the real time.
  await writeFile(join(data, 'clock.json'), JSON.stringify({ reached: startAt.toISOString() }));
  const setupStarted = performance.now();
  // Set-up at real speed: the hazards are entered before the clock runs fast.
  let stack = await startStack(data, port, 1, log);
  let peakKilobytes = 0;
  const sampler = setInterval(async () => {
    if (stack.child.pid) {
      peakKilobytes = Math.max(peakKilobytes, await residentKilobytes(stack.child.pid));
    }
  }, 500);
  const restarts: TimeSimulationReport['restarts'] = [];
  try {
    const tokenOf = async (username: string) => {
      const reply = await fetch(`${stack.url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username }),
      });
      return ((await reply.json()) as { id_token: string }).id_token;
    };
    // Tokens last 8 simulated hours: on a fast clock, a few real seconds. Taken again on 401.
    const tokens = new Map<string, string>();
    const officer = 'cq-gecheng.officer';
    const head = 'cq-gecheng.department_head';
    const administrator = 'cq-gecheng.administrator';
    const call = async (username: string, method: string, path: string, body?: unknown) => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          if (!tokens.has(username)) tokens.set(username, await tokenOf(username));
          const reply = await fetch(`${stack.url}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${tokens.get(username)}`,
              'content-type': 'application/json',
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          if (reply.status === 401 && attempt < 600) {
            tokens.delete(username);
            continue;
          }
          // Starting (503) or killed a moment ago: try again.
          if (reply.status === 503 && attempt < 600) {
            await sleep(100);
            continue;
          }
          return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
        } catch (error) {
          if (attempt >= 600) throw error;
          await sleep(100);
        }
      }
    };
    // The stack's holds while due work waits (ScaledClock.holdFor): this process's so far,
    // and the processes' before it (a kill loses nothing: each reading is a running total).
    const held = { realMs: 0, holds: 0, before: { realMs: 0, holds: 0 }, now: false };
    const readClock = async () => {
      const { body } = await call(officer, 'GET', '/_local/clock');
      const holding = body.holding as
        | { held: boolean; heldRealMs: number; holds: number }
        | undefined;
      if (holding) {
        held.realMs = held.before.realMs + holding.heldRealMs;
        held.holds = held.before.holds + holding.holds;
        held.now = holding.held;
      }
      return Date.parse((body.now as string) ?? '');
    };
    // Where a restarted stack's clock began to run: the clock moved during a restart is this
    // against the time read before the kill, not the time the driver first reads after it
    // (on a loaded machine that read comes late, and at x43,200 each real 10 ms is 7 minutes).
    const readStartedFrom = async () =>
      Date.parse(((await call(officer, 'GET', '/_local/clock')).body.startedFrom as string) ?? '');
    // The stack's clock, read at most every 250 ms and run on at its speed in between: the
    // driver's own polling (every 20 ms, two reads each) took a share of what it measures.
    let reading = { simulated: 0, real: Number.NEGATIVE_INFINITY };
    const simulatedNow = async (fresh = false) => {
      const real = performance.now();
      if (fresh || real - reading.real > 250) {
        reading = { simulated: await readClock(), real: performance.now() };
        return reading.simulated;
      }
      // Held: it stands where it was read (a driver running ahead would decide too early).
      return held.now ? reading.simulated : reading.simulated + (real - reading.real) * stack.speed;
    };

    const calendar = await call(administrator, 'PUT', '/api/admin/calendar/2027', {
      ...assumed2027,
      expectedVersion: 0,
    });
    if (calendar.status !== 200) throw new Error(`2027 calendar: ${JSON.stringify(calendar)}`);

    // Hazards with deadlines over the year (past holidays too), imported 200 rows at a time.
    const start = await simulatedNow();
    const cstDate = (at: number) => new Date(at + 8 * 3600 * 1000).toISOString().slice(0, 10);
    const rows = Array.from({ length: options.hazards }, (_, index) => ({
      rowId: `SIM-${index}`,
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place: `模拟仓库 ${index} 号`,
      grade: 'general',
      description: `模拟隐患 ${index}：安全出口被堵。`,
      responsible: '王某',
      measures: '清理出口',
      deadline: cstDate(start + (2 + next() * Math.max(1, options.days - 45)) * dayMs),
    }));
    const hazardIds: string[] = [];
    const rowDeadlines = new Map(rows.map((row) => [row.rowId, row.deadline]));
    const deadlines = new Map<string, string>();
    const batches: (typeof rows)[] = [];
    for (let index = 0; index < rows.length; index += 200)
      batches.push(rows.slice(index, index + 200));
    await inParallel(batches, Math.min(4, concurrency), async (batch) => {
      const reply = await call(officer, 'POST', '/api/office/hazard-imports', {
        jurisdiction: 'cq-gecheng',
        source: 'inspection',
        rows: batch,
      });
      const results = (reply.body.results ?? []) as {
        outcome: string;
        rowId?: string;
        hazardId?: string;
      }[];
      for (const result of results) {
        if (!result.hazardId) throw new Error(`import refused a row: ${JSON.stringify(result)}`);
        hazardIds.push(result.hazardId);
        // Batches finish in any order: each hazard's deadline is its own row's.
        deadlines.set(result.hazardId, rowDeadlines.get(result.rowId ?? '') ?? '');
      }
      if (hazardIds.length % 2000 < 200) log(`imported ${hazardIds.length} hazards`);
    });

    // Each hazard's fate, decided now from the seed: the driver acts at simulated times.
    const planned: PlannedDecision[] = [];
    for (const hazardId of hazardIds) {
      const deadline = Date.parse(`${deadlines.get(hazardId)}T16:00:00.000Z`);
      const fate = next();
      if (fate < 0.3) {
        planned.push({
          at: start + next() * (deadline - start),
          hazardId,
          decision: { kind: 'close' },
        });
      } else if (fate < 0.45) {
        // Right as a step falls due: the notice letter (deadline + 0 … office hours) or later.
        const step = [0, 1, 3, 7][Math.floor(next() * 4)] ?? 0;
        planned.push({
          at: deadline + step * dayMs + next() * 3600_000,
          hazardId,
          decision: { kind: 'close' },
        });
      } else if (fate < 0.6) {
        planned.push({
          at: deadline - (1 + next() * 5) * dayMs,
          hazardId,
          decision: { kind: 'extend', days: 10 + Math.floor(next() * 20) },
        });
      } else if (fate < 0.7) {
        const closedAt = start + next() * (deadline - start);
        planned.push({ at: closedAt, hazardId, decision: { kind: 'close' } });
        planned.push({
          at: closedAt + (1 + next() * 20) * dayMs,
          hazardId,
          decision: { kind: 'reopen', deadlineDays: 5 + Math.floor(next() * 20) },
        });
      }
      // The rest are never closed: their whole ladder runs, up to public exposure.
    }
    const end = start + options.days * dayMs;
    const decisions = planned.filter((item) => item.at < end - dayMs).sort((a, b) => a.at - b.at);
    const kills = Array.from(
      { length: options.kills },
      () => start + (0.1 + 0.8 * next()) * (end - start),
    ).sort((a, b) => a - b);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    log(
      `set up ${hazardIds.length} hazards, ${decisions.length} decisions in ${setupSeconds.toFixed(0)} s`,
    );

    // The run: fast clock, decisions at their times, kill -9 at the chosen moments.
    stack.child.kill('SIGINT');
    await stack.exited;
    stack = await startStack(data, port, options.speed, log);
    reading.real = Number.NEGATIVE_INFINITY;
    const runStarted = performance.now();
    let made = 0;
    let refused = 0;
    const decide = async ({ hazardId, decision }: PlannedDecision) => {
      const revisionOf = async () => {
        const { body } = await call(officer, 'GET', `/api/office/hazards/${hazardId}`);
        return {
          revision: Number(body.revision ?? 0),
          status: String((body.hazard as { status?: string } | undefined)?.status ?? ''),
        };
      };
      const give = async (token: string, command: Record<string, unknown>) => {
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const { revision } = await revisionOf();
          const reply = await call(token, 'POST', `/api/office/hazards/${hazardId}/commands`, {
            idempotencyKey: crypto.randomUUID(),
            expectedRevision: revision,
            command,
          });
          if (reply.status === 200) return true;
          if (reply.status !== 409) {
            log(
              `refused: ${JSON.stringify(command)} → ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`,
            );
            return false;
          }
        }
        return false;
      };
      const now = await simulatedNow();
      const { status } = await revisionOf();
      let ok = true;
      if (decision.kind === 'close') {
        if (status !== 'rectifying') return;
        ok =
          (await give(officer, { type: 'submit_evidence', note: '已整改', photoKeys: [] })) &&
          (await give(officer, { type: 'pass_verification', note: '核查通过', onSite: true })) &&
          (await give(officer, { type: 'close', note: '销号' }));
      } else if (decision.kind === 'extend') {
        if (status !== 'rectifying') return;
        ok =
          (await give(officer, {
            type: 'request_extension',
            deadline: { date: cstDate(now + decision.days * dayMs) },
            reason: '材料到货延迟',
          })) && (await give(head, { type: 'approve_extension' }));
      } else {
        if (status !== 'closed') return;
        ok = await give(officer, {
          type: 'reopen',
          reason: '复查发现问题复发',
          newDeadline: { date: cstDate(now + decision.deadlineDays * dayMs) },
        });
      }
      if (ok) made += 1;
      else refused += 1;
    };
    let lastSeen = start;
    let loggedMonth = 0;
    let index = 0;
    while (lastSeen < end) {
      lastSeen = await simulatedNow();
      const due: PlannedDecision[] = [];
      while (index < decisions.length && (decisions[index]?.at ?? Infinity) <= lastSeen) {
        due.push(decisions[index] as PlannedDecision);
        index += 1;
      }
      await inParallel(due, concurrency, decide);
      if (kills.length && (kills[0] ?? Infinity) <= lastSeen) {
        kills.shift();
        const before = await simulatedNow(true);
        held.before = { realMs: held.realMs, holds: held.holds };
        stack.child.kill('SIGKILL');
        await stack.exited;
        const restartStarted = performance.now();
        stack = await startStack(data, port, options.speed, log);
        const realSeconds = (performance.now() - restartStarted) / 1000;
        const after = await readStartedFrom();
        await simulatedNow(true);
        restarts.push({
          realSeconds: round2(realSeconds),
          clockMovedMinutes: round2((after - before) / 60_000),
        });
        log(
          `kill -9 and restart: ${realSeconds.toFixed(1)} s, clock moved ${((after - before) / 60_000).toFixed(0)} min`,
        );
      }
      if (due.length === 0) await sleep(20);
      // Progress every 30 simulated days (the clock is read in steps: compare months).
      const month = Math.floor((lastSeen - start) / (30 * dayMs));
      if (month > loggedMonth) {
        loggedMonth = month;
        log(`simulated day ${Math.floor((lastSeen - start) / dayMs)}, ${made} decisions made`);
      }
    }
    await simulatedNow(true);
    const runSeconds = (performance.now() - runStarted) / 1000;
    stack.child.kill('SIGINT');
    await stack.exited;

    // Judge: every hazard's log and the outbox, read from .data with the stack stopped.
    const analysisStarted = performance.now();
    const goalMinutes = options.latenessGoalMinutes ?? 60;
    const judged = await judge(data, hazardIds, end, goalMinutes);
    const analysisSeconds = (performance.now() - analysisStarted) / 1000;
    const report: TimeSimulationReport = {
      options: {
        hazards: options.hazards,
        days: options.days,
        speed: options.speed,
        kills: options.kills,
        seed: options.seed,
        startAt,
        concurrency,
        latenessGoalMinutes: goalMinutes,
      },
      hazards: hazardIds.length,
      chainsBroken: judged.chainsBroken,
      steps: judged.steps,
      problems: judged.problems,
      latenessMinutes: judged.lateness,
      mostDueAtOneInstant: judged.mostDueAtOneInstant,
      decisions: { made, refused },
      realSeconds: {
        setup: round2(setupSeconds),
        run: round2(runSeconds),
        analysis: round2(analysisSeconds),
      },
      stepsPerRealSecond: round2(judged.steps.recordedOnce / runSeconds),
      clockHeld: {
        realSeconds: round2(held.realMs / 1000),
        holds: held.holds,
        shareOfRun: round2(held.realMs / 1000 / runSeconds),
      },
      peakRssMegabytes: round2(peakKilobytes / 1024),
      restarts,
      goals: {},
    };
    report.goals = {
      everyChainVerifies: report.chainsBroken === 0,
      noneMissing: report.steps.missing === 0,
      noneDoubled: report.steps.doubled === 0,
      noneAfterClosure: report.steps.afterClosure === 0,
      noneMoved: report.steps.moved === 0,
      p99LatenessWithinGoal: report.latenessMinutes.p99 <= goalMinutes,
      peakRssWithin1536MB: report.peakRssMegabytes <= 1536,
      everyRestartWithin20s: restarts.every((restart) => restart.realSeconds <= 20),
      clockStillAcrossRestarts: restarts.every(
        (restart) => restart.clockMovedMinutes >= 0 && restart.clockMovedMinutes <= 60,
      ),
    };
    return report;
  } finally {
    clearInterval(sampler);
    if (stack.child.exitCode === null) {
      stack.child.kill('SIGKILL');
      await stack.exited;
    }
    if (options.keepData) log(`data kept in ${data}`);
    else await rm(data, { recursive: true, force: true });
  }
}

interface StepOnLog {
  key: string;
  step: string;
  round: number;
  dueAt: string;
  recordedAt: string;
  /** Where on the hazard's log it was recorded. */
  position: number;
}

/** Reads the logs and the outbox and compares them with the ladder. */
async function judge(data: string, hazardIds: string[], end: number, goalMinutes: number) {
  const { startLocalDynamo } = await import('#local/dynamodb.ts');
  const { tableName } = await import('#local/embedded-cloud.ts');
  const { createDocumentClient } = await import('@qingling/shared/adapters/dynamodb/client.ts');
  const { DynamoEventStore } = await import('@qingling/shared/adapters/dynamodb/event-store.ts');
  const { DynamoPolicyStore } = await import('@qingling/shared/adapters/dynamodb/policy-store.ts');
  const { CachedPolicies } = await import('@qingling/shared/policies/policy-source.ts');
  const { hazardStream } = await import('@qingling/shared/hazards/hazard.ts');
  const { scheduleRound } = await import('@qingling/shared/hazards/escalation.ts');
  const { verifyChain } = await import('@qingling/shared/event-log/event-log.ts');
  const dynamo = await startLocalDynamo({ path: join(data, 'dynamodb'), tableName });
  const documents = createDocumentClient(dynamo.client);
  const events = new DynamoEventStore(documents, tableName, { repairs: () => false });
  const policies = new CachedPolicies({
    read: () => new DynamoPolicyStore(documents, tableName).read(),
  });
  const calendar = await policies.calendar();
  const policy = await policies.escalationPolicy('cq-gecheng');

  // The outbox: messages by their key (step key + recipient), with when they were sent.
  const sent = new Map<string, string[]>();
  const outbox = await readFile(join(data, 'outbox.jsonl'), 'utf8').catch(() => '');
  for (const line of outbox.split('\n')) {
    try {
      const entry = JSON.parse(line) as { key: string; sentAt: string };
      sent.set(entry.key, [...(sent.get(entry.key) ?? []), entry.sentAt]);
    } catch {}
  }

  const steps = {
    expected: 0,
    recordedOnce: 0,
    deliveredOnce: 0,
    withdrawn: 0,
    overtaken: 0,
    missing: 0,
    doubled: 0,
    moved: 0,
    afterClosure: 0,
  };
  const problems: Record<string, string[]> = {};
  const problem = (kind: string, text: string) => {
    problems[kind] ??= [];
    if ((problems[kind]?.length ?? 0) < 10) problems[kind]?.push(text);
  };
  const lateness: number[] = [];
  /** Non-urgent steps recorded once, by their due instant. */
  const dueAtOneInstant = new Map<number, number>();
  let chainsBroken = 0;
  // Anything due in the last hour before the end may not have been recorded yet.
  const judgedUntil = end - 3600_000;
  try {
    await inParallel(hazardIds, 8, async (hazardId) => {
      const log: RecordedEvent[] = await events.read(hazardStream(hazardId));
      const chain = await verifyChain(log);
      if (!chain.valid) {
        chainsBroken += 1;
        problem('chainBroken', `${hazardId}: ${chain.reason}`);
      }
      // Each round: the deadlines in force over time (an extension moves the steps not yet
      // recorded) and when the round ended (closed, or a failed verification's new round).
      const rounds = new Map<
        number,
        {
          periods: { from: number; deadline: string }[];
          endedAt: number;
          /** An imported row's round: steps due by the import count as reached (backlog.ts). */
          reachedBefore: number;
        }
      >();
      let current = 0;
      /** When the hazard was closed, and where on its log (the log's order breaks a tie). */
      const closures: { at: number; position: number }[] = [];
      const begin = (at: number, deadline: unknown, reachedBefore?: unknown) => {
        const previous = rounds.get(current);
        if (previous && previous.endedAt === Infinity) previous.endedAt = at;
        current += 1;
        rounds.set(current, {
          periods: [{ from: at, deadline: String(deadline) }],
          endedAt: Infinity,
          reachedBefore: typeof reachedBefore === 'string' ? Date.parse(reachedBefore) : -Infinity,
        });
      };
      for (const [position, event] of log.entries()) {
        const at = Date.parse(event.at);
        const data = event.data as Record<string, unknown>;
        if (event.type === 'rectification_started') {
          begin(at, data.deadline, data.reachedBefore);
        } else if (event.type === 'verification_failed' || event.type === 'hazard_reopened') {
          begin(at, data.newDeadline);
        } else if (event.type === 'deadline_extended') {
          rounds.get(current)?.periods.push({ from: at, deadline: String(data.deadline) });
        } else if (event.type === 'hazard_closed') {
          const round = rounds.get(current);
          if (round && round.endedAt === Infinity) round.endedAt = at;
          closures.push({ at, position });
        }
      }
      const recorded = new Map<string, StepOnLog[]>();
      const delivered = new Set<string>();
      const withdrawn = new Set<string>();
      /** When each attempt to deliver a step began, and where on the log. */
      const startedAt = new Map<string, { at: number; position: number }[]>();
      for (const [position, event] of log.entries()) {
        const data = event.data as Record<string, unknown>;
        if (event.type === 'escalation_step_recorded') {
          const key = `${hazardId}#${data.round}#${data.step}`;
          recorded.set(key, [
            ...(recorded.get(key) ?? []),
            {
              key,
              step: String(data.step),
              round: Number(data.round),
              dueAt: String(data.dueAt),
              recordedAt: event.at,
              position,
            },
          ]);
        } else if (event.type === 'escalation_step_delivered') delivered.add(String(data.key));
        else if (event.type === 'escalation_withdrawn') withdrawn.add(String(data.key));
        else if (event.type === 'escalation_delivery_started') {
          const key = String(data.key);
          const start = { at: Date.parse(event.at), position };
          startedAt.set(key, [...(startedAt.get(key) ?? []), start]);
        }
      }
      for (const [number, round] of rounds) {
        // A step falls due in the first period whose deadline puts it before that period ends.
        const schedulesUntil = (until: number) =>
          round.periods.map((period, index) => ({
            steps: scheduleRound(
              hazardId,
              {
                number,
                deadline: new Date(period.deadline),
                startedAt: new Date(round.periods[0]?.from ?? 0),
              },
              policy,
              calendar,
            ),
            endsAt: Math.min(round.periods[index + 1]?.from ?? Infinity, until),
          }));
        const schedules = schedulesUntil(Math.min(round.endedAt, judgedUntil));
        // The stack runs on a little past the planned end (until the driver sees the end and
        // stops it: up to a clock reading's worth of simulated time): steps it records then
        // are judged against the round as it stood, not against the judged window.
        const unbounded = schedulesUntil(round.endedAt);
        for (const [rung, expected] of (schedules[0]?.steps ?? []).entries()) {
          const dueAtIn = (schedule: (typeof schedules)[number] | undefined) =>
            schedule?.steps[rung]?.dueAt.getTime() ?? Infinity;
          // As the planner: a step is due in a period when it falls in it after the import.
          const fallsIn = (schedule: (typeof schedules)[number]) =>
            dueAtIn(schedule) < schedule.endsAt && dueAtIn(schedule) > round.reachedBefore;
          let dueIn = schedules.find(fallsIn);
          // An extension approved less than the lateness goal after the step fell due may
          // overtake it: the step is then due as the new deadline says (as for a close).
          const recordedDue = Date.parse(recorded.get(expected.key)?.[0]?.dueAt ?? '');
          if (
            dueIn &&
            recordedDue !== dueAtIn(dueIn) &&
            dueIn.endsAt - dueAtIn(dueIn) < goalMinutes * 60_000
          ) {
            const later = schedules
              .slice(schedules.indexOf(dueIn) + 1)
              .find(
                (schedule) => dueAtIn(schedule) === recordedDue && recordedDue < schedule.endsAt,
              );
            if (later) {
              dueIn = later;
              steps.overtaken += 1;
            }
          }
          const due = dueAtIn(dueIn);
          const shouldBeDue = dueIn !== undefined;
          // Due before its period began (a deadline set or moved close): due from that moment.
          const dueFrom = Math.max(
            due,
            dueIn ? (round.periods[schedules.indexOf(dueIn)]?.from ?? 0) : 0,
          );
          const onLog = recorded.get(expected.key) ?? [];
          if (shouldBeDue) steps.expected += 1;
          if (onLog.length > 1) {
            steps.doubled += 1;
            problem('recordedTwice', expected.key);
          }
          const entry = onLog[0];
          if (!entry) {
            if (shouldBeDue && round.endedAt - due < goalMinutes * 60_000) {
              steps.overtaken += 1;
            } else if (shouldBeDue) {
              steps.missing += 1;
              problem(
                'missingContext',
                `${expected.key}: deadlines ${round.periods.map((period) => `${new Date(period.from).toISOString()}→${period.deadline}`).join(', ')}; round ended ${Number.isFinite(round.endedAt) ? new Date(round.endedAt).toISOString() : 'no'}; events ${log.map((event) => `${event.sequence}:${event.type}@${event.at.slice(5, 16)}`).join(' ')}`,
              );
              problem('missing', `${expected.key} due ${new Date(due).toISOString()}`);
            }
            continue;
          }
          if (!shouldBeDue) {
            const lateDue = unbounded.find(fallsIn);
            const fellDueAfterWindow =
              lateDue !== undefined &&
              dueAtIn(lateDue) >= judgedUntil &&
              dueAtIn(lateDue) === Date.parse(entry.dueAt);
            if (fellDueAfterWindow) continue;
          }
          if (!shouldBeDue || Date.parse(entry.dueAt) !== due) {
            steps.moved += 1;
            problem(
              'movedContext',
              `${expected.key}: recorded ${entry.recordedAt}; deadlines ${round.periods.map((period) => `${new Date(period.from).toISOString()}→${period.deadline}`).join(', ')}; round ended ${Number.isFinite(round.endedAt) ? new Date(round.endedAt).toISOString() : 'no'}`,
            );
            problem(
              'moved',
              `${expected.key}: recorded due ${entry.dueAt}, ladder says ${shouldBeDue ? new Date(due).toISOString() : 'not due (its round ended first)'}`,
            );
            continue;
          }
          steps.recordedOnce += 1;
          if (!expected.rung.urgent) dueAtOneInstant.set(due, (dueAtOneInstant.get(due) ?? 0) + 1);
          const late = (Date.parse(entry.recordedAt) - dueFrom) / 60_000;
          lateness.push(late);
          if (late > 60)
            problem(
              'lateOverAnHour',
              `${expected.key}: ${late.toFixed(0)} min after ${new Date(dueFrom).toISOString()}`,
            );
          if (withdrawn.has(expected.key)) steps.withdrawn += 1;
          const messages = expected.rung.recipients.map(
            (recipient) => sent.get(`${expected.key}#${recipient}`) ?? [],
          );
          if (messages.some((times) => times.length > 1)) {
            steps.doubled += 1;
            problem('deliveredTwice', expected.key);
          }
          // A message whose delivery attempt began after the step's hazard was closed: the
          // attempt should have found the close and withdrawn the step. (A close that lands
          // once an attempt has begun finds its messages in flight: not after closure.)
          const starts = startedAt.get(expected.key) ?? [];
          // The fast clock stands while due work waits, so a recording, a close and an attempt
          // can bear the same instant: the hazard's log says which came first.
          const closedBefore = (at: string) => {
            const sentAt = Date.parse(at);
            const begun = starts.filter((start) => start.at <= sentAt).at(-1);
            const closedAfterRecording = closures.filter(
              (closed) => closed.position > entry.position,
            );
            if (begun)
              return closedAfterRecording.some((closed) => closed.position < begun.position);
            // Without a recorded attempt, the message itself is when it began.
            return closedAfterRecording.some((closed) => closed.at <= sentAt);
          };
          if (messages.some((times) => times.some(closedBefore))) {
            steps.afterClosure += 1;
            problem(
              'afterClosure',
              `${expected.key}: recorded ${entry.recordedAt}, attempts ${starts.map((start) => `${new Date(start.at).toISOString()} (log ${start.position})`).join(' ')}, closed ${closures.map((closed) => `${new Date(closed.at).toISOString()} (log ${closed.position})`).join(' ')}, sent ${messages.flat().join(' ')}`,
            );
          }
          if (delivered.has(expected.key) && messages.every((times) => times.length === 1)) {
            steps.deliveredOnce += 1;
          } else if (!withdrawn.has(expected.key) && Date.parse(entry.recordedAt) < judgedUntil) {
            problem('undelivered', expected.key);
          }
        }
      }
    });
  } finally {
    await dynamo.stop();
  }
  const sorted = lateness.sort((a, b) => a - b);
  return {
    steps,
    chainsBroken,
    problems,
    mostDueAtOneInstant: Math.max(0, ...dueAtOneInstant.values()),
    lateness: {
      p50: round2(quantile(sorted, 0.5)),
      p99: round2(quantile(sorted, 0.99)),
      max: round2(sorted.at(-1) ?? 0),
    },
  };
}

/** The table a README shows for a run. */
export function reportTable(report: TimeSimulationReport): string {
  const restarts = report.restarts
    .map((restart) => `${restart.realSeconds} s / ${restart.clockMovedMinutes} min`)
    .join(', ');
  return [
    '| measure | value | goal |',
    '| --- | --- | --- |',
    `| hazards × simulated days × clock speed | ${report.hazards} × ${report.options.days} × ${report.options.speed} | 10,000 × 365 × 8000 |`,
    `| steps expected / recorded once / delivered once / withdrawn | ${report.steps.expected} / ${report.steps.recordedOnce} / ${report.steps.deliveredOnce} / ${report.steps.withdrawn} | |`,
    `| overtaken by a close or an extension within the lateness goal | ${report.steps.overtaken} | |`,
    `| missing / doubled / moved / after closure | ${report.steps.missing} / ${report.steps.doubled} / ${report.steps.moved} / ${report.steps.afterClosure} | 0 / 0 / 0 / 0 |`,
    `| lateness p50 / p99 / max (simulated minutes) | ${report.latenessMinutes.p50} / ${report.latenessMinutes.p99} / ${report.latenessMinutes.max} | p99 ≤ ${report.options.latenessGoalMinutes ?? 60} |`,
    `| most non-urgent steps due at one instant | ${report.mostDueAtOneInstant} | spread (a hazard's own steps may share one) |`,
    `| decisions made / refused | ${report.decisions.made} / ${report.decisions.refused} | |`,
    `| steps per real second | ${report.stepsPerRealSecond} | keeps up |`,
    `| clock held for due steps: real seconds / holds / share of the run | ${report.clockHeld.realSeconds} / ${report.clockHeld.holds} / ${report.clockHeld.shareOfRun} | |`,
    `| peak RSS of the stack | ${report.peakRssMegabytes} MB | ≤ 1,536 MB |`,
    `| kill -9 restarts (ready in / clock moved) | ${restarts} | ≤ 20 s, clock still |`,
    `| real time: set-up / run / judging | ${report.realSeconds.setup} / ${report.realSeconds.run} / ${report.realSeconds.analysis} s | |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      hazards: { type: 'string', default: '10000' },
      days: { type: 'string', default: '365' },
      speed: { type: 'string', default: '8000' },
      kills: { type: 'string', default: '3' },
      seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
      /** An ISO instant to begin the simulated time at (default: from the seed). */
      start: { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
    },
  });
  const report = await simulateTime({
    hazards: Number(values.hazards),
    days: Number(values.days),
    speed: Number(values.speed),
    kills: Number(values.kills),
    seed: Number(values.seed),
    ...(values.start ? { startAt: new Date(values.start) } : {}),
    keepData: values['keep-data'],
    log: (line) => console.log(`[time] ${line}`),
  });
  console.log(JSON.stringify(report, null, 2));
  console.log(reportTable(report));
  process.exit(0);
}
