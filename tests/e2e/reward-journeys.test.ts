import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopViewport, launchChromium, phoneViewport } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import {
  axeClean,
  officePage as consolePage,
  followUp as followUpPage,
  type Language,
} from '../support/reward-pages.ts';
import { postJson, validTip } from '../support/tips.ts';

// Issue 16, every reward step in the pages a person uses, one journey per language: the
// officer records the case result in the console's form (bad input refused in the page,
// nothing changed), a reward officer finds the tip on the rewards list and computes (and
// adjusts) the reward, the same person is told they cannot approve it, a second approves;
// the tipster claims with the receipt alone; the payment details are opened (an event on the
// tip's timeline) and the payment recorded; the tipster sees it paid. The English journey
// runs whole on a 360 px phone, axe-clean at every page.
const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
const tokens: Record<string, string> = {};
const people = ['officer', 'reward_officer', 'reward_officer_2'];
const tipsterWords = '我是三号库夜班保管员，晚上八点后堵得最严重。';
const phone = '13812345678';

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({ webRoot, clock, publicRequestsPerMinute: 100_000 });
  browser = await launchChromium();
  for (const who of people) tokens[who] = await signIn(cloud.url, `cq-gecheng.${who}`);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
/** Whatever the page shows a person must fit a phone, and be usable by everyone. */
async function phoneReady(page: Page) {
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await axeClean(page);
}

async function readTip(tipId: string, who = 'officer') {
  const reply = await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth(who) });
  return (await reply.json()) as { revision: number } & Record<string, unknown>;
}

async function command(tipId: string, body: Record<string, unknown>) {
  const reply = await postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    {
      idempotencyKey: randomUUID(),
      expectedRevision: (await readTip(tipId)).revision,
      command: body,
    },
    auth('officer'),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}

/** A tip wanting a reward, found substantiated (through the API): its receipt and id. */
async function substantiatedTip(marker: string): Promise<{ receipt: string; tipId: string }> {
  clock.advance(60_000);
  const description = `奖励全程 ${marker}：仓库安全出口被货物堵死，疏散通道不畅。`;
  const created = await postJson(
    `${cloud.url}/api/tips`,
    validTip({ description, wantsReward: true, contactPhone: phone, isEmployee: true }),
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
  return { receipt, tipId };
}

const officePage = (path: string, who: string, language: Language, viewport = desktopViewport) =>
  consolePage(browser, cloud.url, tokens[who] ?? '', path, { language, viewport });
const followUp = (receipt: string, language: Language, viewport = desktopViewport) =>
  followUpPage(browser, cloud.url, receipt, language, viewport);

const shows = (locator: Locator, words: string) =>
  expect
    .poll(async () => (await locator.textContent()) ?? '', { timeout: 10_000 })
    .toContain(words);

/** What a reward officer's page must never show: the tipster's words, phone, receipt. */
async function nothingOfTheTipster(page: Page, receipt: string) {
  const main = (await page.locator('main').textContent()) ?? '';
  for (const secret of [tipsterWords, phone, receipt, '夜班']) expect(main).not.toContain(secret);
}

describe('a reward, every step in the pages', () => {
  it('zh: the outcome form refuses bad input, the reward is adjusted with a reason and approved by another', async () => {
    const { receipt, tipId } = await substantiatedTip('Z1');
    const officer = await officePage(`/office/tips/view?id=${tipId}`, 'officer', 'zh');
    const outcome = officer.getByRole('region', { name: '记录查处结果' });
    await outcome.waitFor();
    const before = (await readTip(tipId)).revision;
    // A negative fine, and no document number: both said beside their fields, nothing sent.
    await outcome.getByLabel('已作出罚款').check();
    await outcome.getByLabel('罚款金额（元）').fill('-5000');
    await outcome.getByRole('button', { name: '记录结果' }).click();
    await shows(outcome, '请填写整数。');
    await shows(outcome, '文书编号');
    expect(await outcome.locator('[aria-invalid="true"]').count()).toBe(2);
    await outcome.getByLabel('罚款金额（元）').fill('80,000');
    await outcome.getByRole('button', { name: '记录结果' }).click();
    await shows(outcome, '文书编号');
    expect((await readTip(tipId)).revision).toBe(before);
    expect((await readTip(tipId)).outcome).toBeUndefined();
    await outcome.getByLabel('文书编号').fill('渝葛应急罚〔2026〕31号');
    await outcome.getByRole('button', { name: '记录结果' }).click();
    await shows(officer.locator('#tip-notice'), '已记录查处结果。');
    const result = officer.getByRole('region', { name: '查处结果与奖励' });
    await shows(result, '罚款 80,000 元');
    await shows(result, '文书编号：渝葛应急罚〔2026〕31号');
    await shows(result, '尚未核算奖励。');
    await axeClean(officer);
    await officer.close();

    // A reward officer finds it on the rewards list (the console's navigation), not by URL.
    const first = await officePage('/office', 'reward_officer', 'zh');
    await first
      .getByRole('navigation', { name: '工作台导航' })
      .getByRole('link', { name: '奖励' })
      .click();
    await first.waitForURL(/\/office\/rewards/);
    const list = first.getByRole('table');
    const row = list.getByRole('row').filter({ has: first.locator(`a[href*="${tipId}"]`) });
    await shows(row, '待核算');
    await shows(row, '罚款 80,000 元');
    await nothingOfTheTipster(first, receipt);
    await axeClean(first);
    await row.getByRole('link').click();
    await first.waitForURL(/\/office\/tips\/view\?id=/);
    const compute = first.getByRole('region', { name: '核算奖励' });
    await compute.getByRole('button', { name: '核算奖励' }).click();
    const panel = first.getByRole('region', { name: '查处结果与奖励' });
    await shows(panel, '奖励金额：12,000 元');
    // Adjusted: a reason is needed, said in the page; with one, the amount and reason shown.
    await compute.getByLabel('调整后的金额（元，可不填）').fill('15000');
    await compute.getByRole('button', { name: '核算奖励' }).click();
    await shows(compute, '调整奖励金额须说明理由。');
    await shows(panel, '奖励金额：12,000 元');
    await compute.getByLabel('调整理由').fill('举报人提供了关键证据，协助查处。');
    await compute.getByRole('button', { name: '核算奖励' }).click();
    await shows(panel, '奖励金额：15,000 元');
    await shows(panel, '已调整（按标准为 12,000 元），理由：举报人提供了关键证据，协助查处。');
    // The one who computed it is told, on the page, that another must approve it.
    expect(await first.getByRole('button', { name: '批准奖励' }).count()).toBe(0);
    await shows(panel, '您核算了这笔奖励，须由另一名奖励专员批准。');
    await nothingOfTheTipster(first, receipt);
    await axeClean(first);
    await first.close();

    const second = await officePage(`/office/tips/view?id=${tipId}`, 'reward_officer_2', 'zh');
    await second.getByRole('button', { name: '批准奖励' }).click();
    await second.getByRole('button', { name: '确认' }).click();
    await shows(second.locator('#tip-notice'), '已批准奖励。');
    await shows(second.getByRole('region', { name: '查处结果与奖励' }), '尚未申领');
    await second.close();

    const tipster = await followUp(receipt, 'zh');
    const reward = tipster.getByRole('region', { name: '奖励', exact: true });
    await shows(reward, '奖励金额：15,000 元');
    await shows(reward, '（金额经奖励专员调整）');
    await axeClean(tipster);
    await tipster.close();

    // Nothing found: recorded in the form, no reward offered, not on the rewards list.
    const none = await substantiatedTip('Z2');
    const nothing = await officePage(`/office/tips/view?id=${none.tipId}`, 'officer', 'zh');
    const form = nothing.getByRole('region', { name: '记录查处结果' });
    await form.getByLabel('查无违法事实').check();
    await form.getByLabel('文书编号').fill('渝葛应急查〔2026〕5号');
    await form.getByRole('button', { name: '记录结果' }).click();
    await shows(nothing.getByRole('region', { name: '查处结果与奖励' }), '查无违法事实');
    await nothing.close();
    const rewards = await officePage('/office/rewards', 'reward_officer', 'zh');
    await shows(rewards.getByRole('table'), '已批准');
    expect(await rewards.locator(`a[href*="${none.tipId}"]`).count()).toBe(0);
    await rewards.close();
  });

  it('en, on a 360 px phone: a concealed accident, a bank-transfer claim, the details opened and paid', async () => {
    const { receipt, tipId } = await substantiatedTip('E1');
    const officer = await officePage(
      `/office/tips/view?id=${tipId}`,
      'officer',
      'en',
      phoneViewport,
    );
    const outcome = officer.getByRole('region', { name: 'Record the case result' });
    await outcome.waitFor();
    await phoneReady(officer);
    await outcome.getByLabel('A concealed or falsely reported accident was confirmed').check();
    await outcome.getByLabel('Accident grade').selectOption({ label: 'Larger accident' });
    await outcome.getByLabel('Concealed deaths').fill('-2');
    await outcome.getByLabel('Document number').fill('渝葛应急调〔2026〕7号');
    await outcome.getByRole('button', { name: 'Record the result' }).click();
    await shows(outcome, 'Give a whole number.');
    expect((await readTip(tipId)).outcome).toBeUndefined();
    await phoneReady(officer);
    await outcome.getByLabel('Concealed deaths').fill('2');
    await outcome.getByRole('button', { name: 'Record the result' }).click();
    const result = officer.getByRole('region', { name: 'Case result and reward' });
    await shows(result, 'Larger accident, 2 concealed deaths');
    await phoneReady(officer);
    await officer.close();

    const first = await officePage('/office', 'reward_officer', 'en', phoneViewport);
    await first
      .getByRole('navigation', { name: 'Console navigation' })
      .getByRole('link', { name: 'Rewards' })
      .click();
    await first.waitForURL(/\/en\/office\/rewards/);
    const row = first.getByRole('row').filter({ has: first.locator(`a[href*="${tipId}"]`) });
    await shows(row, 'To compute');
    await phoneReady(first);
    await row.getByRole('link').click();
    await first.waitForURL(/\/office\/tips\/view\?id=/);
    await first.getByRole('button', { name: 'Compute the reward' }).click();
    const panel = first.getByRole('region', { name: 'Case result and reward' });
    await shows(panel, 'Reward: ');
    await shows(panel, 'You computed this reward: another reward officer must approve it.');
    await phoneReady(first);
    await first.close();

    const second = await officePage(
      `/office/tips/view?id=${tipId}`,
      'reward_officer_2',
      'en',
      phoneViewport,
    );
    await second.getByRole('button', { name: 'Approve the reward' }).click();
    await second.getByRole('button', { name: 'Confirm' }).click();
    await shows(second.locator('#tip-notice'), 'The reward is approved.');
    await phoneReady(second);
    await second.close();

    // The tipster claims by bank transfer with the receipt alone.
    const tipster = await followUp(receipt, 'en', phoneViewport);
    const reward = tipster.getByRole('region', { name: 'Reward', exact: true });
    await shows(reward, 'Reward: ');
    await phoneReady(tipster);
    await tipster.getByLabel('Bank transfer').check();
    await tipster.getByLabel('Account name').fill('王小明');
    await tipster.getByLabel('Bank', { exact: true }).fill('中国工商银行重庆分行');
    await tipster.getByLabel('Account number').fill('6222 0202 0011 2233 445');
    await phoneReady(tipster);
    await tipster.getByRole('button', { name: 'Claim the reward' }).click();
    await shows(reward, 'Claimed (bank transfer)');
    // Sealed: the account is not shown back, not even to the one who typed it.
    expect((await tipster.locator('main').textContent()) ?? '').not.toContain('6222');
    await phoneReady(tipster);
    await tipster.close();

    // A reward officer opens the sealed details (recorded on the tip's timeline) and pays.
    const payer = await officePage(
      `/office/tips/view?id=${tipId}`,
      'reward_officer',
      'en',
      phoneViewport,
    );
    const paying = payer.getByRole('region', { name: 'Case result and reward' });
    await shows(paying, 'Claimed by the tipster (bank transfer)');
    const sealed = (await payer.locator('main').textContent()) ?? '';
    expect(sealed).not.toContain('6222');
    await nothingOfTheTipster(payer, receipt);
    await payer.getByRole('button', { name: 'Show the bank details' }).click();
    await shows(paying, '6222020200112233445');
    const timeline = payer.getByRole('region', { name: 'Course of the tip (the tipster sees it)' });
    await shows(timeline, 'Payment details opened');
    await phoneReady(payer);
    const payment = payer.getByRole('region', { name: 'Record the payment' });
    await payment.getByLabel('Paid on').fill('2026-12-08');
    await payment.getByRole('button', { name: 'Record the payment' }).click();
    await shows(payment, 'Give the voucher number.');
    await payment.getByLabel('Voucher number').fill('记-1208');
    await payment.getByRole('button', { name: 'Record the payment' }).click();
    await shows(paying, 'Paid on 2026-12-08, voucher 记-1208');
    await phoneReady(payer);
    // The rewards list now says it is paid, by bank transfer, on the day recorded.
    await payer.goto(`${cloud.url}/en/office/rewards`);
    const listed = payer.getByRole('row').filter({ has: payer.locator(`a[href*="${tipId}"]`) });
    await shows(listed, 'Paid · bank transfer · paid 2026-12-08');
    await phoneReady(payer);
    await payer.close();

    const paid = await followUp(receipt, 'en', phoneViewport);
    await shows(
      paid.getByRole('region', { name: 'Reward', exact: true }),
      'The reward was paid on 2026-12-08.',
    );
    await phoneReady(paid);
    await paid.close();
  });
});
