import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRow, readSheet } from '../../web/src/lib/office/spreadsheet.ts';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Issue 15: a hazard names its village or community (村/社区), one its jurisdiction lists:
// recorded in the console, taken from its tip, or a column of an import (headed in either
// language); any other is refused in zh and en, and nothing is stored. The ledger filters
// by it and the statistics count by it.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let token: string;
const clock = new ManualClock('2026-11-24T02:00:00.000Z');
beforeAll(async () => {
  cloud = await startTestCloud({ clock });
  token = await signIn(cloud.url, 'cq-gecheng.officer');
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const auth = () => ({ authorization: `Bearer ${token}` });
/** The refusal of a unit the jurisdiction does not list, console and import alike. */
const unknownUnit = {
  path: 'unit',
  message: {
    zh: '本辖区没有这个村（社区）。',
    en: 'This jurisdiction has no such village or community.',
  },
};
const facts = (place: string) => ({
  jurisdiction: 'cq-gecheng',
  industry: 'fire',
  enterprise: '91350100M000100Y43',
  place,
  grade: 'general',
  description: `${place}安全出口被货物堵塞。`,
});
const record = (body: Record<string, unknown>) =>
  postJson(
    `${cloud.url}/api/office/hazards`,
    { idempotencyKey: randomUUID(), source: 'inspection', ...body },
    auth(),
  );

async function get(path: string): Promise<ReplyBody> {
  const response = await fetch(`${cloud.url}${path}`, { headers: auth() });
  expect(response.status).toBe(200);
  return response.json();
}

const listed = async (community: string) =>
  (
    await get(
      `/api/office/hazards?jurisdiction=cq-gecheng&status=reported&community=${encodeURIComponent(community)}`,
    )
  ).hazards as { hazardId: string; unit?: string; place: string }[];

/** An import sheet with the unit column headed `header`: the import page's own reading. */
async function sheetRows(header: string, rows: string[][]): Promise<Record<string, unknown>[]> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('隐患清单 Hazards');
  sheet.addRow(['编号', '行业', '统一社会信用代码', '位置', '等级', '隐患描述', header]);
  for (const row of rows) sheet.addRow(row);
  return readSheet(workbook as never).map(importRow);
}

describe('a hazard in its village or community', () => {
  it('is recorded with one its jurisdiction lists, and refused with any other', async () => {
    const stored = await record({ ...facts('西门仓库'), unit: '西门社区' });
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    expect(stored.body.hazard.unit).toBe('西门社区');

    const refused = await record({ ...facts('北村仓库'), unit: '北村' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([unknownUnit]);
    expect(await listed('北村')).toEqual([]);
    expect((await listed('西门社区')).map((hazard) => hazard.hazardId)).toEqual([
      stored.body.hazard.hazardId,
    ]);
  });

  it('takes its tip’s unit when recorded from a tip', async () => {
    const created = await postJson(`${cloud.url}/api/tips`, validTip());
    expect(created.status).toBe(201);
    expect(validTip().unit).toBe('东门社区');
    const inbox = await get('/api/office/tips?jurisdiction=cq-gecheng');
    const tipId = inbox.tips[0].tipId as string;
    const stored = await record({ ...facts('东门路 18 号仓库'), source: 'tip', tipId });
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    expect(stored.body.hazard.unit).toBe('东门社区');
    const page = await get(`/api/office/hazards/${stored.body.hazard.hazardId}`);
    expect(page.hazard.unit).toBe('东门社区');
  });

  it('is a column of the import, in either language, refused row by row in zh and en', async () => {
    for (const [header, prefix] of [
      ['村/社区', 'ZH'],
      ['unit', 'EN'],
    ] as const) {
      // Its number, place and unit; the rest as any ledger row.
      const row = (number: number, place: string, unit: string) => [
        `${prefix}-${number}`,
        '消防',
        '91350100M000100Y43',
        `${prefix} ${place}`,
        '一般',
        '灭火器压力不足，需更换。',
        unit,
      ];
      const rows = await sheetRows(header, [
        row(1, '南门车间', '南门社区'),
        row(2, '北村车间', '北村'),
        row(3, '无名车间', ''),
      ]);
      expect(rows.map((row) => row.unit)).toEqual(['南门社区', '北村', undefined]);
      const reply = await postJson(
        `${cloud.url}/api/office/hazard-imports`,
        { jurisdiction: 'cq-gecheng', source: 'self_report', rows },
        auth(),
      );
      expect(reply.status).toBe(200);
      expect(reply.body.results.map((result: { outcome: string }) => result.outcome)).toEqual([
        'stored',
        'refused',
        'stored',
      ]);
      expect(reply.body.results[1].issues).toEqual([unknownUnit]);
    }
    const south = await listed('南门社区');
    expect(south.map((hazard) => hazard.place).sort()).toEqual(['EN 南门车间', 'ZH 南门车间']);
    expect(south.every((hazard) => hazard.unit === '南门社区')).toBe(true);
    expect(await listed('北村')).toEqual([]);
  });

  it('is counted by unit in the statistics, no unit apart', async () => {
    const statistics = await get('/api/office/statistics?jurisdiction=cq-gecheng');
    const rows = statistics.units
      .filter((row: { jurisdiction: string }) => row.jurisdiction === 'cq-gecheng')
      .map((row: { unit: string; found: number; open: number }) => [row.unit, row.found, row.open]);
    expect(rows).toEqual([
      ['东门社区', 1, 1],
      ['西门社区', 1, 1],
      ['南门社区', 2, 2],
      ['', 2, 2],
    ]);
  });
});
