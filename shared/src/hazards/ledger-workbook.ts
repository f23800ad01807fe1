import type { Writable } from 'node:stream';
import { cstMinute } from '../calendar/cst-minute.ts';
import type { Bilingual } from '../i18n/text.ts';
import { type CellStyle, XlsxWriter } from '../spreadsheets/xlsx-writer.ts';
import {
  defuse,
  type LedgerRow,
  ledgerColumns,
  ledgerColumnsEn,
  ledgerDateColumns,
} from './ledger-export.ts';

/** What the sheet says above its header: whose ledger, when, and which filters made it. */
export interface LedgerHeading {
  jurisdiction: string;
  /** The jurisdiction's name, when known (else its code stands in the title). */
  jurisdictionName?: Bilingual;
  exportedAt: Date;
  /** Each filter applied, described in both languages (none: the whole ledger). */
  filters: readonly Bilingual[];
}

export const ledgerSheetName = '隐患排查治理台账';
/** The header row: Chinese name, English beneath it in the same cell. Data starts below. */
export const ledgerHeaderRow = 4;

/** Column widths (in characters) of the ledger's columns, in order. */
const widths = [6, 28, 12, 10, 10, 22, 20, 40, 14, 30, 12, 10, 10, 10, 36, 14];
const lastColumn = String.fromCharCode(64 + ledgerColumns.length);
/** The columns whose text wraps (描述, 整改措施): the long ones. */
const wrappedColumns: readonly number[] = [7, 9];

/** The sheet's cell styles; a cell names one by its place here, from 1. */
const styles = [
  { font: { bold: true, size: 16 }, alignment: { horizontal: 'center', vertical: 'center' } },
  { font: { size: 10 }, alignment: { horizontal: 'left', vertical: 'center' } },
  {
    font: { bold: true },
    fill: 'FFDDEBF7',
    border: 'thin',
    alignment: { horizontal: 'center', vertical: 'center', wrapText: true },
  },
  { border: 'thin', alignment: { vertical: 'top' } },
  { border: 'thin', alignment: { vertical: 'top', wrapText: true } },
] as const satisfies readonly CellStyle[];
const [titleStyle, bannerStyle, headerStyle, cellStyle, wrappedStyle] = [1, 2, 3, 4, 5];

/**
 * A ledger cell as the workbook holds it: numbers as numbers, the date columns as real
 * dates (UTC midnight of the CST day, which Excel shows as that day), and text defused as
 * in the CSV, so that no cell is ever read as a formula.
 */
export function workbookCell(value: string | number, column: number): string | number | Date {
  if (typeof value === 'number') return value;
  if (ledgerDateColumns.includes(column) && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return new Date(`${value}T00:00:00Z`);
  }
  return defuse(value);
}

/**
 * Writes the hazard ledger (隐患排查治理台账) as an .xlsx laid out as offices file it: a
 * title row, the jurisdiction, time of export and filters, then the frozen header row
 * (Chinese with English beneath) with an auto-filter, column widths, dates as dates, thin
 * borders.
 *
 * Each row is zipped as it comes (../spreadsheets/xlsx-writer.ts), so neither the rows nor
 * the file are ever whole in memory; the writer waits for `output` to drain, so a slow
 * reader (an S3 upload) holds the rows back instead of letting them pile up.
 * Resolves with the number of rows once the file is complete and `output` has ended.
 */
export async function writeLedgerWorkbook(
  output: Writable,
  heading: LedgerHeading,
  rows: AsyncIterable<LedgerRow>,
): Promise<number> {
  const workbook = new XlsxWriter(output, {
    styles,
    creator: '清零 Qingling',
    created: heading.exportedAt,
  });
  const sheet = workbook.addSheet(ledgerSheetName, {
    columnWidths: widths,
    frozen: { rows: ledgerHeaderRow, columns: 2 },
    autoFilter: `A${ledgerHeaderRow}:${lastColumn}${ledgerHeaderRow}`,
    landscapeFitToWidth: true,
  });

  const name = heading.jurisdictionName;
  const banner = async (text: string, style: number, size: number) => {
    await sheet.addRow([{ value: defuse(text), style }], { height: size * 2 });
    sheet.mergeCells(`A${sheet.rowCount}:${lastColumn}${sheet.rowCount}`);
  };
  await banner(`${name?.zh ?? heading.jurisdiction} 隐患排查治理台账`, titleStyle, 16);
  await banner(
    `辖区 Jurisdiction：${name ? `${name.zh} ${name.en}` : ''}（${heading.jurisdiction}）` +
      `    导出时间 Exported：${cstMinute(heading.exportedAt)}（北京时间 CST）`,
    bannerStyle,
    10,
  );
  await banner(
    `筛选条件 Filters：${
      heading.filters.length
        ? heading.filters.map((filter) => `${filter.zh} ${filter.en}`).join('；')
        : '全部 All'
    }`,
    bannerStyle,
    10,
  );
  await sheet.addRow(
    ledgerColumns.map((zh, index) => `${zh}\n${ledgerColumnsEn[index]}`),
    { height: 32, style: headerStyle },
  );

  let count = 0;
  for await (const values of rows) {
    await sheet.addRow(
      values.map((value, column) => {
        const cell = workbookCell(value, column);
        return wrappedColumns.includes(column) ? { value: cell, style: wrappedStyle } : cell;
      }),
      { style: cellStyle },
    );
    count += 1;
  }
  await workbook.end();
  return count;
}
