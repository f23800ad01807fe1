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

// Issue 14's must-show: each role signs in to a desk with work on it from the demo data,
// and no entry of its own navigation leads to a page that says it is not allowed.
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

const notAllowed = { zh: '您无权进行此操作', en: 'You are not allowed to do this' };

async function signInAs(
  page: Page,
  username: string,
  language: 'zh' | 'en' = 'zh',
): Promise<ReturnType<typeof watchApi>> {
  const calls = watchApi(page);
  const prefix = language === 'en' ? '/en' : '';
  // Through the sign-in page, as each role's people do: their demo user is offered there,
  // and the console goes from it to their desk (the other e2e files use signInTab).
  await page.goto(`${cloud.url}${prefix}/office/sign-in`);
  // reward_officer, not reward_officer_2
  const name = new RegExp(`${username.replace('.', '\\.')}(?![_\\w])`);
  await page.getByRole('button', { name }).click();
  await page.waitForURL(new RegExp(`${prefix}/office$`));
  return calls;
}

/** Follows every entry of the navigation, each page to its last API answer. */
async function followNavigation(
  page: Page,
  calls: ReturnType<typeof watchApi>,
  language: 'zh' | 'en',
): Promise<string[]> {
  const navigation = page.getByRole('navigation', {
    name: language === 'en' ? 'Console navigation' : '工作台导航',
  });
  await navigation.getByRole('link').first().waitFor();
  const hrefs = await navigation
    .getByRole('link')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  for (const target of hrefs) {
    await navigation.locator(`a[href="${target}"]`).click();
    await page.waitForURL((url) => url.pathname === target);
    // A rendered frame: the page's effects have sent what they send on opening.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    await expect.poll(() => calls.inFlight).toBe(0);
    const body = await page.locator('body').innerText();
    expect(body, target).not.toContain(notAllowed[language]);
  }
  expect(calls.refused).toEqual([]);
  return hrefs;
}

const count = async (page: Page, key: string) =>
  Number(await page.locator(`[data-card="${key}"] .count`).innerText());

const roles = [
  { who: 'officer', work: 'work-tips-to-accept', pages: 6 },
  { who: 'department_head', work: 'work-extensions', pages: 5 },
  { who: 'leader_in_charge', work: 'work-escalations-today', pages: 5 },
  { who: 'principal_leader', work: 'work-overdue', pages: 5 },
  { who: 'reward_officer', work: 'work-rewards-to-compute', pages: 2 },
  { who: 'reward_officer_2', work: 'work-rewards-to-approve', pages: 2 },
] as const;

describe('a desk per role, on the demo office', () => {
  it.each(roles)('$who lands on work and every page of the navigation opens', async (role) => {
    const page = await openPage(browser, desktopViewport);
    const calls = await signInAs(page, `cq-gecheng.${role.who}`);
    await page.locator(`[data-card="${role.work}"]`).waitFor();
    expect(await count(page, role.work)).toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await followNavigation(page, calls, 'zh')).toHaveLength(role.pages);
    // Only an officer records a hazard: no one else is offered the form the server refuses.
    if (role.pages === 5) {
      await page.goto(`${cloud.url}/office/hazards?jurisdiction=cq-gecheng`);
      await page.getByRole('heading', { name: '隐患台账', level: 1 }).waitFor();
      expect(await page.getByRole('button', { name: '登记隐患' }).count()).toBe(0);
    }
    await page.context().close();
  });

  it('a count leads to the list behind it: the reward to approve opens its tip', async () => {
    const page = await openPage(browser, desktopViewport);
    const calls = await signInAs(page, 'cq-gecheng.reward_officer_2');
    await page.locator('[data-card="work-rewards-to-approve"]').click();
    const list = page.getByRole('region', { name: '待批准奖励' });
    await list.getByRole('link', { name: /西门社区西大街 15 号/ }).click();
    await page.waitForURL(/\/office\/tips\/view\?id=/);
    const tipPage = page.url();
    const result = page.getByRole('region', { name: '查处结果与奖励' });
    await expect.poll(async () => result.textContent()).toContain('核算：曹颖');
    await expect.poll(() => calls.inFlight).toBe(0);
    // A reward officer may not list tips: the page asks nothing it is refused, and leads
    // back to the desk rather than to the inbox.
    expect(calls.refused).toEqual([]);
    expect(await page.getByRole('link', { name: '返回工作台' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: '批准奖励' }).count()).toBeGreaterThan(0);
    await page.context().close();

    // The reward officer who computed it is not offered its approval.
    const computer = await openPage(browser, desktopViewport);
    await signInAs(computer, 'cq-gecheng.reward_officer');
    await computer.goto(tipPage);
    await computer.getByRole('region', { name: '查处结果与奖励' }).waitFor();
    await expect
      .poll(async () => computer.getByRole('region', { name: '查处结果与奖励' }).textContent())
      .toContain('核算：曹颖');
    expect(await computer.getByRole('button', { name: '批准奖励' }).count()).toBe(0);
    await computer.context().close();
  });

  it('an administrator reads the ladder, the calendar and the contacts', async () => {
    const page = await openPage(browser, desktopViewport);
    const calls = await signInAs(page, 'cq-gecheng.administrator');
    const ladder = page.locator('[data-admin="ladder"] li');
    await ladder.first().waitFor();
    expect(await ladder.count()).toBe(5);
    expect(await page.locator('[data-admin="calendar"] li').count()).toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await followNavigation(page, calls, 'zh')).toEqual([
      '/office',
      '/office/admin/policies',
      '/office/admin/calendar',
      '/office/admin/rewards',
      '/office/admin/contacts',
      '/office/admin/jurisdiction',
      '/office/admin/users',
    ]);
    await page.context().close();
  });

  it('an officer works the same desk in English', async () => {
    const page = await openPage(browser, desktopViewport);
    const calls = await signInAs(page, 'cq-gecheng.officer', 'en');
    const card = page.locator('[data-card="work-tips-to-accept"]');
    await card.waitFor();
    expect(await card.innerText()).toContain('Tips to accept');
    expect(await page.locator('[data-card="work-overdue"]').innerText()).toContain(
      'Rectification overdue',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    const hrefs = await followNavigation(page, calls, 'en');
    expect(hrefs.every((target) => target.startsWith('/en/office'))).toBe(true);
    await page.context().close();
  });

  it('a department head’s desk fits a 360 px phone', async () => {
    const page = await openPage(browser, phoneViewport);
    await signInAs(page, 'cq-gecheng.department_head');
    await page.locator('[data-card="work-extensions"]').waitFor();
    expect(await count(page, 'work-extensions')).toBe(1);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
