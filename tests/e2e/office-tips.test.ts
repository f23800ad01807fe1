import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isValidReceipt } from '@qingling/shared/tips/receipt.ts';
import { refusalReasons } from '@qingling/shared/tips/tip.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  desktopViewport,
  launchChromium,
  openPage,
  phoneViewport,
} from '../support/browser.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

const webRoot = join(repositoryRoot, 'web/build');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
let officerToken: string;

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
  officerToken = await signIn(cloud.url, 'cq-gecheng.officer');
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

/** A tip sent through the public report API; its receipt and its id in the inbox. */
async function reportTip(overrides: Record<string, unknown>) {
  const created = await postJson(`${cloud.url}/api/tips`, validTip(overrides));
  expect(created.status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: { authorization: `Bearer ${officerToken}` },
  });
  const { tips } = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const description = String(overrides.description);
  const tip = tips.find((candidate) => description.startsWith(candidate.excerpt.replace(/…$/, '')));
  if (!tip) throw new Error('the tip is not in the inbox');
  return { receipt: created.body.receipt as string, tipId: tip.tipId };
}

const lookUp = async (receipt: string): Promise<ReplyBody> =>
  (await postJson(`${cloud.url}/api/tips/lookup`, { receipt })).body;

/** A page signed in as the demo officer (the session the sign-in page would keep). */
async function officePage(path: string, viewport = desktopViewport): Promise<Page> {
  const page = await openPage(browser, viewport);
  await page.context().addInitScript((idToken) => {
    sessionStorage.setItem(
      'qingling:session',
      JSON.stringify({ idToken, expiresAt: Date.now() + 3_600_000 }),
    );
  }, officerToken);
  await page.goto(`${cloud.url}${path}`);
  return page;
}

const tipPath = (tipId: string) => `/office/tips/view?id=${tipId}`;
const refusal = (page: Page) => page.getByRole('region', { name: '不予受理', exact: true });

describe('an officer triages tips at a desktop', () => {
  it('sees a web tip in the inbox with its time left, accepts it and talks with the tipster', async () => {
    const description = '东门路仓库的安全出口被纸箱堵死，晚上锁门，工人无法疏散。';
    const first = await reportTip({
      enterprise: '端到端测试仓储有限公司',
      address: '东门路 99 号',
      description,
    });
    await reportTip({
      enterprise: '端到端测试仓储有限公司',
      address: '东门路 99 号后院',
      description: '同一家仓储公司的叉车充电区堆放易燃包装材料，没有灭火器。',
    });

    const inbox = await officePage('/office/tips');
    const row = inbox.locator('tr', { has: inbox.locator(`#tip-${first.tipId}`) });
    await row.waitFor();
    // Received on a Sunday: three working days to accept it, in words.
    await expect.poll(() => row.textContent()).toMatch(/还剩 \d 个工作日|今天 24:00 到期/);
    await expect.poll(() => row.textContent()).toContain('网上举报');
    expect(await row.textContent()).toContain('可能重复：');
    expect(await accessibilityViolations(inbox)).toEqual([]);

    await inbox.locator(`#tip-${first.tipId}`).click();
    await inbox.getByRole('heading', { name: '端到端测试仓储有限公司', level: 1 }).waitFor();
    expect(await accessibilityViolations(inbox)).toEqual([]);
    await inbox.getByRole('button', { name: '受理这条举报' }).click();
    await inbox.getByText('已受理。', { exact: true }).waitFor();
    expect(await inbox.evaluate(() => document.activeElement?.id)).toBe('tip-notice');

    const question = '请问被堵住的是哪一侧的安全出口？';
    await inbox.getByLabel('问题').fill(question);
    await inbox.getByRole('button', { name: '发送问题' }).click();
    await inbox.getByText('问题已发送。').waitFor();
    const asked = (await lookUp(first.receipt)).messages.at(-1);
    expect(asked).toMatchObject({ from: 'office', text: question });

    const answer = '北侧靠近货梯的那个出口，晚上八点以后一直锁着。';
    const replied = await postJson(`${cloud.url}/api/tips/messages`, {
      receipt: first.receipt,
      idempotencyKey: randomUUID(),
      text: answer,
      inReplyTo: asked.messageId,
    });
    expect(replied.status).toBe(201);
    await inbox.reload();
    const reply = inbox.locator('li', { hasText: answer });
    await reply.waitFor();
    expect(await reply.textContent()).toContain(question);
    expect(await accessibilityViolations(inbox)).toEqual([]);
    await inbox.context().close();
  });

  it('links the tips of the same enterprise from a tip’s page, found by the index, in zh and en', async () => {
    const earlier = await reportTip({
      enterprise: '端到端重复测试加油站',
      address: '北环路 12 号',
      description: '加油站卸油口旁边有人抽烟，灭火器压力表指在红区。',
    });
    const later = await reportTip({
      enterprise: '端到端 重复测试 加油站',
      address: '北环路 12-1 号',
      description: '油罐车卸油时无人监护，司机在车旁打电话。',
    });
    const page = await officePage(tipPath(later.tipId));
    const duplicates = page.getByRole('region', { name: '可能重复的举报' });
    const link = duplicates.locator(`a[href$="id=${earlier.tipId}"]`);
    await link.waitFor();
    expect(await duplicates.textContent()).toContain('同一单位');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto(`${cloud.url}/en${tipPath(later.tipId)}`);
    const english = page.getByRole('region', { name: 'Possible duplicates' });
    await english.locator(`a[href$="id=${earlier.tipId}"]`).waitFor();
    expect(await english.textContent()).toContain('same enterprise');
    await link.page().context().close();
  });

  it('refuses a tip with a rule reason, which the tipster reads when following it up', async () => {
    const tip = await reportTip({
      enterprise: undefined,
      address: '某处',
      description: '我觉得这里不太安全，希望政府多管管，具体哪里我也说不清楚。',
    });
    const page = await officePage(tipPath(tip.tipId));
    await page.getByLabel(refusalReasons.no_target_or_facts.zh).check();
    await refusal(page).getByLabel('内部备注').fill('无具体对象，已电话核实无法补充。');
    await page.getByRole('button', { name: '不予受理', exact: true }).click();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '确认', exact: true }).click();
    await page.getByText('已不予受理，举报人可查询到理由。').waitFor();

    const followed = await lookUp(tip.receipt);
    expect(followed.status).toBe('refused');
    expect(followed.timeline.at(-1).reason).toEqual(refusalReasons.no_target_or_facts);
    expect(JSON.stringify(followed)).not.toContain('电话核实'); // the note stays inside
    await page.context().close();
  });

  it('enters a hotline tip and reads out a receipt that follows the tip up', async () => {
    const page = await officePage('/office/tips/new');
    const submit = page.getByRole('button', { name: '录入并生成回执码' });
    await submit.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('行业领域').selectOption('fire');
    await page.getByLabel('详细地址').fill('西门路 6 号');
    const description = '来电反映：商铺二楼违规住人，疏散楼梯堆满杂物。';
    await page.getByLabel('举报内容').fill(description);
    await page.getByLabel('发现日期').fill('2026-11-21');
    await submit.click();

    const heading = page.getByRole('heading', { name: '举报已录入，请把回执码告诉举报人' });
    await heading.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('receipt-heading');
    const receipt = (await page.locator('[data-receipt]').textContent())?.replace(/\s/g, '') ?? '';
    expect(isValidReceipt(receipt)).toBe(true);
    expect(page.url()).not.toContain(receipt);
    const kept = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(kept).not.toContain(receipt);
    expect(await accessibilityViolations(page)).toEqual([]);

    const followed = await lookUp(receipt);
    expect(followed).toMatchObject({ status: 'received', description });
    await page.getByLabel('我已把回执码告诉举报人').check();
    await page.getByRole('button', { name: '录入下一条' }).click();
    await submit.waitFor();
    expect(await page.locator('[data-receipt]').count()).toBe(0);
    await page.context().close();
  });

  it('tells the second of two officers plainly that the first acted, keeping what was typed', async () => {
    const tip = await reportTip({
      address: '南门路 3 号',
      description: '南门路 3 号小作坊用液化气罐做饭，气罐放在配电箱旁边。',
    });
    const first = await officePage(tipPath(tip.tipId));
    const second = await officePage(tipPath(tip.tipId));
    const note = '与另一条举报重复，待核。';
    await second.getByLabel(refusalReasons.duplicate.zh).check();
    await refusal(second).getByLabel('内部备注').fill(note);

    await first.getByRole('button', { name: '受理这条举报' }).click();
    await first.getByText('已受理。', { exact: true }).waitFor();

    await second.getByRole('button', { name: '不予受理', exact: true }).click();
    await second.getByRole('button', { name: '确认', exact: true }).click();
    const conflict = second.getByRole('alert').filter({ hasText: '有人先办理了这条举报' });
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('这项办理已不适用');
    expect(await conflict.textContent()).toContain('已受理');
    expect(await refusal(second).getByLabel('内部备注').inputValue()).toBe(note);
    expect(await accessibilityViolations(second)).toEqual([]);
    expect((await lookUp(tip.receipt)).status).toBe('accepted');
    await first.context().close();
    await second.context().close();
  });

  it('links a tip found substantiated first to the hazard then recorded from it', async () => {
    const description = `先核查后登记-${randomUUID().slice(0, 8)}：仓库北侧安全出口被货物堵死。`;
    const { tipId } = await reportTip({ description });
    const command = async (body: Record<string, unknown>) => {
      const current = await fetch(`${cloud.url}/api/office/tips/${tipId}`, {
        headers: { authorization: `Bearer ${officerToken}` },
      });
      const { revision } = (await current.json()) as { revision: number };
      const reply = await postJson(
        `${cloud.url}/api/office/tips/${tipId}/commands`,
        { idempotencyKey: randomUUID(), expectedRevision: revision, command: body },
        { authorization: `Bearer ${officerToken}` },
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    };
    await command({ type: 'accept' });
    await command({ type: 'start_investigation' });
    // The finding names no hazard: the officer records the hazard after it.
    await command({ type: 'record_finding', finding: 'substantiated', note: '现场核查属实。' });

    const page = await officePage(tipPath(tipId));
    await page.getByRole('link', { name: '登记为隐患' }).click();
    await page.waitForURL(/newFromTip=/);
    await page.getByLabel('一般隐患').check();
    await page.getByLabel('统一社会信用代码').fill('91350100M000100Y43');
    await page.getByLabel('隐患描述').fill('仓库北侧安全出口被货物堵塞，疏散通道不畅。');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(/\/office\/tips\/view\?id=.*hazardId=[a-z2-7]{26}/);
    const hazardId = new URL(page.url()).searchParams.get('hazardId') ?? '';
    // No second recording offered; the tip names the hazard once its lifecycle has told it.
    await expect.poll(() => page.getByRole('link', { name: '登记为隐患' }).count()).toBe(0);
    await expect
      .poll(async () => {
        await page.goto(`${cloud.url}${tipPath(tipId)}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        return page.getByRole('link', { name: hazardId }).count();
      })
      .toBe(1);
    expect(await page.getByRole('link', { name: '登记为隐患' }).count()).toBe(0);
    await page.context().close();
  });

  it('keeps the inbox and a tip within a phone screen', async () => {
    const page = await officePage('/office/tips', phoneViewport);
    const first = page.locator('tbody a[id^="tip-"]').first();
    await first.waitFor();
    const overflow = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    expect(await overflow()).toBeLessThanOrEqual(0);
    await first.click();
    await page.getByRole('heading', { name: '办理' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
