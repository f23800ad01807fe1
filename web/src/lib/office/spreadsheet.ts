import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import type { CellValue, Workbook } from 'exceljs';
import { industries, industryCodeFor } from './taxonomy.ts';

/**
 * The hazard spreadsheet officers keep today, as the import reads it: one row per hazard,
 * one column per field of the import row schema, headed in both languages. exceljs itself
 * is loaded by the import page only (this module imports its types, nothing else).
 */
const importColumns = [
  { key: 'rowId', zh: '编号', en: 'rowId', width: 14 },
  { key: 'industry', zh: '行业', en: 'industry', width: 16 },
  { key: 'enterprise', zh: '统一社会信用代码', en: 'enterprise', width: 24 },
  { key: 'place', zh: '位置', en: 'place', width: 24 },
  { key: 'grade', zh: '等级', en: 'grade', width: 10 },
  { key: 'standard', zh: '判定标准', en: 'standard', width: 34 },
  { key: 'clause', zh: '条款', en: 'clause', width: 10 },
  { key: 'description', zh: '隐患描述', en: 'description', width: 40 },
  { key: 'responsible', zh: '责任人', en: 'responsible', width: 14 },
  { key: 'measures', zh: '整改措施', en: 'measures', width: 30 },
  { key: 'deadline', zh: '整改期限', en: 'deadline', width: 14 },
  // A paper ledger's history (issue 15): when found, and whether and when it was closed.
  { key: 'foundOn', zh: '发现日期', en: 'foundOn', width: 14 },
  { key: 'status', zh: '状态', en: 'status', width: 10 },
  { key: 'closedOn', zh: '销号日期', en: 'closedOn', width: 14 },
  // The village or community (村/社区): one the jurisdiction lists (the server checks).
  { key: 'unit', zh: '村/社区', en: 'unit', width: 14 },
] as const;

const dateColumns: readonly string[] = ['deadline', 'foundOn', 'closedOn'];

type ColumnKey = (typeof importColumns)[number]['key'];
export type SheetRow = { rowNumber: number; cells: Record<ColumnKey, string> };

const sheetName = '隐患清单 Hazards';
const templateRows = 500;

/** The template: the header row, column widths and formats, drop-downs, and a guide sheet. */
export function fillTemplate(workbook: Workbook): void {
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = importColumns.map((column) => ({
    header: `${column.zh} ${column.en}`,
    key: column.key,
    width: column.width,
    // Codes stay text: an 18-digit credit code must not become a number.
    style: dateColumns.includes(column.key) ? { numFmt: 'yyyy-mm-dd' } : { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };

  const guide = workbook.addWorksheet('行业 Industries');
  guide.columns = [
    { header: '行业 industry', key: 'zh', width: 24 },
    { header: 'Industry', key: 'en', width: 40 },
    { header: '代码 code', key: 'code', width: 24 },
    { header: '判定标准 standards', key: 'standards', width: 80 },
  ];
  guide.getRow(1).font = { bold: true };
  for (const industry of industries) {
    guide.addRow({ ...industry, standards: industry.standards.join('；') });
  }

  const industryList = `'行业 Industries'!$A$2:$A$${industries.length + 1}`;
  for (let row = 2; row <= templateRows + 1; row++) {
    sheet.getCell(`B${row}`).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [industryList],
    };
    sheet.getCell(`E${row}`).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: ['"一般,重大"'],
    };
    sheet.getCell(`M${row}`).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: ['"整改中,已销号"'],
    };
  }
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A cell as text: dates as YYYY-MM-DD (a spreadsheet's dates have no zone: read as UTC). */
function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  if (typeof value !== 'object') return String(value).trim();
  if ('richText' in value)
    return value.richText
      .map((part) => part.text)
      .join('')
      .trim();
  if ('hyperlink' in value) return value.text.trim();
  if ('result' in value) return cellText(value.result as CellValue);
  return '';
}

/**
 * The rows of the first sheet, by the columns its header row names (in either language,
 * in any order); rows with nothing in them are skipped.
 */
export function readSheet(workbook: Workbook): SheetRow[] {
  const sheet = workbook.getWorksheet(sheetName) ?? workbook.worksheets[0];
  if (!sheet) return [];
  const positions = new Map<ColumnKey, number>();
  sheet.getRow(1).eachCell((cell, column) => {
    const header = cellText(cell.value).toLowerCase();
    const found = importColumns.find(
      (candidate) =>
        header.startsWith(candidate.zh) || header.split(/\s+/).includes(candidate.en.toLowerCase()),
    );
    if (found && !positions.has(found.key)) positions.set(found.key, column);
  });
  const rows: SheetRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = Object.fromEntries(
      importColumns.map(({ key }) => {
        const column = positions.get(key);
        return [key, column ? cellText(row.getCell(column).value) : ''];
      }),
    ) as Record<ColumnKey, string>;
    if (Object.values(cells).some(Boolean)) rows.push({ rowNumber, cells });
  });
  return rows;
}

const grades: Record<string, string> = { 一般: 'general', 重大: 'major' };
/** A ledger's words for open and closed; anything else is left for the schema to refuse. */
const statuses: Record<string, string> = {
  整改中: 'open',
  未销号: 'open',
  open: 'open',
  已销号: 'closed',
  销号: 'closed',
  已关闭: 'closed',
  closed: 'closed',
};

/** 2026/1/5, 2026年1月5日 → 2026-01-05; anything else is left for the schema to refuse. */
function isoDate(written: string): string {
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(written);
  return match ? `${match[1]}-${pad(Number(match[2]))}-${pad(Number(match[3]))}` : written;
}

/** A sheet row as the import row schema takes it; empty optional cells are left out. */
export function importRow({ cells }: SheetRow): Record<string, unknown> {
  const optional = (key: ColumnKey, value: string) => (value ? { [key]: value } : {});
  const cited = cells.standard || cells.clause;
  return {
    rowId: cells.rowId,
    industry: industryCodeFor(cells.industry),
    enterprise: cells.enterprise,
    place: cells.place,
    grade: grades[cells.grade] ?? cells.grade.toLowerCase(),
    ...(cited ? { standard: { ref: cells.standard, clause: cells.clause } } : {}),
    description: cells.description,
    ...optional('responsible', cells.responsible),
    ...optional('measures', cells.measures),
    ...optional('deadline', isoDate(cells.deadline)),
    ...optional('foundOn', isoDate(cells.foundOn)),
    ...optional('status', statuses[cells.status.toLowerCase()] ?? cells.status),
    ...optional('closedOn', isoDate(cells.closedOn)),
    ...optional('unit', cells.unit),
  };
}

/** The column an issue's path names ("standard.clause" → the clause column). */
export function columnOf(path: string): Bilingual | undefined {
  const key = path === 'standard.clause' ? 'clause' : path.split('.')[0];
  const column = importColumns.find((candidate) => candidate.key === key);
  return column ? { zh: column.zh, en: column.en } : undefined;
}
