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
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';

// The office desk (工作台): an officer sees what needs doing as counts, and each count opens
// the ledger tab with those hazards; the ledger's tabs carry the counts and, with no tab
// chosen, open on the first open status that has hazards.
const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing the office console: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot, clock });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

async function record(place: string, grade: 'general' | 'major', deadline?: string) {
  const token = await signIn(cloud.url, 'cq-gecheng.officer');
  const reply = await recordHazard(cloud.url, token, place, grade);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  if (!deadline) return;
  const hazard = { id: reply.body.hazard.hazardId, revision: reply.body.revision };
  const started = await giveHazardCommand(cloud.url, token, hazard, {
    type: 'start_rectification',
    responsible: '王某',
    measures: '更换灭火器',
    deadline: { date: deadline },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
}

async function officerPage(): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await page.goto(`${cloud.url}/office/sign-in`);
  await page.getByRole('button', { name: /cq-gecheng\.officer/ }).click();
  await page.waitForURL(/\/office$/);
  await page.getByRole('heading', { name: '当前登录' }).waitFor();
  return page;
}

const card = (page: Page, key: string) => page.locator(`[data-card="${key}"]`);

describe('the office desk', () => {
  it('opens the ledger where the work is, with counts on its tabs', async () => {
    await record('一号仓库', 'general', '2026-12-09');
    const page = await officerPage();
    await page.getByRole('link', { name: '隐患台账' }).first().click();
    await page.getByRole('link', { name: /一号仓库/ }).waitFor();
    const current = page
      .getByRole('navigation', { name: '按状态查看' })
      .locator('a[aria-current="page"]');
    expect((await current.innerText()).replace(/\s+/g, '')).toBe('整改中1');
    expect(page.url()).not.toContain('status=');
    await page.close();
  });

  it('shows the counts, overdue once the deadline passed, and a click lands on them', async () => {
    await record('二号仓库', 'general');
    await record('三号仓库', 'major');
    clock.set('2026-12-10T01:00:00.000Z'); // Thu 09:00 CST: 一号仓库's deadline has passed
    const page = await officerPage();
    await card(page, 'overdue').waitFor();
    const counts: Record<string, string> = {};
    for (const key of ['overdue', 'due-soon', 'open-major', 'reported', 'rectifying']) {
      counts[key] = await card(page, key).locator('.count').innerText();
    }
    expect(counts).toEqual({
      overdue: '1',
      'due-soon': '0',
      'open-major': '1',
      reported: '2',
      rectifying: '1',
    });
    expect(await card(page, 'overdue').innerText()).toContain('整改已超期');
    expect(await accessibilityViolations(page)).toEqual([]);

    await card(page, 'reported').click();
    await page.waitForURL(/status=reported/);
    await page.getByRole('link', { name: /二号仓库/ }).waitFor();
    await page.getByRole('link', { name: /三号仓库/ }).waitFor();
    expect(await page.getByRole('link', { name: /一号仓库/ }).count()).toBe(0);
    const tab = page
      .getByRole('navigation', { name: '按状态查看' })
      .locator('a[aria-current="page"]');
    expect((await tab.innerText()).replace(/\s+/g, '')).toBe('已登记2');

    await page.goBack();
    await card(page, 'overdue').click();
    await page.waitForURL(/status=rectifying/);
    await page.getByRole('link', { name: /一号仓库/ }).waitFor();
    await page.close();
  });
});
