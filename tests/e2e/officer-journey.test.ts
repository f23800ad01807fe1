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
  phoneViewport,
} from '../support/browser.ts';
import { repositoryRoot, startTestCloud } from '../support/embedded-cloud.ts';
import { signInTab } from '../support/office-console.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// The whole journey of issue 5, in the browser as an officer: a tip posted by the tips
// flow is accepted, the tipster is asked and answers, the tip is substantiated into a
// major hazard with its plan and deadline, the enterprise sends the fix through its link,
// the officer verifies and closes; the tipster's follow-up page says each step in plain
// words. axe runs on every console page visited.
const webRoot = join(repositoryRoot, 'web/build');
const enterprise = '91350100M000100Y43';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(webRoot, 'enterprise/index.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

const axeClean = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

async function officerPage(username = 'cq-gecheng.officer'): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await signInTab(page, cloud.url, username);
  await page.getByRole('heading', { name: '当前登录' }).waitFor();
  return page;
}

const lookUp = async (receipt: string): Promise<ReplyBody> =>
  (await postJson(`${cloud.url}/api/tips/lookup`, { receipt })).body;

describe('an officer takes a tip all the way to a closed hazard', () => {
  it('accepts, asks, substantiates into a major hazard, verifies the fix and closes', async () => {
    const marker = `旅程-${randomUUID().slice(0, 8)}`;
    const description = `${marker}：东门路仓库的安全出口被纸箱堵死，夜班工人无法疏散。`;
    const posted = await postJson(
      `${cloud.url}/api/tips`,
      validTip({ description, address: '东门路 18 号仓库', enterprise: '某某商贸有限公司' }),
    );
    expect(posted.status).toBe(201);
    const receipt = posted.body.receipt as string;

    // The inbox: the new tip, with its time left.
    const page = await officerPage();
    await page.getByRole('link', { name: '举报线索' }).first().click();
    const row = page.getByRole('link', { name: new RegExp(marker) });
    await row.waitFor();
    await axeClean(page);
    await row.click();
    await page.waitForURL(/\/office\/tips\/view\?id=[a-z2-7]{26}$/);
    const tipId = new URL(page.url()).searchParams.get('id') ?? '';
    await axeClean(page);

    // Accept, and ask the tipster a question (anonymous, two-way).
    await page.getByRole('button', { name: '受理这条举报' }).click();
    await page.getByText('已受理。', { exact: true }).waitFor();
    await page.getByLabel('问题').fill('请问堵塞的是哪一个出口？');
    await page.getByRole('button', { name: '发送问题' }).click();
    await page.getByText('问题已发送。').waitFor();
    const question = (await lookUp(receipt)).messages as { messageId: string }[];
    const answered = await postJson(`${cloud.url}/api/tips/messages`, {
      receipt,
      idempotencyKey: randomUUID(),
      text: '北侧的安全出口，晚上八点以后最严重。',
      inReplyTo: question.at(-1)?.messageId,
    });
    expect(answered.status).toBe(201);
    await page.reload();
    await page.getByText('北侧的安全出口，晚上八点以后最严重。').waitFor();

    // Investigate, then substantiate into a major hazard (the form starts from the tip).
    await page.getByRole('button', { name: '开始核查' }).click();
    await page.getByText('已开始核查。').waitFor();
    await page.getByLabel('属实', { exact: true }).check();
    await page.getByRole('link', { name: '登记为隐患' }).click();
    await page.waitForURL(/newFromTip=/);
    await page.locator('#record-hazard').getByText('举报查实').waitFor();
    await page.getByLabel('重大隐患').check();
    await page.getByLabel('判定标准').selectOption('GB 35181-2025 重大火灾隐患判定规则');
    await page.getByLabel('条款').fill('5.1.1');
    await page.getByLabel('统一社会信用代码').fill(enterprise);
    // In the officer's own words: the enterprise will read this, never the tipster's text.
    await page.getByLabel('隐患描述').fill('仓库北侧安全出口被货物堵塞，疏散通道不畅。');
    await axeClean(page);
    await page.getByRole('button', { name: '登记', exact: true }).click();
    // Back on the tip, with the hazard's number filled in: record the finding.
    await page.waitForURL(/\/office\/tips\/view\?id=.*hazardId=[a-z2-7]{26}/);
    const hazardId = new URL(page.url()).searchParams.get('hazardId') ?? '';
    await page.getByLabel('核查情况').fill('现场核查属实，已登记为重大事故隐患。');
    await page.getByRole('button', { name: '记录核查结果' }).click();
    await page.getByText('核查结果已记录，请在 10 天内答复举报人。').waitFor();
    await axeClean(page);

    // The hazard: plan and deadline, then the enterprise link.
    await page.goto(`${cloud.url}/office/hazards/view?id=${hazardId}`);
    await page.getByLabel('责任人').fill('王某（企业安全科）');
    await page.getByLabel('整改措施').fill('搬离货物，恢复疏散通道');
    await page.getByLabel('若干个工作日').check();
    await page.getByLabel('工作日数').fill('10');
    const plan: [string, string][] = [
      ['治理的目标和任务', '清理安全出口，恢复疏散通道畅通'],
      ['采取的方法和措施', '搬离堵塞货物，划设禁止堆放标线'],
      ['经费和物资的落实', '企业自筹 2 万元'],
      ['负责治理的机构和人员', '企业安全科，负责人王某'],
      ['治理的时限和要求', '十个工作日内完成并自查'],
      ['安全措施和应急预案', '整改期间专人值守，配备灭火器'],
    ];
    for (const [label, value] of plan) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: '开始整改' }).click();
    await page.locator('#hazard-notice', { hasText: '已开始整改。' }).waitFor();
    await page.getByRole('button', { name: '生成链接' }).click();
    const link = await page.getByLabel('中文链接').inputValue();
    await axeClean(page);

    // The enterprise, on a phone, without an account: it sees nothing of the tip.
    const phone = await openPage(browser, phoneViewport);
    await phone.goto(link);
    await phone.getByText('整改期间专人值守，配备灭火器').waitFor();
    expect(await phone.content()).not.toContain(marker);
    expect(await phone.content()).not.toContain('北侧的安全出口');
    await phone.getByLabel('整改完成', { exact: true }).check();
    await phone
      .getByLabel('整改完成情况')
      .fill('货物已全部搬离，安全出口畅通，已划设禁止堆放标线。');
    await phone.getByRole('button', { name: '提交', exact: true }).click();
    await phone.getByText('整改完成情况已提交，请等待监管部门核查。').waitFor();
    await phone.context().close();

    // Verify and close (销号: an explicit, signed action).
    await page.reload();
    await page.getByLabel('整改到位，核查通过').check();
    await page.getByLabel('说明', { exact: true }).fill('现场核查，安全出口畅通。');
    await page.getByRole('button', { name: '记录核查结果' }).click();
    await page.locator('#hazard-notice', { hasText: '已记录核查通过，可以销号。' }).waitFor();
    await page.context().close();
    // A major hazard is signed off by a second person, the department head (closure.ts).
    const head = await officerPage('cq-gecheng.department_head');
    await head.goto(`${cloud.url}/office/hazards/view?id=${hazardId}`);
    await head.getByLabel('销号说明').fill('整改到位，同意销号。');
    await head.getByRole('button', { name: '销号…' }).click();
    await head.getByRole('button', { name: '确认', exact: true }).click();
    await head.locator('#hazard-notice', { hasText: '已销号。' }).waitFor();
    await head.getByText('记录完整：哈希链校验通过').waitFor();
    await axeClean(head);
    await head.context().close();

    // The tipster's follow-up page says each step in plain words.
    const tipster = await openPage(browser, phoneViewport);
    await tipster.goto(`${cloud.url}/follow-up/`);
    await tipster
      .getByLabel(/回执码/)
      .first()
      .fill(receipt);
    await tipster.getByRole('button', { name: /查询/ }).first().click();
    const timeline = tipster.locator('ol.timeline');
    for (const words of [
      '已受理',
      '已确认为事故隐患并登记在案',
      '已责令企业限期整改',
      '企业已整改，正在核查',
      '核查通过，隐患已销号',
    ]) {
      await timeline.getByText(words).first().waitFor();
    }
    expect(await tipster.content()).not.toContain(hazardId);
    expect(await tipster.content()).not.toContain(tipId);
    await axeClean(tipster);
  });
});
