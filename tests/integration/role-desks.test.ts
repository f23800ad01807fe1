import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';

// Issue 14, "A desk per role" and "Demo data that tells the story": on the demo office of
// a first start, every role's desk has work, read through the routes its role may call.
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

async function get(who: string, path: string): Promise<{ status: number; body: Body }> {
  const token = await signIn(cloud.url, `${jurisdiction}.${who}`);
  const response = await fetch(`${cloud.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
}

const desk = (who: string) => get(who, `/api/office/desk?jurisdiction=${jurisdiction}`);
const rewardDesk = (who: string, code = jurisdiction) =>
  get(who, `/api/office/reward-desk?jurisdiction=${code}`);

describe('each role’s desk on the demo office', () => {
  it('an officer: tips to accept, deadlines due soon and passed, fixes to verify', async () => {
    const { status, body } = await desk('officer');
    expect(status).toBe(200);
    expect(body.tips.received).toBeGreaterThan(0);
    expect(body.dueSoon).toBeGreaterThan(0);
    expect(body.overdue).toBe(2);
    expect(body.hazards.verifying).toBeGreaterThan(0);
  });

  it('a department head: an extension request and verifications to sign off', async () => {
    const { status, body } = await desk('department_head');
    expect(status).toBe(200);
    expect(body.pendingExtensions).toBe(1);
    expect(body.hazards.verifying).toBeGreaterThan(0);
    // Their cases: what waits for their decision (the demo's verified hazards are general,
    // signed off by an officer), not hazards they recorded (they record none).
    expect(body.myCases.map((entry: Body) => [entry.place, entry.why])).toEqual([
      ['后厨燃气管道', ['pendingExtensions']],
    ]);
  });

  it.each(['leader_in_charge', 'principal_leader'])(
    'a leader (%s): overdue hazards, an escalation of today, open majors',
    async (who) => {
      const { status, body } = await desk(who);
      expect(status).toBe(200);
      expect(body.overdue).toBe(2);
      expect(body.escalationsToday).toBe(1);
      expect(body.openMajor).toBe(2);
      // The summons of today is to hold; the one of 车站路停车场 was held, then exposure approved.
      expect(body.summonsToHold).toBe(1);
      expect(body.listedSupervisions).toBe(0);
      expect(body.exposed).toBe(1);
      expect(body.myCases.map((entry: Body) => [entry.place, entry.why])).toEqual([
        ['冷库及制冷机房', ['summonsToHold']],
      ]);
    },
  );

  it('the escalation of today is the summons on the hazard fifteen days overdue', async () => {
    const ledger = await get(
      'officer',
      `/api/office/hazards?jurisdiction=${jurisdiction}&status=rectifying`,
    );
    const overdue = ledger.body.hazards.find((hazard: Body) => hazard.place === '冷库及制冷机房');
    const detail = await get('officer', `/api/office/hazards/${overdue.hazardId}`);
    const steps = detail.body.timeline
      .filter((entry: Body) => entry.type === 'escalation_step_recorded')
      .map((entry: Body) => [entry.data.step, entry.at.slice(0, 10)]);
    expect(steps.at(-1)).toEqual(['summons', '2026-12-07']); // 00:00 CST on the 8th
  });

  it('a reward officer: one reward to compute, one computed by 曹颖 to approve', async () => {
    const { status, body } = await rewardDesk('reward_officer_2');
    expect(status).toBe(200);
    expect(body.toCompute.count).toBe(1);
    expect(body.toApprove.count).toBe(1);
    expect(body.toApprove.items[0]).toMatchObject({ amountFen: 450_000, computedByName: '曹颖' });
    // What the list names, the reward officer may open.
    const tip = await get('reward_officer_2', `/api/office/tips/${body.toApprove.items[0].tipId}`);
    expect(tip.status).toBe(200);
    expect(tip.body.reward.computedByName).toBe('曹颖');
  });

  it('the reward desk is the reward officer’s alone, in their own jurisdiction', async () => {
    const officer = await rewardDesk('officer');
    expect(officer.status).toBe(403);
    expect(officer.body.error.message).toEqual({
      zh: '您无权进行此操作。',
      en: 'You are not allowed to do this.',
    });
    expect((await rewardDesk('reward_officer', 'cq-dongan')).status).toBe(403);
    const missing = await get('reward_officer', '/api/office/reward-desk');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatchObject({
      zh: expect.any(String),
      en: expect.any(String),
    });
    expect((await desk('reward_officer')).status).toBe(403);
  });

  it('an administrator reads the jurisdiction’s policies and contacts', async () => {
    expect((await get('administrator', '/api/admin/policies')).status).toBe(200);
    const contacts = await get(
      'administrator',
      `/api/admin/jurisdictions/${jurisdiction}/contacts`,
    );
    expect(contacts.status).toBe(200);
  });
});
