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
import { ManualClock } from '../support/clock.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';
import { signInTab } from '../support/office-console.ts';

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

async function record(
  place: string,
  grade: 'general' | 'major',
  deadline?: string,
  username = 'cq-gecheng.officer',
) {
  const token = await signIn(cloud.url, username);
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

async function officerPage(
  username = 'cq-gecheng.officer',
  viewport = desktopViewport,
): Promise<Page> {
  const page = await openPage(browser, viewport);
  await signInTab(page, cloud.url, username);
  await page.getByRole('heading', { name: '当前登录' }).waitFor();
  return page;
}

const card = (page: Page, key: string) => page.locator(`[data-card="${key}"]`);

describe('the office desk', () => {
  it('opens the ledger where the work is, with counts on its tabs', async () => {
    await record('一号仓库', 'general', '2026-12-09');
    const page = await officerPage();
    await page.getByRole('link', { name: '隐患台账' }).first().click();
    // The desk lists 一号仓库 too (my cases): wait for the ledger itself.
    await page.waitForURL(/\/office\/hazards/);
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
    // Overdue opens the overdue hazards, not every rectifying one.
    await card(page, 'overdue').click();
    await page.waitForURL(/\/office\/desk\?.*card=overdue/);
    await page.getByRole('link', { name: /一号仓库/ }).waitFor();
    expect(await page.locator('main [data-hazard]').count()).toBe(1);
    await page.close();
  });

  it("lists each officer's own open cases, overdue first, each opening its hazard", async () => {
    await record('五号仓库', 'general', undefined, 'cq-gecheng.second_officer');
    for (const viewport of [phoneViewport, desktopViewport]) {
      const page = await officerPage('cq-gecheng.officer', viewport);
      const mine = page.getByRole('region', { name: '我的案件' });
      await mine.getByRole('link', { name: '一号仓库' }).waitFor();
      const rows = (await mine.locator('li').allInnerTexts()).map((row) =>
        row.replace(/\s+/g, ' '),
      );
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatch(/一号仓库.*整改中.*期限 2026-12-09.*已超期/);
      expect(rows.slice(1).join('|')).toMatch(/二号仓库.*已登记/);
      expect(rows.join('|')).not.toContain('五号仓库');
      expect(await accessibilityViolations(page)).toEqual([]);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
      if (viewport === desktopViewport) {
        await mine.getByRole('link', { name: '一号仓库' }).click();
        await page.waitForURL(/\/office\/hazards\/view\?id=/);
        await page.getByText('一号仓库').first().waitFor();
      }
      await page.context().close();
    }
    const colleague = await officerPage('cq-gecheng.second_officer');
    const theirs = colleague.getByRole('region', { name: '我的案件' });
    await theirs.getByRole('link', { name: '五号仓库' }).waitFor();
    expect(await theirs.locator('li').count()).toBe(1);
    await colleague.context().close();
  });
});
