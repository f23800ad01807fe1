import { defuse, ledgerDateColumns } from '@qingling/shared/hazards/ledger-export.ts';
import type { Workbook } from 'exceljs';

/** The ledger export's rows as the API gives them (format=json). */
export interface LedgerRows {
  columns: string[];
  rows: (string | number)[][];
}

/** Column widths (in characters) of the ledger's columns, in order. */
const widths = [6, 28, 12, 10, 10, 22, 20, 40, 14, 30, 12, 10, 10, 10];

/**
 * The hazard ledger (隐患排查治理台账) as a workbook: the Chinese header row frozen, dates as
 * dates, text that a spreadsheet would read as a formula defused as in the CSV.
 */
export function ledgerWorkbook(workbook: Workbook, ledger: LedgerRows): void {
  const sheet = workbook.addWorksheet('隐患排查治理台账', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = ledger.columns.map((header, index) => ({
    header,
    width: widths[index] ?? 14,
    ...(ledgerDateColumns.includes(index) ? { style: { numFmt: 'yyyy-mm-dd' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of ledger.rows) {
    sheet.addRow(
      row.map((cell, index) => {
        if (typeof cell === 'number') return cell;
        if (ledgerDateColumns.includes(index) && /^\d{4}-\d{2}-\d{2}$/.test(cell)) {
          return new Date(`${cell}T00:00:00Z`);
        }
        return defuse(cell);
      }),
    );
  }
}
