import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopViewport, launchChromium, openPage } from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { signInTab } from '../support/office-console.ts';
import type { ReplyBody } from '../support/tips.ts';

// Issue 14's rough edges, on the demo office `npm start` seeds (葛城街道), on a server clock
// 100 days ahead of the browser's: countdowns must run on the server's.
const serverAhead = 100 * 24 * 3600 * 1000;
const webRoot = join(repositoryRoot, 'web/build');
const jurisdiction = 'cq-gecheng';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
let token: string;

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing: run npm run build:web first (npm test does)');
  }
  cloud = await startTestCloud({
    webRoot,
    demoRecords: true,
    clock: new ManualClock(new Date(Date.now() + serverAhead)),
  });
  browser = await launchChromium();
  token = await signIn(cloud.url, `${jurisdiction}.officer`);
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

async function api(path: string): Promise<ReplyBody> {
  const response = await fetch(`${cloud.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status, path).toBe(200);
  return response.json();
}

/** A fresh tab signed in as the demo officer, in Chinese or English. */
async function officerPage(language: 'zh' | 'en' = 'zh'): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await signInTab(
    page,
    cloud.url,
    `${jurisdiction}.officer`,
    `${language === 'en' ? '/en' : ''}/office`,
  );
  return page;
}

describe('the office console', () => {
  it('cites a clause that already says 第…条 as typed, in Chinese and English', async () => {
    const { hazards } = await api(
      `/api/office/hazards?jurisdiction=${jurisdiction}&status=reported`,
    );
    const major = hazards.find((hazard: ReplyBody) => hazard.grade === 'major');
    expect(major).toBeDefined();

    const zh = await officerPage('zh');
    await zh.goto(`${cloud.url}/office/hazards/view?id=${major.hazardId}`);
    await zh.getByRole('heading', { name: /滨河路调压站/ }).waitFor();
    await zh.getByText('建城规〔2023〕4号，第五条第（二）项').first().waitFor();
    expect(await zh.locator('body').textContent()).not.toMatch(/第\s*第五条/);
    await zh.context().close();

    const en = await officerPage('en');
    await en.goto(`${cloud.url}/en/office/hazards/view?id=${major.hazardId}`);
    await en.getByRole('heading', { name: /滨河路调压站/ }).waitFor();
    await en.getByText('建城规〔2023〕4号, 第五条第（二）项').first().waitFor();
    expect(await en.locator('body').textContent()).not.toContain('clause 第');
    await en.context().close();
  });

  it('records a tip as one hazard however often it is sent, and leads back to the tip', async () => {
    const { tips } = await api(`/api/office/tips?jurisdiction=${jurisdiction}&status=accepted`);
    const tipId: string = tips[0].tipId;
    for (const command of [
      { type: 'start_investigation' },
      { type: 'record_finding', finding: 'substantiated', note: '现场核查属实。' },
    ]) {
      const { revision } = await api(`/api/office/tips/${tipId}`);
      const response = await fetch(`${cloud.url}/api/office/tips/${tipId}/commands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ idempotencyKey: randomUUID(), expectedRevision: revision, command }),
      });
      expect(response.status).toBe(200);
    }
    const reported = async () =>
      (await api(`/api/office/hazards?jurisdiction=${jurisdiction}&status=reported`)).hazards
        .length as number;
    const before = await reported();

    /** The form opened from the tip, filled in, and sent with a double click. */
    const recordFromTip = async (): Promise<string> => {
      const page = await officerPage();
      await page.goto(`${cloud.url}/office/hazards?newFromTip=${tipId}`);
      await page.getByLabel('一般隐患').check();
      await page.getByLabel('统一社会信用代码').fill('91350100M000100Y43');
      await page.getByLabel('位置', { exact: true }).fill('西门社区石门沟采石场');
      await page.getByLabel('隐患描述').fill('爆破作业未设置警戒区，飞石落至村道。');
      await page.getByRole('button', { name: '登记', exact: true }).dblclick();
      await page.waitForURL(/\/office\/tips\/view\?id=[^&]+&hazardId=[a-z2-7]{26}$/);
      const hazardId = new URL(page.url()).searchParams.get('hazardId') ?? '';
      await page.context().close();
      return hazardId;
    };
    // A place without a code starts with the name and the address the tipster gave.
    const tip = await api(`/api/office/tips/${tipId}`);
    expect(tip.enterprise).toBeTruthy();
    const form = await officerPage();
    await form.goto(`${cloud.url}/office/hazards?newFromTip=${tipId}`);
    await form.getByLabel('无信用代码的场所', { exact: false }).check();
    expect(await form.getByLabel('场所名称').inputValue()).toBe(tip.enterprise);
    expect(await form.getByLabel('场所地址').inputValue()).toBe(tip.address);
    await form.context().close();

    const first = await recordFromTip();
    // Sent again (another tab, the tip's button clicked again): the same hazard, not a second.
    expect(await recordFromTip()).toBe(first);
    expect(await reported()).toBe(before + 1);
  });

  it("counts down to deadlines on the server's clock, and not at all once a hazard is closed", async () => {
    const { hazards } = await api(
      `/api/office/hazards?jurisdiction=${jurisdiction}&status=rectifying`,
    );
    const serverNow = cloud.clock.now().getTime();
    const overdue = hazards.filter((hazard: ReplyBody) => Date.parse(hazard.deadline) < serverNow);
    expect(overdue.length).toBe(2); // the demo's: 12 and 15 days past the deadline

    const page = await officerPage();
    await page.goto(`${cloud.url}/office/hazards?jurisdiction=${jurisdiction}&status=rectifying`);
    await page.locator('.deadline-left .left').first().waitFor();
    // The browser's clock is 100 days behind: by it, nothing would be overdue.
    expect(await page.locator('.deadline-left .left.overdue').count()).toBe(2);
    await expect
      .poll(() => page.locator('.deadline-left .left.overdue').first().textContent())
      .toMatch(/已逾期 1\d ?天/);

    await page.goto(`${cloud.url}/office/hazards?jurisdiction=${jurisdiction}&status=closed`);
    await page.locator('.deadline-left time').first().waitFor();
    expect(await page.locator('.deadline-left time').count()).toBeGreaterThan(0);
    expect(await page.locator('.deadline-left .left').count()).toBe(0);

    const closed = (await api(`/api/office/hazards?jurisdiction=${jurisdiction}&status=closed`))
      .hazards[0];
    await page.goto(`${cloud.url}/office/hazards/view?id=${closed.hazardId}`);
    await page.locator('.deadline-left time').first().waitFor();
    expect(await page.locator('.deadline-left .left').count()).toBe(0);
    await page.context().close();
  });
});
