import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Issue 16, joint tipsters (RULES.md: only the first tipster on the same matter is
// rewarded; joint tipsters share one reward), over HTTP on the embedded cloud: the other
// tips are merged into the first, an officer names those sent jointly, the approval splits
// the reward in equal shares of fen, and each tipster claims their own with their receipt.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
const tokens: Record<string, string> = {};
const clock = new ManualClock('2026-11-24T02:00:00.000Z');
beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 100_000, clock });
  for (const who of ['officer', 'reward_officer', 'reward_officer_2']) {
    tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
  }
});
afterAll(async () => {
  await cloud.stop();
  await cloud.removeData();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

async function readTip(tipId: string, who = 'officer'): Promise<ReplyBody> {
  const reply = await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth(who) });
  expect(reply.status).toBe(200);
  return reply.json();
}

async function command(
  tipId: string,
  who: string,
  body: Record<string, unknown>,
  idempotencyKey: string = randomUUID(),
) {
  const { revision } = await readTip(tipId, who);
  return postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey, expectedRevision: revision, command: body },
    auth(who),
  );
}

const lookup = async (receipt: string) => postJson(`${cloud.url}/api/tips/lookup`, { receipt });
const claim = (receipt: string, body: Record<string, unknown>) =>
  postJson(`${cloud.url}/api/tips/reward-claims`, {
    receipt,
    idempotencyKey: randomUUID(),
    ...body,
  });

async function newTip(marker: string): Promise<{ tipId: string; receipt: string }> {
  clock.advance(1000);
  const description = `仓库安全出口被货物堵死，疏散通道不畅 ${marker}`;
  const created = await postJson(
    `${cloud.url}/api/tips`,
    validTip({ description, wantsReward: true, contactPhone: '13812345678' }),
  );
  expect(created.status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth('officer'),
  });
  const page = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tipId = page.tips.find((entry) => entry.excerpt.includes(marker))?.tipId;
  if (!tipId) throw new Error(`tip ${marker} not in the inbox`);
  return { tipId, receipt: created.body.receipt };
}

describe('joint tipsters', () => {
  it('share one reward in equal fen, each claiming their own share with their own receipt', async () => {
    const first = await newTip('J1-first');
    const second = await newTip('J1-second');
    const third = await newTip('J1-third');
    const fourth = await newTip('J1-fourth');
    const unrelated = await newTip('J1-unrelated');
    for (const joint of [second, third, fourth]) {
      const merged = await command(joint.tipId, 'officer', {
        type: 'merge',
        intoTipId: first.tipId,
      });
      expect(merged.status).toBe(200);
    }
    for (const step of [
      { type: 'accept' },
      { type: 'start_investigation' },
      { type: 'record_finding', finding: 'substantiated', note: '现场核查属实' },
      {
        type: 'record_outcome',
        // 15% of 80,001 yuan = 12,000.15 yuan: 1,200,015 fen, 3 fen over four equal shares.
        outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_001 },
        documentNumber: '渝葛应急罚〔2026〕31号',
      },
    ]) {
      expect((await command(first.tipId, 'officer', step)).status).toBe(200);
    }

    // A tip not merged into this one is refused, and nothing changes.
    const before = await readTip(first.tipId);
    const refused = await command(first.tipId, 'officer', {
      type: 'record_joint_tipsters',
      tipIds: [second.tipId, unrelated.tipId],
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('联名举报须先并入本举报');
    expect(JSON.stringify(refused.body)).toContain('must first be merged into this one');
    expect(await readTip(first.tipId)).toEqual(before);
    // Only officers name joint tips.
    const byRewardOfficer = await command(first.tipId, 'reward_officer', {
      type: 'record_joint_tipsters',
      tipIds: [second.tipId],
    });
    expect(byRewardOfficer.status).toBe(403);

    // Named in any order: kept in the order they were received.
    const named = await command(first.tipId, 'officer', {
      type: 'record_joint_tipsters',
      tipIds: [fourth.tipId, second.tipId, third.tipId],
    });
    expect(named.status).toBe(200);
    expect(named.body.jointTipIds).toEqual([second.tipId, third.tipId, fourth.tipId]);

    expect((await command(first.tipId, 'reward_officer', { type: 'compute_reward' })).status).toBe(
      200,
    );
    const approveKey = randomUUID();
    const approved = await command(
      first.tipId,
      'reward_officer_2',
      { type: 'approve_reward' },
      approveKey,
    );
    expect(approved.status).toBe(200);
    expect(approved.body.reward.amountFen).toBe(1_200_015);
    expect(approved.body.reward.shares).toEqual([
      { tipId: first.tipId, amountFen: 300_004 },
      { tipId: second.tipId, amountFen: 300_004 },
      { tipId: third.tipId, amountFen: 300_004 },
      { tipId: fourth.tipId, amountFen: 300_003 },
    ]);
    // A retried approval grants no share twice.
    const retried = await postJson(
      `${cloud.url}/api/office/tips/${first.tipId}/commands`,
      {
        idempotencyKey: approveKey,
        expectedRevision: before.revision + 4,
        command: { type: 'approve_reward' },
      },
      auth('reward_officer_2'),
    );
    expect(retried.status).toBe(200);

    // Each tipster sees their own share and how many share it, never who the others are.
    const seenFirst = await lookup(first.receipt);
    expect(seenFirst.body.reward).toMatchObject({
      amountFen: 300_004,
      standing: 'open',
      adjusted: false,
      jointShare: { shareCount: 4, totalFen: 1_200_015 },
    });
    const seenFourth = await lookup(fourth.receipt);
    expect(seenFourth.body.status).toBe('merged');
    expect(seenFourth.body.reward).toMatchObject({
      amountFen: 300_003,
      standing: 'open',
      claimBy: seenFirst.body.reward.claimBy,
      jointShare: { shareCount: 4, totalFen: 1_200_015 },
    });
    for (const tip of [first, second, third, fourth]) {
      expect(JSON.stringify((await lookup(tip.receipt)).body)).not.toMatch(
        new RegExp([first, second, third, fourth].map((other) => other.tipId).join('|')),
      );
    }

    // The fourth claims in person with their own receipt; the reward officer pays its share.
    const claimed = await claim(fourth.receipt, { method: 'in_person' });
    expect(claimed.status).toBe(201);
    expect(claimed.body.reward).toMatchObject({ amountFen: 300_003, standing: 'claimed' });
    const again = await claim(fourth.receipt, { method: 'in_person' });
    expect(again.status).toBe(422);
    // The first's share is still theirs to claim: one claim does not take the others'.
    expect((await lookup(first.receipt)).body.reward.standing).toBe('open');
    expect((await lookup(second.receipt)).body.reward.standing).toBe('open');

    const shareView = await readTip(fourth.tipId, 'reward_officer');
    expect(shareView.reward).toMatchObject({
      amountFen: 300_003,
      standing: 'claimed',
      jointShareOf: { tipId: first.tipId, totalFen: 1_200_015, shareCount: 4 },
      claim: { method: 'in_person', hasBankDetails: false },
    });
    const paid = await command(fourth.tipId, 'reward_officer', {
      type: 'record_payment',
      paidOn: '2026-11-24',
      voucherNumber: '记-2026-1124',
      claimCode: claimed.body.claimCode,
    });
    expect(paid.status).toBe(200);
    expect((await lookup(fourth.receipt)).body.reward.standing).toBe('paid');

    // Once approved, the joint tips cannot change.
    const late = await command(first.tipId, 'officer', {
      type: 'record_joint_tipsters',
      tipIds: [second.tipId],
    });
    expect(late.status).toBe(422);
    expect(JSON.stringify(late.body)).toContain('奖励已批准');

    // Each joint tip's own lifecycle keeps its claim deadline: five days before it, every
    // unclaimed share has had its reminder sent to its own tipster's phone; the paid one none.
    const claimBy = Date.parse(seenFirst.body.reward.claimBy);
    clock.set(new Date(claimBy - 5 * 24 * 3600 * 1000));
    cloud.tipConductor.tick();
    await cloud.tipConductor.settled();
    for (const who of ['officer', 'reward_officer', 'reward_officer_2']) {
      tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
    }
    for (const tip of [first, second, third]) {
      expect((await readTip(tip.tipId, 'reward_officer')).reward.claimReminder).toMatchObject({
        messaged: true,
        sentAt: expect.any(String),
      });
    }
    expect((await readTip(fourth.tipId, 'reward_officer')).reward.claimReminder).toBeUndefined();
    const reminders = (await cloud.outbox.list()).filter((entry) =>
      entry.key.startsWith('claim-reminder#'),
    );
    expect(reminders).toHaveLength(3);
  });

  it('is refused a joint tip from another jurisdiction as if it did not exist', async () => {
    const first = await newTip('J2-first');
    for (const step of [
      { type: 'accept' },
      { type: 'start_investigation' },
      { type: 'record_finding', finding: 'substantiated', note: '现场核查属实' },
    ]) {
      expect((await command(first.tipId, 'officer', step)).status).toBe(200);
    }
    const missing = await command(first.tipId, 'officer', {
      type: 'record_joint_tipsters',
      tipIds: ['abcdefghijklmnopqrstuvwxyz'],
    });
    expect(missing.status).toBe(404);
  });
});
