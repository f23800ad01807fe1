import { cstDate } from '../calendar/calendar.ts';
import type { Bilingual } from '../i18n/text.ts';
import { defuse } from '../spreadsheets/defuse.ts';
import type { HazardState, LedgerStatus } from './hazard.ts';
import type { HazardLedger } from './ledger.ts';
import { ledgerFilterOf } from './ledger-filter.ts';
import { ledgerStatuses } from './schemas.ts';
import { type Site, siteKindNames } from './site.ts';
import { stepReached } from './views.ts';

/**
 * The hazard ledger (隐患排查治理台账) as offices file it: one row per hazard, the columns
 * in Chinese. The server writes it as CSV (here) and as .xlsx (ledger-workbook.ts), both
 * streamed row by row into the blob store.
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
  // Last, so that the columns offices already read keep their places.
  '村/社区',
] as const;

/** The columns' English names, in the same order: the workbook's header shows both. */
export const ledgerColumnsEn = [
  'No.',
  'Hazard ID',
  'Found on',
  'Grade',
  'Industry',
  'Credit code',
  'Location',
  'Description',
  'Responsible',
  'Measures',
  'Deadline',
  'Status',
  'Days overdue',
  'Escalated to',
  'Place without credit code',
  'Village or community',
] as const satisfies { length: (typeof ledgerColumns)['length'] };

/** The columns holding a CST date (YYYY-MM-DD): a real date in the workbook. */
export const ledgerDateColumns: readonly number[] = [2, 10];

const gradeNames = { general: '一般隐患', major: '重大隐患' } as const;
export const statusNames: Record<string, string> = {
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
  const reached = stepReached(state);
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
    reached ? (stepNames[reached] ?? reached) : '',
    state.site ? siteCell(state.site) : '',
    state.unit ?? '',
  ];
}

// Shared with the statistics' workbook, which must not bundle the ledger.
export { defuse };

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = defuse(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvLine = (row: readonly (string | number)[]) => `${row.map(csvCell).join(',')}\r\n`;

/** The ledger as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF lines. */
export function ledgerCsv(rows: readonly LedgerRow[]): string {
  return `\uFEFF${[ledgerColumns, ...rows].map(csvLine).join('')}`;
}

/**
 * The same CSV, a line at a time as the rows arrive: an export of any length is written
 * out without the whole of it in memory.
 */
export async function* ledgerCsvLines(rows: AsyncIterable<LedgerRow>): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(ledgerColumns)}`;
  for await (const row of rows) yield csvLine(row);
}

/** A place in one cell: 老王便利店（小商店）格城区南街 7 号 负责人 王某 02361234567. */
export function siteCell(site: Site): string {
  return `${site.name}（${siteKindNames[site.kind].zh}）${site.address} 负责人 ${site.personInCharge} ${site.phone}`;
}

const statusNamesEn: Record<string, string> = {
  reported: 'reported',
  rectifying: 'rectifying',
  verifying: 'verifying',
  closed: 'closed',
  closed_look_back: 'closed, look-back pending',
};

/** What the export's filters were, in both languages, for the sheet's heading. */
export function ledgerFilterNames(filters: Record<string, unknown>): Bilingual[] {
  const names: Bilingual[] = [];
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || ['jurisdiction', 'format', 'cursor'].includes(key)) continue;
    if (key === 'status') {
      const status = String(value);
      const zh = status === 'closed_look_back' ? '已销号待回头看' : (statusNames[status] ?? status);
      names.push({ zh: `状态：${zh}`, en: `status: ${statusNamesEn[status] ?? status}` });
    } else if (key === 'overdue') {
      names.push({ zh: '只看超期', en: 'overdue only' });
    } else if (key === 'community') {
      names.push({ zh: `村/社区：${String(value)}`, en: `village or community: ${String(value)}` });
    } else {
      // Filters this list does not name yet still say what they were.
      names.push({ zh: `${key}：${String(value)}`, en: `${key}: ${String(value)}` });
    }
  }
  return names;
}

/** What an export asks for: the jurisdiction, a status or all, and the list's own filters. */
export type LedgerExportFilter = Parameters<typeof ledgerFilterOf>[0] & {
  jurisdiction: string;
  status?: LedgerStatus | undefined;
};

/**
 * The ledger's rows, page by page through the same index query the list makes (never a
 * Scan, never the whole ledger in memory): each status in turn when none is asked for,
 * numbered from 1 across all of them.
 */
export async function* ledgerRows(
  ledger: Pick<HazardLedger, 'list'>,
  filter: LedgerExportFilter,
  now: Date,
  pageSize = 100,
): AsyncGenerator<LedgerRow> {
  const today = cstDate(now);
  const { jurisdiction, status: only, ...asked } = filter;
  // The list's own filters: the file holds exactly what the filtered ledger shows.
  const listFilter = ledgerFilterOf(asked, now);
  let index = 0;
  for (const status of only ? [only] : ledgerStatuses) {
    let cursor: string | undefined;
    do {
      const page = await ledger.list({
        jurisdiction,
        status,
        limit: pageSize,
        ...(cursor ? { cursor } : {}),
        filter: listFilter,
      });
      for (const state of page.items) {
        index += 1;
        yield ledgerRow(state, index, today);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
}
