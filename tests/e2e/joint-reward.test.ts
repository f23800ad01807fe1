import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { axeClean, followUp as followUpPage, officePage } from '../support/reward-pages.ts';
import { postJson, validTip } from '../support/tips.ts';

// Issue 16, joint tipsters in Chromium: two tips on one matter, the second merged into the
// first and named joint with it; the reward approved is split, and each tipster's
// follow-up page shows their own share and how many share it, never who the other is.
const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-12-08T02:00:00.000Z');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({ webRoot, clock, publicRequestsPerMinute: 100_000 });
  browser = await launchChromium();
  for (const who of ['officer', 'reward_officer', 'reward_officer_2']) {
    tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
  }
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

async function command(tipId: string, who: string, body: Record<string, unknown>) {
  const read = await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth(who) });
  const { revision } = (await read.json()) as { revision: number };
  const reply = await postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: revision, command: body },
    auth(who),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}

async function newTip(marker: string): Promise<{ receipt: string; tipId: string }> {
  clock.advance(1000);
  const description = `联名举报端到端 ${marker}：仓库安全出口被货物堵死，疏散通道不畅。`;
  const created = await postJson(
    `${cloud.url}/api/tips`,
    validTip({ description, wantsReward: true, contactPhone: '13812345678' }),
  );
  expect(created.status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth('officer'),
  });
  const { tips } = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tipId = tips.find((tip) => tip.excerpt.includes(marker))?.tipId;
  if (!tipId) throw new Error('the tip is not in the inbox');
  return { receipt: created.body.receipt, tipId };
}

const officeTipPage = (tipId: string, who: string, language: 'zh' | 'en') =>
  officePage(browser, cloud.url, tokens[who] ?? '', `/office/tips/view?id=${tipId}`, { language });
const followUp = (receipt: string, language: 'zh' | 'en') =>
  followUpPage(browser, cloud.url, receipt, language);

describe('joint tipsters on the follow-up page', () => {
  it('each sees their own share of the one reward and how many share it (zh, en)', async () => {
    const first = await newTip('J1');
    const second = await newTip('J2');
    await command(second.tipId, 'officer', { type: 'merge', intoTipId: first.tipId });
    for (const step of [
      { type: 'accept' },
      { type: 'start_investigation' },
      { type: 'record_finding', finding: 'substantiated', note: '属实' },
      {
        type: 'record_outcome',
        // 15% of 80,001 yuan = 12,000.15 yuan: two shares of 6,000.08 and 6,000.07.
        outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_001 },
        documentNumber: '渝葛应急罚〔2026〕40号',
      },
      { type: 'record_joint_tipsters', tipIds: [second.tipId] },
    ]) {
      await command(first.tipId, 'officer', step);
    }
    await command(first.tipId, 'reward_officer', { type: 'compute_reward' });
    await command(first.tipId, 'reward_officer_2', { type: 'approve_reward' });

    const zh = await followUp(second.receipt, 'zh');
    const reward = zh.getByRole('region', { name: '奖励', exact: true });
    await reward.waitFor();
    const shown = (await reward.textContent()) ?? '';
    expect(shown).toContain('奖励金额：6,000.07 元');
    expect(shown).toContain('本事项为联名举报：奖励共 12,000.15 元，由 2 名举报人平分');
    expect((await zh.locator('main').textContent()) ?? '').not.toContain(first.tipId);
    await axeClean(zh);
    await zh.close();

    const en = await followUp(first.receipt, 'en');
    const english = en.getByRole('region', { name: 'Reward', exact: true });
    await english.waitFor();
    const said = (await english.textContent()) ?? '';
    expect(said).toContain('Reward: 6,000.08 yuan');
    expect(said).toContain('the reward of 12,000.15 yuan is shared equally by 2 tipsters');
    await axeClean(en);
    await en.close();

    // The reward officer's pages: the shares by their order, and on the joint tip its own
    // share of the whole; no one named (zh on the first tip, en on the joint one).
    const office = await officeTipPage(first.tipId, 'reward_officer', 'zh');
    const panel = office.getByRole('region', { name: '查处结果与奖励' });
    await expect
      .poll(async () => panel.textContent(), { timeout: 10_000 })
      .toContain('联名举报：奖励由 2 名举报人平分，各份（本举报在先）：6,000.08 / 6,000.07 元');
    await axeClean(office);
    await office.close();
    const joint = await officeTipPage(second.tipId, 'reward_officer', 'en');
    const share = joint.getByRole('region', { name: 'Case result and reward' });
    await expect
      .poll(async () => share.textContent(), { timeout: 10_000 })
      .toContain("this tip's share of a reward of 12,000.15 yuan, shared equally by 2 tipsters");
    expect(await share.textContent()).toContain('Reward: 6,000.07 yuan');
    await axeClean(joint);
    await joint.close();
  });
});
