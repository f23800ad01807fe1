// exceljs's streaming writer alone (lib/stream/xlsx/workbook-writer.js): the ledger export
// imports it by path so that its function bundles the writer, not exceljs's readers (which
// more than double the bundle). The package types it only as a member of the whole.
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  import type { stream } from 'exceljs';

  const WorkbookWriter: typeof stream.xlsx.WorkbookWriter;
  export default WorkbookWriter;
}
