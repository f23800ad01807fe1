import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerWorkbook } from '../../web/src/lib/office/ledger-workbook.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson } from '../support/tips.ts';

// Issue 15: the hazard ledger (隐患排查治理台账) exported as CSV by the API and as .xlsx by the
// console's own module, holding exactly what the filters show, safe against formula injection.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let token: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  token = await signIn(cloud.url, 'cq-gecheng.officer');
  const inAMonth = new Date(Date.now() + 30 * 86_400_000 + 8 * 3_600_000)
    .toISOString()
    .slice(0, 10);
  const rectify = { responsible: '@王某', measures: '+1 更换灭火器', deadline: inAMonth };
  const base = { industry: 'fire', enterprise: '91350100M000100Y43', grade: 'general' };
  const reply = await postJson(
    `${cloud.url}/api/office/hazard-imports`,
    {
      jurisdiction: 'cq-gecheng',
      source: 'self_report',
      rows: [
        {
          rowId: 'L-1',
          ...base,
          place: '一号车间',
          description: '=HYPERLINK("x","点我")',
          ...rectify,
        },
        { rowId: 'L-2', ...base, place: '二号车间', description: '@SUM(1+1) 灭火器过期' },
        {
          rowId: 'L-3',
          ...base,
          place: '三号车间',
          description: '疏散通道堆放杂物，需清理。',
          ...rectify,
        },
      ],
    },
    { authorization: `Bearer ${token}` },
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

async function exportLedger(query: string): Promise<Response> {
  return fetch(`${cloud.url}/api/office/hazard-ledger?jurisdiction=cq-gecheng&${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('exporting the hazard ledger', () => {
  it('answers CSV with a BOM, the Chinese header, one row per hazard, formulas defused', async () => {
    const response = await exportLedger('format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFF序号,隐患编号,发现日期,隐患等级,行业,统一社会信用代码,隐患部位,隐患描述,' +
        '整改责任人,整改措施,整改期限,状态,超期天数,已升级至,无信用代码场所',
    );
    const rows = lines.slice(1).filter(Boolean);
    expect(rows).toHaveLength(3);
    const first = rows.find((row) => row.includes('一号车间')) ?? '';
    expect(first).toContain(`"'=HYPERLINK(""x"",""点我"")"`);
    expect(first).toContain(",'@王某,'+1 更换灭火器,");
    expect(first).toContain('整改中');
    const second = rows.find((row) => row.includes('二号车间')) ?? '';
    expect(second).toContain(",'@SUM(1+1) 灭火器过期,");
    expect(second).toContain('已登记');
    expect(rows.join('\n')).not.toMatch(/,[=+\-@]/);
  });

  it('holds only what the status filter shows', async () => {
    const reported = await (await exportLedger('format=csv&status=reported')).text();
    const rows = reported.split('\r\n').slice(1).filter(Boolean);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('二号车间');
    const closed = await (await exportLedger('format=csv&status=closed')).text();
    expect(closed.split('\r\n').slice(1).filter(Boolean)).toHaveLength(0);
  });

  it('refuses a jurisdiction that is not the caller’s', async () => {
    const response = await fetch(
      `${cloud.url}/api/office/hazard-ledger?jurisdiction=cq-other&format=csv`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(response.status).toBe(403);
  });

  it('gives the rows the console writes as a workbook: frozen header, real dates', async () => {
    const response = await exportLedger('format=json&status=rectifying');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { columns: string[]; rows: (string | number)[][] };
    expect(body.rows).toHaveLength(2);
    const workbook = new ExcelJS.Workbook();
    ledgerWorkbook(workbook as never, body);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const opened = new ExcelJS.Workbook();
    await opened.xlsx.load(file as never);
    const sheet = opened.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe('序号');
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(3).value).toBeInstanceOf(Date);
    expect(sheet.getRow(2).getCell(11).value).toBeInstanceOf(Date);
    expect(String(sheet.getRow(2).getCell(9).value)).toBe("'@王某");
  });

  it('keeps the date a hazard was found, the day it was entered when not given, never later than today', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);
    const record = (key: string, extra: Record<string, unknown>) =>
      postJson(
        `${cloud.url}/api/office/hazards`,
        {
          idempotencyKey: key,
          jurisdiction: 'cq-gecheng',
          source: 'inspection',
          industry: 'fire',
          enterprise: '91350100M000100Y43',
          place: '四号车间',
          grade: 'general',
          description: '配电箱前堆放杂物，需清理。',
          ...extra,
        },
        { authorization: `Bearer ${token}` },
      );
    const found = await record('9a1c2d3e-4b5a-4c6d-8e7f-901234567801', { foundOn: '2026-11-01' });
    expect(found.status, JSON.stringify(found.body)).toBe(201);
    expect(found.body.hazard.foundOn).toBe('2026-11-01');
    const entered = await record('9a1c2d3e-4b5a-4c6d-8e7f-901234567802', {});
    expect(entered.body.hazard.foundOn).toBe(today);
    const future = await record('9a1c2d3e-4b5a-4c6d-8e7f-901234567803', { foundOn: tomorrow });
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain('发现日期不能晚于今天');
    expect(JSON.stringify(future.body)).toContain('cannot be after today');

    const imported = await postJson(
      `${cloud.url}/api/office/hazard-imports`,
      {
        jurisdiction: 'cq-gecheng',
        source: 'inspection',
        rows: [
          {
            rowId: 'F-1',
            industry: 'fire',
            enterprise: '91350100M000100Y43',
            place: '五号车间',
            grade: 'general',
            description: '消防通道被占用，需清理。',
            foundOn: tomorrow,
          },
        ],
      },
      { authorization: `Bearer ${token}` },
    );
    expect(imported.body.results[0].outcome).toBe('refused');
    expect(imported.body.results[0].issues[0].path).toBe('foundOn');

    const csv = await (await exportLedger('format=csv&status=reported')).text();
    const row = csv.split('\r\n').find((line) => line.includes('2026-11-01')) ?? '';
    expect(row).toContain('四号车间');
  });
});
