import type { Bilingual } from '../i18n/text.ts';
import type { WeeklyNumbers } from './weekly-report.ts';

/**
 * The statistics' words, zh and en side by side: the page reads them (with `text`) and the
 * .xlsx writes both; kept here rather than in the message catalogues, which every feature
 * of the console edits at once.
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
  standing_not_applicable: {
    zh: '不适用（没有可计的隐患）',
    en: 'Not applicable (no hazards to count)',
  },
  remaining: { zh: '尚余', en: 'Remaining' },
  timing: { zh: '对照期限', en: 'Against the due date' },
  target: { zh: '目标', en: 'Target' },
  standing: { zh: '状态', en: 'Standing' },
  due: { zh: '期限', en: 'Due' },
  value: { zh: '当前数值', en: 'Now' },
  baseline: { zh: '2024 年发现', en: 'Found in 2024' },
  byRegion: { zh: '分区域', en: 'By region' },
  byIndustry: { zh: '分行业', en: 'By industry' },
  byUnit: { zh: '分村/社区', en: 'By village or community' },
  unit: { zh: '村/社区', en: 'Village or community' },
  noUnit: { zh: '未指定村/社区', en: 'No unit' },
  drill: { zh: '下钻到村/社区', en: 'Down to its villages and communities' },
  unitsOf: { zh: '下辖村/社区：', en: 'Villages and communities of ' },
  openLink: {
    zh: '在台账中打开这些未销号隐患',
    en: 'Open these open hazards in the ledger',
  },
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
  tipsByChannel: { zh: '举报（按渠道）', en: 'Tips by channel' },
  tipsNote: {
    zh: '所选期间内收到的举报（按收到月份），其中查证属实、已批准奖励的数量为当前状态。',
    en: 'Tips received in the period (by month received); of them, substantiated and rewarded as they stand now.',
  },
  channel: { zh: '渠道', en: 'Channel' },
  channel_web: { zh: '网上举报', en: 'Online' },
  channel_hotline: { zh: '电话（热线）', en: 'Phone (hotline)' },
  channel_letter: { zh: '信件', en: 'Letter' },
  channel_visit: { zh: '来访', en: 'In person' },
  tipsReceived: { zh: '收到', en: 'Received' },
  tipsEmployee: { zh: '其中内部职工', en: 'Of them from employees' },
  tipsSubstantiated: { zh: '查证属实', en: 'Substantiated' },
  tipsRewarded: { zh: '已批准奖励', en: 'Rewarded' },
  overdueOnly: { zh: '只显示已超过整改期限的隐患。', en: 'Only hazards past their deadline.' },
  showAll: { zh: '显示全部', en: 'Show all' },
  download: { zh: '导出 Excel', en: 'Download as Excel' },
  downloading: { zh: '正在生成 Excel 文件…', en: 'Making the Excel file…' },
  downloaded: { zh: '已下载', en: 'Downloaded' },
  downloadHint: {
    zh: '与本页相同的数字，每个表一张工作表，用于向上级报送。',
    en: 'The same numbers as this page, a sheet for each table, for reporting upward.',
  },
} satisfies Record<string, Bilingual>;

/** The statistics' money (举报奖励), on the page's reward table and in the .xlsx. */
export const rewardWords = {
  heading: { zh: '举报奖励资金', en: 'Tip rewards' },
  region: { zh: '辖区', en: 'Jurisdiction' },
  total: { zh: '合计', en: 'Total' },
  offered: { zh: '已批准', en: 'Offered' },
  noticedLate: { zh: '其中逾期告知', en: 'Of which told late' },
  claimed: { zh: '已申领', en: 'Claimed' },
  paid: { zh: '已兑付', en: 'Paid' },
  lapsed: { zh: '逾期失效', en: 'Lapsed' },
  open: { zh: '待领取（当前）', en: 'Open now' },
  note: {
    zh: '期间内各项按发生月份统计（失效按领取期限最后一日；逾期告知：批准晚于告知期限）；金额单位：元。',
    en: 'Each counted in the month it happened (a lapse on the last day to claim; told late: approved after the notice deadline); amounts in yuan.',
  },
  items: { zh: '笔', en: '' },
} satisfies Record<string, Bilingual>;

/** The weekly report's words (周报): its page and its .xlsx. */
export const weeklyWords = {
  nav: { zh: '周报', en: 'Weekly report' },
  title: { zh: '隐患排查治理周报', en: 'Weekly hazard report' },
  intro: {
    zh: '一周（周一至周日）的隐患发现、销号、督办升级和举报，分区域列出，每行含下辖。领导每周一 9:00 收到同样的数字；可导出 Excel 向上报送。',
    en: 'A week’s hazards found and closed, escalation steps and tips (Monday to Sunday), by region, each row with the jurisdictions below it. Leaders are sent the same numbers every Monday at 09:00; download them as Excel to report upward.',
  },
  note: {
    zh: '各行含下辖；“期末”两列为该周周日 24 时的数（本周未过完时为昨日 24 时）。',
    en: 'Each row counts the jurisdictions below it too; the two “end” columns count at 24:00 on the week’s Sunday (for the week under way, at 24:00 yesterday).',
  },
  openAsOf: { zh: '未销号、超期截至', en: 'Open and overdue as of' },
  week: { zh: '周内任一天', en: 'Any day of the week' },
  weekHint: {
    zh: '不填则为最近一期已发送的周报。',
    en: 'Left empty: the last week whose report was sent.',
  },
  weekShown: { zh: '周期', en: 'Week' },
} as const satisfies Record<string, Bilingual>;

/** The weekly report's columns, in order: what the page shows and the sheet holds. */
export const weeklyColumns = [
  ['found', { zh: '本周新发现隐患', en: 'Found this week' }],
  ['closed', { zh: '本周销号', en: 'Closed this week' }],
  ['openMajor', { zh: '重大事故隐患未销号（期末）', en: 'Major hazards open (end)' }],
  ['overdue', { zh: '超期未整改（期末）', en: 'Overdue (end)' }],
  ['escalations', { zh: '本周督办升级（次）', en: 'Escalation steps this week' }],
  ['tipsReceived', { zh: '本周收到举报', en: 'Tips received this week' }],
  ['tipsSubstantiated', { zh: '本周查证属实', en: 'Tips substantiated this week' }],
] as const satisfies readonly (readonly [keyof WeeklyNumbers, Bilingual])[];
