import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoHazardStatistics } from '@qingling/shared/adapters/dynamodb/hazard-statistics.ts';
import { defaultEscalationPolicy, spreadOffsetMs } from '@qingling/shared/hazards/escalation.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { byTarget, type DynamoCall, watchDynamoCalls } from '../support/dynamo-calls.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { hazardDueThursday10December } from '../support/hazards.ts';

// Issue 11: at ×8000 a year of 10,000 hazards needs more escalation steps a second than the
// embedded cloud managed, and each step's DynamoDB calls are most of a step's time. Counted
// where every client's calls arrive (dynalite), over the real handlers, the lifecycle ASL
// and the outbox's delivery (contacts, the enterprise register): the calls of one step's
// turn, from the timer's wake to the next wait.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
const watch = watchDynamoCalls();

beforeAll(async () => {
  // Without the heartbeat's sweeps (reconciler, retention, orphans, chain heads): not a
  // step's cost, and each could land amid one on a busy machine.
  cloud = await startTestCloud({ clock, scheduledJobs: false });
}, 120_000);
afterAll(async () => {
  watch.stop();
  await cloud?.stop();
  await cloud?.removeData();
});

/**
 * The day's chain heads are published on the heartbeat (real time) once the clock passes
 * midnight: a listing of the ledger index and the day's item, at its own moment. Not a
 * step's cost, and not in this count.
 */
const publication = (call: DynamoCall) =>
  call.target.startsWith('Query CHAINHEADS') ||
  call.target.startsWith('PutItem CHAINHEADS') ||
  call.target.startsWith('Query gsi1 HAZARDS#');

/** Moves the clock, wakes the lifecycles, waits until they are idle: the calls made. */
async function advanceTo(instant: string): Promise<DynamoCall[]> {
  const from = watch.calls.length;
  clock.set(instant);
  cloud.conductor.tick();
  await cloud.conductor.settled();
  return watch.since(from).filter((call) => !publication(call));
}

describe('what an escalation step costs in DynamoDB calls', () => {
  it('one step, recorded, delivered to its recipients and the next wait registered', async () => {
    const officer = await signIn(cloud.url, 'cq-gecheng.officer');
    const hazard = await hazardDueThursday10December(cloud.url, officer);
    await cloud.conductor.settled();

    // Each at 09:06 CST and the hazard's place in the spread window after 09:00.
    const afterSpread = (at: string) =>
      new Date(Date.parse(at) + spreadOffsetMs(hazard.id, defaultEscalationPolicy)).toISOString();
    // Fri 11 Dec 09:06 CST: the notice letter (to the enterprise's principal and controller).
    const letter = await advanceTo(afterSpread('2026-12-11T01:06:00.000Z'));
    // Mon 14 Dec: the weekly reports go out on the heartbeat, on their own (real) time; sent
    // here, they cannot fall inside the circular's count on a loaded machine.
    clock.set('2026-12-14T02:00:00.000Z');
    await cloud.weeklyReports();
    // Fri 18 Dec 09:06 CST: the circular (to three office recipients and the department head).
    const circular = await advanceTo(afterSpread('2026-12-18T01:06:00.000Z'));
    const outbox = await cloud.outbox.list();
    const keys = outbox.map((entry) => entry.key).filter((key) => key.startsWith(hazard.id));
    expect(keys.some((key) => key.includes('#notice_letter#'))).toBe(true);
    expect(keys.some((key) => key.includes('#circular#'))).toBe(true);

    const detail = JSON.stringify({ letter: byTarget(letter), circular: byTarget(circular) });
    // The notice letter's turn: one read of the hazard (Plan's: RecordDueSteps works on the
    // snapshot Plan planned from, before issue 11 it read the hazard again), three events
    // (recorded, delivery started, delivered) and one write of the state item, with the
    // last of them (before issue 11: one each), the enterprise's record read once for its
    // name and its two people's mobiles (before the burst work: once for each, three
    // reads; the turn shares it, infra/local/src/workflow/turn-reads.ts), the next wait.
    // The weekly report counts escalations fired by day (`esc|<date>` cells): a step's day
    // is moved into its bucket by the reconciler's next sweep, not on the step's turn (it
    // cost a GetItem and five UpdateItems here, tally.ts's claim, count, settle and clear):
    // the step's event goes on the index of recent changes for it (+gsi1, no call more).
    expect(byTarget(letter), detail).toEqual({
      'PutItem HAZARD# E#': 2,
      'PutItem HAZARD# E# +gsi1': 1,
      'PutItem HAZARD# STATE +gsi1': 1,
      'PutItem HAZARD# WAIT +gsi1': 1,
      'Query ENTERPRISE# E#..STATE': 1,
      'Query HAZARD# E#..STATE': 1,
    });
    // The circular's: the same for the hazard, the enterprise's name, and the contact lists
    // its office recipients are reached at, read once for them all (before: once for the
    // department head, once for the three departments' list).
    expect(byTarget(circular), detail).toEqual({
      'GetItem POLICY#CONTACTS <id>': 1,
      'PutItem HAZARD# E#': 2,
      'PutItem HAZARD# E# +gsi1': 1,
      'PutItem HAZARD# STATE +gsi1': 1,
      'PutItem HAZARD# WAIT +gsi1': 1,
      'Query ENTERPRISE# E#..STATE': 1,
      'Query HAZARD# E#..STATE': 1,
    });

    // The sweep counts the steps' days: the statistics' buckets hold them, as the hazard's
    // state has them (the reminder, due as rectification started with two days left, the
    // letter and the circular).
    await advanceTo(afterSpread('2026-12-18T01:30:00.000Z')); // past the sweep's grace
    await cloud.reconcile();
    const statistics = new DynamoHazardStatistics(
      createDocumentClient(),
      process.env.TABLE_NAME as string,
    );
    const buckets = await statistics.buckets(['cq-gecheng'], ['2026-12']);
    const cells = buckets.flatMap((bucket) => Object.entries(bucket.cells));
    expect(Object.fromEntries(cells.filter(([cell]) => cell.startsWith('esc|')))).toEqual({
      'esc|2026-12-08': 1,
      'esc|2026-12-11': 1,
      'esc|2026-12-18': 1,
    });
  });
});

describe("the time simulation's clock read", () => {
  it('tells the cloud clock without a DynamoDB call (GET /api/health costs two)', async () => {
    const from = watch.calls.length;
    const reply = await fetch(`${cloud.url}/_local/clock`);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ now: clock.now().toISOString() });
    expect(watch.since(from).filter((call) => !publication(call))).toEqual([]);
  });
});
