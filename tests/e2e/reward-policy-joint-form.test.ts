import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  desktopViewport,
  launchChromium,
  openPage,
} from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Issue 16 in Chromium: an administrator changes the jurisdiction's reward policy (its
// minimum, its share of the fine) on the console page, in Chinese and in English, with the
// server's errors beside the fields, and the next reward computed follows it; an officer
// names the joint tipsters of a substantiated tip through its form. Axe-clean throughout.
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
  for (const who of ['officer', 'reward_officer', 'administrator']) {
    tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
  }
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const axeClean = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

async function readTip(tipId: string, who = 'officer'): Promise<ReplyBody> {
  const reply = await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth(who) });
  expect(reply.status).toBe(200);
  return reply.json();
}

async function command(tipId: string, who: string, body: Record<string, unknown>) {
  const { revision } = await readTip(tipId, who);
  const reply = await postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: revision, command: body },
    auth(who),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

async function newTip(marker: string): Promise<string> {
  clock.advance(1000);
  const description = `奖励标准端到端 ${marker}：仓库安全出口被货物堵死，疏散通道不畅。`;
  const created = await postJson(`${cloud.url}/api/tips`, validTip({ description }));
  expect(created.status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth('officer'),
  });
  const { tips } = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tipId = tips.find((tip) => tip.excerpt.includes(marker))?.tipId;
  if (!tipId) throw new Error('the tip is not in the inbox');
  return tipId;
}

const substantiate = async (tipId: string) => {
  for (const step of [
    { type: 'accept' },
    { type: 'start_investigation' },
    { type: 'record_finding', finding: 'substantiated', note: '属实' },
  ]) {
    await command(tipId, 'officer', step);
  }
};

async function consolePage(path: string, who: string, language: 'zh' | 'en') {
  const page = await openPage(browser, desktopViewport);
  await page.context().addInitScript((idToken) => {
    sessionStorage.setItem(
      'qingling:session',
      JSON.stringify({ idToken, expiresAt: Date.now() + 3_600_000 }),
    );
  }, tokens[who]);
  await page.goto(`${cloud.url}${language === 'en' ? '/en' : ''}${path}`);
  return page;
}

async function storedRewardPolicy() {
  const reply = await fetch(`${cloud.url}/api/admin/policies`, { headers: auth('administrator') });
  const body = await reply.json();
  return body.rewards.find(
    (entry: { jurisdiction: string }) => entry.jurisdiction === 'cq-gecheng',
  );
}

const versionLine = (page: Page) => page.locator('[data-reward-policy-version]');

describe('the reward policy page', () => {
  it('changes the minimum and the share, and the next reward computed follows them (zh, en)', async () => {
    // Substantiated under the national rule, before any edit.
    const before = await newTip('P0');
    await substantiate(before);

    const zh = await consolePage('/office', 'administrator', 'zh');
    await zh.getByRole('link', { name: '奖励标准' }).first().click();
    await zh.getByRole('heading', { level: 1, name: '举报奖励标准' }).waitFor();
    await versionLine(zh).waitFor();
    expect(await versionLine(zh).innerText()).toContain('版本 0：全国标准（2018）');
    const minimum = zh.locator('#reward-majorHazard-minYuan');
    expect(await minimum.inputValue()).toBe('3000');
    expect(await zh.locator('#reward-majorHazard-percent').inputValue()).toBe('15');
    expect(await zh.locator('#reward-claimDays').inputValue()).toBe('60');
    await axeClean(zh);

    // A minimum above the maximum: refused by the server, said beside the field.
    await minimum.fill('400000');
    await zh.getByRole('button', { name: '保存奖励标准' }).click();
    const error = zh.locator('[data-field-error="majorHazard.minYuan"]');
    await error.waitFor();
    expect(await error.innerText()).toBe('重大事故隐患的最低奖励不能高于最高奖励。');
    expect(await minimum.getAttribute('aria-invalid')).toBe('true');
    await axeClean(zh);
    expect((await storedRewardPolicy()).version).toBe(0);

    await minimum.fill('20000');
    await zh.getByRole('button', { name: '保存奖励标准' }).click();
    await zh.locator('[data-saved="reward-policy"]').waitFor();
    await expect.poll(() => versionLine(zh).getAttribute('data-reward-policy-version')).toBe('1');
    expect(await versionLine(zh).innerText()).toMatch(
      /版本 1 · 修改人 .+ · 修改时间 2026-12-08 10:00/,
    );
    expect((await storedRewardPolicy()).majorHazard).toEqual({
      percent: 15,
      minYuan: 20_000,
      maxYuan: 300_000,
    });
    await zh.close();

    const en = await consolePage('/office/admin/rewards', 'administrator', 'en');
    await en.getByRole('heading', { level: 1, name: 'Reward policy' }).waitFor();
    await expect.poll(() => versionLine(en).getAttribute('data-reward-policy-version')).toBe('1');
    await en.locator('#reward-majorHazard-percent').fill('25');
    await en.getByRole('button', { name: 'Save the reward policy' }).click();
    await en.locator('[data-saved="reward-policy"]').waitFor();
    await expect.poll(() => versionLine(en).getAttribute('data-reward-policy-version')).toBe('2');
    expect(await versionLine(en).innerText()).toMatch(/Version 2 · edited by .+ · at 2026-12-08/);
    await axeClean(en);
    await en.close();

    // Fined 100,000 yuan each: the tip substantiated after the edits gets 25%, 25,000 yuan;
    // the one substantiated before them keeps the national rule's 15%, 15,000 yuan.
    const after = await newTip('P1');
    await substantiate(after);
    const rewardOf = async (tipId: string) => {
      await command(tipId, 'officer', {
        type: 'record_outcome',
        outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 100_000 },
        documentNumber: '渝葛应急罚〔2026〕51号',
      });
      return (await command(tipId, 'reward_officer', { type: 'compute_reward' })).reward;
    };
    expect(await rewardOf(after)).toMatchObject({
      amountFen: 2_500_000,
      computation: { policyVersion: 'cq-gecheng-2' },
    });
    expect(await rewardOf(before)).toMatchObject({
      amountFen: 1_500_000,
      computation: { policyVersion: 'national-2018-1' },
    });
  });
});

describe('the joint tipsters form', () => {
  it('names the tips merged into a substantiated one, with the errors beside the field (zh, en)', async () => {
    const first = await newTip('J1');
    const joint = await newTip('J2');
    const unrelated = await newTip('J3');
    await command(joint, 'officer', { type: 'merge', intoTipId: first });
    await substantiate(first);

    const zh = await consolePage(`/office/tips/view?id=${first}`, 'officer', 'zh');
    const form = zh.locator('section[aria-labelledby="joint-tipsters-title"]');
    await form.waitFor();
    const field = form.getByLabel('联名举报的线索编号');
    await axeClean(zh);
    // A tip not merged into this one: the server refuses it, and says so by the field.
    await field.fill(`${joint}\n${unrelated}`);
    await form.getByRole('button', { name: '记录联名举报人' }).click();
    await expect
      .poll(async () => form.textContent(), { timeout: 10_000 })
      .toContain('联名举报须先并入本举报（同一事项）。');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await axeClean(zh);
    expect((await readTip(first)).jointTipIds).toBeUndefined();

    await field.fill(joint);
    await form.getByRole('button', { name: '记录联名举报人' }).click();
    await expect
      .poll(async () => (await readTip(first)).jointTipIds, { timeout: 10_000 })
      .toEqual([joint]);
    await expect
      .poll(async () => zh.locator('main').textContent(), { timeout: 10_000 })
      .toContain('联名举报人已记录。');
    await zh.close();

    // In English, on the same tip: the list recorded is shown to edit; a typo is caught on
    // the page, before anything is sent.
    const en = await consolePage(`/office/tips/view?id=${first}`, 'officer', 'en');
    const english = en.locator('section[aria-labelledby="joint-tipsters-title"]');
    await english.waitFor();
    const ids = english.getByLabel('Ids of the joint tips');
    expect(await ids.inputValue()).toBe(joint);
    expect(await english.textContent()).toContain('Joint tips now: 1');
    await ids.fill(`${joint} not-a-tip`);
    await english.getByRole('button', { name: 'Record the joint tipsters' }).click();
    await expect
      .poll(async () => english.textContent(), { timeout: 10_000 })
      .toContain('A tip id is 26 lower-case letters and digits 2–7.');
    expect(await ids.getAttribute('aria-invalid')).toBe('true');
    await axeClean(en);
    expect((await readTip(first)).jointTipIds).toEqual([joint]);
    await en.close();
  });
});
