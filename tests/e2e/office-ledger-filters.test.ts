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
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { signInTab } from '../support/office-console.ts';
import { postJson } from '../support/tips.ts';

// Issue 15: the ledger's filters on the console's page. The officer filters, the address
// keeps the filters (a link reproduces the view), the rows are the right ones, the export
// holds what the page shows; in Chinese and in English, axe-clean.
const webRoot = join(repositoryRoot, 'web/build');
const enterprise = '91350100M000100Y43';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

const dateIn = (days: number) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
const standard = { ref: 'GB 35181-2025', clause: '5.1.1' };
const rows = [
  { place: '筛选甲车间', industry: 'fire', grade: 'major', foundOn: dateIn(-10) },
  { place: '筛选乙车间', industry: 'fire', grade: 'general', foundOn: dateIn(-10) },
  { place: '筛选丙工地', industry: 'construction', grade: 'major', foundOn: dateIn(-20) },
  { place: '筛选丁工地', industry: 'construction', grade: 'general', foundOn: dateIn(-100) },
];
const places = rows.map((row) => row.place);

beforeAll(async () => {
  if (!existsSync(join(webRoot, 'enterprise/index.html'))) {
    throw new Error('web/build is missing the enterprise page: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
  const token = await signIn(cloud.url, 'cq-gecheng.officer');
  const imported = await postJson(
    `${cloud.url}/api/office/hazard-imports`,
    {
      jurisdiction: 'cq-gecheng',
      source: 'inspection',
      rows: rows.map((row, index) => ({
        rowId: `FILTER-${index}`,
        ...row,
        enterprise,
        ...(row.grade === 'major' ? { standard } : {}),
        description: `${row.place}安全出口被货物堵塞。`,
      })),
    },
    { authorization: `Bearer ${token}` },
  );
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

const axeClean = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

async function officerPage(): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await signInTab(page, cloud.url, 'cq-gecheng.officer');
  await page.getByRole('heading', { name: '当前登录' }).waitFor();
  return page;
}

/** The seeded places the table shows, once it shows exactly `expected` of them. */
async function shownPlaces(page: Page, expected: string[]): Promise<string[]> {
  const table = page.locator('table tbody');
  await expect
    .poll(async () => {
      const text = (await table.textContent()) ?? '';
      return places.filter((place) => text.includes(place));
    })
    .toEqual(expected);
  return expected;
}

describe('the ledger’s filters', () => {
  it('filters by grade, industry and period, kept in the address, exported as shown', async () => {
    const page = await officerPage();
    await page.goto(`${cloud.url}/office/hazards?jurisdiction=cq-gecheng&status=reported`);
    await shownPlaces(page, places);
    const filters = page.getByRole('form', { name: '筛选台账' });
    await filters.getByLabel('级别').selectOption('major');
    await filters.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/grade=major/);
    await shownPlaces(page, ['筛选甲车间', '筛选丙工地']);
    await page.getByText(/（已筛选）/).waitFor();
    await axeClean(page);
    await filters.getByLabel('所属行业').selectOption('fire');
    await filters.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/industry=fire/);
    await shownPlaces(page, ['筛选甲车间']);

    await filters.getByLabel('级别').selectOption('');
    await filters.getByLabel('所属行业').selectOption('');
    await filters.getByLabel('发现起始日').fill(dateIn(-30));
    await filters.getByLabel('排序').selectOption('foundOn-asc');
    await filters.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/foundFrom=/);
    expect(page.url()).not.toContain('grade=');
    await shownPlaces(page, ['筛选甲车间', '筛选乙车间', '筛选丙工地']);
    // Oldest found first: 丙 (20 days ago) before 甲 and 乙 (10 days ago).
    const text = (await page.locator('table tbody').textContent()) ?? '';
    expect(text.indexOf('筛选丙工地')).toBeLessThan(text.indexOf('筛选甲车间'));

    // The address reproduces the view, the form showing what it holds.
    const address = page.url();
    const again = await officerPage();
    await again.goto(address);
    await shownPlaces(again, ['筛选甲车间', '筛选乙车间', '筛选丙工地']);
    const form = again.getByRole('form', { name: '筛选台账' });
    expect(await form.getByLabel('发现起始日').inputValue()).toBe(dateIn(-30));
    expect(await form.getByLabel('排序').inputValue()).toBe('foundOn-asc');

    // The export holds the rows the filters show, no more.
    const download = again.waitForEvent('download');
    await again.getByRole('button', { name: '导出台账（CSV）' }).click();
    const csv = await (await download).createReadStream();
    let file = '';
    for await (const chunk of csv) file += chunk.toString();
    const lines = file.trim().split('\r\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toContain('筛选丁工地');
    await again.getByText(/已导出 3 条隐患/).waitFor();
    await axeClean(again);

    await again.getByRole('link', { name: '清除筛选' }).click();
    await shownPlaces(again, places);
    await page.context().close();
    await again.context().close();
  });

  it('filters by supervising department in English', async () => {
    const page = await officerPage();
    await page.goto(`${cloud.url}/en/office/hazards?jurisdiction=cq-gecheng&status=reported`);
    await shownPlaces(page, places);
    const filters = page.getByRole('form', { name: 'Filter the ledger' });
    await filters.getByLabel('Supervising department').selectOption('housing_construction');
    await filters.getByLabel('Overdue only').check();
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/unit=housing_construction/);
    // None of them is overdue (no deadline yet): the filtered ledger says so.
    await page.getByText(/No hazards .* match the filters/).waitFor();
    await filters.getByLabel('Overdue only').uncheck();
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.url()).not.toContain('overdue');
    await shownPlaces(page, ['筛选丙工地', '筛选丁工地']);
    await page.getByText(/\(filtered\)/).waitFor();
    await axeClean(page);
    await page.context().close();
  });
});
