import { randomUUID } from 'node:crypto';
import { addCalendarDays, cstDate } from '@qingling/shared/calendar/calendar.ts';
import { deskCardKeys } from '@qingling/shared/hazards/desk.ts';
import {
  type HazardState,
  hazardProjection,
  hazardStream,
} from '@qingling/shared/hazards/hazard.ts';
import { ledgerStatuses } from '@qingling/shared/hazards/schemas.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencies } from '#functions/dependencies.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson } from '../support/tips.ts';

// Issue 15, "one click takes a number to the hazards behind it": on the demo office, with
// leaders' acts added (a listing placed, one placed and lifted, a major hazard verified for
// the department head's sign-off, a summons held) and the clock moved on so the ladder goes
// on firing, every card's count is the number of hazards `card=<key>` lists, and that list
// is exactly the hazards a brute force over every hazard's whole state picks.
const jurisdiction = 'cq-gecheng';
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;

beforeAll(async () => {
  cloud = await startTestCloud({ clock, demoRecords: true });
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

// biome-ignore lint/suspicious/noExplicitAny: the bodies are read as the API documents them
type Body = any;

async function get(who: string, path: string): Promise<Body> {
  const token = await signIn(cloud.url, `${jurisdiction}.${who}`); // as of the moved clock
  const response = await fetch(`${cloud.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

async function command(who: string, hazardId: string, body: Record<string, unknown>) {
  const page = await get(who, `/api/office/hazards/${hazardId}`);
  const token = await signIn(cloud.url, `${jurisdiction}.${who}`);
  const reply = await postJson(
    `${cloud.url}/api/office/hazards/${hazardId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: page.revision, command: body },
    { authorization: `Bearer ${token}` },
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}

async function advanceTo(instant: string) {
  clock.set(instant);
  cloud.conductor.tick();
  await cloud.conductor.settled();
}

/** Every hazard of the jurisdiction, whole, from its own log (not from the desk's reads). */
async function everyHazard(): Promise<HazardState[]> {
  const ids: string[] = [];
  for (const status of ledgerStatuses) {
    let cursor: string | undefined;
    do {
      const page = await get(
        'officer',
        `/api/office/hazards?jurisdiction=${jurisdiction}&status=${status}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      ids.push(...page.hazards.map((hazard: Body) => hazard.hazardId));
      cursor = page.nextCursor;
    } while (cursor);
  }
  const store = dependencies.eventStore();
  return Promise.all(
    ids.map(async (id) => {
      const snapshot = await store.load(hazardStream(id), hazardProjection);
      if (!snapshot) throw new Error(`hazard ${id} has no state`);
      return snapshot.state;
    }),
  );
}

/** What each card means, said again over the whole state (RULES.md; closure.ts's default). */
function bruteForce(hazards: HazardState[], now: Date): Record<string, string[]> {
  const today = cstDate(now);
  const open = (state: HazardState) =>
    ['reported', 'rectifying', 'verifying'].includes(state.status);
  const deadlineDate = (state: HazardState) =>
    state.round ? cstDate(new Date(Date.parse(state.round.deadline) - 1)) : '';
  const steps = (state: HazardState, step: string) =>
    state.escalations.filter(
      (entry) => !entry.withdrawn && entry.step === step && entry.round === state.round?.number,
    );
  const rectifying = (state: HazardState) => state.status === 'rectifying' && state.round;
  const rules: Record<string, (state: HazardState) => boolean> = {
    overdue: (state) =>
      Boolean(rectifying(state) && Date.parse(state.round?.deadline ?? '') <= now.getTime()),
    dueSoon: (state) =>
      Boolean(
        rectifying(state) &&
          Date.parse(state.round?.deadline ?? '') > now.getTime() &&
          deadlineDate(state) <= addCalendarDays(today, 2),
      ),
    openMajor: (state) => open(state) && state.grade === 'major',
    pendingExtensions: (state) => state.status === 'rectifying' && Boolean(state.pendingExtension),
    awaitingSignOff: (state) =>
      state.status === 'verifying' && Boolean(state.verifiedAt) && state.grade === 'major',
    escalationsToday: (state) =>
      open(state) &&
      state.escalations.some((entry) => !entry.withdrawn && cstDate(new Date(entry.at)) === today),
    summonsToHold: (state) => {
      const fired = steps(state, 'summons').at(-1);
      return (
        open(state) &&
        Boolean(fired) &&
        !(state.summonses ?? []).some((held) => held.at >= (fired?.at ?? ''))
      );
    },
    listedSupervisions: (state) => Boolean(state.listedSupervision),
    exposureToApprove: (state) =>
      ['rectifying', 'verifying'].includes(state.status) &&
      !state.exposure &&
      steps(state, 'public_exposure').length > 0,
    exposed: (state) => Boolean(state.exposure),
  };
  return Object.fromEntries(
    Object.entries(rules).map(([card, rule]) => [
      card,
      hazards
        .filter(rule)
        .map((state) => state.hazardId)
        .sort(),
    ]),
  );
}

/** For each card: the count, what the card lists, and the brute force agree. */
async function everyCardOpensItsHazards(who: string): Promise<Record<string, number>> {
  const desk = await get(who, `/api/office/desk?jurisdiction=${jurisdiction}`);
  const expected = bruteForce(await everyHazard(), clock.now());
  const counts: Record<string, number> = {};
  for (const card of deskCardKeys) {
    const listed = await get(who, `/api/office/desk?jurisdiction=${jurisdiction}&card=${card}`);
    expect(listed.card.key).toBe(card);
    const ids = listed.card.hazards.map((hazard: Body) => hazard.hazardId).sort();
    expect({ card, count: desk[card] }).toEqual({ card, count: ids.length });
    expect({ card, ids }).toEqual({ card, ids: expected[card] });
    counts[card] = desk[card];
  }
  // The overdue card and the ledger's own overdue filter (its indexes) name the same hazards.
  const ledger = await get(
    who,
    `/api/office/hazards?jurisdiction=${jurisdiction}&status=rectifying&overdue=true`,
  );
  expect(ledger.hazards.map((hazard: Body) => hazard.hazardId).sort()).toEqual(expected.overdue);
  return counts;
}

const byPlace = async (place: string) => {
  for (const status of ['reported', 'rectifying', 'verifying'] as const) {
    const page = await get(
      'officer',
      `/api/office/hazards?jurisdiction=${jurisdiction}&status=${status}`,
    );
    const found = page.hazards.find((hazard: Body) => hazard.place === place);
    if (found) return found.hazardId as string;
  }
  throw new Error(`no open hazard at ${place}`);
};

describe('every number on the desk opens exactly the hazards behind it', () => {
  it('on the demo office as it starts', async () => {
    const counts = await everyCardOpensItsHazards('leader_in_charge');
    expect(counts).toMatchObject({
      overdue: 2,
      escalationsToday: 1,
      summonsToHold: 1, // 冷库及制冷机房: the summons fell due at 00:00 today
      exposed: 1, // 车站路停车场, approved yesterday
      pendingExtensions: 1,
    });
  });

  it('after leaders list, lift, and a major hazard waits for its sign-off', async () => {
    const gasStation = await byPlace('滨河路调压站');
    const oilDepot = await byPlace('卸油区及油罐区');
    const listing = { documentNumber: '葛城安委督〔2026〕3号', reason: '重大事故隐患，挂牌督办。' };
    await command('principal_leader', gasStation, { type: 'place_listed_supervision', ...listing });
    await command('principal_leader', oilDepot, { type: 'place_listed_supervision', ...listing });
    await command('principal_leader', oilDepot, { type: 'lift_listed_supervision', ...listing });
    // The oil depot's fix is in and passed: the department head signs it off.
    await command('officer', oilDepot, { type: 'submit_evidence', note: '已整改', photoKeys: [] });
    await command('officer', oilDepot, {
      type: 'pass_verification',
      note: '现场核查通过',
      onSite: true,
    });
    const counts = await everyCardOpensItsHazards('principal_leader');
    expect(counts).toMatchObject({ listedSupervisions: 1, awaitingSignOff: 1 });
  });

  it('as the ladder goes on: a summons held before its step is to hold again; one held since is not', async () => {
    // 12-11 01:00 CST: the summons of 车站路停车场 (held on the 6th) has fallen due.
    await advanceTo('2026-12-10T17:00:00.000Z');
    const cold = await byPlace('冷库及制冷机房');
    await command('leader_in_charge', cold, {
      type: 'record_summons',
      attendees: '企业主要负责人',
      agreed: '一周内完成整改',
      nextDate: '2026-12-18',
    });
    const counts = await everyCardOpensItsHazards('leader_in_charge');
    // 车站路停车场's summons is to hold again; 冷库及制冷机房's was held.
    expect(counts.summonsToHold).toBe(1);
    const listed = await get(
      'leader_in_charge',
      `/api/office/desk?jurisdiction=${jurisdiction}&card=summonsToHold`,
    );
    expect(listed.card.hazards.map((hazard: Body) => hazard.place)).toEqual(['车站路停车场']);
  });

  it('once exposure falls due: the principal leader has exposures to approve', async () => {
    await advanceTo('2026-12-24T02:00:00.000Z');
    const counts = await everyCardOpensItsHazards('principal_leader');
    expect(counts.exposureToApprove).toBeGreaterThan(0);
  });

  it('refuses a card the desk does not have, in both languages', async () => {
    const token = await signIn(cloud.url, `${jurisdiction}.officer`);
    const response = await fetch(
      `${cloud.url}/api/office/desk?jurisdiction=${jurisdiction}&card=everything`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.message).toMatchObject({ zh: expect.any(String), en: expect.any(String) });
    expect(error.message.zh).toMatch(/[\u4e00-\u9fff]/);
  });
});
