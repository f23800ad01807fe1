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
  watchApi,
} from '../support/browser.ts';
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, startTestCloud } from '../support/embedded-cloud.ts';
import { signInTab } from '../support/office-console.ts';

// Issue 15, "Each role's desk": on the demo office, every number on every office role's
// desk opens exactly the hazards (or tips) behind it, no more, no fewer; each role's "my
// cases" says what is theirs and lists it. In Chinese, one journey in English, one on a
// 360 px phone, axe-core clean.
const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing the office console: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot, clock, demoRecords: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

/** A page has settled when no API call is in flight, a frame after its effects ran. */
async function settled(page: Page, calls: ReturnType<typeof watchApi>) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
  await expect.poll(() => calls.inFlight).toBe(0);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
}

async function signInAs(page: Page, who: string, language: 'zh' | 'en' = 'zh') {
  const calls = watchApi(page);
  const prefix = language === 'en' ? '/en' : '';
  await signInTab(page, cloud.url, `cq-gecheng.${who}`, `${prefix}/office`);
  await page.locator('[data-card]').first().waitFor();
  await settled(page, calls);
  return calls;
}

/** The rows a card's link opened: a desk card's hazards, a ledger tab's, an inbox tab's. */
const rowsShown = (page: Page) =>
  page.locator('main [data-hazard], main a[id^="hazard-"], main a[id^="tip-"]').count();

const officeRoles = [
  { who: 'officer', mine: '监管人员：由您登记、尚未销号的隐患。' },
  { who: 'department_head', mine: '科室负责人：等待您决定的隐患' },
  { who: 'leader_in_charge', mine: '分管领导：约谈已到期、尚未记录约谈的隐患' },
  { who: 'principal_leader', mine: '主要领导：待约谈的隐患、挂牌督办中的隐患' },
] as const;

describe('every number on the desk opens exactly what it counts', () => {
  it.each(officeRoles)('$who: each card, clicked, lists as many as it says', async (role) => {
    const page = await openPage(browser, desktopViewport);
    const calls = await signInAs(page, role.who);
    expect(await accessibilityViolations(page)).toEqual([]);
    const keys = await page
      .locator('[data-card]')
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-card') ?? ''));
    const seen: Record<string, [number, number]> = {};
    for (const key of keys) {
      const card = page.locator(`[data-card="${key}"]`);
      const count = Number(await card.locator('.count').innerText());
      await card.click();
      await page.waitForURL((url) => url.pathname !== '/office');
      await settled(page, calls);
      seen[key] = [count, await rowsShown(page)];
      await page.goBack();
      await page.locator(`[data-card="${key}"]`).waitFor();
      await settled(page, calls);
    }
    const mismatched = Object.entries(seen).filter(([, [count, rows]]) => count !== rows);
    expect(mismatched).toEqual([]);
    expect(calls.refused).toEqual([]); // no card leads to a page its role may not read
    // What "my cases" means for the role is said on the desk.
    expect(await page.getByRole('region', { name: '我的案件' }).innerText()).toContain(role.mine);
    await page.context().close();
  });

  it('the leader in charge: a summons to hold opens its hazard, and my cases names it', async () => {
    const page = await openPage(browser, desktopViewport);
    const calls = await signInAs(page, 'leader_in_charge');
    const mine = page.getByRole('region', { name: '我的案件' });
    const row = mine.locator('li', { hasText: '冷库及制冷机房' });
    expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(/整改中.*已超期.*待约谈/);
    await page.locator('[data-card="work-summons-to-hold"]').click();
    await page.waitForURL(/\/office\/desk\?.*card=summonsToHold/);
    await page.getByRole('heading', { name: '待约谈 · 葛城街道', level: 1 }).waitFor();
    await settled(page, calls);
    expect(await page.locator('main [data-hazard]').allInnerTexts()).toEqual([
      expect.stringContaining('冷库及制冷机房'),
    ]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '冷库及制冷机房' }).click();
    await page.waitForURL(/\/office\/hazards\/view\?id=/);
    await page.getByRole('heading', { name: '记录约谈' }).waitFor();
    await page.context().close();
  });
});

describe('the desk in English and on a phone', () => {
  it('the principal leader, in English: the exposed hazard behind its card', async () => {
    const page = await openPage(browser, desktopViewport);
    const calls = await signInAs(page, 'principal_leader', 'en');
    const mine = page.getByRole('region', { name: 'My cases' });
    expect(await mine.innerText()).toContain('Principal leader: summonses to hold');
    expect(await mine.innerText()).toContain('Summonses to hold');
    const exposed = page.locator('[data-card="work-exposed"]');
    expect(await exposed.innerText()).toContain('Exposed');
    expect(await exposed.locator('.count').innerText()).toBe('1');
    await exposed.click();
    await page.waitForURL(/\/en\/office\/desk\?.*card=exposed/);
    await page.getByRole('heading', { name: /^Exposed · Gecheng Subdistrict/, level: 1 }).waitFor();
    await settled(page, calls);
    const rows = await page.locator('main [data-hazard]').allInnerTexts();
    expect(rows).toEqual([expect.stringMatching(/车站路停车场[\s\S]*Overdue/)]);
    expect(await page.locator('main').innerText()).toContain(
      '1 in all: the hazards the number on the desk counts',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('a department head on a 360 px phone: the extension card and its list fit', async () => {
    const page = await openPage(browser, phoneViewport);
    const calls = await signInAs(page, 'department_head');
    const overflow = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    expect(await overflow()).toBeLessThanOrEqual(0);
    const mine = page.getByRole('region', { name: '我的案件' });
    expect(
      (await mine.locator('li').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ')),
    ).toEqual([expect.stringMatching(/后厨燃气管道.*待审批延期/)]);
    await page.locator('[data-card="work-extensions"]').click();
    await page.waitForURL(/card=pendingExtensions/);
    await settled(page, calls);
    expect(await page.locator('main [data-hazard]').allInnerTexts()).toEqual([
      expect.stringContaining('后厨燃气管道'),
    ]);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
