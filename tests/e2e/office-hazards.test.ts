import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerHeaderRow, ledgerSheetName } from '@qingling/shared/hazards/ledger-workbook.ts';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  desktopViewport,
  launchChromium,
  narrowestFactValue,
  openPage,
  phoneViewport,
} from '../support/browser.ts';
import { repositoryRoot, signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { signInTab } from '../support/office-console.ts';
import { postJson } from '../support/tips.ts';

const webRoot = join(repositoryRoot, 'web/build');
const enterprise = '91350100M000100Y43';
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let browser: Browser;
let folder: string;

beforeAll(async () => {
  if (!existsSync(join(webRoot, 'enterprise/index.html'))) {
    throw new Error('web/build is missing the enterprise page: run npm run build:web first');
  }
  cloud = await startTestCloud({ webRoot });
  browser = await launchChromium();
  folder = await mkdtemp(join(tmpdir(), 'qingling-office-'));
});
afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
  await cloud?.removeData();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** A CST date `days` from now, as the date inputs take it. */
const dateIn = (days: number) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** Every WCAG 2.1 A/AA violation axe finds on the page, which should be none. */
const axeClean = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

/** A fresh browser tab (sessions live per tab) signed in as a demo user (signInTab). */
async function officerPage(username = 'cq-gecheng.officer'): Promise<Page> {
  const page = await openPage(browser, desktopViewport);
  await signInTab(page, cloud.url, username);
  await page.getByRole('heading', { name: '当前登录' }).waitFor();
  return page;
}

/** Clicks an export button and opens the .xlsx the browser downloads (from the server). */
async function exportedSheet(page: Page, button: string) {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile((await (await download).path()) as string);
  const sheet = workbook.getWorksheet(ledgerSheetName);
  if (!sheet) throw new Error('the export has no ledger sheet');
  return sheet;
}

/** The notice that says what the last decision did (focus moves to it). */
async function decided(page: Page, notice: string) {
  await page.locator('#hazard-notice', { hasText: notice }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('hazard-notice');
}

describe('an officer at a desktop', () => {
  it('records a major hazard and drives it to closure with the enterprise', async () => {
    const page = await officerPage();
    await page.getByText('葛城街道').first().waitFor();
    expect(await page.getByText('张伟').count()).toBeGreaterThan(0);
    await axeClean(page);
    const marker = `E2E-${Date.now()}`;

    await page.getByRole('link', { name: '隐患台账' }).first().click();
    await page.getByRole('heading', { name: '隐患台账' }).waitFor();
    await page.getByRole('button', { name: '登记隐患' }).click();
    await page.getByLabel('检查发现').check();
    await page.getByLabel('行业领域').selectOption('fire');
    await page.getByLabel('重大隐患').check();
    await page.getByLabel('判定标准').selectOption('GB 35181-2025 重大火灾隐患判定规则');
    await page.getByLabel('条款').fill('5.1.1');
    await page.getByLabel('统一社会信用代码').fill('91350100M000100Y44');
    await page.getByLabel('位置', { exact: true }).fill('东门路 18 号仓库');
    await page.getByLabel('隐患描述').fill(`${marker} 仓库安全出口被货物堵死，疏散通道不畅。`);
    await page.getByRole('button', { name: '登记', exact: true }).click();
    // Checked in the browser with the API's own schema, in the API's words.
    await page.getByText('统一社会信用代码校验位不正确。').first().waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('record-hazard-summary');
    await axeClean(page);
    await page.getByLabel('统一社会信用代码').fill(enterprise);
    await page.getByRole('button', { name: '登记', exact: true }).click();

    await page.waitForURL(/\/office\/hazards\/view\?id=[a-z2-7]{26}$/);
    await page.getByRole('heading', { name: /东门路 18 号仓库/ }).waitFor();
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
    await axeClean(page);
    await page.getByRole('button', { name: '开始整改' }).click();
    await decided(page, '已开始整改。');
    expect(await page.locator('.standing').textContent()).toContain('整改中');

    // The enterprise's link, opened on a phone with no office session.
    await page.getByRole('button', { name: '生成链接' }).click();
    const link = await page.getByLabel('中文链接').inputValue();
    expect(link).toMatch(new RegExp(`^${cloud.url}/enterprise/#[\\w.-]+$`));
    expect(await page.getByLabel('英文链接').inputValue()).toContain('/en/enterprise/#');
    await axeClean(page);

    const phone = await openPage(browser, phoneViewport);
    await phone.goto(link);
    await phone.getByText(marker).waitFor();
    expect(await phone.getByText('整改期间专人值守，配备灭火器').count()).toBe(1);
    expect(
      await phone.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    expect(await narrowestFactValue(phone)).toBeGreaterThanOrEqual(0.5);
    await axeClean(phone);
    await phone.getByLabel('整改完成', { exact: true }).check();
    const evidence = `${marker} 货物已全部搬离，安全出口畅通，已划设禁止堆放标线。`;
    await phone.getByLabel('整改完成情况').fill(evidence);
    await phone.getByRole('button', { name: '提交', exact: true }).click();
    await phone.getByText('整改完成情况已提交，请等待监管部门核查。').waitFor();
    expect(await phone.evaluate(() => sessionStorage.length)).toBe(0);
    await axeClean(phone);
    await phone.context().close();

    // Back at the desk: the enterprise's evidence is there; verify and close.
    await page.reload();
    await page.getByRole('heading', { name: '企业提交', exact: true }).waitFor();
    await page.locator('section', { hasText: '企业提交' }).getByText(evidence).first().waitFor();
    expect(await page.locator('.standing').textContent()).toContain('待核查');
    await page.getByLabel('整改到位，核查通过').check();
    await page.getByLabel('说明', { exact: true }).fill('现场核查，安全出口畅通。');
    await page.getByRole('button', { name: '记录核查结果' }).click();
    await decided(page, '已记录核查通过，可以销号。');
    // A major hazard is signed off by a second person, the department head (closure.ts).
    await page.getByText('待科室负责人审核销号').waitFor();
    expect(await page.getByRole('button', { name: '销号…' }).count()).toBe(0);

    const head = await officerPage('cq-gecheng.department_head');
    await head.goto(page.url());
    await head.getByLabel('销号说明').fill('整改到位，同意销号。');
    await head.getByRole('button', { name: '销号…' }).click();
    await head.getByText('确认销号：由 周强 签名销号').waitFor();
    await axeClean(head);
    await head.getByRole('button', { name: '确认', exact: true }).click();
    await decided(head, '已销号。');
    expect(await head.locator('.standing').textContent()).toContain('已销号');
    await head.context().close();
    await page.reload();
    await page.locator('.standing', { hasText: '已销号' }).waitFor();
    // The major hazard's notice to the enterprise's principal and controller, by its name.
    expect(await page.locator('dt:has(+ [data-enterprise-told])').textContent()).toBe(
      '重大隐患告知',
    );
    expect((await page.locator('[data-enterprise-told]').textContent())?.trim()).toBe(
      '已告知企业主要负责人、实际控制人',
    );

    // The timeline says each step in plain words, by whom, and the chain verifies.
    const timeline = page.locator('section.log');
    const steps = await timeline.locator('.timeline-event .what strong').allTextContents();
    for (const step of ['登记隐患', '已告知企业', '开始整改', '报告整改完成', '核查通过', '销号']) {
      expect(steps).toContain(step);
    }
    expect(await timeline.getByText('企业（通过链接提交）').count()).toBeGreaterThan(0);
    expect(await timeline.locator('.who', { hasText: '张伟' }).count()).toBeGreaterThanOrEqual(3);
    // The sign-off is the department head's (谁签名、谁负责).
    expect(await timeline.locator('.who', { hasText: '周强' }).count()).toBe(1);
    await timeline.getByText('记录完整：哈希链校验通过').waitFor();
    await axeClean(page);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出日志（JSON）' }).click();
    const log = JSON.parse(await readFile((await (await download).path()) as string, 'utf8'));
    expect(log.chain.valid).toBe(true);
    expect(log.events.length).toBeGreaterThanOrEqual(steps.length);
    await page.context().close();
  });

  it('keeps what the second officer typed when the first one acted first', async () => {
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const recorded = await postJson(
      `${cloud.url}/api/office/hazards`,
      {
        idempotencyKey: crypto.randomUUID(),
        jurisdiction: 'cq-gecheng',
        source: 'inspection',
        industry: 'fire',
        enterprise,
        place: '二号车间',
        grade: 'general',
        description: '灭火器压力不足，需更换。',
      },
      { authorization: `Bearer ${token}` },
    );
    expect(recorded.status).toBe(201);
    const address = `${cloud.url}/office/hazards/view?id=${recorded.body.hazard.hazardId}`;
    const [first, second] = [await officerPage(), await officerPage()];
    for (const page of [first, second]) {
      await page.goto(address);
      await page.getByLabel('责任人').waitFor();
    }
    // A general hazard has no major hazard notice: its enterprise hears by the link's SMS.
    expect(await first.getByText('重大隐患告知').count()).toBe(0);
    await second.getByLabel('责任人').fill('第二位填写的责任人');
    await second.getByLabel('整改措施').fill('第二位填写的整改措施');
    await second.getByLabel('截止日期').fill(dateIn(20));

    await first.getByLabel('责任人').fill('车间主任');
    await first.getByLabel('整改措施').fill('更换灭火器');
    await first.getByLabel('截止日期').fill(dateIn(10));
    await first.getByRole('button', { name: '开始整改' }).click();
    await decided(first, '已开始整改。');

    await second.getByRole('button', { name: '开始整改' }).click();
    await second.getByText('有人先办理了这条隐患').waitFor();
    expect(await second.evaluate(() => document.activeElement?.id)).toBe(
      'start-rectification-conflict',
    );
    const changes = second.locator('#start-rectification-conflict .timeline-event');
    // The first officer's start, and (if the lifecycle has had its turn) the system's SMS
    // of the enterprise link that followed it (issue 14).
    const titles = await changes.locator('.what strong').allTextContents();
    expect(titles[0]).toBe('开始整改');
    expect(titles.slice(1).every((title) => title === '企业链接短信')).toBe(true);
    expect(await changes.first().textContent()).toContain('车间主任');
    expect(await second.getByLabel('责任人').inputValue()).toBe('第二位填写的责任人');
    expect(await second.getByLabel('整改措施').inputValue()).toBe('第二位填写的整改措施');
    expect(await second.locator('.standing').textContent()).toContain('整改中');
    await axeClean(second);
    await first.context().close();
    await second.context().close();
  });

  it('imports a spreadsheet: bad rows are reported, importing again stores nothing twice', async () => {
    const page = await officerPage();
    await page.getByRole('link', { name: '表格导入' }).first().click();
    await page.getByRole('heading', { name: '表格导入' }).waitFor();

    // The template comes from the page (exceljs in the browser); the rows are typed in Node.
    const template = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载模板（.xlsx）' }).click();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await (await template).path()) as string);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the template has no sheet');
    // Each column is found by the English word of its header ("编号 rowId").
    const headers = sheet.getRow(1).values as (string | undefined)[];
    const batch = Date.now();
    let next = 2;
    const row = (id: string, fields: Record<string, ExcelJS.CellValue>) => {
      const cells: Record<string, ExcelJS.CellValue> = {
        rowId: `ZC-${batch}-${id}`,
        industry: '消防',
        enterprise,
        place: `${id} 号车间`,
        grade: '一般',
        description: `${id} 号车间灭火器压力不足，需更换。`,
        ...fields,
      };
      const values: ExcelJS.CellValue[] = [];
      headers.forEach((header, column) => {
        values[column] = cells[header?.split(' ').at(-1) ?? ''] ?? null;
      });
      sheet.getRow(next++).values = values;
    };
    row('1', { responsible: '王某', measures: '更换灭火器', deadline: dateIn(30) });
    row('2', {
      responsible: '李某',
      measures: '清理通道',
      deadline: new Date(`${dateIn(40)}T00:00:00Z`),
    });
    row('3', { grade: '重大', standard: 'GB 35181-2025 重大火灾隐患判定规则', clause: '5.1.1' });
    row('4', {});
    row('5', { enterprise: '91350100M000100Y44' }); // the check character is wrong
    const file = join(folder, 'hazards.xlsx');
    await workbook.xlsx.writeFile(file);

    await page.getByLabel('企业自查上报').check();
    await page.getByLabel('表格文件').setInputFiles(file);
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('新登记 4 条，此前已登记 0 条，未导入 1 条。').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-report-heading');
    expect(await page.getByRole('progressbar').getAttribute('value')).toBe('4');
    const refused = page.locator('tr[data-outcome="refused"]');
    expect(await refused.count()).toBe(1);
    expect(await refused.textContent()).toContain(
      '统一社会信用代码：统一社会信用代码校验位不正确。',
    );
    await axeClean(page);

    const report = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载结果（CSV）' }).click();
    const csv = await readFile((await (await report).path()) as string, 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(6);
    expect(csv).toContain('"未导入","Refused"');

    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('新登记 0 条，此前已登记 4 条，未导入 1 条。').waitFor();

    // The stored rows are in the ledger: two started rectification on import.
    await page.getByRole('link', { name: '隐患台账' }).first().click();
    await page.getByRole('link', { name: '整改中' }).click();
    await page.getByRole('link', { name: /1 号车间灭火器压力不足/ }).waitFor();
    await page.getByRole('link', { name: /2 号车间灭火器压力不足/ }).waitFor();
    // Who is responsible, and how far it has escalated, on the ledger's row.
    const first = page.locator('tr', {
      has: page.getByRole('link', { name: /1 号车间灭火器压力不足/ }),
    });
    expect(await first.innerText()).toContain('王某');
    expect(await first.innerText()).toContain('未升级');
    expect(await page.getByRole('columnheader', { name: '已升级至' }).count()).toBe(1);
    expect(await page.getByRole('columnheader', { name: '行业领域' }).count()).toBe(1);
    await axeClean(page);
    await page.context().close();
  });

  it('exports the ledger of the tab shown as the server’s workbook: frozen header, dates as dates', async () => {
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const imported = await postJson(
      `${cloud.url}/api/office/hazard-imports`,
      {
        jurisdiction: 'cq-gecheng',
        source: 'self_report',
        rows: [
          {
            rowId: `LEDGER-${Date.now()}`,
            industry: 'fire',
            enterprise,
            place: '台账导出车间',
            grade: 'general',
            description: '=1+1 灭火器压力不足，需更换。',
          },
        ],
      },
      { authorization: `Bearer ${token}` },
    );
    expect(imported.status).toBe(200);
    const page = await officerPage();
    await page.getByRole('link', { name: '隐患台账' }).first().click();
    // The desk's my cases list 台账导出车间 too: wait for the ledger itself.
    await page.waitForURL(/\/office\/hazards/);
    await page
      .getByRole('link', { name: /台账导出车间|灭火器压力不足/ })
      .first()
      .waitFor();
    const shown = await page.locator('table tbody tr').count();
    expect(await page.locator('table thead').textContent()).toContain('发现日期');

    // A hazard found tomorrow is refused in the browser, in the API's words.
    await page.getByRole('button', { name: '登记隐患' }).click();
    await page.getByLabel('发现日期').fill(dateIn(1));
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText('发现日期不能晚于今天。').first().waitFor();
    await page.getByRole('button', { name: '登记隐患' }).click();

    const sheet = await exportedSheet(page, '导出台账（Excel）');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: ledgerHeaderRow });
    expect(String(sheet.getRow(ledgerHeaderRow).getCell(1).value)).toBe('序号\nNo.');
    expect(sheet.rowCount - ledgerHeaderRow).toBe(shown);
    expect(sheet.getRow(ledgerHeaderRow + 1).getCell(3).value).toBeInstanceOf(Date);
    const ours = sheet
      .getRows(ledgerHeaderRow + 1, sheet.rowCount - ledgerHeaderRow)
      ?.find((row) => row.getCell(7).value === '台账导出车间');
    expect(ours?.getCell(8).value).toBe("'=1+1 灭火器压力不足，需更换。");
    await page.getByText(/已导出 \d+ 条隐患/).waitFor();
    // The recent exports say when in Beijing time, as the rest of the console (the
    // browser's own zone here is UTC).
    const recent = await fetch(
      `${cloud.url}/api/office/hazard-ledger/exports?jurisdiction=cq-gecheng`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const [newest] = (await recent.json()).exports as { exportId: string; requestedAt: string }[];
    const beijing = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date(newest?.requestedAt ?? ''));
    expect(await page.locator(`[data-export="${newest?.exportId}"] .when`).innerText()).toBe(
      `${beijing} · Excel`,
    );
    await axeClean(page);
    await page.context().close();
  });

  it.each([
    ['zh', '', '导出台账（Excel）', /已导出 \d+ 条隐患/],
    ['en', '/en', 'Export ledger (Excel)', /Exported \d+ hazards/],
  ] as const)(
    'gives a leader the ledger the page shows as the server’s .xlsx (%s)',
    async (_language, prefix, button, done) => {
      const page = await officerPage('cq-gecheng.leader_in_charge');
      await page.goto(
        `${cloud.url}${prefix}/office/hazards?jurisdiction=cq-gecheng&status=reported`,
      );
      await page.locator('table tbody tr').first().waitFor();
      // Every page of the list, as the export holds every page.
      const more = page.getByRole('button', { name: /加载更多|Load more/ });
      while (await more.isVisible()) {
        await more.click();
        await page.waitForLoadState('networkidle');
      }
      const shownIds = await page
        .locator('table tbody tr a[href*="/office/hazards/view?id="]')
        .evaluateAll((links) =>
          links.map((link) => new URL((link as HTMLAnchorElement).href).searchParams.get('id')),
        );
      expect(shownIds.length).toBeGreaterThan(0);
      const sheet = await exportedSheet(page, button);
      expect(sheet.getCell('A1').value).toBe('葛城街道 隐患排查治理台账');
      expect(String(sheet.getCell('A3').value)).toContain('状态：已登记 status: reported');
      const exportedIds = (
        sheet.getRows(ledgerHeaderRow + 1, sheet.rowCount - ledgerHeaderRow) ?? []
      ).map((row) => String(row.getCell(2).value));
      expect(exportedIds).toEqual(shownIds);
      // The newest of the leader's recent exports (the other language's test made one too).
      await page.getByText(done).first().waitFor();
      await axeClean(page);
      // Opened again later, the page still finds the export among the recent ones, its
      // file a fresh link away.
      await page.reload();
      await page.locator('[data-export-status="done"]').first().waitFor();
      const again = page.getByRole('link', { name: /下载文件|Download the file/ }).first();
      expect(await again.getAttribute('href')).toContain('exports');
      await page.context().close();
    },
  );

  it('tells the enterprise plainly when its link is not valid, in English too', async () => {
    const page = await openPage(browser, phoneViewport);
    await page.goto(`${cloud.url}/en/enterprise/#not-a-valid-link-token`);
    await page.getByText('This link is not valid or has expired').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await axeClean(page);
    await page.context().close();
  });
});
