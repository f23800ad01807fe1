import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Issue 16, the claim deadline kept by the tip's lifecycle, on the embedded cloud with an
// injected clock: approved → the reminder 10 days before the deadline, sent by SMS to the
// tipster's sealed phone (opened only as the outbox delivers it, the opening logged on the
// tip; a tipster who left no phone gets nothing) → `reward_lapsed` at the deadline without
// any look-up; the statistics show the amounts offered and lapsed.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
const tokens: Record<string, string> = {};
const clock = new ManualClock('2026-11-24T02:00:00.000Z'); // Tue 24 Nov 10:00 CST
async function signInAll() {
  for (const who of ['officer', 'reward_officer', 'reward_officer_2']) {
    tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
  }
}
/** Moves the clock, wakes the lifecycles and waits until they are idle again. */
async function advanceTo(instant: string) {
  clock.set(instant);
  cloud.tipConductor.tick();
  await cloud.tipConductor.settled();
  await signInAll();
}
beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 100_000, clock });
  await signInAll();
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

async function readTip(tipId: string, who = 'officer'): Promise<ReplyBody> {
  const reply = await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth(who) });
  expect(reply.status).toBe(200);
  return reply.json();
}
async function command(tipId: string, who: string, body: Record<string, unknown>) {
  const { revision } = await readTip(tipId, who);
  return postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: revision, command: body },
    auth(who),
  );
}
async function rewardRoute(tipId: string, who: string, action: 'compute' | 'approve') {
  const { revision } = await readTip(tipId, who);
  return postJson(
    `${cloud.url}/api/office/tips/${tipId}/reward/${action}`,
    { idempotencyKey: randomUUID(), expectedRevision: revision },
    auth(who),
  );
}
async function statistics() {
  const reply = await fetch(
    `${cloud.url}/api/office/statistics?jurisdiction=cq-gecheng&from=2026-01&to=2027-12`,
    { headers: auth('officer') },
  );
  expect(reply.status).toBe(200);
  return (await reply.json()).rewards;
}

/** A tip (with a phone or not), substantiated and fined; its reward computed and approved. */
async function approvedReward(marker: string, contact: { contactPhone?: string }) {
  const created = await postJson(
    `${cloud.url}/api/tips`,
    validTip({
      description: `仓库安全出口被货物堵死，疏散通道不畅 ${marker}`,
      address: `东门路 18 号仓库 ${marker}`,
      wantsReward: Boolean(contact.contactPhone),
      ...contact,
    }),
  );
  expect(created.status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth('officer'),
  });
  const page = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tipId = page.tips.find((entry) => entry.excerpt.includes(marker))?.tipId ?? '';
  expect(tipId).not.toBe('');
  for (const step of [
    { type: 'accept' },
    { type: 'start_investigation' },
    { type: 'record_finding', finding: 'substantiated', note: '现场核查属实' },
    { type: 'give_feedback', text: '经核查属实，已依法查处。' },
    {
      type: 'record_outcome',
      outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
      documentNumber: '渝葛应急罚〔2026〕31号',
    },
  ]) {
    expect((await command(tipId, 'officer', step)).status).toBe(200);
  }
  expect((await rewardRoute(tipId, 'reward_officer', 'compute')).status).toBe(200);
  expect((await rewardRoute(tipId, 'reward_officer_2', 'approve')).status).toBe(200);
  return tipId;
}

const phone = '13812345678';
const reminders = async () =>
  (await cloud.outbox.list()).filter((entry) => entry.key.startsWith('claim-reminder#'));

describe('the claim deadline kept by the tip lifecycle', () => {
  it('reminds before the deadline, records the lapse at it unasked, and counts the money', async () => {
    const marker = `L${randomUUID().slice(0, 6)}`;
    const tipId = await approvedReward(marker, { contactPhone: phone });
    const silentMarker = `S${randomUUID().slice(0, 6)}`;
    const withoutPhone = await approvedReward(silentMarker, {});
    await cloud.tipConductor.settled();

    const approved = await readTip(tipId, 'reward_officer');
    expect(approved.status).toBe('closed');
    // Approved Tue 24 Nov: 60 days → 24:00 CST Sat 23 January 2027.
    expect(approved.reward).toMatchObject({
      claimBy: '2027-01-23T16:00:00.000Z',
      standing: 'open',
    });
    expect(approved.reward.claimReminder).toBeUndefined();
    expect(cloud.tipConductor.isRunning(tipId)).toBe(true);
    expect(await statistics()).toMatchObject({
      totals: {
        offered: { count: 2, fen: 2_400_000 },
        lapsed: { count: 0, fen: 0 },
        open: { count: 2, fen: 2_400_000 },
      },
    });

    // Ten days before: 24:00 Wed 13 January → 09:00 CST Thu 14 January.
    await advanceTo('2027-01-14T00:59:00.000Z');
    expect((await readTip(tipId, 'reward_officer')).reward.claimReminder).toBeUndefined();
    expect(await reminders()).toEqual([]);
    await advanceTo('2027-01-14T01:06:00.000Z');
    expect((await readTip(tipId, 'reward_officer')).reward.claimReminder).toMatchObject({
      dueAt: '2027-01-14T01:00:00.000Z',
      late: false,
      messaged: true,
      sentAt: expect.any(String),
    });
    // Exactly one SMS, to that phone, naming nothing of the tip: no id, no place, no text.
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      channel: 'sms',
      contacts: [{ kind: 'sms', phone }],
      subject: { zh: '奖励领取提醒', en: 'Reward claim reminder' },
      body: {
        zh: '您有一笔待领取的奖励，请凭回执在 2027-01-23 前查看。',
        en: 'You have a reward to collect: look it up with your receipt by 2027-01-23.',
      },
    });
    const { to: _address, ...message } = sent[0] ?? {};
    for (const secret of [tipId, tipId.slice(0, 8), marker, '东门路', '仓库', 'cq-gecheng']) {
      expect(JSON.stringify(message)).not.toContain(secret);
    }
    // The opening of the sealed phone is on the tip's record; the tip without one is
    // reminded on its record only, and nothing was sent to it.
    expect((await readTip(tipId, 'reward_officer')).contactOpenings).toEqual([
      { at: expect.any(String), by: 'notification-delivery', purpose: 'claim_reminder' },
    ]);
    const silent = await readTip(withoutPhone, 'reward_officer');
    expect(silent.reward.claimReminder).toMatchObject({ messaged: false });
    expect(silent.reward.claimReminder.sentAt).toBeUndefined();
    // Another turn of the lifecycles sends nothing more.
    await advanceTo('2027-01-15T01:06:00.000Z');
    expect(await reminders()).toHaveLength(1);

    // The deadline passes: the lapse is recorded by the lifecycle, no look-up, no claim.
    await advanceTo('2027-01-23T16:06:00.000Z');
    const lapsed = await readTip(tipId, 'reward_officer');
    expect(lapsed.reward.lapsedAt).toBeDefined();
    expect(lapsed.reward.standing).toBe('lapsed');
    expect(cloud.tipConductor.isRunning(tipId)).toBe(false);
    expect(await statistics()).toMatchObject({
      totals: {
        offered: { count: 2, fen: 2_400_000 },
        claimed: { count: 0, fen: 0 },
        paid: { count: 0, fen: 0 },
        lapsed: { count: 2, fen: 2_400_000 },
        open: { count: 0, fen: 0 },
      },
      regions: expect.arrayContaining([
        expect.objectContaining({
          jurisdiction: 'cq-gecheng',
          zh: '葛城街道',
          lapsed: { count: 2, fen: 2_400_000 },
        }),
      ]),
    });
  }, 60_000);
});
