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
import { signInTab } from '../support/office-console.ts';

// Issue 14 must-show, in the console: the administrator of 葛城街道 edits a ladder step's
// message and a tip's time limit, sees each saved in the page's version line, is told in
// the field what is wrong with a bad limit, and, when someone saved first, is told so and
// shown the latest version. In Chinese and in English, axe-clean.
const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-12-03T02:00:00.000Z'); // Thu 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing the office console: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot, clock });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

async function administratorPage(): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await signInTab(page, cloud.url, 'cq-gecheng.administrator');
  return page;
}

async function storedPolicy() {
  const token = await signIn(cloud.url, 'cq-gecheng.administrator');
  const reply = await fetch(`${cloud.url}/api/admin/policies`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await reply.json();
  return body.escalation.find(
    (entry: { jurisdiction: string }) => entry.jurisdiction === 'cq-gecheng',
  );
}

const versionLine = (page: Page) => page.locator('[data-policy-version]');

describe("the administrator's policy page", () => {
  it('edits a tip limit and a step message in Chinese, with the server’s errors beside the field', async () => {
    const page = await administratorPage();
    await page.getByRole('link', { name: '政策管理' }).first().click();
    await page.getByRole('heading', { level: 1, name: '政策管理' }).waitFor();
    await versionLine(page).waitFor();
    expect(await versionLine(page).innerText()).toContain('版本 0');
    // The placeholders are listed with what each stands for.
    expect(await page.locator('[data-placeholders]').innerText()).toContain('{daysOverdue}');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A limit out of bounds: refused by the server, said beside the field; nothing saved.
    const accept = page.getByLabel('受理期限（工作日）');
    expect(await accept.inputValue()).toBe('3');
    await accept.fill('1');
    await page.getByRole('button', { name: '保存处理时限、回头看与保存期限' }).click();
    const error = page.locator('[data-field-error="tipLimits.acceptDays"]');
    await error.waitFor();
    expect(await error.innerText()).toBe('受理期限须为 2 至 15 个工作日之间的整数。');
    expect(await accept.getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await storedPolicy()).version).toBe(0);

    await accept.fill('5');
    await page.getByRole('button', { name: '保存处理时限、回头看与保存期限' }).click();
    await page.locator('[data-saved="limits"]').waitFor();
    await expect.poll(() => versionLine(page).getAttribute('data-policy-version')).toBe('1');
    expect(await versionLine(page).innerText()).toMatch(
      /版本 1 · 修改人 .+ · 修改时间 2026-12-03 10:00/,
    );
    expect((await storedPolicy()).tipLimits).toEqual({
      acceptDays: 5,
      verifyDays: 60,
      feedbackDays: 10,
    });
    // The look-back's share, saved by the same form.
    await page.getByLabel('一般隐患抽查比例（%）').fill('50');
    await page.getByRole('button', { name: '保存处理时限、回头看与保存期限' }).click();
    await expect.poll(() => versionLine(page).getAttribute('data-policy-version')).toBe('2');
    expect((await storedPolicy()).lookBack).toEqual({ afterDays: 30, generalSamplePercent: 50 });

    // The notice letter's subject, as the administrator words it.
    const subject = page.locator('#policy-messages-notice_letter-subject-zh');
    expect(await subject.inputValue()).toContain('{enterprise}');
    await subject.fill('【格城应急】{enterprise}逾期 {daysOverdue} 天未整改');
    // The spread of steps held to the start of office hours, saved by the same form.
    const spread = page.getByLabel('错峰时长（分钟）');
    expect(await spread.inputValue()).toBe('30');
    await spread.fill('20');
    await page.getByRole('button', { name: '保存督办阶梯与文本' }).click();
    await page.locator('[data-saved="ladder"]').waitFor();
    await expect.poll(() => versionLine(page).getAttribute('data-policy-version')).toBe('3');
    const stored = await storedPolicy();
    expect(stored.messages.notice_letter.subject.zh).toBe(
      '【格城应急】{enterprise}逾期 {daysOverdue} 天未整改',
    );
    expect(stored.spreadMinutes).toBe(20);
    // The steps not edited keep the default wording: nothing stored for them.
    expect(Object.keys(stored.messages)).toEqual(['notice_letter']);
    // The tip limit saved before is kept by the ladder's form.
    expect(stored.tipLimits.acceptDays).toBe(5);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('says when someone saved first, and shows the latest version', async () => {
    const page = await administratorPage();
    const before = await storedPolicy();
    await page.goto(`${cloud.url}/office/admin/policies`);
    await expect
      .poll(() => versionLine(page).getAttribute('data-policy-version'))
      .toBe(String(before.version));
    // Meanwhile, another administrator's edit (through the same route).
    const token = await signIn(cloud.url, 'cq-gecheng.administrator');
    const other = await fetch(`${cloud.url}/api/admin/jurisdictions/cq-gecheng/escalation-policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ladder: before.ladder.map(({ name: _, ...rung }: { name: unknown }) => rung),
        officeHours: before.officeHours,
        lateAfterMinutes: before.lateAfterMinutes,
        ...(before.messages ? { messages: before.messages } : {}),
        tipLimits: { ...before.tipLimits, feedbackDays: 7 },
        lookBack: before.lookBack,
        expectedVersion: before.version,
      }),
    });
    expect(other.status).toBe(200);

    await page.getByLabel('核查期限（天，自受理起）').fill('30');
    await page.getByRole('button', { name: '保存处理时限、回头看与保存期限' }).click();
    const conflict = page.locator('[data-conflict="limits"]');
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('已重新载入最新版本');
    expect(await versionLine(page).getAttribute('data-policy-version')).toBe(
      String(before.version + 1),
    );
    // The form shows what is stored now; the typed 30 was not saved.
    expect(await page.getByLabel('反馈期限（天，自核查结束起）').inputValue()).toBe('7');
    expect(await page.getByLabel('核查期限（天，自受理起）').inputValue()).toBe(
      String(before.tipLimits.verifyDays),
    );
    expect((await storedPolicy()).tipLimits.verifyDays).toBe(before.tipLimits.verifyDays);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('reads and saves the same in English', async () => {
    const page = await administratorPage();
    const before = await storedPolicy();
    await page.goto(`${cloud.url}/en/office/admin/policies`);
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
    await versionLine(page).waitFor();
    expect(await versionLine(page).innerText()).toMatch(
      before.version ? new RegExp(`^Version ${before.version} · edited by `) : /^Version 0: /,
    );
    const subject = page.locator('#policy-messages-circular-subject-en');
    await subject.fill('Circular: {enterprise} is {daysOverdue} day(s) late');
    await page.getByRole('button', { name: 'Save the ladder and messages' }).click();
    await page.locator('[data-saved="ladder"]').waitFor();
    expect(await page.locator('[data-saved="ladder"]').innerText()).toBe(
      `Saved: now version ${before.version + 1}`,
    );
    // A misspelt placeholder is refused in English, beside its field.
    await subject.fill('Circular: {entreprise}');
    await page.getByRole('button', { name: 'Save the ladder and messages' }).click();
    const error = page.locator('[data-field-error="messages.circular.subject.en"]');
    await error.waitFor();
    expect(await error.innerText()).toContain('Unknown placeholder {entreprise}');
    expect(await accessibilityViolations(page)).toEqual([]);
    const stored = await storedPolicy();
    expect(stored.version).toBe(before.version + 1);
    expect(stored.messages.circular.subject.en).toBe(
      'Circular: {enterprise} is {daysOverdue} day(s) late',
    );
    await page.close();
  });
});
