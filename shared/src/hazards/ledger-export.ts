import { cstDate } from '../calendar/calendar.ts';
import type { HazardState } from './hazard.ts';
import { type Site, siteKindNames } from './site.ts';

/**
 * The hazard ledger (隐患排查治理台账) as offices file it: one row per hazard, the columns
 * in Chinese. The server writes it as CSV; the console writes the same rows as .xlsx in the
 * browser (exceljs is far over a handler's bundle limit).
 */
export const ledgerColumns = [
  '序号',
  '隐患编号',
  '发现日期',
  '隐患等级',
  '行业',
  '统一社会信用代码',
  '隐患部位',
  '隐患描述',
  '整改责任人',
  '整改措施',
  '整改期限',
  '状态',
  '超期天数',
  '已升级至',
  // A place without a credit code (site.ts): its name, kind, address and person in charge.
  '无信用代码场所',
] as const;

/** The columns holding a CST date (YYYY-MM-DD): a real date in the workbook. */
export const ledgerDateColumns: readonly number[] = [2, 10];

const gradeNames = { general: '一般隐患', major: '重大隐患' } as const;
const statusNames: Record<string, string> = {
  reported: '已登记',
  rectifying: '整改中',
  verifying: '待核查',
  closed: '已销号',
};
const stepNames: Record<string, string> = {
  reminder: '提醒',
  notice_letter: '督办函',
  circular: '通报',
  summons: '约谈',
  public_exposure: '公开曝光',
};

const dayMs = 86_400_000;

/** Whole days the deadline (a CST date) is past `today` (a CST date); 0 when not overdue. */
export function daysOverdue(deadline: string | undefined, today: string): number {
  if (!deadline) return 0;
  const days = Math.round((Date.parse(today) - Date.parse(deadline)) / dayMs);
  return days > 0 ? days : 0;
}

export type LedgerRow = (string | number)[];

/** A hazard's row in column order; `index` is its 序号 (from 1). */
export function ledgerRow(state: HazardState, index: number, today: string): LedgerRow {
  // The round's deadline is the instant its CST day ends (24:00 CST): the ledger shows the day.
  const deadline = state.round
    ? cstDate(new Date(Date.parse(state.round.deadline) - 1))
    : undefined;
  const open = state.status !== 'closed';
  // The last step fired here, else the one an imported ledger had reached (backlog.ts).
  const reached =
    state.escalations.filter((step) => !step.withdrawn).at(-1) ??
    (state.round?.reachedStep ? { step: state.round.reachedStep } : undefined);
  return [
    index,
    state.hazardId,
    state.foundOn ?? cstDate(new Date(state.reportedAt)),
    gradeNames[state.grade],
    state.industry,
    state.enterprise ?? '',
    state.place,
    state.description,
    state.responsible ?? '',
    state.measures ?? '',
    deadline ?? '',
    statusNames[state.status] ?? state.status,
    open ? daysOverdue(deadline, today) : 0,
    reached ? (stepNames[reached.step] ?? reached.step) : '',
    state.site ? siteCell(state.site) : '',
  ];
}

/**
 * A cell that a spreadsheet would read as a formula (= + - @, or a leading tab or carriage
 * return) gets an apostrophe in front, so that opening the export runs nothing.
 */
export function defuse(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = defuse(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The ledger as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF lines. */
export function ledgerCsv(rows: readonly LedgerRow[]): string {
  const lines = [ledgerColumns, ...rows].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A place in one cell: 老王便利店（小商店）格城区南街 7 号 负责人 王某 02361234567. */
export function siteCell(site: Site): string {
  return `${site.name}（${siteKindNames[site.kind].zh}）${site.address} 负责人 ${site.personInCharge} ${site.phone}`;
}
