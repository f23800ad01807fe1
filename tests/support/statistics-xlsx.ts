import type { HazardStatistics } from '@qingling/shared/hazards/statistics-figures.ts';
import ExcelJS from 'exceljs';

/**
 * Reads the statistics' .xlsx back (exceljs, not the writer) and lists, sheet by sheet, the
 * numbers of its data rows; and lists the same from a JSON answer, worked out here on its
 * own, so that a test can hold the two equal number for number.
 */

const headerRow = 4;

export interface ReadWorkbook {
  sheetNames: string[];
  /** Per sheet: the title rows' text (1–3) and the header row's cells. */
  headings: Map<string, { title: string; banner: string; header: string[] }>;
  /** Per sheet: each data row as [its first cell's text, ...its numbers, empty as null]. */
  numbers: Map<string, (string | number | null)[][]>;
  /** Cells of a number column that are not numbers (should be none). */
  textInNumberColumns: string[];
}

const cellText = (value: ExcelJS.CellValue): string =>
  value === null || value === undefined ? '' : String(value);

export async function readStatisticsWorkbook(bytes: Uint8Array): Promise<ReadWorkbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as never);
  const read: ReadWorkbook = {
    sheetNames: workbook.worksheets.map((sheet) => sheet.name),
    headings: new Map(),
    numbers: new Map(),
    textInNumberColumns: [],
  };
  for (const sheet of workbook.worksheets) {
    const header = (sheet.getRow(headerRow).values as ExcelJS.CellValue[]).slice(1).map(cellText);
    read.headings.set(sheet.name, {
      title: cellText(sheet.getCell('A1').value),
      banner: cellText(sheet.getCell('A2').value),
      header,
    });
    // The number columns: after the label columns (text in every data row's cell).
    const rows: (string | number | null)[][] = [];
    for (let index = headerRow + 1; index <= sheet.rowCount; index += 1) {
      const row = sheet.getRow(index);
      const cells: (string | number | null)[] = [cellText(row.getCell(1).value)];
      for (let column = 2; column <= header.length; column += 1) {
        const value = row.getCell(column).value;
        if (typeof value === 'number') cells.push(value);
        else if (value === null || value === undefined) cells.push(null);
        else cells.push(String(value));
      }
      rows.push(cells);
    }
    read.numbers.set(sheet.name, rows);
  }
  return read;
}

const mean = (row: { closed: number; daysToClose: number }) =>
  row.closed ? Math.round((row.daysToClose / row.closed) * 10) / 10 : null;
const share = (row: { closed: number; closedOnTime: number }) =>
  row.closed ? Math.round((row.closedOnTime / row.closed) * 1000) / 10 : null;
const figures = (row: HazardStatistics['totals']) => [
  row.found,
  row.closed,
  row.open,
  row.overdue,
  row.openMajor,
  mean(row),
  share(row),
];
const money = (row: HazardStatistics['rewards']['totals']) =>
  (['offered', 'noticedLate', 'claimed', 'paid', 'lapsed', 'open'] as const).flatMap((key) => [
    row[key].count,
    row[key].fen / 100,
  ]);

/** The numbers each sheet should hold, in its rows' order, from the JSON answer. */
export function expectedNumbers(s: HazardStatistics): (number | string | null)[][][] {
  return [
    s.targets.map((target) => [
      target.due,
      target.value,
      ...(target.baseline === undefined ? [] : [target.baseline]),
    ]),
    [...s.regions.map((row) => [row.jurisdiction, ...figures(row)]), ['', ...figures(s.totals)]],
    // No unit reads as its words in the sheet.
    s.units.map((row) => [row.unit || '未指定村/社区\nNo unit', ...figures(row)]),
    s.industries.map((row) => [row.industry, ...figures(row)]),
    s.months.map((row) => [row.month, row.found, row.closed]),
    [s.backlog, s.inflow].map((row) => [row.found, row.closed, row.open]),
    [
      ...s.tips.channels.map((row) => [
        row.received,
        row.employee,
        row.substantiated,
        row.rewarded,
      ]),
      [
        s.tips.totals.received,
        s.tips.totals.employee,
        s.tips.totals.substantiated,
        s.tips.totals.rewarded,
      ],
    ],
    [
      ...s.rewards.regions.map((row) => [row.jurisdiction, ...money(row)]),
      ['', ...money(s.rewards.totals)],
    ],
  ];
}

/**
 * The numbers (and codes, months, due dates) each sheet holds, in the shape of
 * expectedNumbers: the label cells that are the page's words are left out.
 */
export function workbookNumbers(read: ReadWorkbook): (number | string | null)[][][] {
  const sheets = read.sheetNames.map((name) => read.numbers.get(name) ?? []);
  const [targets, regions, units, industries, months, cohorts, tips, rewards] = sheets as [
    (string | number | null)[][],
    (string | number | null)[][],
    (string | number | null)[][],
    (string | number | null)[][],
    (string | number | null)[][],
    (string | number | null)[][],
    (string | number | null)[][],
    (string | number | null)[][],
  ];
  return [
    // Target, due, standing, timing, value, baseline.
    targets.map((row) => [row[1] ?? null, ...row.slice(4).filter((cell) => cell !== null)]),
    regions.map((row) => row.slice(1).map((cell) => cell ?? '')).map(nullsBack),
    units.map((row) => row.slice(1)),
    industries.map((row) => [row[1] ?? null, ...row.slice(3)]),
    months.map((row) => row),
    cohorts.map((row) => row.slice(1)),
    tips.map((row) => row.slice(1)),
    rewards.map((row) => row.slice(1).map((cell) => cell ?? '')).map(nullsBack),
  ];
}

/** The code column of a total row is empty (''); the mean and the share are empty (null). */
function nullsBack(row: (string | number)[]): (string | number | null)[] {
  return row.map((cell, index) => (index > 0 && cell === '' ? null : cell));
}
