import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
import { giveHazardCommand } from '../support/hazards.ts';
import { signInTab } from '../support/office-console.ts';
import { readStatisticsWorkbook } from '../support/statistics-xlsx.ts';
import { postJson, validTip } from '../support/tips.ts';

// Issue 15's dashboard: a leader of 葛城街道 reads the statistics, each chart beside its
// table, in Chinese and in English; an overdue count opens those hazards in the ledger; a
// town drills down to its villages and communities (村/社区), whose open counts open theirs.
const webRoot = join(repositoryRoot, 'web/build');
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;

async function record(place: string, grade: 'general' | 'major', foundOn?: string, unit?: string) {
  const token = await signIn(cloud.url, 'cq-gecheng.officer');
  const reply = await postJson(
    `${cloud.url}/api/office/hazards`,
    {
      idempotencyKey: randomUUID(),
      jurisdiction: 'cq-gecheng',
      source: 'inspection',
      // Industry and trade: the longest English name (176 characters), for the chart's labels.
      industry: grade === 'major' ? 'hazardous_chemicals' : 'industry_trade',
      enterprise: '91350100M000100Y43',
      place,
      grade,
      ...(grade === 'major' ? { standard: { ref: 'GB 35181-2025', clause: '5.1.1' } } : {}),
      description: `${place}安全出口被货物堵塞，灭火器压力不足。`,
      ...(foundOn ? { foundOn } : {}),
      ...(unit ? { unit } : {}),
    },
    { authorization: `Bearer ${token}` },
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { token, hazard: { id: reply.body.hazard.hazardId, revision: reply.body.revision } };
}

async function command(
  token: string,
  hazard: { id: string; revision: number },
  body: Record<string, unknown>,
) {
  const reply = await giveHazardCommand(cloud.url, token, hazard, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  hazard.revision = reply.body.revision;
}

beforeAll(async () => {
  if (!existsSync(join(webRoot, '200.html'))) {
    throw new Error('web/build is missing the office console: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot, clock });
  browser = await launchChromium();
  // Overdue soon; closed; a backlog hazard found in 2023 still open; a major one reported;
  // one rectifying, due at the end of the month.
  // By unit: 东门社区 一号 and 四号, 西门社区 五号, 南门社区 二号; 三号 names none.
  const overdue = await record('一号仓库', 'general', undefined, '东门社区');
  await command(overdue.token, overdue.hazard, {
    type: 'start_rectification',
    responsible: '王某',
    measures: '更换灭火器',
    deadline: { date: '2026-12-09' },
  });
  const closed = await record('二号仓库', 'general', undefined, '南门社区');
  await command(closed.token, closed.hazard, {
    type: 'start_rectification',
    responsible: '王某',
    measures: '清理通道',
    deadline: { date: '2026-12-20' },
  });
  await command(closed.token, closed.hazard, {
    type: 'submit_evidence',
    note: '已清理',
    photoKeys: [],
  });
  await command(closed.token, closed.hazard, {
    type: 'pass_verification',
    note: '现场核查通过',
    onSite: true,
  });
  await command(closed.token, closed.hazard, { type: 'close', note: '销号' });
  await record('三号仓库', 'general', '2023-11-20');
  await record('四号罐区', 'major', undefined, '东门社区');
  const later = await record('五号仓库', 'general', undefined, '西门社区');
  await command(later.token, later.hazard, {
    type: 'start_rectification',
    responsible: '赵某',
    measures: '加装喷淋',
    deadline: { date: '2026-12-31' },
  });
  // A tip sent online: the tips' table counts it under its channel.
  expect((await postJson(`${cloud.url}/api/tips`, validTip())).status).toBe(201);
  // Counted by the reconciler's next sweep (a tip's intake defers its counters).
  clock.advance(20 * 60_000);
  await cloud.reconcile();
  clock.set('2026-12-10T01:00:00.000Z'); // Thu 09:00 CST: 一号仓库's deadline has passed
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
});

async function leaderPage(viewport = desktopViewport): Promise<Page> {
  const page = await openPage(browser, viewport);
  await signInTab(page, cloud.url, 'cq-gecheng.leader_in_charge');
  return page;
}

const cells = async (page: Page, selector: string) =>
  (await page.locator(selector).locator('td').allInnerTexts()).map((cell) => cell.trim());

describe('the statistics dashboard', () => {
  it('shows charts with their tables, in Chinese, and passes axe', async () => {
    const page = await leaderPage();
    // The desk's link says what the page holds, as its neighbours do.
    await page.locator('.places a[href$="/office/statistics"]', { hasText: '攻坚目标' }).waitFor();
    await page.getByRole('link', { name: '统计分析' }).first().click();
    await page.getByRole('heading', { level: 1, name: '统计分析' }).waitFor();
    await page.locator('[data-region="cq-gecheng"]').waitFor();
    // Found in 2024-01 – 2026-12 (三号仓库, found in 2023, is outside: backlog), closed,
    // open, overdue, open major, mean days to close, on time.
    expect(await cells(page, '[data-region="cq-gecheng"]')).toEqual([
      '4',
      '1',
      '3',
      '1',
      '1',
      '0',
      '100%',
    ]);
    expect(await cells(page, '[data-cohort="backlog"]')).toEqual(['1', '0', '1']);
    expect(await cells(page, '[data-cohort="inflow"]')).toEqual(['4', '1', '3']);
    const backlogTarget = page.locator('[data-target="backlog_cleared"]');
    expect(await backlogTarget.getAttribute('data-standing')).toBe('missed');
    expect(await backlogTarget.innerText()).toContain('未达成');
    // A past due date in words, not "-709" days to it.
    expect(await backlogTarget.innerText()).toContain('已逾期 709 天');
    // Nothing found in 2024 nor in 2025: the inflow target is not applicable, not missed.
    const inflowTarget = page.locator('[data-target="inflow_curbed"]');
    expect(await inflowTarget.getAttribute('data-standing')).toBe('not_applicable');
    expect(await inflowTarget.innerText()).toContain('不适用');
    // The count of database reads is a diagnostic for the bench, not for the reader.
    expect(await page.locator('[data-as-of]').innerText()).not.toMatch(/读取|reads/);
    // In Chinese, a label ends in a full-width colon.
    expect(await page.locator('[data-as-of]').innerText()).toMatch(
      /：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
    );
    // Tips by channel: the online one, received, not yet verified.
    expect(await cells(page, '[data-tip-channel="web"]')).toEqual(['1', '0', '0', '0']);
    expect(await cells(page, '[data-tip-channel="hotline"]')).toEqual(['0', '0', '0', '0']);
    expect(await cells(page, '[data-tip-channel="total"]')).toEqual(['1', '0', '0', '0']);
    expect(await page.locator('[data-target="major_zero"]').getAttribute('data-standing')).toBe(
      'pending',
    );
    for (const chart of ['regions', 'industries', 'months', 'cohorts', 'tips']) {
      await page.locator(`[data-chart="${chart}"] svg`).first().waitFor();
      // Each chart is followed by its numbers as a table.
      expect(
        await page
          .locator(`[data-chart="${chart}"] ~ * table, [data-chart="${chart}"] ~ table`)
          .count(),
      ).toBe(1);
    }
    expect(await page.locator('[data-chart="regions"] svg').innerHTML()).toContain('葛城街道');
    // The rewards' money (issue 16): none approved here, every amount 0, in yuan and items;
    // offered, of which told late, claimed, paid, lapsed, open.
    const rewards = page.locator('table[data-table="rewards"]');
    expect(await rewards.locator('thead').innerText()).toContain('逾期失效');
    expect(await rewards.locator('thead').innerText()).toContain('逾期告知');
    expect(await cells(page, '[data-reward-region="cq-gecheng"]')).toEqual(
      Array(6).fill('0 (0笔)'),
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('reads the same in English', async () => {
    const page = await leaderPage();
    await page.goto(`${cloud.url}/en/office/statistics?jurisdiction=cq-gecheng`);
    await page.getByRole('heading', { level: 1, name: 'Statistics' }).waitFor();
    await page.getByRole('heading', { name: 'Campaign targets' }).waitFor();
    await page.locator('[data-region="cq-gecheng"]').waitFor();
    expect(await page.locator('[data-target="backlog_cleared"]').innerText()).toContain('Missed');
    expect(await page.locator('[data-target="backlog_cleared"]').innerText()).toContain(
      'Overdue by 709 days',
    );
    expect(await page.locator('[data-target="inflow_curbed"]').innerText()).toContain(
      'Not applicable',
    );
    expect(await page.locator('[data-as-of]').innerText()).not.toMatch(/reads/);
    expect(await page.locator('table[data-table="tips"] thead').innerText()).toContain(
      'Substantiated',
    );
    expect(await page.locator('table[data-table="rewards"] thead').innerText()).toContain('Lapsed');
    await page.locator('[data-chart="months"] svg').first().waitFor();
    // The industries' long English names leave the bars room (they once took it all).
    await page.locator('[data-chart="industries"] svg').first().waitFor();
    const widest = await page
      .locator('[data-chart="industries"] svg path')
      .evaluateAll((paths) =>
        Math.max(
          ...paths
            .filter((path) => ['#1f5fa8', '#2e8b57'].includes(path.getAttribute('fill') ?? ''))
            .map((path) => path.getBoundingClientRect().width),
        ),
      );
    expect(widest).toBeGreaterThan(60);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('fits a 360 px phone, in both languages: the page itself never scrolls sideways', async () => {
    for (const prefix of ['', '/en']) {
      const page = await leaderPage(phoneViewport);
      await page.goto(`${cloud.url}${prefix}/office/statistics?jurisdiction=cq-gecheng`);
      await page.locator('[data-tip-channel="total"]').waitFor();
      await page.locator('[data-chart="tips"] svg').first().waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, prefix || 'zh').toBeLessThanOrEqual(phoneViewport.width);
      // The targets' table scrolls sideways in its own region rather than squeeze its texts
      // into columns a character or two wide: each target's name has room, and its due
      // date, standing and timing read on one line.
      const targets = await page
        .locator('table[data-table="targets"] tbody tr')
        .evaluateAll((rows) =>
          rows.map((row) => {
            const lines = (cell: Element | null) => {
              if (!cell) return 0;
              const range = document.createRange();
              range.selectNodeContents(cell);
              return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
            };
            return {
              nameWidth: row.querySelector('th')?.getBoundingClientRect().width ?? 0,
              lines: ['due', 'standing', 'timing'].map((column) =>
                lines(row.querySelector(`td[data-column="${column}"]`)),
              ),
            };
          }),
        );
      // A region's name reads on one line, not a character to a line (葛城街道); English
      // names may wrap between words.
      const regionLines = await page
        .locator('table[data-table="regions"] tr[data-region="cq-gecheng"] th')
        .evaluate((cell) => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
        });
      if (!prefix) expect(regionLines).toBe(1);
      expect(targets.length, prefix || 'zh').toBe(3);
      for (const target of targets) {
        expect(target.nameWidth, prefix || 'zh').toBeGreaterThanOrEqual(150);
        expect(target.lines, prefix || 'zh').toEqual([1, 1, 1]);
      }
      if (process.env.SCREENSHOT_DIR) {
        await page.screenshot({
          path: join(process.env.SCREENSHOT_DIR, `statistics-phone${prefix.replace('/', '-')}.png`),
          fullPage: true,
        });
      }
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.close();
    }
  });

  it('downloads the numbers shown as an .xlsx, in Chinese, for reporting upward', async () => {
    const page = await leaderPage();
    await page.goto(`${cloud.url}/office/statistics?jurisdiction=cq-gecheng`);
    await page.locator('[data-region="total"]').waitFor();
    const shownTotals = await cells(page, '[data-region="total"]');
    const shownTips = await cells(page, '[data-tip-channel="total"]');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 Excel' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^统计分析_cq-gecheng_\d{4}-\d{2}_2026-12\.xlsx$/);
    const read = await readStatisticsWorkbook(await readFile((await file.path()) as string));
    await page.locator('[data-download-status]', { hasText: '已下载' }).waitFor();
    // The regions' total row: the page's numbers (on time as 100%, in the file 100).
    const regions = read.numbers.get('分区域 By region') ?? [];
    const total = regions.at(-1) ?? [];
    expect(total[0]).toBe('合计\nTotal');
    expect(total.slice(2).map((cell) => (cell === null ? '—' : String(cell)))).toEqual(
      shownTotals.map((cell) => cell.replace('%', '')),
    );
    expect(shownTotals).toEqual(['4', '1', '3', '1', '1', '0', '100%']);
    const tips = read.numbers.get('举报 Tips by channel') ?? [];
    expect((tips.at(-1) ?? []).slice(1).map(String)).toEqual(shownTips);
    expect(read.headings.get('攻坚目标 Targets')?.banner).toContain('葛城街道');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('opens the overdue hazards in the ledger from their count', async () => {
    const page = await leaderPage();
    await page.goto(`${cloud.url}/office/statistics?jurisdiction=cq-gecheng`);
    await page.locator('a[data-overdue="cq-gecheng"]').click();
    await page.waitForURL(
      /\/office\/hazards\?jurisdiction=cq-gecheng&status=rectifying&overdue=true/,
    );
    await page.locator('[data-overdue-only]').waitFor();
    await page.getByRole('link', { name: /一号仓库/ }).waitFor();
    // 五号仓库 is rectifying too, but not yet due: the overdue list leaves it out.
    expect(await page.getByRole('link', { name: /五号仓库/ }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '显示全部' }).click();
    await page.getByRole('link', { name: /五号仓库/ }).waitFor();
    await page.close();
  });

  it('drills 葛城街道 down to its units, and opens a unit’s open hazards in the ledger', async () => {
    const page = await leaderPage();
    await page.goto(`${cloud.url}/office/statistics?jurisdiction=cq-gecheng`);
    const units = page.locator('section[data-units-of="cq-gecheng"]');
    await units.getByRole('heading', { name: '分村/社区 · 葛城街道' }).waitFor();
    expect(await units.getByLabel('下钻到村/社区').inputValue()).toBe('cq-gecheng');
    // Found, closed, open, overdue, open major, mean days, on time; no unit: 三号仓库,
    // found in 2023 (outside the period), open but neither major nor overdue.
    expect(await cells(page, '[data-unit="东门社区"]')).toEqual([
      '2',
      '0',
      '2',
      '1',
      '1',
      '—',
      '—',
    ]);
    expect(await cells(page, '[data-unit="西门社区"]')).toEqual([
      '1',
      '0',
      '1',
      '0',
      '0',
      '—',
      '—',
    ]);
    expect(await cells(page, '[data-unit="南门社区"]')).toEqual([
      '1',
      '1',
      '0',
      '0',
      '0',
      '0',
      '100%',
    ]);
    expect(await units.locator('[data-unit=""] th').innerText()).toBe('未指定村/社区');
    expect(await cells(page, '[data-unit=""]')).toEqual(['0', '0', '0', '0', '0', '—', '—']);
    // The units add up to the town, shown as its total; the chart has the table after it.
    expect(await cells(page, '[data-unit="total"]')).toEqual(
      await cells(page, '[data-region="cq-gecheng"]'),
    );
    await page.locator('[data-chart="units"] svg').first().waitFor();
    expect(await page.locator('[data-chart="units"] svg').innerHTML()).toContain('东门社区');
    expect(
      await page.locator('[data-chart="units"] ~ * table, [data-chart="units"] ~ table').count(),
    ).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);

    // 东门社区's two open hazards: the ledger filtered to it, on its first open tab that has
    // hazards (reported: 四号罐区, not 三号仓库), and on the rectifying tab (一号, not 五号).
    await page.locator('a[data-open-unit="东门社区"]').click();
    await page.waitForURL(/\/office\/hazards\?jurisdiction=cq-gecheng&community=/);
    await page.getByRole('link', { name: /四号罐区/ }).waitFor();
    expect(await page.getByRole('link', { name: /三号仓库/ }).count()).toBe(0);
    expect(await page.locator('#filter-community').inputValue()).toBe('东门社区');
    await page.getByRole('link', { name: /整改中/ }).click();
    await page.getByRole('link', { name: /一号仓库/ }).waitFor();
    expect(await page.getByRole('link', { name: /五号仓库/ }).count()).toBe(0);
    expect(await page.locator('table').first().innerText()).toContain('东门社区');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('reaches the weekly report, in English on a phone, and downloads the same numbers', async () => {
    const page = await leaderPage(phoneViewport);
    await page.goto(`${cloud.url}/en/office/statistics?jurisdiction=cq-gecheng`);
    await page.getByRole('link', { name: 'Weekly hazard report' }).click();
    await page.getByRole('heading', { level: 1, name: 'Weekly hazard report' }).waitFor();
    await page.getByLabel('Any day of the week').fill('2026-12-09');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(
      /\/en\/office\/statistics\/weekly\?jurisdiction=cq-gecheng&week=2026-12-09/,
    );
    await page.locator('[data-week]', { hasText: '2026-12-07 – 2026-12-13' }).waitFor();
    const shown = await cells(page, '[data-region="cq-gecheng"]');
    // Found this week, closed, major open and overdue at the end of the last day ended,
    // (escalations), tips, substantiated. The week is under way (Thursday): its open counts
    // are taken at 24:00 of Wednesday 12-09, 一号仓库's deadline itself: not yet overdue.
    await page
      .locator('[data-week]', { hasText: 'Open and overdue as of: 2026-12-09 24:00' })
      .waitFor();
    expect([shown[0], shown[1], shown[2], shown[3], shown[5]]).toEqual(['4', '1', '1', '0', '1']);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(phoneViewport.width);
    expect(await accessibilityViolations(page)).toEqual([]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download as Excel' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('隐患排查治理周报_cq-gecheng_2026-12-07_2026-12-13.xlsx');
    const read = await readStatisticsWorkbook(await readFile((await file.path()) as string));
    const rows = read.numbers.get('周报 Weekly report') ?? [];
    expect(rows.map((row) => row.slice(2).map(String))).toEqual([shown]);
    // A week not yet begun is refused, in the page's language.
    await page.goto(
      `${cloud.url}/office/statistics/weekly?jurisdiction=cq-gecheng&week=2026-12-14`,
    );
    expect(await page.locator('[data-weekly-error]').innerText()).toContain('这一周还没有开始');
    await page.close();
  });

  it('says what is wrong with a period, in Chinese, and shows no numbers', async () => {
    const page = await leaderPage();
    await page.goto(
      `${cloud.url}/office/statistics?jurisdiction=cq-gecheng&from=2026-05&to=2026-01`,
    );
    const error = page.locator('[data-statistics-error]');
    await error.waitFor();
    expect(await error.innerText()).toContain('起始月份不能晚于结束月份');
    expect(await page.locator('[data-region]').count()).toBe(0);
    await page.close();
  });
});
