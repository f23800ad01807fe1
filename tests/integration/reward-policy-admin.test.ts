import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { callApi, startTestCloud } from '../support/embedded-cloud.ts';
import { type ReplyBody, validTip } from '../support/tips.ts';

// Issue 16: the reward policy is data that administrators read and edit (getPolicies,
// updateRewardPolicy), versioned, and the policy in force when a tip was substantiated is
// the one its reward is computed by: an edit after the finding changes nothing of it.
const clock = new ManualClock('2026-12-03T02:00:00.000Z');
const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;

beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 100_000, clock });
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const call = (method: string, path: string, as: string | null, body?: unknown) =>
  callApi(cloud.url, method, path, as, body);

const rewardPolicyOf = async (jurisdiction: string) => {
  const reply = await call('GET', '/api/admin/policies', `${jurisdiction}.administrator`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.rewards.find(
    (entry: { jurisdiction: string }) => entry.jurisdiction === jurisdiction,
  );
};

/** What the page sends: the policy as read, with the parts edited. */
const editOf = (view: ReplyBody, change: Record<string, unknown>) => {
  const {
    jurisdiction: _j,
    policyVersion: _p,
    version,
    origin: _o,
    updatedAt: _a,
    updatedBy: _b,
    ...settings
  } = view;
  return { ...settings, expectedVersion: version, ...change };
};
const putRewardPolicy = (
  jurisdiction: string,
  body: unknown,
  as = `${jurisdiction}.administrator`,
) => call('PUT', `/api/admin/jurisdictions/${jurisdiction}/reward-policy`, as, body);

async function command(tipId: string, as: string, body: Record<string, unknown>) {
  const tip = await call('GET', `/api/office/tips/${tipId}`, `${own}.${as}`);
  expect(tip.status).toBe(200);
  return call('POST', `/api/office/tips/${tipId}/commands`, `${own}.${as}`, {
    idempotencyKey: randomUUID(),
    expectedRevision: tip.body.revision,
    command: body,
  });
}

async function substantiatedTip(marker: string): Promise<string> {
  clock.advance(60_000);
  const description = `仓库安全出口被货物堵死，疏散通道不畅 ${marker}`;
  const created = await call('POST', '/api/tips', null, validTip({ description }));
  expect(created.status).toBe(201);
  const inbox = await call('GET', `/api/office/tips?jurisdiction=${own}`, `${own}.officer`);
  const tipId = inbox.body.tips.find((entry: { excerpt: string }) => entry.excerpt.includes(marker))
    ?.tipId as string;
  expect(tipId).toBeDefined();
  for (const step of [
    { type: 'accept' },
    { type: 'start_investigation' },
    { type: 'record_finding', finding: 'substantiated', note: '现场核查属实' },
  ]) {
    const done = await command(tipId, 'officer', step);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  }
  return tipId;
}

/** The case result (a fine of 80,000 yuan on a major hazard), then the computed reward. */
async function rewardOf(tipId: string) {
  const outcome = await command(tipId, 'officer', {
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
    documentNumber: '渝葛应急罚〔2026〕40号',
  });
  expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
  const computed = await command(tipId, 'reward_officer', { type: 'compute_reward' });
  expect(computed.status, JSON.stringify(computed.body)).toBe(200);
  return computed.body.reward;
}

describe("a jurisdiction's reward policy, edited by its administrators", () => {
  it('is the national rule until edited; bad input and other people change nothing', async () => {
    const view = await rewardPolicyOf(own);
    expect(view).toMatchObject({
      jurisdiction: own,
      policyVersion: 'national-2018-1',
      version: 0,
      origin: 'national_default',
      majorHazard: { percent: 15, minYuan: 3_000, maxYuan: 300_000 },
      concealedAccident: { perDeathYuan: { general: 30_000 }, maxYuan: 300_000 },
      firstTipsterOnly: true,
      jointTipstersShare: true,
      noticeDays: 20,
      claimDays: 60,
    });
    expect(view.generalHazard).toBeUndefined();

    const bad = await putRewardPolicy(
      own,
      editOf(view, {
        majorHazard: { percent: 0, minYuan: 400_000, maxYuan: 300_000 },
        claimDays: 0,
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual(
      expect.arrayContaining([
        {
          path: 'majorHazard.percent',
          message: {
            zh: '重大事故隐患的奖励比例须为 1 至 100 之间的整数（百分比）。',
            en: 'The share of the fine for a major hazard must be a whole per cent from 1 to 100.',
          },
        },
        {
          path: 'claimDays',
          message: {
            zh: '领取期限须为 1 至 365 天之间的整数。',
            en: 'The claim deadline must be a whole number of days from 1 to 365.',
          },
        },
      ]),
    );
    const upsideDown = await putRewardPolicy(
      own,
      editOf(view, { majorHazard: { percent: 15, minYuan: 400_000, maxYuan: 300_000 } }),
    );
    expect(upsideDown.status).toBe(400);
    expect(upsideDown.body.error.issues).toEqual([
      {
        path: 'majorHazard.minYuan',
        message: {
          zh: '重大事故隐患的最低奖励不能高于最高奖励。',
          en: 'The minimum for a major hazard cannot be above its maximum.',
        },
      },
    ]);

    // Several tipsters are rewarded together only as joint tipsters: said, not stored.
    const everyone = await putRewardPolicy(own, editOf(view, { firstTipsterOnly: false }));
    expect(everyone.status).toBe(400);
    expect(everyone.body.error.issues).toEqual([
      expect.objectContaining({
        path: 'firstTipsterOnly',
        message: expect.objectContaining({ zh: expect.stringContaining('只奖励最先举报人') }),
      }),
    ]);

    // Only the jurisdiction's own administrators edit it.
    const edit = editOf(view, { majorHazard: { percent: 20, minYuan: 3_000, maxYuan: 300_000 } });
    expect((await putRewardPolicy(own, edit, `${own}.officer`)).status).toBe(403);
    expect((await putRewardPolicy(own, edit, `${other}.administrator`)).status).toBe(403);
    expect(await rewardPolicyOf(own)).toEqual(view);
  });

  it('applies an edit to tips substantiated after it; one substantiated before keeps the old policy', async () => {
    const before = await substantiatedTip('P-before');

    const view = await rewardPolicyOf(own);
    const edited = await putRewardPolicy(
      own,
      editOf(view, {
        name: { zh: '葛城区标准（2026）', en: 'Gecheng rule (2026)' },
        majorHazard: { percent: 20, minYuan: 20_000, maxYuan: 300_000 },
        generalHazard: { percent: 30, minYuan: 500, maxYuan: 5_000 },
      }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      version: 1,
      policyVersion: `${own}-1`,
      origin: 'administrator',
      updatedBy: expect.any(String),
      majorHazard: { percent: 20, minYuan: 20_000, maxYuan: 300_000 },
      generalHazard: { percent: 30, minYuan: 500, maxYuan: 5_000 },
    });
    expect(await rewardPolicyOf(own)).toEqual(edited.body);
    // Another jurisdiction keeps the national rule.
    expect(await rewardPolicyOf(other)).toMatchObject({ version: 0, origin: 'national_default' });

    // A second editor who read version 0 loses, and changes nothing.
    const stale = await putRewardPolicy(
      own,
      editOf(view, { majorHazard: { percent: 50, minYuan: 3_000, maxYuan: 300_000 } }),
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toEqual(edited.body);

    // Substantiated before the edit: 80,000 × 15% = 12,000 yuan, the national rule.
    expect(await rewardOf(before)).toMatchObject({
      amountFen: 1_200_000,
      computation: { policyVersion: 'national-2018-1' },
    });
    // Substantiated after it: 80,000 × 20% = 16,000, below the new minimum of 20,000.
    const after = await substantiatedTip('P-after');
    expect(await rewardOf(after)).toMatchObject({
      amountFen: 2_000_000,
      computation: {
        policyVersion: `${own}-1`,
        figures: {
          zh: '罚款 80,000 元 × 20% = 16,000 元，低于最低额，按 20,000 元',
        },
      },
    });

    // A later edit does not reach back either: the second tip keeps version 1.
    const again = await putRewardPolicy(
      own,
      editOf(edited.body, { majorHazard: { percent: 50, minYuan: 3_000, maxYuan: 300_000 } }),
    );
    expect(again.status).toBe(200);
    const recomputed = await command(after, 'reward_officer', { type: 'compute_reward' });
    expect(recomputed.status, JSON.stringify(recomputed.body)).toBe(200);
    expect(recomputed.body.reward).toMatchObject({
      amountFen: 2_000_000,
      computation: { policyVersion: `${own}-1` },
    });
  });
});
