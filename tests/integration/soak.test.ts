import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxEntry } from '@qingling/shared/adapters/local/file-outbox.ts';
import { seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { type RecordedEvent, verifyChain } from '@qingling/shared/event-log/event-log.ts';
import {
  defaultEscalationPolicy,
  type EscalationStep,
  type ScheduledStep,
  scheduleRound,
} from '@qingling/shared/hazards/escalation.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CloudProcess,
  signIn,
  spawnCloud,
  temporaryDataDirectory,
} from '../support/embedded-cloud.ts';

// Issue 4's soak: `npm start`'s program, as a separate process on a fast clock, is killed
// with kill -9 at random moments while 100 hazards have timers pending, and started again
// on the same data folder and port, again and again; then it runs until every hazard's
// whole ladder (reminder −3 days … public exposure +30 days) has passed. Whatever the
// moments of the kills, the record must hold every step once (none lost, none doubled),
// each hazard's chain must verify, and every step's people must have been told at least
// once, each message carrying its step key. The kill moments are random (real time: this
// soaks the real process); what is asserted does not depend on them. SOAK_SEED replays
// a run's choice of moments (as far as real time allows). The clock must not run back
// across a kill either: DESIGN.md, "simulated time is kept in .data".
const hazardCount = 100;
const kills = 8;
/** A simulated day per real second: a ladder of ~40 days passes in ~40 s of running. */
const clockSpeed = 86_400;
const dayMs = 24 * 3600 * 1000;
const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const officer = 'cq-gecheng.officer';
const jurisdiction = 'cq-gecheng';
const steps = defaultEscalationPolicy.ladder.map((rung) => rung.step);

/** mulberry32: the seeded choice of kill moments. */
function random(): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Hazard {
  hazardId: string;
  deadline: string;
  schedule: ScheduledStep[];
}

interface HazardLog {
  hazardId: string;
  exportedAt: string;
  chain: { valid: boolean; reason?: string };
  events: RecordedEvent[];
}

let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let cloud: CloudProcess | null = null;
let port = 0;
const outputs: string[] = [];
const hazards: Hazard[] = [];
const logs = new Map<string, HazardLog>();
let outbox: OutboxEntry[] = [];
let tornOutboxLines = 0;
let killCount = 0;
/**
 * Per kill: the simulated time the cloud last showed (an answer's timestamp, just before
 * the kill), and the earliest its next start can begin at (what .data kept, or real time).
 */
const clockAcrossKills: { shown: number; resumesFrom: number }[] = [];
const phases: Record<string, number> = {};
let finalAnswers: { hazardId: string; status: number; escalations?: number }[] = [];
const startedAt = performance.now();

async function start(speed: number): Promise<CloudProcess> {
  const started = await spawnCloud(data.path, undefined, { port, clockSpeed: speed });
  port = Number(new URL(started.url).port);
  for (let attempt = 0; ; attempt += 1) {
    const health = await fetch(`${started.url}/api/health`).catch(() => null);
    if (health?.ok) break;
    if (attempt > 100) throw new Error(`no /api/health:\n${started.output()}`);
    await sleep(100);
  }
  cloud = started;
  return started;
}

async function kill(running: CloudProcess, signal: 'SIGKILL' | 'SIGINT'): Promise<void> {
  running.child.kill(signal);
  await running.exited;
  outputs.push(running.output());
  cloud = null;
}

/** The simulated time the running cloud keeps in .data (saved each second). */
async function keptClock(): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const { reached } = JSON.parse(await readFile(join(data.path, 'clock.json'), 'utf8')) as {
        reached: string;
      };
      return Date.parse(reached);
    } catch (error) {
      // Read while it was being written: read again.
      if (attempt > 20) throw error;
      await sleep(20);
    }
  }
}

/**
 * An office request. At ×86,400 an 8-hour token lives a third of a real second, so each
 * request signs in afresh and, if it still arrives expired, once more.
 */
async function office(path: string, body?: unknown): Promise<Response> {
  const url = cloud?.url ?? '';
  for (let attempt = 0; ; attempt += 1) {
    const token = await signIn(url, officer);
    const response = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status !== 401 || attempt >= 5) return response;
  }
}

/** The cloud's simulated time, as an answer shows it (a log export's timestamp). */
async function shownTime(): Promise<number> {
  const response = await office(`/api/office/hazards/${hazards[0]?.hazardId}/log`);
  return Date.parse(((await response.json()) as { exportedAt: string }).exportedAt);
}

async function inBatches<T, R>(items: readonly T[], size: number, each: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let index = 0; index < items.length; index += size) {
    results.push(...(await Promise.all(items.slice(index, index + size).map(each))));
  }
  return results;
}

/** A CST date `days` after the real now (the clock runs at real speed while hazards are made). */
const cstDateIn = (days: number) =>
  new Date(Date.now() + 8 * 3600 * 1000 + days * dayMs).toISOString().slice(0, 10);

async function recordHazards(): Promise<void> {
  const made = await inBatches(
    Array.from({ length: hazardCount }, (_, index) => index),
    10,
    async (index) => {
      const recorded = await office('/api/office/hazards', {
        idempotencyKey: randomUUID(),
        jurisdiction,
        source: 'inspection',
        industry: 'fire',
        enterprise: '91350100M000100Y43',
        place: `浸泡测试仓库 ${index + 1} 号`,
        grade: 'general',
        description: `第 ${index + 1} 号隐患：安全出口被货物堵塞。`,
      });
      if (recorded.status !== 201) throw new Error(`record: ${await recorded.text()}`);
      const { hazard } = (await recorded.json()) as { hazard: { hazardId: string } };
      // Deadlines 2 to 9 days ahead: steps fall at different moments for different hazards
      // (and for a 2-day deadline the reminder is due at once).
      const started = await office(`/api/office/hazards/${hazard.hazardId}/commands`, {
        idempotencyKey: randomUUID(),
        expectedRevision: 1,
        command: {
          type: 'start_rectification',
          responsible: '王某',
          measures: '搬离货物，恢复疏散通道',
          deadline: { date: cstDateIn(2 + (index % 8)) },
        },
      });
      if (started.status !== 200) throw new Error(`start: ${await started.text()}`);
      const detail = (await started.json()) as {
        hazard: { deadline: string };
        timeline: { type: string; at: string }[];
      };
      const round = {
        number: 1,
        deadline: new Date(detail.hazard.deadline),
        startedAt: new Date(
          detail.timeline.find((event) => event.type === 'rectification_started')?.at ?? 0,
        ),
      };
      return {
        hazardId: hazard.hazardId,
        deadline: detail.hazard.deadline,
        schedule: scheduleRound(hazard.hazardId, round, defaultEscalationPolicy, seedCalendar),
      };
    },
  );
  hazards.push(...made);
}

async function exportLogs(): Promise<void> {
  await inBatches(hazards, 10, async ({ hazardId }) => {
    const response = await office(`/api/office/hazards/${hazardId}/log`);
    if (response.status !== 200) throw new Error(`log of ${hazardId}: ${response.status}`);
    logs.set(hazardId, (await response.json()) as HazardLog);
  });
}

const recordedSteps = (log: HazardLog | undefined) =>
  (log?.events ?? []).filter((event) => event.type === 'escalation_step_recorded');
const deliveredSteps = (log: HazardLog | undefined) =>
  (log?.events ?? []).filter((event) => event.type === 'escalation_step_delivered');
const complete = (hazard: Hazard) => {
  const log = logs.get(hazard.hazardId);
  return (
    new Set(recordedSteps(log).map((event) => event.idempotencyKey)).size === steps.length &&
    new Set(deliveredSteps(log).map((event) => event.idempotencyKey)).size === steps.length
  );
};

beforeAll(async () => {
  data = await temporaryDataDirectory();
  // The hazards are made at real speed, so that their deadlines are days ahead as given.
  await start(1);
  await recordHazards();
  phases.setup = performance.now();
  const lastDue = Math.max(
    ...hazards.flatMap((hazard) => hazard.schedule.map((step) => step.dueAt.getTime())),
  );
  const next = random();

  // Kill -9: first while every hazard waits for its timers (at real speed), then 8 times at
  // random moments on the fast clock, each time starting again on the same folder and port.
  let running = cloud as unknown as CloudProcess;
  for (let round = 0; round <= kills; round += 1) {
    if (round > 0) await sleep(500 + next() * 2500);
    // The time the cloud shows, in the last answer before it dies: its clock must not
    // start again behind it.
    const shown = await shownTime();
    await kill(running, 'SIGKILL');
    killCount += 1;
    clockAcrossKills.push({ shown, resumesFrom: Math.max(await keptClock(), Date.now()) });
    running = await start(clockSpeed);
  }
  phases.kills = performance.now();

  // Then it runs, undisturbed, until every hazard's last step is two days past and each
  // hazard's five steps are on its log and delivered; if some never come, until 8 days past.
  const alive = () => {
    if (running.child.exitCode !== null) throw new Error(`the cloud stopped:\n${running.output()}`);
  };
  while ((await keptClock()) < lastDue + 2 * dayMs) {
    alive();
    await sleep(250);
  }
  for (;;) {
    alive();
    await exportLogs();
    if (hazards.every(complete) || (await keptClock()) > lastDue + 8 * dayMs) break;
    await sleep(1000);
  }
  finalAnswers = await inBatches(hazards, 10, async ({ hazardId }) => {
    const response = await office(`/api/office/hazards/${hazardId}`);
    const body = response.ok
      ? ((await response.json()) as { hazard: { escalations: number } })
      : null;
    return {
      hazardId,
      status: response.status,
      ...(body ? { escalations: body.hazard.escalations } : {}),
    };
  });
  await kill(running, 'SIGINT');
  phases.run = performance.now();

  const lines = (await readFile(join(data.path, 'outbox.jsonl'), 'utf8')).split('\n');
  outbox = lines.flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as OutboxEntry];
    } catch {
      tornOutboxLines += 1;
      return [];
    }
  });
}, 175_000);

afterAll(async () => {
  if (cloud) await kill(cloud, 'SIGKILL');
  const mine = new Set(hazards.map((hazard) => hazard.hazardId));
  const ours = outbox.filter((entry) => mine.has(entry.key.split('#')[0] ?? ''));
  const perKey = new Map<string, number>();
  for (const entry of ours) perKey.set(entry.key, (perKey.get(entry.key) ?? 0) + 1);
  const duplicates = [...perKey.values()].reduce((sum, count) => sum + count - 1, 0);
  const recorded = [...logs.values()].reduce((sum, log) => sum + recordedSteps(log).length, 0);
  const late = [...logs.values()].reduce(
    (sum, log) =>
      sum + recordedSteps(log).filter((event) => (event.data as { late: boolean }).late).length,
    0,
  );
  const seconds = (from: number, to = performance.now()) => ((to - from) / 1000).toFixed(0);
  // Steps whose recording and delivery fell to different generations: a kill cut in between.
  let cut = 0;
  for (const log of logs.values()) {
    let generation = 0;
    const recordedIn = new Map<string, number>();
    for (const event of log.events) {
      if (event.type === 'lifecycle_generation_started') {
        generation = (event.data as { generation: number }).generation;
      } else if (event.type === 'escalation_step_recorded') {
        recordedIn.set(event.idempotencyKey ?? '', generation);
      } else if (event.type === 'escalation_step_delivered') {
        const key = (event.data as { key: string }).key;
        if (recordedIn.get(key) !== generation) cut += 1;
      }
    }
  }
  const rewinds = clockAcrossKills.map(({ shown, resumesFrom }) => shown - resumesFrom);
  const rewound = rewinds.filter((rewind) => rewind > 0);
  const rewoundHours = Math.max(0, ...rewinds) / 3600_000;
  const summary = [
    `${hazards.length} hazards`,
    `${killCount} kills (kill -9)`,
    `${recorded} steps recorded (${late} late)`,
    `${ours.length} notifications`,
    `${duplicates} duplicates delivered (${cut} steps had a kill between record and delivery)`,
    `${tornOutboxLines} torn outbox lines`,
    `clock ran back at ${rewound.length} of ${rewinds.length} restarts (at most ${rewoundHours.toFixed(1)} simulated h)`,
    `${seconds(startedAt)} s (setup ${seconds(startedAt, phases.setup)}, kills ${seconds(phases.setup ?? 0, phases.kills)}, run ${seconds(phases.kills ?? 0, phases.run)})`,
    `SOAK_SEED=${seed}`,
  ];
  console.log(`soak: ${summary.join(', ')}`);
  await data.remove();
}, 30_000);

describe('kill -9 at random moments while 100 hazards have timers pending', () => {
  it('records every step of every ladder exactly once, at or after its time, on a chain that verifies', async () => {
    expect(hazards).toHaveLength(hazardCount);
    const problems: string[] = [];
    for (const hazard of hazards) {
      const log = logs.get(hazard.hazardId);
      if (!log) {
        problems.push(`${hazard.hazardId}: no log`);
        continue;
      }
      if (!log.chain.valid) problems.push(`${hazard.hazardId}: chain ${log.chain.reason}`);
      const check = await verifyChain(log.events);
      if (!check.valid) problems.push(`${hazard.hazardId}: chain recomputed: ${check.reason}`);
      const recorded = recordedSteps(log);
      for (const scheduled of hazard.schedule) {
        const these = recorded.filter((event) => event.idempotencyKey === scheduled.key);
        if (these.length !== 1) {
          problems.push(`${scheduled.key}: recorded ${these.length}×`);
          continue;
        }
        const [event] = these as [RecordedEvent];
        const stepData = event.data as { step: EscalationStep; round: number; dueAt: string };
        if (stepData.step !== scheduled.step || stepData.round !== 1) {
          problems.push(`${scheduled.key}: recorded as ${stepData.round}:${stepData.step}`);
        }
        if (stepData.dueAt !== scheduled.dueAt.toISOString()) {
          problems.push(`${scheduled.key}: due ${stepData.dueAt}, expected ${scheduled.dueAt}`);
        }
        if (event.at < stepData.dueAt) problems.push(`${scheduled.key}: recorded early`);
      }
      const expected = new Set(hazard.schedule.map((step) => step.key));
      for (const event of recorded) {
        if (!expected.has(event.idempotencyKey ?? '')) {
          problems.push(`${hazard.hazardId}: a step not on its ladder: ${event.idempotencyKey}`);
        }
      }
      // Each step is marked delivered once (after its messages went out at least once).
      for (const key of expected) {
        const marks = deliveredSteps(log).filter(
          (event) => event.idempotencyKey === `${key}#delivered`,
        );
        if (marks.length !== 1) problems.push(`${key}: marked delivered ${marks.length}×`);
      }
      // The ladder's order on the log is the ladder's order.
      const order = recorded.map((event) => (event.data as { step: EscalationStep }).step);
      if (order.join() !== steps.filter((step) => order.includes(step)).join()) {
        problems.push(`${hazard.hazardId}: steps out of order: ${order.join()}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('tells every recipient of every recorded step at least once, each message carrying its step key', () => {
    const mine = new Set(hazards.map((hazard) => hazard.hazardId));
    const recordedKeys = new Set(
      [...logs.values()].flatMap((log) => recordedSteps(log).map((event) => event.idempotencyKey)),
    );
    const problems: string[] = [];
    const told = new Set<string>();
    for (const entry of outbox) {
      const match = /^([a-z2-7]{26})#(\d+)#([a-z_]+)#([a-z_]+)$/.exec(entry.key);
      if (!match) {
        problems.push(`a message without a step key: ${entry.key}`);
        continue;
      }
      const [, hazardId, round, step, recipient] = match as unknown as [
        string,
        string,
        string,
        string,
        string,
      ];
      if (!mine.has(hazardId)) continue;
      const rung = defaultEscalationPolicy.ladder.find((candidate) => candidate.step === step);
      if (!rung || !(rung.recipients as readonly string[]).includes(recipient)) {
        problems.push(`${entry.key}: not a recipient of its step`);
      }
      if (!recordedKeys.has(`${hazardId}#${round}#${step}`)) {
        problems.push(`${entry.key}: sent for a step not on the record`);
      }
      told.add(entry.key);
    }
    for (const key of recordedKeys) {
      const step = key?.split('#')[2];
      const rung = defaultEscalationPolicy.ladder.find((candidate) => candidate.step === step);
      for (const recipient of rung?.recipients ?? []) {
        if (!told.has(`${key}#${recipient}`)) problems.push(`${key}#${recipient}: never sent`);
      }
    }
    expect(recordedKeys.size).toBe(hazardCount * steps.length);
    expect(problems).toEqual([]);
  });

  it('leaves every hazard answering and no lifecycle failed', () => {
    expect(finalAnswers.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(finalAnswers.filter((answer) => answer.escalations !== steps.length)).toEqual([]);
    const failures = outputs.flatMap((output) =>
      output.split('\n').filter((line) => /lifecycle of \S+ failed|request failed/.test(line)),
    );
    expect(failures).toEqual([]);
  });

  it('never winds the simulated clock back across a kill, and each log runs forward in time', () => {
    expect(clockAcrossKills).toHaveLength(killCount);
    const backwards = clockAcrossKills.flatMap(({ shown, resumesFrom }, index) =>
      resumesFrom < shown
        ? [
            `kill ${index + 1}: showed ${new Date(shown).toISOString()}, starts again from ${new Date(resumesFrom).toISOString()}`,
          ]
        : [],
    );
    for (const log of logs.values()) {
      for (const [index, event] of log.events.entries()) {
        const before = log.events[index - 1];
        if (before && event.at < before.at) {
          backwards.push(
            `${log.hazardId} #${event.sequence} ${event.type} at ${event.at} after ${before.type} at ${before.at}`,
          );
        }
      }
    }
    expect(backwards).toEqual([]);
  });
});
