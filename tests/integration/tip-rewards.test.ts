import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Issue 16, first slice, through the real routes: the officer records the case result on a
// substantiated tip, one reward officer computes the reward by the policy in force, another
// approves it; the one who computed cannot approve, and a tip not substantiated takes no
// result.
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

async function command(tipId: string, who: string, body: Record<string, unknown>) {
  const { revision } = await readTip(tipId, who);
  return postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: revision, command: body },
    auth(who),
  );
}

async function newTip(marker: string): Promise<string> {
  clock.advance(1000);
  const description = `仓库安全出口被货物堵死，疏散通道不畅 ${marker}`;
  const created = await postJson(`${cloud.url}/api/tips`, validTip({ description }));
  expect(created.status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth('officer'),
  });
  const page = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tip = page.tips.find((entry) => entry.excerpt.includes(marker));
  if (!tip) throw new Error(`tip ${marker} not in the inbox`);
  return tip.tipId;
}

async function substantiatedTip(marker: string): Promise<string> {
  const tipId = await newTip(marker);
  for (const step of [
    { type: 'accept' },
    { type: 'start_investigation' },
    { type: 'record_finding', finding: 'substantiated', note: '现场核查属实' },
  ]) {
    expect((await command(tipId, 'officer', step)).status).toBe(200);
  }
  return tipId;
}

const fineOutcome = {
  type: 'record_outcome',
  outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
  documentNumber: '渝葛应急罚〔2026〕12号',
};

describe('the reward of a substantiated tip', () => {
  it('is computed by one reward officer, approved by another, and shown on the tip', async () => {
    const tipId = await substantiatedTip('R1');
    expect((await command(tipId, 'officer', fineOutcome)).status).toBe(200);

    const computed = await command(tipId, 'reward_officer', { type: 'compute_reward' });
    expect(computed.status).toBe(200);
    expect(computed.body.reward).toMatchObject({
      amountFen: 1_200_000,
      computedBy: 'demo:cq-gecheng.reward_officer',
      computation: {
        policyVersion: 'national-2018-1',
        figures: { zh: '罚款 80,000 元 × 15% = 12,000 元，不低于 3,000 元，不高于 300,000 元' },
      },
    });
    expect(computed.body.reward.approvedBy).toBeUndefined();

    const approved = await command(tipId, 'reward_officer_2', { type: 'approve_reward' });
    expect(approved.status).toBe(200);
    const tip = await readTip(tipId);
    expect(tip.outcome).toMatchObject({
      kind: 'fine_imposed',
      fineYuan: 80_000,
      documentNumber: '渝葛应急罚〔2026〕12号',
    });
    expect(tip.reward).toMatchObject({
      amountFen: 1_200_000,
      approvedBy: 'demo:cq-gecheng.reward_officer_2',
    });
  });

  it('is refused when the one who computed it approves it, and nothing changes', async () => {
    const tipId = await substantiatedTip('R2');
    await command(tipId, 'officer', fineOutcome);
    expect((await command(tipId, 'reward_officer', { type: 'compute_reward' })).status).toBe(200);
    const before = await readTip(tipId);

    const refused = await command(tipId, 'reward_officer', { type: 'approve_reward' });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('核算奖励的人不能批准同一笔奖励');
    expect(JSON.stringify(refused.body)).toContain('cannot approve');
    expect(await readTip(tipId)).toEqual(before);
  });

  it('takes no case result on a tip not substantiated', async () => {
    const tipId = await newTip('R3');
    expect((await command(tipId, 'officer', { type: 'accept' })).status).toBe(200);
    const before = await readTip(tipId);
    const refused = await command(tipId, 'officer', fineOutcome);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('举报核查属实后才能记录查处结果和奖励');
    expect(await readTip(tipId)).toEqual(before);
  });

  it('lets only reward officers compute, and only officers record the result', async () => {
    const tipId = await substantiatedTip('R4');
    expect((await command(tipId, 'reward_officer', fineOutcome)).status).toBe(403);
    await command(tipId, 'officer', fineOutcome);
    expect((await command(tipId, 'officer', { type: 'compute_reward' })).status).toBe(403);
  });
});
