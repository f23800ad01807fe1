import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopViewport, launchChromium, phoneViewport } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import {
  axeClean,
  officePage as consolePage,
  followUp as followUpPage,
} from '../support/reward-pages.ts';
import { postJson, validTip } from '../support/tips.ts';

// Issue 16, the claim, in Chromium: a tip substantiated and fined; one reward officer
// computes the reward, another approves it (console); the tipster claims on the follow-up
// page with the receipt alone (zh), and a claim sent after the deadline is refused (en).
// The reward officer's page shows nothing about the tipster but the claim.
const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
const tokens: Record<string, string> = {};
const people = ['officer', 'reward_officer', 'reward_officer_2'];
const tipsterWords = '我是三号库夜班保管员，晚上八点后堵得最严重。';

async function signInAll() {
  for (const who of people) tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
}

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({ webRoot, clock, publicRequestsPerMinute: 100_000 });
  browser = await launchChromium();
  await signInAll();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

async function revisionOf(tipId: string, who: string): Promise<number> {
  const reply = await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth(who) });
  return ((await reply.json()) as { revision: number }).revision;
}

async function command(tipId: string, body: Record<string, unknown>) {
  const reply = await postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    {
      idempotencyKey: randomUUID(),
      expectedRevision: await revisionOf(tipId, 'officer'),
      command: body,
    },
    auth('officer'),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}

/** A tip wanting a reward, substantiated, fined 80,000 yuan: its receipt and id. */
async function tipWithFine(marker: string): Promise<{ receipt: string; tipId: string }> {
  const description = `奖励领取端到端 ${marker}：仓库安全出口被货物堵死，疏散通道不畅。`;
  const created = await postJson(
    `${cloud.url}/api/tips`,
    validTip({ description, wantsReward: true, contactPhone: '13812345678', isEmployee: true }),
  );
  expect(created.status).toBe(201);
  const receipt: string = created.body.receipt;
  await postJson(`${cloud.url}/api/tips/messages`, {
    receipt,
    idempotencyKey: randomUUID(),
    text: tipsterWords,
  });
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth('officer'),
  });
  const { tips } = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tipId = tips.find((tip) => tip.excerpt.includes(marker))?.tipId;
  if (!tipId) throw new Error('the tip is not in the inbox');
  await command(tipId, { type: 'accept' });
  await command(tipId, { type: 'start_investigation' });
  await command(tipId, { type: 'record_finding', finding: 'substantiated', note: '属实' });
  await command(tipId, {
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
    documentNumber: '渝葛应急罚〔2026〕12号',
  });
  return { receipt, tipId };
}

const officePage = (path: string, who: string, viewport = desktopViewport) =>
  consolePage(browser, cloud.url, tokens[who] ?? '', path, { viewport });
const tipPage = (tipId: string, who: string) => officePage(`/office/tips/view?id=${tipId}`, who);
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const followUp = (receipt: string, language: 'zh' | 'en') =>
  followUpPage(browser, cloud.url, receipt, language);

describe('the tipster claims a reward on the follow-up page', () => {
  it('computed and approved in the console by two reward officers, claimed in person with the receipt alone (zh)', async () => {
    const { receipt, tipId } = await tipWithFine('E1');

    const first = await tipPage(tipId, 'reward_officer');
    const result = first.getByRole('region', { name: '查处结果与奖励' });
    await result.waitFor();
    await first.getByRole('button', { name: '核算奖励' }).click();
    await expect
      .poll(async () => result.textContent(), { timeout: 10_000 })
      .toContain('奖励金额：12,000 元');
    await first.close();

    const second = await tipPage(tipId, 'reward_officer_2');
    await second.getByRole('button', { name: '批准奖励' }).click();
    await second.getByRole('button', { name: '确认' }).click();
    await expect
      .poll(async () => second.locator('#tip-notice').textContent(), { timeout: 10_000 })
      .toBe('已批准奖励。');
    await expect
      .poll(async () => second.getByRole('region', { name: '查处结果与奖励' }).textContent(), {
        timeout: 10_000,
      })
      .toContain('尚未申领');
    await second.close();

    const page = await followUp(receipt, 'zh');
    const reward = page.getByRole('region', { name: '奖励', exact: true });
    await reward.waitFor();
    const shown = await reward.textContent();
    expect(shown).toContain('奖励金额：12,000 元');
    expect(shown).toContain('罚款 80,000 元 × 15% = 12,000 元，不低于 3,000 元，不高于 300,000 元');
    expect(shown).toContain('请于 2027-02-06（含当日）前申领'); // approved 8 Dec + 60 days
    await axeClean(page);
    await page.getByLabel('现场领取（凭领奖码）').check();
    await page.getByRole('button', { name: '申领奖励' }).click();
    const code = page.locator('.code-value');
    await code.waitFor();
    const claimCode = (await code.textContent())?.trim() ?? '';
    expect(claimCode).toMatch(/^\d{5}-\d{5}$/);
    await expect
      .poll(async () => reward.textContent(), { timeout: 10_000 })
      .toContain('已申领（现场领取）');
    expect(await page.getByRole('button', { name: '申领奖励' }).count()).toBe(0);
    await axeClean(page);
    await page.close();

    // The reward officer finds the claim on the desk (on a phone), nothing about the tipster
    // there, and opens its tip from it: no URL typed.
    const officer = await officePage('/office', 'reward_officer', phoneViewport);
    const toPayCard = officer.locator('[data-card="work-rewards-to-pay"]');
    await toPayCard.waitFor();
    expect(await toPayCard.innerText()).toContain('待兑付申领');
    expect(await toPayCard.locator('.count').innerText()).toBe('1');
    await toPayCard.click();
    const toPay = officer.getByRole('region', { name: '待兑付申领' });
    const entry = toPay.locator('li', { has: officer.locator(`a[href*="${tipId}"]`) });
    expect(await entry.innerText()).toContain('12,000 元 · 现场领取 · 2026-12-08 申领');
    expect(await entry.innerText()).toContain('领取期限：2027-02-06');
    const desk = (await officer.locator('main').textContent()) ?? '';
    for (const secret of [tipsterWords, '13812345678', claimCode, receipt]) {
      expect(desk).not.toContain(secret);
    }
    expect(await overflow(officer)).toBeLessThanOrEqual(0);
    await axeClean(officer);
    await entry.getByRole('link').click();
    await officer.waitForURL(/\/office\/tips\/view\?id=/);
    // The reward officer sees the claim and pays on the code, and nothing about the tipster.
    const region = officer.getByRole('region', { name: '查处结果与奖励' });
    await expect
      .poll(async () => region.textContent(), { timeout: 10_000 })
      .toContain('举报人已申领（现场领取）');
    const whole = (await officer.locator('main').textContent()) ?? '';
    expect(whole).not.toContain(tipsterWords);
    expect(whole).not.toContain('13812345678');
    expect(whole).not.toContain(claimCode);
    expect(whole).not.toContain(claimCode.replace('-', ''));
    // A wrong code is refused; the code the claimant shows is accepted.
    const payment = officer.getByRole('region', { name: '登记兑付' });
    await payment.getByLabel('兑付日期').fill('2026-12-08');
    await payment.getByLabel('凭证编号').fill('记-1208');
    await payment.getByLabel('领奖码（由领奖人出示）').fill('00000-00000');
    await payment.getByRole('button', { name: '登记兑付' }).click();
    await expect
      .poll(async () => payment.textContent(), { timeout: 10_000 })
      .toContain('领奖码不符，不能兑付。');
    await payment.getByLabel('领奖码（由领奖人出示）').fill(claimCode);
    await payment.getByRole('button', { name: '登记兑付' }).click();
    await expect
      .poll(async () => region.textContent(), { timeout: 10_000 })
      .toContain('已兑付：2026-12-08，凭证 记-1208');
    expect(await overflow(officer)).toBeLessThanOrEqual(0);
    await axeClean(officer);
    // Paid: off the desk.
    await officer.goto(`${cloud.url}/office`);
    await toPayCard.waitFor();
    await expect.poll(async () => toPayCard.locator('.count').innerText()).toBe('0');
    await officer.close();
    const paid = await followUp(receipt, 'zh');
    await expect
      .poll(async () => paid.getByRole('region', { name: '奖励', exact: true }).textContent())
      .toContain('奖励已于 2026-12-08 兑付');
    await paid.close();
  });

  it('refuses, in English, a claim sent after the deadline (the injected clock moved)', async () => {
    const { receipt, tipId } = await tipWithFine('E2');
    for (const [who, action] of [
      ['reward_officer', 'compute'],
      ['reward_officer_2', 'approve'],
    ] as const) {
      const reply = await postJson(
        `${cloud.url}/api/office/tips/${tipId}/reward/${action}`,
        { idempotencyKey: randomUUID(), expectedRevision: await revisionOf(tipId, who) },
        auth(who),
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    }
    const page = await followUp(receipt, 'en');
    const reward = page.getByRole('region', { name: 'Reward', exact: true });
    await reward.waitFor();
    expect(await reward.textContent()).toContain('Reward: 12,000 yuan');
    await page.getByLabel('Bank transfer').check();
    await page.getByLabel('Account name').fill('王小明');
    await page.getByLabel('Bank', { exact: true }).fill('中国工商银行重庆分行');
    await page.getByLabel('Account number').fill('6222 0202 0011 2233 445');
    await axeClean(page);

    // The page stayed open past the last day: the claim is sent, and refused.
    const { claimBy } = (await postJson(`${cloud.url}/api/tips/lookup`, { receipt })).body
      .reward as { claimBy: string };
    clock.set(new Date(Date.parse(claimBy) + 60_000));
    await page.getByRole('button', { name: 'Claim the reward' }).click();
    await expect
      .poll(async () => reward.textContent(), { timeout: 10_000 })
      .toContain('The time to claim ended on 2027-02-06: the reward has lapsed');
    await expect
      .poll(async () => reward.textContent(), { timeout: 10_000 })
      .toContain('The time to claim has passed');
    await axeClean(page);
    await page.close();

    const after = await postJson(`${cloud.url}/api/tips/lookup`, { receipt });
    expect(after.body.reward).toMatchObject({ standing: 'lapsed' });
    expect(after.body.reward.method).toBeUndefined();
  });
});
