import type { statisticsSchema } from '@qingling/shared/hazards/statistics-routes.ts';
import type { Bilingual } from '@qingling/shared/i18n/text.ts';
import type * as z from 'zod/mini';
import { officeRequest } from './office-api.ts';

/** The statistics' answer (GET /api/office/statistics), as the page reads it. */
export type HazardStatistics = z.output<typeof statisticsSchema>;
export type StatisticsRow = HazardStatistics['totals'];

export interface StatisticsQuery {
  jurisdiction: string;
  from?: string;
  to?: string;
  cutoff?: string;
}

export function loadStatistics(query: StatisticsQuery): Promise<HazardStatistics> {
  const search = new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
  return officeRequest<HazardStatistics>(`/api/office/statistics?${search}`);
}

/** Mean days to close, one decimal; null with nothing closed. */
export const meanDays = (row: StatisticsRow): number | null =>
  row.closed ? Math.round((row.daysToClose / row.closed) * 10) / 10 : null;

/** Share closed by the deadline, in per cent with one decimal; null with nothing closed. */
export const onTimeShare = (row: StatisticsRow): number | null =>
  row.closed ? Math.round((row.closedOnTime / row.closed) * 1000) / 10 : null;

/**
 * The page's words, zh and en side by side (read with `text`): kept beside the page rather
 * than in the message catalogues, which every feature of the console edits at once.
 */
export const words = {
  nav: { zh: '统计分析', en: 'Statistics' },
  title: { zh: '统计分析', en: 'Statistics' },
  intro: {
    zh: '按辖区、行业统计所选期间发现的隐患，以及整改销号、超期和攻坚目标进度。数字来自计数器，每个图表下都有对应的数据表。',
    en: 'Hazards found in the period by jurisdiction and industry, with closures, overdue counts and the campaign targets. Counted from counters; each chart has its numbers in a table below it.',
  },
  jurisdiction: { zh: '辖区', en: 'Jurisdiction' },
  from: { zh: '起始月份（发现）', en: 'First month (found)' },
  to: { zh: '结束月份（发现）', en: 'Last month (found)' },
  cutoff: { zh: '存量截止日期', en: 'Backlog cut-off date' },
  cutoffHint: {
    zh: '此日期前发现的隐患计为存量，之后为增量。',
    en: 'Hazards found before this date count as backlog, after it as inflow.',
  },
  show: { zh: '统计', en: 'Show' },
  loading: { zh: '正在统计…', en: 'Counting…' },
  asOf: { zh: '统计时点', en: 'As of' },
  reads: { zh: '次数据库读取', en: 'database reads' },
  targets: { zh: '三年攻坚目标', en: 'Campaign targets' },
  target_backlog_cleared: {
    zh: '2024 年底前：2023 年及以前排查的存量隐患清零',
    en: 'By end 2024: clear the backlog found before 2024',
  },
  target_inflow_curbed: {
    zh: '2025 年底前：遏制增量（2025 年新发现少于 2024 年）',
    en: 'By end 2025: curb the inflow (fewer found in 2025 than in 2024)',
  },
  target_major_zero: {
    zh: '2026 年底前：重大事故隐患动态清零',
    en: 'By end 2026: open major hazards at zero',
  },
  standing_met: { zh: '已达成', en: 'Met' },
  standing_met_late: { zh: '逾期达成', en: 'Met late' },
  standing_pending: { zh: '进行中', en: 'In progress' },
  standing_missed: { zh: '未达成', en: 'Missed' },
  metOn: { zh: '达成日期', en: 'Met on' },
  remaining: { zh: '尚余', en: 'Remaining' },
  daysLeft: { zh: '距期限天数', en: 'Days to the due date' },
  target: { zh: '目标', en: 'Target' },
  standing: { zh: '状态', en: 'Standing' },
  due: { zh: '期限', en: 'Due' },
  value: { zh: '当前数值', en: 'Now' },
  baseline: { zh: '2024 年发现', en: 'Found in 2024' },
  byRegion: { zh: '分区域', en: 'By region' },
  byIndustry: { zh: '分行业', en: 'By industry' },
  byMonth: { zh: '按月趋势', en: 'By month' },
  backlogInflow: { zh: '存量与增量', en: 'Backlog and inflow' },
  region: { zh: '辖区', en: 'Jurisdiction' },
  industry: { zh: '行业', en: 'Industry' },
  grade: { zh: '等级', en: 'Grade' },
  month: { zh: '月份', en: 'Month' },
  found: { zh: '发现', en: 'Found' },
  closed: { zh: '已销号', en: 'Closed' },
  open: { zh: '未销号', en: 'Open' },
  overdue: { zh: '超期（当前）', en: 'Overdue now' },
  openMajor: { zh: '重大隐患未销号（当前）', en: 'Open major now' },
  meanDays: { zh: '平均销号天数', en: 'Mean days to close' },
  onTime: { zh: '按期销号率', en: 'Closed on time' },
  closedInMonth: { zh: '当月销号', en: 'Closed in the month' },
  foundInMonth: { zh: '当月发现', en: 'Found in the month' },
  backlog: { zh: '存量', en: 'Backlog' },
  inflow: { zh: '增量', en: 'Inflow' },
  cohort: { zh: '类别', en: 'Group' },
  total: { zh: '合计', en: 'Total' },
  major: { zh: '重大', en: 'Major' },
  general: { zh: '一般', en: 'General' },
  overdueLink: {
    zh: '在台账中打开这些超期隐患',
    en: 'Open these overdue hazards in the ledger',
  },
  noData: { zh: '—', en: '—' },
  overdueOnly: { zh: '只显示已超过整改期限的隐患。', en: 'Only hazards past their deadline.' },
  showAll: { zh: '显示全部', en: 'Show all' },
} satisfies Record<string, Bilingual>;
