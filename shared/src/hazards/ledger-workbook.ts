import { once } from 'node:events';
import type { Writable } from 'node:stream';
// The streaming writer alone, not exceljs's index: see ../types/exceljs-workbook-writer.d.ts.
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js';
import type { Bilingual } from '../i18n/text.ts';
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
const widths = [6, 28, 12, 10, 10, 22, 20, 40, 14, 30, 12, 10, 10, 10, 36];
const lastColumn = String.fromCharCode(64 + ledgerColumns.length);
const dateFormat = 'yyyy-mm-dd';
const thin = { style: 'thin' } as const;
const border = { top: thin, left: thin, bottom: thin, right: thin };

/** An instant as CST wall time: 2026-12-03 22:30. */
function cstMinute(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

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
 * Waits until what was written has moved on. exceljs's sheet stream hands its data to the
 * zip without waiting for it (batch mode writes on whatever the zip's buffers hold), so
 * rows made faster than they are compressed would pile up outside the V8 heap (RSS grew
 * by 126 MB at 100,000 rows before this wait: bench/ledger-export.ts). The zip's entry
 * streams are the sheet stream's `pipes` (exceljs's StreamBuf); then the output's reader.
 */
type ZipEntryStream = Writable & { _writableState?: { needDrain?: boolean } };

async function caughtUp(sheet: object, output: Writable): Promise<void> {
  const pipes = (sheet as { stream?: { pipes?: ZipEntryStream[] } }).stream?.pipes ?? [];
  for (const pipe of pipes) {
    // The zip's streams are readable-stream's (v2), which predate writableNeedDrain.
    if (pipe.writableNeedDrain ?? pipe._writableState?.needDrain) await once(pipe, 'drain');
  }
  if (output.writableNeedDrain) await once(output, 'drain');
}

/**
 * Writes the hazard ledger (隐患排查治理台账) as an .xlsx laid out as offices file it: a
 * title row, the jurisdiction, time of export and filters, then the frozen header row
 * (Chinese with English beneath) with an auto-filter, column widths, dates as dates.
 *
 * exceljs's streaming writer zips each row as it is committed, so neither the rows nor the
 * file are ever whole in memory; between batches the writer waits for the zip and then
 * `output` to drain, so a slow reader (an S3 upload) holds the rows back instead of
 * letting them pile up.
 * Resolves with the number of rows once the file is complete and `output` has ended.
 */
export async function writeLedgerWorkbook(
  output: Writable,
  heading: LedgerHeading,
  rows: AsyncIterable<LedgerRow>,
): Promise<number> {
  const workbook = new WorkbookWriter({
    stream: output,
    useStyles: true,
    // Shared strings would keep every distinct text in memory until the end.
    useSharedStrings: false,
  });
  workbook.creator = '清零 Qingling';
  workbook.created = heading.exportedAt;
  const sheet = workbook.addWorksheet(ledgerSheetName, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: ledgerHeaderRow }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = ledgerColumns.map((_, index) => ({
    width: widths[index] ?? 14,
    ...(ledgerDateColumns.includes(index) ? { style: { numFmt: dateFormat } } : {}),
  }));
  sheet.autoFilter = `A${ledgerHeaderRow}:${lastColumn}${ledgerHeaderRow}`;

  const name = heading.jurisdictionName;
  const banner = (text: string, size: number, bold = false) => {
    const row = sheet.addRow([defuse(text)]);
    sheet.mergeCells(`A${row.number}:${lastColumn}${row.number}`);
    row.font = { size, bold };
    row.alignment = { vertical: 'middle', horizontal: row.number === 1 ? 'center' : 'left' };
    row.height = size * 2;
    row.commit();
  };
  banner(`${name?.zh ?? heading.jurisdiction} 隐患排查治理台账`, 16, true);
  banner(
    `辖区 Jurisdiction：${name ? `${name.zh} ${name.en}` : ''}（${heading.jurisdiction}）` +
      `    导出时间 Exported：${cstMinute(heading.exportedAt)}（北京时间 CST）`,
    10,
  );
  banner(
    `筛选条件 Filters：${
      heading.filters.length
        ? heading.filters.map((filter) => `${filter.zh} ${filter.en}`).join('；')
        : '全部 All'
    }`,
    10,
  );

  const header = sheet.addRow(ledgerColumns.map((zh, index) => `${zh}\n${ledgerColumnsEn[index]}`));
  header.height = 32;
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = border;
  });
  header.commit();

  let count = 0;
  for await (const values of rows) {
    const row = sheet.addRow(values.map(workbookCell));
    row.eachCell((cell, column) => {
      cell.border = border;
      cell.alignment = { vertical: 'top', wrapText: column === 8 || column === 10 };
      if (ledgerDateColumns.includes(column - 1)) cell.numFmt = dateFormat;
    });
    row.commit();
    count += 1;
    if (count % 100 === 0) await caughtUp(sheet, output);
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
