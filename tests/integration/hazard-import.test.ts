import { usccAlphabet, usccCheckCharacter } from '@qingling/shared/enterprises/uscc.ts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTemplate, importRow, readSheet } from '../../web/src/lib/office/spreadsheet.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson } from '../support/tips.ts';

// Issue 5: importing a 1,000-row spreadsheet with 10 bad rows stores 990 hazards, reports
// the 10 with reasons, and importing it again stores nothing new. The sheet is written
// and read with exceljs and mapped by the import page's own module, then posted in chunks
// of 100 as the page posts them.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let token: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  token = await signIn(cloud.url, 'cq-gecheng.officer');
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

/** A valid credit code drawn from a number, so every enterprise in the sheet differs. */
function usccFor(index: number): string {
  const organization = Array.from(
    { length: 9 },
    (_, place) => usccAlphabet[(index * 7 + place * 13) % 31],
  ).join('');
  const first17 = `91500000${organization}`;
  return `${first17}${usccCheckCharacter(first17)}`;
}

const inAMonth = new Date(Date.now() + 30 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

/** The cells of row `index` (zero-based) in template column order; ten of them are bad. */
function cellsOf(index: number): string[] {
  const good = [
    `ZC-${String(index + 1).padStart(4, '0')}`,
    '消防',
    usccFor(index),
    `${index + 1} 号车间`,
    '一般',
    '',
    '',
    `第 ${index + 1} 号车间灭火器压力不足，需更换。`,
    '王某',
    '更换灭火器',
    inAMonth,
  ];
  const bad: Record<number, (cells: string[]) => void> = {
    // A credit code whose check character is wrong.
    100: (cells) => {
      cells[2] = `${(cells[2] ?? '').slice(0, 17)}${(cells[2] ?? '').endsWith('0') ? '1' : '0'}`;
    },
    200: (cells) => {
      cells[2] = '12345';
    },
    // No description, or one too short to say anything.
    300: (cells) => {
      cells[7] = '';
    },
    400: (cells) => {
      cells[7] = '堵';
    },
    // A major hazard that cites no standard.
    500: (cells) => {
      cells[4] = '重大';
    },
    600: (cells) => {
      cells[4] = '重大';
    },
    // A deadline already past, or not a date.
    700: (cells) => {
      cells[10] = '2020-01-01';
    },
    800: (cells) => {
      cells[10] = '下个月';
    },
    // No place; an unknown grade.
    900: (cells) => {
      cells[3] = '';
    },
    950: (cells) => {
      cells[4] = '特大';
    },
  };
  bad[index]?.(good);
  return good;
}

const badRows = [100, 200, 300, 400, 500, 600, 700, 800, 900, 950].map(
  (index) => `ZC-${String(index + 1).padStart(4, '0')}`,
);

async function sheetOf(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fillTemplate(workbook as never);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the template has no sheet');
  for (let index = 0; index < rows; index += 1) {
    sheet.getRow(index + 2).values = cellsOf(index);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

type Result = { rowId?: string; outcome: string; issues?: unknown[] };

async function importSheet(file: Buffer): Promise<Result[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as never);
  const rows = readSheet(workbook as never).map(importRow);
  const results: Result[] = [];
  for (let start = 0; start < rows.length; start += 100) {
    const reply = await postJson(
      `${cloud.url}/api/office/hazard-imports`,
      { jurisdiction: 'cq-gecheng', source: 'self_report', rows: rows.slice(start, start + 100) },
      { authorization: `Bearer ${token}` },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    results.push(...(reply.body.results as Result[]));
  }
  return results;
}

const tally = (results: Result[]) =>
  results.reduce<Record<string, number>>((counts, { outcome }) => {
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    return counts;
  }, {});

describe('importing an enterprise self-report spreadsheet', () => {
  it('stores 990 of 1,000 rows, reports the 10 bad ones with reasons, and stores nothing twice', async () => {
    const file = await sheetOf(1000);
    const first = await importSheet(file);
    expect(first).toHaveLength(1000);
    expect(tally(first)).toEqual({ stored: 990, refused: 10 });
    const refused = first.filter((result) => result.outcome === 'refused');
    expect(refused.map((result) => result.rowId).sort()).toEqual(badRows);
    for (const result of refused) {
      expect(result.issues?.length, result.rowId).toBeGreaterThan(0);
      expect(JSON.stringify(result.issues)).toMatch(/"zh":".+","en":".+"/);
    }

    const again = await importSheet(file);
    expect(tally(again)).toEqual({ already_stored: 990, refused: 10 });

    // The ledger holds 990: every good row is rectifying (it had its deadline).
    let count = 0;
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({
        jurisdiction: 'cq-gecheng',
        status: 'rectifying',
        ...(cursor ? { cursor } : {}),
      });
      const page = await fetch(`${cloud.url}/api/office/hazards?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await page.json()) as { hazards: unknown[]; nextCursor?: string };
      count += body.hazards.length;
      cursor = body.nextCursor;
    } while (cursor);
    expect(count).toBe(990);
  }, 300_000);
});
