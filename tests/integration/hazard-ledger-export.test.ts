import { ledgerColumns } from '@qingling/shared/hazards/ledger-export.ts';
import { ledgerHeaderRow, ledgerSheetName } from '@qingling/shared/hazards/ledger-workbook.ts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDependencies } from '#functions/dependencies.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson } from '../support/tips.ts';

// Issue 15: the hazard ledger (隐患排查治理台账) exported by the API as .xlsx and as CSV, each
// asked for (a job, running), written by the export worker outside the request into the
// blob store, then fetched as a short-lived link, holding exactly what the filters show,
// safe against formula injection.
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

async function exportLedger(query: string, headers: Record<string, string> = {}) {
  return fetch(`${cloud.url}/api/office/hazard-ledger?jurisdiction=cq-gecheng&${query}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

interface ExportJob {
  exportId: string;
  status: 'running' | 'done' | 'failed';
  filters: Record<string, string>;
  requestedBy: { id: string };
  url?: string;
  fileName?: string;
  rows?: number;
  expiresAt?: string;
  reason?: { zh: string; en: string };
}

async function exportsOf(query: string, as = token): Promise<ExportJob[]> {
  const reply = await fetch(
    `${cloud.url}/api/office/hazard-ledger/exports?jurisdiction=cq-gecheng${query}`,
    { headers: { authorization: `Bearer ${as}` } },
  );
  expect(reply.status).toBe(200);
  return ((await reply.json()) as { exports: ExportJob[] }).exports;
}

/** Asks for an export: the answer is the job, running; the file is not written yet. */
async function askExport(query: string, headers: Record<string, string> = {}) {
  const response = await exportLedger(query, headers);
  expect(response.status).toBe(200);
  const { export: job } = (await response.json()) as { export: ExportJob };
  return job;
}

/** Reads the job back until the worker has ended it (the worker runs in the background). */
async function finished(exportId: string): Promise<ExportJob> {
  await cloud.exports.settled();
  const [job] = await exportsOf(`&exportId=${exportId}`);
  if (!job) throw new Error(`no export ${exportId}`);
  return job;
}

/** Asks for the export, polls it, then follows its link as a browser does: no sign-in. */
async function exportFile(query: string) {
  const asked = await askExport(query);
  expect(asked.status).toBe('running');
  const link = await finished(asked.exportId);
  expect(link.status).toBe('done');
  const file = await fetch(String(link.url));
  expect(file.status).toBe(200);
  return { link, file, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** The list's hazard ids, in its order, every page. */
async function listedIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const reply = await fetch(
      `${cloud.url}/api/office/hazards?jurisdiction=cq-gecheng&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const page = (await reply.json()) as { hazards: { hazardId: string }[]; nextCursor?: string };
    ids.push(...page.hazards.map((hazard) => hazard.hazardId));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

const csvText = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

describe('exporting the hazard ledger', () => {
  it('answers CSV with a BOM, the Chinese header, one row per hazard, formulas defused', async () => {
    const { link, file, bytes } = await exportFile('format=csv');
    expect(link.rows).toBe(3);
    expect(link.fileName).toMatch(/^隐患排查治理台账-cq-gecheng-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.headers.get('content-type')).toContain('text/csv');
    expect(file.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent(String(link.fileName))}`,
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvText(bytes).split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFF序号,隐患编号,发现日期,隐患等级,行业,统一社会信用代码,隐患部位,隐患描述,' +
        '整改责任人,整改措施,整改期限,状态,超期天数,已升级至,无信用代码场所,村/社区',
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
    const reported = csvText((await exportFile('format=csv&status=reported')).bytes);
    const rows = reported.split('\r\n').slice(1).filter(Boolean);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('二号车间');
    const closed = await exportFile('format=xlsx&status=closed');
    expect(closed.link.rows).toBe(0);
    // Overdue only, as the list shows it: none of these is past its deadline.
    expect((await exportFile('format=xlsx&status=rectifying&overdue=true')).link.rows).toBe(0);
    expect(await listedIds('status=rectifying&overdue=true')).toEqual([]);
  });

  it('refuses a jurisdiction that is not the caller’s', async () => {
    const response = await fetch(
      `${cloud.url}/api/office/hazard-ledger?jurisdiction=cq-other&format=csv`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(response.status).toBe(403);
  });

  it('writes the .xlsx on the server: the same rows as the list, frozen header, real dates', async () => {
    const { link, file, bytes } = await exportFile('format=xlsx&status=rectifying');
    expect(link.rows).toBe(2);
    expect(link.fileName).toMatch(/^隐患排查治理台账-cq-gecheng-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(file.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const opened = new ExcelJS.Workbook();
    await opened.xlsx.load(Buffer.from(bytes) as never);
    const sheet = opened.getWorksheet(ledgerSheetName);
    if (!sheet) throw new Error('no ledger sheet');
    expect(sheet.getCell('A1').value).toBe('葛城街道 隐患排查治理台账');
    expect(String(sheet.getCell('A3').value)).toContain('状态：整改中');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: ledgerHeaderRow });
    const header = sheet.getRow(ledgerHeaderRow);
    expect(String(header.getCell(2).value)).toBe('隐患编号\nHazard ID');
    expect(sheet.rowCount).toBe(ledgerHeaderRow + 2);
    const first = sheet.getRow(ledgerHeaderRow + 1);
    expect(first.getCell(3).value).toBeInstanceOf(Date);
    expect(first.getCell(11).value).toBeInstanceOf(Date);
    expect(String(first.getCell(9).value)).toBe("'@王某");
    const exportedIds = [1, 2].map((offset) =>
      String(
        sheet.getRow(ledgerHeaderRow + offset).getCell(ledgerColumns.indexOf('隐患编号') + 1).value,
      ),
    );
    expect(exportedIds).toEqual(await listedIds('status=rectifying'));
  });

  it('holds every status when none is asked for, the same hazards as the list’s tabs', async () => {
    const { bytes } = await exportFile('format=xlsx');
    const opened = new ExcelJS.Workbook();
    await opened.xlsx.load(Buffer.from(bytes) as never);
    const sheet = opened.getWorksheet(ledgerSheetName);
    const ids: string[] = [];
    sheet?.eachRow((row, number) => {
      if (number > ledgerHeaderRow) ids.push(String(row.getCell(2).value));
    });
    const listed = [];
    for (const status of ['reported', 'rectifying', 'verifying', 'closed', 'closed_look_back']) {
      listed.push(...(await listedIds(`status=${status}`)));
    }
    expect(ids).toEqual(listed);
  });

  it('answers a download link that only works as signed and while it lasts', async () => {
    const { link } = await exportFile('format=xlsx');
    const tampered = new URL(String(link.url));
    tampered.searchParams.set(
      'key',
      tampered.searchParams.get('key')?.replace(/\.xlsx$/, '.csv') ?? '',
    );
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toContain('下载链接无效或已过期');
    expect(Date.parse(String(link.expiresAt)) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
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

    const csv = csvText((await exportFile('format=csv&status=reported')).bytes);
    const row = csv.split('\r\n').find((line) => line.includes('2026-11-01')) ?? '';
    expect(row).toContain('四号车间');
  });
});

describe('an export asked for, then fetched', () => {
  it('answers the job running before its file exists, which the worker then writes', async () => {
    const asked = await askExport('format=csv&status=reported');
    expect(asked).toMatchObject({
      status: 'running',
      filters: { status: 'reported' },
      requestedBy: { id: 'demo:cq-gecheng.officer' },
    });
    expect(asked.url).toBeUndefined();
    const done = await finished(asked.exportId);
    expect(done).toMatchObject({
      status: 'done',
      rows: (await listedIds('status=reported')).length,
    });
    expect(done.fileName).toMatch(/\.csv$/);
  });

  it('makes two jobs when asked twice, one when a request is retried with its Idempotency-Key', async () => {
    const first = await askExport('format=xlsx');
    const second = await askExport('format=xlsx');
    expect(second.exportId).not.toBe(first.exportId);
    const key = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
    const once = await askExport('format=xlsx', { 'idempotency-key': key });
    const again = await askExport('format=xlsx', { 'idempotency-key': key });
    expect(again.exportId).toBe(once.exportId);
    await cloud.exports.settled();
    // The caller's latest, newest first: the retry made no third job.
    const latest = await exportsOf('');
    expect(latest.slice(0, 3).map((job) => job.exportId)).toEqual([
      once.exportId,
      second.exportId,
      first.exportId,
    ]);
    expect(latest.every((job) => job.status === 'done' && job.url)).toBe(true);
    expect(latest.length).toBeLessThanOrEqual(5);
  });

  it('shows a job by id to the jurisdiction’s office, lists it only for who asked, refuses others', async () => {
    const asked = await askExport('format=csv');
    await cloud.exports.settled();
    const colleague = await signIn(cloud.url, 'cq-gecheng.second_officer');
    const [seen] = await exportsOf(`&exportId=${asked.exportId}`, colleague);
    expect(seen).toMatchObject({ exportId: asked.exportId, status: 'done' });
    expect(seen?.url).toBeTruthy();
    expect((await exportsOf('', colleague)).some((job) => job.exportId === asked.exportId)).toBe(
      false,
    );
    const elsewhere = await fetch(
      `${cloud.url}/api/office/hazard-ledger/exports?jurisdiction=cq-other&exportId=${asked.exportId}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(elsewhere.status).toBe(403);
  });

  it('records a failed worker as failed, with why in both languages, and no link', async () => {
    useDependencies({
      exportFiles: () => ({
        putStream: async (_key, _type, chunks) => {
          for await (const _chunk of chunks) throw new Error('storage is down');
          throw new Error('storage is down');
        },
        downloadUrl: async () => 'never',
      }),
    });
    try {
      const asked = await askExport('format=xlsx');
      const failed = await finished(asked.exportId);
      expect(failed.status).toBe('failed');
      expect(failed.url).toBeUndefined();
      expect(failed.reason?.zh).toContain('导出失败');
      expect(failed.reason?.en).toContain('export failed');
    } finally {
      useDependencies({ exportFiles: () => cloud.blobStore });
    }
  });
});
